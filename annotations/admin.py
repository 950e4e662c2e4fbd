from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from articles.admin import PublishActionsMixin, count_of
from ops.admin import EditConflictMixin

from .models import Annotation, Citation, Correction, Rating, Source


def highlighted(text: str, start: int | None, end: int | None):
    """The paragraph text, escaped, with the quoted span marked."""
    if start is None or end is None:
        return format_html('<div class="glossa-context">{}</div>', text)
    return format_html(
        '<div class="glossa-context">{}<mark>{}</mark>{}</div>', text[:start], text[start:end], text[end:]
    )


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
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
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "url", "published_on", "kind", "citation_count"]
    list_filter = ["kind"]
    search_fields = ["url", "title", "publisher"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_citations=count_of(Citation, "source"))

    @admin.display(description="citations", ordering="n_citations")
    def citation_count(self, obj: Source) -> int:
        return obj.n_citations


class CitationInline(admin.TabularInline):
    model = Citation
    fields = ["source", "pinpoint", "quote", "order"]
    autocomplete_fields = ["source"]
    extra = 1


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["date", "old_rating", "new_rating", "note", "created_by"]
    readonly_fields = ["created_by"]
    extra = 0


@admin.register(Annotation)
class AnnotationAdmin(EditConflictMixin, PublishActionsMixin, admin.ModelAdmin):
    publish_permission = "annotations.publish_annotation"
    conflict_field = "modified"

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
        ("Claim", {"fields": ["claim_text", "claimant", "rating", "conclusion"]}),
        (None, {"fields": ["body", "tags"]}),
        ("Record", {"classes": ["collapse"], "fields": ["article", "author", "created", "modified"]}),
    ]

    @admin.display(description="in context")
    def in_context(self, obj: Annotation):
        if obj.pk is None or obj.paragraph is None:
            return "—"
        return highlighted(obj.paragraph.text, obj.start, obj.end)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields and not self.has_publish_permission(request):
            allowed = {Annotation.Status.DRAFT, Annotation.Status.REVIEW}
            if obj is not None:
                allowed.add(obj.status)
            form.base_fields["status"].choices = [c for c in Annotation.Status.choices if c[0] in allowed]
        return form

    def save_model(self, request, obj: Annotation, form, change: bool) -> None:
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Correction) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    @admin.action(description="Publish selected annotations", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Annotation.Status.PUBLISHED, "published")

    @admin.action(description="Unpublish selected annotations (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Annotation.Status.DRAFT, "returned to draft")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["annotation", "date", "old_rating", "new_rating", "created_by"]
    list_select_related = ["annotation", "old_rating", "new_rating", "created_by"]
    raw_id_fields = ["annotation"]
    search_fields = ["note", "annotation__claim_text"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj: Correction, form, change: bool) -> None:
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
