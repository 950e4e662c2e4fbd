from __future__ import annotations

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag as TaggitTag
from taggit.models import TaggedItem

from articles.access import sees_drafts
from articles.changes import Change
from articles.models import Article, ContentQuerySet, Paragraph, record_change
from articles.text import CleanTextMixin
from articles.validators import validate_web_url

from .anchoring import KEPT, MOVED, ORPHANED, AnchorError, Selector, current_span, locate, reanchor
from .normalise import normalise_url

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
ANCHOR_FIELDS = ["paragraph", "exact", "prefix", "suffix", "start", "end", "anchor_state", "modified"]


class RatingQuerySet(models.QuerySet):
    def scale_bounds(self) -> tuple[int | None, int | None]:
        """(worst, best) ordinal values of the scale, for schema.org ratings."""
        bounds = self.exclude(value=None).aggregate(worst=models.Min("value"), best=models.Max("value"))
        return bounds["worst"], bounds["best"]

    def record_change(self) -> Change:
        """The scale shows on every page (badges, the methodology, ratings.css)."""
        rated = Article.objects.filter(
            Q(annotations__rating__in=self)
            | Q(annotations__corrections__old_rating__in=self)
            | Q(annotations__corrections__new_rating__in=self)
        )
        return Article.objects.filter(pk__in=rated.values("pk")).record_change(everything=True)

    def delete(self):
        deleted = super().delete()
        Rating.objects.none().record_change()
        return deleted


class Rating(CleanTextMixin, models.Model):
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

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        Rating.objects.filter(pk=self.pk).record_change()

    def delete(self, *args, **kwargs):
        return Rating.objects.filter(pk=self.pk).delete()

    def is_live(self) -> bool:
        """The scale is public: the methodology page shows every rating."""
        return True

    def has_safe_style(self) -> bool:
        """Whether the colour and slug can go into the stylesheet as they are, whatever wrote them."""
        return bool(HEX_COLOUR.fullmatch(self.colour) and SLUG.fullmatch(self.slug))


class SourceQuerySet(models.QuerySet):
    def cited_publicly(self) -> SourceQuerySet:
        """Sources cited by a published annotation on a published article: live content."""
        return self.filter(
            Exists(
                Citation.objects.filter(source=OuterRef("pk"), annotation__in=Annotation.objects.published())
            )
        )

    def record_change(self) -> Change:
        citing = Annotation.objects.filter(citations__source__in=self.values("pk"))
        return Annotation.objects.filter(pk__in=citing.values("pk")).record_change()

    def delete(self):
        citing = list(
            Annotation.objects.filter(citations__source__in=self.values("pk")).values_list("pk", flat=True)
        )
        deleted = super().delete()
        Annotation.objects.filter(pk__in=citing).record_change()
        return deleted


class Source(CleanTextMixin, models.Model):
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

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    def save(self, *args, **kwargs) -> None:
        self.url = normalise_url(self.url or "") or None
        super().save(*args, **kwargs)
        Source.objects.filter(pk=self.pk).record_change()

    def delete(self, *args, **kwargs):
        return Source.objects.filter(pk=self.pk).delete()

    def is_live(self) -> bool:
        """Cited by a published claim or note: readers see its title and address."""
        return self.pk is not None and Source.objects.filter(pk=self.pk).cited_publicly().exists()

    def validate_unique(self, exclude=None) -> None:
        # Compare the normalised form, so a second spelling of one address is reported as a duplicate.
        if self.url:
            self.url = normalise_url(self.url)
        super().validate_unique(exclude)


