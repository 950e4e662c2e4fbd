from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from . import (
    admin_jobs,  # noqa: F401 (registers the import jobs' admin)
    changes,
)
from .admin_import import import_urls, original_link, render_report, warc_link
from .audit import AuditedAdminMixin, log_reanchoring
from .editing import EditConflictMixin, LiveContentAdminMixin
from .models import Article, Author, Outlet, Paragraph


def count_of(model, field: str = "article"):
    """A correlated COUNT subquery: counts per row without joining (and multiplying) rows."""
    counted = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ReportsReanchoringMixin:
    """Tells the editor what an edit of paragraph text did to its annotations, and logs it."""

    def report_reanchoring(self, request, collected: list[changes.Change]) -> None:
        positions = dict(
            Paragraph.objects.filter(pk__in=[pk for c in collected for pk in c.edited]).values_list(
                "pk", "position"
            )
        )
        for change in collected:
            counts = change.anchoring
            if not any(counts.values()):
                continue
            position = ", ".join(str(positions.get(pk, "?")) for pk in change.edited)
            level = messages.WARNING if counts["orphaned"] else messages.INFO
            self.message_user(
                request,
                f"Paragraph {position}: annotations kept {counts['kept']}, moved {counts['moved']}, "
                f"orphaned {counts['orphaned']}.",
                level,
            )
            log_reanchoring(request.user, change.reanchored, f"text of paragraph {position} edited")


class ParagraphInline(LiveContentAdminMixin, admin.TabularInline):
    model = Paragraph
    publish_permission = "articles.publish_article"
    fields = ["position", "role", "text", "key"]
    readonly_fields = ["key"]
    extra = 0
    ordering = ["position"]
    show_change_link = True


@admin.register(Outlet)
class OutletAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "country", "homepage", "article_count"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=count_of(Article, "outlet"))

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, obj: Outlet) -> int:
        return obj.n_articles


@admin.register(Author)
class AuthorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "role", "outlet"]
    list_select_related = ["outlet"]
    list_filter = ["outlet"]
    search_fields = ["name", "role"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(
    AuditedAdminMixin, LiveContentAdminMixin, EditConflictMixin, ReportsReanchoringMixin, admin.ModelAdmin
):
    publish_permission = "articles.publish_article"
    conflict_field = "updated_at"

    list_display = ["title", "outlet", "author", "published_on", "status", "paragraph_count"]
    list_select_related = ["outlet", "author"]
    list_filter = ["status", "outlet", "language", "source_format"]
    date_hierarchy = "published_on"
    search_fields = ["title", "author__name", "outlet__name", "original_url"]
    autocomplete_fields = ["author", "outlet"]
    prepopulated_fields = {"slug": ["title"]}
    show_full_result_count = False
    list_per_page = 50
    inlines = [ParagraphInline]
    actions = ["publish", "unpublish", "withdraw"]
    readonly_fields = [
        "original",  # provenance: the upload exactly as it came in; its sha256 must stay true
        "sha256",
        "file_size",
        "encoding",
        "source_format",
        "report",
        "fetched_at",
        "http_status",
        "content_type",
        "warc",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "author",
                    "outlet",
                    "published_on",
                    "original_url",
                    "language",
                    "tags",
                ]
            },
        ),
        ("Workflow", {"fields": ["status"]}),
        (
            "Provenance",
            {
                "classes": ["collapse"],
                "fields": [
                    "original",
                    "sha256",
                    "file_size",
                    "source_format",
                    "encoding",
                    "report",
                    "fetched_at",
                    "http_status",
                    "content_type",
                    "warc",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def get_urls(self):
        return import_urls(self) + super().get_urls()

    def save_formset(self, request, form, formset, change):
        with changes.collect() as collected:
            super().save_formset(request, form, formset, change)
        self.report_reanchoring(request, collected)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_paragraphs=count_of(Paragraph))

    @admin.display(description="paragraphs", ordering="n_paragraphs")
    def paragraph_count(self, obj: Article) -> int:
        return obj.n_paragraphs

    @admin.display(description="import report")
    def report(self, obj: Article) -> str:
        return render_report(obj.import_report, obj)

    @admin.display(description="original file")
    def original(self, obj: Article) -> str:
        return original_link(obj)

    @admin.display(description="WARC record")
    def warc(self, obj: Article) -> str:
        return warc_link(obj)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.PUBLISHED, "published")

    @admin.action(description="Unpublish selected articles (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Article.Status.DRAFT, "returned to draft")

    @admin.action(description="Withdraw selected articles", permissions=["publish"])
    def withdraw(self, request, queryset):
        self._set_status(request, queryset, Article.Status.WITHDRAWN, "withdrawn")


@admin.register(Paragraph)
class ParagraphAdmin(AuditedAdminMixin, LiveContentAdminMixin, ReportsReanchoringMixin, admin.ModelAdmin):
    publish_permission = "articles.publish_article"
    list_display = ["__str__", "article", "position", "role", "key"]
    list_select_related = ["article"]
    list_filter = ["role"]
    search_fields = ["text", "article__title", "key"]
    raw_id_fields = ["article"]
    readonly_fields = ["key"]
    show_full_result_count = False
    ordering = ["article", "position"]

    def save_model(self, request, obj, form, change):
        with changes.collect() as collected:
            super().save_model(request, obj, form, change)
        self.report_reanchoring(request, collected)

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete from the annotation form: one article's paragraphs, in reading order.
        return super().get_search_results(request, queryset.select_related("article"), search_term)
