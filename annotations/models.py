from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from articles.models import Article, Paragraph
from articles.search import IdSetField
from articles.validators import validate_web_url

from .anchoring import KEPT, MOVED, ORPHANED, AnchorError, locate, reanchor
from .normalise import normalise_url


class RatingQuerySet(models.QuerySet):
    def scale_bounds(self) -> tuple[int | None, int | None]:
        """(worst, best) ordinal values of the scale, for schema.org ratings."""
        bounds = self.exclude(value=None).aggregate(worst=models.Min("value"), best=models.Max("value"))
        return bounds["worst"], bounds["best"]


class Rating(models.Model):
    label = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    value = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Position on the scale (higher is more accurate); empty for ratings off the scale.",
    )
    description = models.TextField()
    colour = models.CharField(
        max_length=7,
        default="#6b7280",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour such as #1a7f37.")],
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Display order on the methodology page.")

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "News report"
        OFFICIAL = "official", "Official document or statement"
        LEGAL = "legal", "Law, treaty or court record"
        DATA = "data", "Dataset or statistics"
        ACADEMIC = "academic", "Academic publication"
        REFERENCE = "reference", "Reference work"
        OTHER = "other", "Other"

    url = models.URLField(
        "URL",
        max_length=1000,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_web_url],
        help_text="Stored normalised; leave empty for a document with no web address.",
    )
    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    accessed_on = models.DateField(null=True, blank=True)
    archived_url = models.URLField(
        "archived copy", max_length=1000, blank=True, validators=[validate_web_url]
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def save(self, *args, **kwargs) -> None:
        self.url = normalise_url(self.url or "") or None
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None) -> None:
        # Compare the normalised form, so a second spelling of one address is reported as a duplicate.
        if self.url:
            self.url = normalise_url(self.url)
        super().validate_unique(exclude)


class AnnotationQuerySet(models.QuerySet):
    def published(self) -> AnnotationQuerySet:
        """Published annotations on published articles: what anonymous readers may see."""
        return self.filter(status=Annotation.Status.PUBLISHED, article__status=Article.Status.PUBLISHED)

    def visible_to(self, user) -> AnnotationQuerySet:
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def claims(self) -> AnnotationQuerySet:
        return self.filter(kind=Annotation.Kind.CLAIM)

    def orphaned(self) -> AnnotationQuerySet:
        return self.filter(anchor_state=Annotation.AnchorState.ORPHANED)

    def reanchor(self, old_text: str, paragraph: Paragraph, changed: list | None = None) -> dict[str, int]:
        """Follow an edit of ``paragraph`` (whose text was ``old_text``); never deletes an annotation.

        Returns how many annotations were kept in place, moved, or orphaned; the annotations whose
        anchor changed are appended to ``changed`` when given.
        """
        updated = []
        counts = {KEPT: 0, MOVED: 0, ORPHANED: 0}
        now = timezone.now()
        for annotation in self.filter(paragraph=paragraph).exclude(
            anchor_state=Annotation.AnchorState.ORPHANED
        ):
            result = reanchor(
                old_text,
                paragraph.text,
                exact=annotation.exact,
                prefix=annotation.prefix,
                suffix=annotation.suffix,
                start=annotation.start,
            )
            counts[result.outcome] += 1
            if annotation.apply_reanchoring(result.outcome, result.selector):
                annotation.modified = now
                updated.append(annotation)
        self.model.objects.bulk_update(
            updated, ["paragraph", "exact", "prefix", "suffix", "start", "end", "anchor_state", "modified"]
        )
        if changed is not None:
            changed.extend(updated)
        return counts

    def search(self, q: str) -> AnnotationQuerySet:
        """Annotations whose own text or whose paragraph matches ``q`` (see articles/search.py)."""
        from articles.search import backend

        return backend().search_annotations(self, q)