class AnnotationQuerySet(ContentQuerySet):
    def published(self) -> AnnotationQuerySet:
        """Published annotations on published articles: what anonymous readers may see."""
        return self.filter(status=Annotation.Status.PUBLISHED, article__status=Article.Status.PUBLISHED)

    def visible_to(self, user) -> AnnotationQuerySet:
        return self.all() if sees_drafts(user) else self.published()

    def claims(self) -> AnnotationQuerySet:
        return self.filter(kind=Annotation.Kind.CLAIM)

    def orphaned(self) -> AnnotationQuerySet:
        return self.filter(anchor_state=Annotation.AnchorState.ORPHANED)

    def record_change(self, **what) -> Change:
        """A change to these annotations (or to what they show: citations, corrections, tags)."""
        rows = list(self.values_list("pk", "article_id"))
        articles = Article.objects.filter(pk__in={article for _pk, article in rows})
        return articles.record_change(annotations={pk for pk, _article in rows}, **what)

    def update(self, **fields) -> int:
        rows = list(self.values_list("pk", "article_id"))
        updated = super().update(**fields)
        Article.objects.filter(pk__in={a for _pk, a in rows}).record_change(
            annotations={pk for pk, _a in rows}
        )
        return updated

    def delete(self):
        rows = list(self.values_list("pk", "article_id"))
        deleted = super().delete()
        Article.objects.filter(pk__in={a for _pk, a in rows}).record_change(
            annotations={pk for pk, _a in rows}
        )
        return deleted

    def reanchor(self, paragraph: Paragraph, old_text: str) -> tuple[dict[str, int], list[Annotation]]:
        """Follow an edit of ``paragraph`` (whose text was ``old_text``); never deletes an annotation.

        Returns how many annotations were kept in place, moved, or orphaned, and those whose anchor changed.
        """
        changed = []
        counts = {KEPT: 0, MOVED: 0, ORPHANED: 0}
        now = timezone.now()
        for annotation in self.filter(paragraph=paragraph).exclude(
            anchor_state=Annotation.AnchorState.ORPHANED
        ):
            if old_text == paragraph.text:
                counts[KEPT] += 1
                continue
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
                changed.append(annotation)
        Annotation.objects.rows().bulk_update(changed, ANCHOR_FIELDS)
        return counts, changed


class Annotation(CleanTextMixin, models.Model):
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
    # Filled by the database (PostgreSQL triggers, annotations migration 0007); unused on SQLite.
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
        indexes = [
            models.Index(fields=["status", "kind"]),
            # The newest change of a published annotation (the sitemap's lastmod).
            models.Index(fields=["modified"], name="annotation_modified"),
        ]

    def __str__(self) -> str:
        label = self.claim_text or self.exact or self.body
        label = label[:70] + ("…" if len(label) > 70 else "")
        return f"{self.get_kind_display()}: {label}" if label else f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("annotation_detail", args=[self.pk])

    @property
    def anchor(self) -> str:
        return f"a-{self.pk}"

    def is_live(self) -> bool:
        """Published: readers may see it (once its article is published), so changing it is publishing."""
        return self.status == self.Status.PUBLISHED

    def current_span(self, text: str) -> tuple[int, int] | None:
        """Where the quote sits in ``text`` now, or None for the whole paragraph (or a quote not found).

        The one way every surface places a span (the reading view, the admin, the exports): the
        stored offsets while they still hold the quote, else the quote found again with its prefix
        and suffix telling repeated occurrences apart. A quote no longer found, or repeated with
        nothing to choose between the occurrences, is shown against the whole paragraph rather
        than against the wrong words.
        """
        return current_span(text, self.exact, self.prefix, self.suffix, self.start, self.end)

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

    def apply_reanchoring(self, outcome: str, selector: Selector | None) -> bool:
        """Take the outcome of re-anchoring onto this (unsaved) annotation; True if anything changed."""
        before = self.anchor_values()
        if outcome == ORPHANED:
            # The quote stays as a record of what was annotated; the paragraph no longer holds it.
            self.paragraph = None
            self.anchor_state = self.AnchorState.ORPHANED
        elif selector is not None:
            self.exact, self.prefix, self.suffix = selector.exact, selector.prefix, selector.suffix
            self.start, self.end = selector.start, selector.end
            if outcome == MOVED:
                self.anchor_state = self.AnchorState.MOVED
        return before != self.anchor_values()

    def anchor_values(self) -> tuple:
        return (
            self.paragraph_id,
            self.exact,
            self.prefix,
            self.suffix,
            self.start,
            self.end,
            self.anchor_state,
        )

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
        record_change({self.article_id}, annotations={self.pk})

    def delete(self, *args, **kwargs):
        return Annotation.objects.filter(pk=self.pk).delete()


