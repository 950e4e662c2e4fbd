from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag as TaggitTag

from articles.admin import ArticleAdmin, count_of
from articles.audit import AuditedAdminMixin
from articles.editing import EditConflictMixin, LiveContentAdminMixin
from articles.models import Article, Paragraph

from .admin_annotate import article_urls
from .models import Annotation, Citation, Correction, OrphanedAnnotation, Rating, Source, Tag
from .normalise import normalise_url

PUBLISH_ANNOTATION = "annotations.publish_annotation"


def highlighted(annotation: Annotation):
    """The paragraph text, escaped, with the quoted span (where it is now) marked."""
    text = annotation.paragraph.text
    span = annotation.current_span(text)
    if span is None:
        return format_html('<div class="glossa-context">{}</div>', text)
    start, end = span
    return format_html(
        '<div class="glossa-context">{}<mark>{}</mark>{}</div>', text[:start], text[start:end], text[end:]
    )


@admin.register(Rating)
class RatingAdmin(AuditedAdminMixin, LiveContentAdminMixin, admin.ModelAdmin):
    publish_permission = PUBLISH_ANNOTATION
    list_display = ["label", "value", "colour", "order", "use_count"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["label"]}
    search_fields = ["label"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_uses=count_of(Annotation, "rating"))

    @admin.display(description="annotations", ordering="n_uses")
    def use_count(self, obj: Rating) -> int:
        return obj.n_uses


@admin.register(Source)
class SourceAdmin(AuditedAdminMixin, LiveContentAdminMixin, admin.ModelAdmin):
    """A source cited by a published annotation is live: only those who may publish change it."""

    publish_permission = PUBLISH_ANNOTATION
    list_display = ["title", "publisher", "url", "published_on", "kind", "citation_count"]
    list_filter = ["kind"]
    search_fields = ["url", "title", "publisher"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=count_of(Citation, "source"))

    def get_search_results(self, request, queryset, search_term):
        # A pasted address with tracking parameters or another spelling still finds its source.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term.lower().startswith(("http://", "https://")):
            results |= queryset.filter(url=normalise_url(term))
        return results, may_have_duplicates

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj: Source) -> int:
        return obj.n_citations


class CitationInline(LiveContentAdminMixin, admin.TabularInline):
    model = Citation
    publish_permission = PUBLISH_ANNOTATION
    fields = ["source", "pinpoint", "quote", "order"]
    autocomplete_fields = ["source"]
    extra = 1


