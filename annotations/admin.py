from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from articles.admin import PublishActionsMixin, count_of
from articles.audit import AuditedAdminMixin
from articles.models import Paragraph

from .models import Annotation, Citation, Correction, OrphanedAnnotation, Rating, Source
from .normalise import normalise_url


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


class CitationInline(admin.TabularInline):
    model = Citation
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
    # The version of the annotation the editor started from, to catch a colleague's save in between.
    seen_modified = forms.CharField(required=False, widget=forms.HiddenInput)

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
        if self.instance.pk:
            self.fields["seen_modified"].initial = self.instance.modified.isoformat()
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
        if self.instance.pk:
            self.check_for_conflict(cleaned.get("seen_modified"))
        if self.verdict_changed() and not (cleaned.get("correction_note") or "").strip():
            self.add_error(
                "correction_note",
                "This claim is published: changing its rating or conclusion needs a public correction note.",
            )
        return cleaned

    def check_for_conflict(self, seen: str | None) -> None:
        seen_at = parse_datetime(seen or "")
        current = (
            # No ordering: the default one joins paragraphs, and FOR UPDATE refuses outer joins.
            Annotation.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .order_by()
            .values_list("modified", flat=True)
            .first()
        )
        if seen_at is None or current is None or current == seen_at:
            return
        last = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Annotation), object_id=str(self.instance.pk)
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        who = f" by {last.user.get_username()}" if last and last.user else ""
        raise forms.ValidationError(
            f"This annotation was changed{who} after you opened it. Your changes were not saved, so as not to "
            "overwrite theirs: reload the page, then make your changes again."
        )

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
class AnnotationAdmin(AuditedAdminMixin, PublishActionsMixin, admin.ModelAdmin):
    publish_permission = "annotations.publish_annotation"
    form = AnnotationForm

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None:
            return obj.editable_by(request.user)
        return super().has_change_permission(request, obj)

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
        (None, {"fields": ["body", "tags", "seen_modified"]}),
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
        return highlighted(obj.paragraph.text, obj.start, obj.end)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields and not self.has_publish_permission(request):
            allowed = {Annotation.Status.DRAFT, Annotation.Status.REVIEW}
            if obj is not None:
                allowed.add(obj.status)
            form.base_fields["status"].choices = [c for c in Annotation.Status.choices if c[0] in allowed]
        return form

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