class TagQuerySet(models.QuerySet):
    """Tags as readers meet them: only those on published articles or published annotations exist."""

    def public(self) -> TagQuerySet:
        # TagUse (annotations/summaries.py) has a row for every tag on published content.
        return self.filter(use__total__gt=0)

    def visible_to(self, user) -> TagQuerySet:
        return self.all() if sees_drafts(user) else self.public()

    def with_counts(self) -> TagQuerySet:
        """Public tags with how many published articles and annotations carry each (``total`` both)."""
        return self.public().annotate(
            article_count=F("use__articles"),
            annotation_count=F("use__annotations"),
            claim_count=F("use__claims"),
            total=F("use__total"),
        )

    @staticmethod
    def carried_by(tag: TaggitTag, model) -> models.QuerySet:
        """The ids of ``model``'s rows that carry ``tag``, for ``filter(pk__in=...)``.

        Filtering by this subquery, not by ``tags=tag`` (a join), lets PostgreSQL walk the
        model's date index and keep the rows that carry the tag: the newest 20 of a tag on half
        the archive cost 3 ms instead of 200.
        """
        content_type = ContentType.objects.get_for_model(model)
        return TaggedItem.objects.filter(tag=tag, content_type=content_type).values("object_id")

    def found_with(
        self, tag: TaggitTag, user=None, limit: int = 20, sample: int = 500
    ) -> list[tuple[Tag, int]]:
        """Tags found on the same articles or annotations as ``tag``, with how many they share,
        among the ``sample`` articles and annotations that were added last and carry it, so that
        the cost does not grow with the archive.

        The sample is read backwards along the tag's own index (highest ids first, each checked
        for visibility), not in publication order, which would walk the date index and probe
        every row for the tag: 1 ms instead of 40 on a tag carried by half of 100,000 articles.
        Only what ``user`` may see is counted (published content for readers).
        """
        carriers = Q(pk__in=[])
        for visible in (Article.objects.visible_to(user), Annotation.objects.visible_to(user)):
            content_type = ContentType.objects.get_for_model(visible.model)
            latest = list(
                self.carried_by(tag, visible.model)
                .filter(object_id__in=visible.values("pk"))
                .order_by("-object_id")
                .values_list("object_id", flat=True)[:sample]
            )
            carriers |= Q(content_type=content_type, object_id__in=latest)
        counts = list(
            TaggedItem.objects.filter(carriers)
            .exclude(tag=tag)
            .values("tag")
            .annotate(n=models.Count("pk"))
            .order_by("-n", "tag__name")[:limit]
        )
        tags = self.in_bulk([row["tag"] for row in counts])
        return [(tags[row["tag"]], row["n"]) for row in counts if row["tag"] in tags]


class Tag(TaggitTag):
    """django-taggit's tag, with the archive's vocabulary (``Tag.objects.public()``)."""

    objects = TagQuerySet.as_manager()

    class Meta:
        proxy = True
        default_permissions = ()

    def is_live(self) -> bool:
        """Used on published content: readers see its name and its page."""
        return Tag.objects.public().filter(pk=self.pk).exists()


class OrphanedAnnotation(Annotation):
    """The admin's "Orphaned annotations" list: annotations whose text changed or went away."""

    class Meta:
        proxy = True
        verbose_name = "orphaned annotation"
        default_permissions = ()


class AnnotationPartQuerySet(models.QuerySet):
    """Citations and corrections: shown with their annotation, so their changes are its changes."""

    def record_change(self) -> Change:
        return Annotation.objects.filter(pk__in=self.values("annotation_id")).record_change()

    def delete(self):
        owners = list(self.values_list("annotation_id", flat=True))
        deleted = super().delete()
        Annotation.objects.filter(pk__in=owners).record_change()
        return deleted


class AnnotationPart(CleanTextMixin, models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        Annotation.objects.filter(pk=self.annotation_id).record_change()

    def delete(self, *args, **kwargs):
        return type(self).objects.filter(pk=self.pk).delete()

    def is_live(self) -> bool:
        return self.annotation_id is not None and self.annotation.is_live()


class Citation(AnnotationPart):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    pinpoint = models.CharField(max_length=200, blank=True, help_text="Page, section or timestamp.")
    quote = models.TextField(blank=True, help_text="The passage of the source relied on.")
    order = models.PositiveSmallIntegerField(default=0)

    objects = AnnotationPartQuerySet.as_manager()

    class Meta:
        ordering = ["annotation", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["annotation", "source", "pinpoint"], name="citation_unique_source_pinpoint"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.pinpoint}".strip()


class Correction(AnnotationPart):
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

    objects = AnnotationPartQuerySet.as_manager()

    class Meta:
        ordering = ["annotation", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Correction of {self.annotation_id} on {self.date}"


class Tally(models.Model):
    """A count readers see on list pages (published articles, annotations, claims, articles per
    language), kept current by ``annotations/summaries.py`` so that no page counts the archive."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class TagUse(models.Model):
    """How many published articles, annotations and claims carry a tag, kept current by
    ``annotations/summaries.py``. A tag without a row is on nothing readers can see."""

    tag = models.OneToOneField(TaggitTag, primary_key=True, on_delete=models.CASCADE, related_name="use")
    articles = models.PositiveIntegerField(default=0)
    annotations = models.PositiveIntegerField(default=0)
    claims = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.tag_id}: {self.total}"