class Annotation(models.Model):
    class Kind(models.TextChoices):
        CLAIM = "claim", "Claim"
        SOURCE = "source", "Source"
        NOTE = "note", "Note"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    class AnchorState(models.TextChoices):
        ANCHORED = "anchored", "Anchored"
        MOVED = "moved", "Moved"
        ORPHANED = "orphaned", "Orphaned"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="annotations", editable=False)
    # SET_NULL: a paragraph that goes away orphans its annotations instead of deleting them.
    paragraph = models.ForeignKey(Paragraph, null=True, on_delete=models.SET_NULL, related_name="annotations")

    # Anchor: W3C TextQuoteSelector (exact, prefix, suffix) and TextPositionSelector (start, end).
    # An empty quote means the whole paragraph.
    exact = models.TextField("quote", blank=True)
    prefix = models.CharField(max_length=32, blank=True)
    suffix = models.CharField(max_length=32, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    anchor_state = models.CharField(
        max_length=10, choices=AnchorState.choices, default=AnchorState.ANCHORED, db_index=True
    )

    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.CLAIM, db_index=True)
    claim_text = models.TextField("claim as checked", blank=True)
    claimant = models.CharField(max_length=200, blank=True)
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="annotations"
    )
    conclusion = models.CharField(max_length=300, blank=True, help_text="One line: what the check found.")
    body = models.TextField(blank=True, help_text="The fact-check note, context or commentary.")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    modified = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    tags = TaggableManager(blank=True)
    # Filled by the database (PostgreSQL triggers, see articles/search.py); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article", "paragraph__position", "start", "id"]
        permissions = [("publish_annotation", "Can publish annotations")]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(start__lt=F("end")),
                name="annotation_start_before_end",
            ),
            models.CheckConstraint(
                condition=~Q(kind="claim", status="published", rating__isnull=True),
                name="annotation_published_claim_has_rating",
            ),
        ]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        label = self.claim_text or self.exact or self.body
        label = label[:70] + ("…" if len(label) > 70 else "")
        return f"{self.get_kind_display()}: {label}" if label else f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("annotation_detail", args=[self.pk])

    @property
    def anchor(self) -> str:
        return f"a-{self.pk}"

    def editable_by(self, user) -> bool:
        """A published annotation is live: changing it (or taking it down) is publishing."""
        if not user.has_perm("annotations.change_annotation"):
            return False
        return self.status != self.Status.PUBLISHED or user.has_perm("annotations.publish_annotation")

    @property
    def is_whole_paragraph(self) -> bool:
        return not self.exact

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == self.Kind.CLAIM and self.status == self.Status.PUBLISHED and self.rating_id is None:
            errors.setdefault("rating", []).append("A published claim needs a rating.")
        if self.kind != self.Kind.CLAIM and self.rating_id is not None:
            errors.setdefault("rating", []).append("Only claims carry a rating.")
        try:
            self.place_anchor()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def apply_reanchoring(self, outcome: str, selector) -> bool:
        """Take the outcome of re-anchoring onto this (unsaved) annotation; True if anything changed."""
        before = (
            self.paragraph_id,
            self.exact,
            self.prefix,
            self.suffix,
            self.start,
            self.end,
            self.anchor_state,
        )
        if outcome == ORPHANED:
            # The quote stays as a record of what was annotated; the paragraph no longer holds it.
            self.paragraph = None
            self.anchor_state = self.AnchorState.ORPHANED
        elif selector is not None:
            self.exact, self.prefix, self.suffix = selector.exact, selector.prefix, selector.suffix
            self.start, self.end = selector.start, selector.end
            if outcome == MOVED:
                self.anchor_state = self.AnchorState.MOVED
        after = (
            self.paragraph_id,
            self.exact,
            self.prefix,
            self.suffix,
            self.start,
            self.end,
            self.anchor_state,
        )
        return before != after

    def reattach(self, paragraph: Paragraph, exact: str, *, prefix: str = "", suffix: str = "", start=None):
        """Anchor an orphan (or any annotation) to a new passage; raises ValidationError if it does not fit."""
        if paragraph.article_id != self.article_id:
            raise ValidationError({"paragraph": "The paragraph belongs to another article."})
        self.paragraph = paragraph
        self.exact, self.prefix, self.suffix, self.start = exact, prefix, suffix, start
        self.end = None
        self.anchor_state = self.AnchorState.ANCHORED
        self.place_anchor()
        self.save()

    def place_anchor(self) -> None:
        """Fill the selectors from the quote, or explain why the quote does not fit the paragraph."""
        if self.paragraph_id is None:
            if self.anchor_state == self.AnchorState.ORPHANED:
                return
            raise ValidationError({"paragraph": "Choose the paragraph this annotation belongs to."})
        paragraph = self.paragraph
        if self.article_id is None:
            self.article_id = paragraph.article_id
        elif self.article_id != paragraph.article_id:
            raise ValidationError({"paragraph": "The paragraph belongs to another article."})
        if not self.exact:
            self.prefix = self.suffix = ""
            self.start = self.end = None
            return
        try:
            selector = locate(
                paragraph.text, self.exact, prefix=self.prefix, suffix=self.suffix, start=self.start
            )
        except AnchorError as error:
            raise ValidationError({"exact": str(error)}) from None
        self.prefix, self.suffix = selector.prefix, selector.suffix
        self.start, self.end = selector.start, selector.end

    def save(self, *args, **kwargs) -> None:
        # The quote must match the paragraph at save time, whatever path the save came from.
        if self.anchor_state != self.AnchorState.ORPHANED or self.paragraph_id is not None:
            self.place_anchor()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)