class CorrectionInline(admin.TabularInline):
    """The public record of verdict changes; written by the annotation form, never edited by hand."""

    model = Correction
    fields = ["date", "old_rating", "new_rating", "old_conclusion", "new_conclusion", "note", "created_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AnnotationForm(forms.ModelForm):
    correction_note = forms.CharField(
        label="Public correction note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you change the rating or conclusion of a published claim: "
        "readers see it beside the claim, with the old and new verdict.",
    )

    class Meta:
        model = Annotation
        fields = [
            "kind",
            "status",
            "paragraph",
            "exact",
            "prefix",
            "suffix",
            "start",
            "end",
            "claim_text",
            "claimant",
            "rating",
            "conclusion",
            "body",
            "tags",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("prefix", "suffix"):
            if name in self.fields:
                # Context ends and starts with spaces more often than not; they are part of the selector.
                self.fields[name].strip = False
        if self.instance.anchor_state == Annotation.AnchorState.ORPHANED and "paragraph" in self.fields:
            # An orphan can be edited while it waits to be re-attached; choosing a paragraph re-attaches it.
            self.fields["paragraph"].required = False
        self.was = {
            "status": self.instance.status,
            "kind": self.instance.kind,
            "rating": self.instance.rating if self.instance.rating_id else None,
            "conclusion": self.instance.conclusion,
        }

    def verdict_changed(self) -> bool:
        """True when this save changes the public verdict of a published claim."""
        if not self.instance.pk or self.was["status"] != Annotation.Status.PUBLISHED:
            return False
        if self.was["kind"] != Annotation.Kind.CLAIM:
            return False
        return self.cleaned_data.get("rating") != self.was["rating"] or (
            self.cleaned_data.get("conclusion", "") != self.was["conclusion"]
        )

    def clean(self):
        cleaned = super().clean()
        if self.verdict_changed() and not (cleaned.get("correction_note") or "").strip():
            self.add_error(
                "correction_note",
                "This claim is published: changing its rating or conclusion needs a public correction note.",
            )
        return cleaned

    def correction(self, user) -> Correction | None:
        if not self.verdict_changed():
            return None
        return Correction(
            annotation=self.instance,
            old_rating=self.was["rating"],
            new_rating=self.cleaned_data.get("rating"),
            old_conclusion=self.was["conclusion"],
            new_conclusion=self.cleaned_data.get("conclusion", ""),
            note=self.cleaned_data["correction_note"].strip(),
            created_by=user,
        )


@admin.register(Annotation)
class AnnotationAdmin(AuditedAdminMixin, LiveContentAdminMixin, EditConflictMixin, admin.ModelAdmin):
    publish_permission = PUBLISH_ANNOTATION
    conflict_field = "modified"
    form = AnnotationForm

    list_display = ["__str__", "kind", "rating", "status", "anchor_state", "article", "author", "modified"]
    list_select_related = ["rating", "article", "author", "paragraph"]
    list_filter = ["kind", "status", "rating", "anchor_state"]
    search_fields = ["exact", "claim_text", "conclusion", "body", "article__title", "claimant"]
    autocomplete_fields = ["paragraph", "rating"]
    show_full_result_count = False
    list_per_page = 50
    inlines = [CitationInline, CorrectionInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["in_context", "article", "anchor_state", "author", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["kind", "status", "paragraph", "in_context"]}),
        ("Anchor", {"fields": ["exact", "prefix", "suffix", "start", "end", "anchor_state"]}),
        ("Claim", {"fields": ["claim_text", "claimant", "rating", "conclusion", "correction_note"]}),
        (None, {"fields": ["body", "tags"]}),
        ("Record", {"classes": ["collapse"], "fields": ["article", "author", "created", "modified"]}),
    ]

    @admin.display(description="in context")
    def in_context(self, obj: Annotation):
        if obj.pk is not None and obj.paragraph is None:
            return format_html(
                'Orphaned: its text changed or was removed. <a href="{}?reattach={}">Re-attach it</a>',
                reverse("admin:articles_article_annotate", args=[obj.article_id]),
                obj.pk,
            )
        if obj.pk is None or obj.paragraph is None:
            return "—"
        return highlighted(obj)

    def get_changeform_initial_data(self, request):
        """Selectors come from the annotate view's query string; a claim starts from its quote and author."""
        initial = super().get_changeform_initial_data(request)
        paragraph = Paragraph.objects.select_related("article__author").filter(
            pk=initial.get("paragraph") or None
        )
        paragraph = paragraph.first() if str(initial.get("paragraph", "")).isdigit() else None
        if initial.get("kind", Annotation.Kind.CLAIM) == Annotation.Kind.CLAIM and paragraph is not None:
            initial.setdefault("claim_text", initial.get("exact") or paragraph.text)
            if paragraph.article.author:
                initial.setdefault("claimant", paragraph.article.author.name)
        return initial

    def save_model(self, request, obj: Annotation, form, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        if obj.anchor_state == Annotation.AnchorState.ORPHANED and obj.paragraph_id is not None:
            obj.anchor_state = Annotation.AnchorState.ANCHORED
        super().save_model(request, obj, form, change)
        if change and (correction := form.correction(request.user)) is not None:
            correction.save()

    @admin.action(description="Publish selected annotations", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Annotation.Status.PUBLISHED, "published")

    @admin.action(description="Unpublish selected annotations (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Annotation.Status.DRAFT, "returned to draft")


@admin.register(Correction)
class CorrectionAdmin(AuditedAdminMixin, LiveContentAdminMixin, admin.ModelAdmin):
    """The public record of verdict changes.

    A correction is made by changing the rating or conclusion of a published claim in its
    annotation form, which records the old and new verdict itself; it cannot be added here, so no
    one can put a made-up change of verdict on a claim. Those who may publish can reword the
    public note of one, and delete one made by mistake.
    """

    publish_permission = PUBLISH_ANNOTATION
    list_display = ["annotation", "date", "old_rating", "new_rating", "created_by"]
    list_select_related = ["annotation", "old_rating", "new_rating", "created_by"]
    search_fields = ["note", "annotation__claim_text"]
    fields = ["annotation", "date", "old_rating", "new_rating", "old_conclusion", "new_conclusion", "note"]
    readonly_fields = [
        "annotation",
        "date",
        "old_rating",
        "new_rating",
        "old_conclusion",
        "new_conclusion",
        "created_by",
        "created_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OrphanedAnnotation)
class OrphanedAnnotationAdmin(admin.ModelAdmin):
    """Annotations whose text changed or went away, for editors to re-attach."""

    list_display = ["quote", "kind", "status", "article", "modified", "reattach_link"]
    list_display_links = None
    list_select_related = ["article", "author"]
    list_filter = ["kind", "status"]
    search_fields = ["exact", "claim_text", "body", "article__title"]
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).orphaned()

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # The upload page links to the orphans of one article.
        return lookup in {"article", "article__id__exact"} or super().lookup_allowed(lookup, value, request)

    @admin.display(description="quote")
    def quote(self, obj: Annotation):
        text = (obj.exact[:80] + "…") if len(obj.exact) > 80 else (obj.exact or "(whole paragraph)")
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:annotations_annotation_change", args=[obj.pk]), text
        )

    @admin.display(description="re-attach")
    def reattach_link(self, obj: Annotation):
        return format_html(
            '<a href="{}?reattach={}">Choose new text</a>',
            reverse("admin:articles_article_annotate", args=[obj.article_id]),
            obj.pk,
        )

    # The list is a view of annotations: the annotation permissions apply.
    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("annotations.view_annotation")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("annotations.view_annotation")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(TaggitTag)


@admin.register(TaggitTag)
class TagAdmin(AuditedAdminMixin, LiveContentAdminMixin, TaggitTagAdmin):
    """django-taggit's tag admin under the live-content rule: a tag on published content is
    renamed, merged or deleted only by someone who may publish.

    Which objects carry a tag is edited on those objects, not here: the tagged-item inline goes.
    """

    publish_permission = PUBLISH_ANNOTATION
    inlines = []

    def is_live(self, obj) -> bool:
        return Tag.objects.public().filter(pk=obj.pk).exists()

    def merge_tags_view(self, request):
        ids = [pk for pk in request.session.get("selected_tag_ids", "").split(",") if pk.isdigit()]
        chosen = TaggitTag.objects.filter(pk__in=ids)
        if not self.has_change_permission(request) or not all(
            self.has_change_permission(request, tag) for tag in chosen
        ):
            raise PermissionDenied
        return super().merge_tags_view(request)


admin.site.unregister(Article)


@admin.register(Article)
class AnnotatedArticleAdmin(ArticleAdmin):
    """The articles app's admin with what annotations add: their count, and the annotate and
    re-attach pages (``admin_annotate.py``)."""

    list_display = [*ArticleAdmin.list_display, "annotation_count"]

    def get_urls(self):
        return article_urls(self) + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_annotations=count_of(Annotation))

    @admin.display(description="annotations", ordering="n_annotations")
    def annotation_count(self, obj: Article) -> int:
        return obj.n_annotations