class OrphanedAnnotation(Annotation):
    """The admin's "Orphaned annotations" list: annotations whose text changed or went away."""

    class Meta:
        proxy = True
        verbose_name = "orphaned annotation"
        default_permissions = ()


class Citation(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    pinpoint = models.CharField(max_length=200, blank=True, help_text="Page, section or timestamp.")
    quote = models.TextField(blank=True, help_text="The passage of the source relied on.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["annotation", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "source", "pinpoint"], name="citation_unique_source_pinpoint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.pinpoint}".strip()


class Correction(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField(default=timezone.localdate)
    old_rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    new_rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    old_conclusion = models.CharField(max_length=300, blank=True)
    new_conclusion = models.CharField(max_length=300, blank=True)
    note = models.TextField("public note", help_text="Shown to readers beside the claim.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Correction of {self.annotation_id} on {self.date}"


class SearchEntryQuerySet(models.QuerySet):
    def search(self, q) -> SearchEntryQuerySet:
        """Entries whose annotation text or passage matches ``q`` (see articles/search.py)."""
        from articles.search import backend

        return backend().search_entries(self, q)


class SearchEntry(models.Model):
    """The search index: one row per annotation that readers can see, with what search filters on.

    Derived data, rebuilt from the annotations, their articles and tags by annotations/indexing.py
    whenever one of them is saved; ``manage.py rebuild_search_index`` rebuilds all of it. One narrow
    table means a search, its count and its facets each read one index and one table, not five.
    """

    annotation = models.OneToOneField(
        Annotation, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    paragraph = models.ForeignKey(Paragraph, null=True, on_delete=models.SET_NULL, related_name="+")
    start = models.PositiveIntegerField(null=True)
    kind = models.CharField(max_length=6, choices=Annotation.Kind.choices)
    rating = models.ForeignKey(Rating, null=True, on_delete=models.SET_NULL, related_name="+")
    outlet = models.ForeignKey("articles.Outlet", null=True, on_delete=models.SET_NULL, related_name="+")
    author = models.ForeignKey("articles.Author", null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=8, blank=True)
    published_on = models.DateField(null=True)
    year = models.PositiveSmallIntegerField(null=True)
    tag_ids = IdSetField()
    # PostgreSQL: the annotation's own vector (weights A-C) with its passage's (weight D).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"
        default_permissions = ()

    def __str__(self) -> str:
        return f"Search entry for annotation {self.annotation_id}"
