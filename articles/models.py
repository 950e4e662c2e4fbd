from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from . import changes
from .access import sees_drafts
from .changes import Change
from .text import CleanTextMixin, new_key, unique_slug
from .validators import validate_web_url


class ContentQuerySet(models.QuerySet):
    """A QuerySet of content readers see: ``update()`` and ``delete()`` record the change.

    ``rows()`` is the same rows through a plain QuerySet, for a bulk writer that records one change
    for its whole write itself (``record_change()``) instead of one per statement.
    """

    def rows(self) -> models.QuerySet:
        return models.QuerySet(self.model, query=self.query.chain(), using=self._db)

    def tags(self):
        """The tags these rows carry."""
        items = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id__in=self.values("pk")
        )
        return Tag.objects.filter(pk__in=items.values("tag_id"))


class PublicQuerySet(models.QuerySet):
    """Outlets and authors: public once they have a published article, so an import in progress
    reveals no names; staff see them all."""

    article_field: str

    def public(self):
        return self.filter(Exists(Article.objects.published().filter(**{self.article_field: OuterRef("pk")})))

    def visible_to(self, user):
        return self.all() if sees_drafts(user) else self.public()

    def record_change(self) -> Change:
        """Their names show on their articles' pages and on the lists."""
        articles = Article.objects.filter(**{f"{self.article_field}__in": self.values("pk")})
        return articles.record_change(own_rows=True)


class OutletQuerySet(PublicQuerySet):
    article_field = "outlet"


class AuthorQuerySet(PublicQuerySet):
    article_field = "author"


class NamedPublicModel(CleanTextMixin, models.Model):
    """Outlets and authors: a slug from the name, and a change of either is a change of their articles."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)
        type(self).objects.filter(pk=self.pk).record_change()


class Outlet(NamedPublicModel):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    homepage = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    country = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    objects = OutletQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outlet_detail", args=[self.slug])


class Author(NamedPublicModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    role = models.CharField(max_length=200, blank=True, help_text='For example "International observer".')
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="authors"
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name

    def get_absolute_url(self) -> str:
        return reverse("author_detail", args=[self.slug])


class ArticleQuerySet(ContentQuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user) -> ArticleQuerySet:
        """Everything for staff (previews), only published articles for everyone else."""
        return self.all() if sees_drafts(user) else self.published()

    def record_change(self, **what) -> Change:
        """Record a change of these articles (``record_change`` below)."""
        return record_change(set(self.values_list("pk", flat=True)), **what)

    def update(self, **fields) -> int:
        ids = set(self.values_list("pk", flat=True))
        updated = super().update(**fields)
        record_change(ids, own_rows=True)
        return updated

    def delete(self):
        ids = set(self.values_list("pk", flat=True))
        deleted = super().delete()
        changes.record(Change(articles=ids, article_rows=ids))
        return deleted


class Article(CleanTextMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Format(models.TextChoices):
        TEXT = "text", "Plain text"
        HTML = "html", "HTML"
        MARKDOWN = "markdown", "Markdown"
        DOCX = "docx", "Word (.docx)"

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=140, unique=True, blank=True)
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    published_on = models.DateField("date of publication", null=True, blank=True, db_index=True)
    original_url = models.URLField("original URL", max_length=1000, blank=True, validators=[validate_web_url])
    language = models.CharField(
        max_length=8,
        blank=True,
        db_index=True,  # also lets search list the languages in use without reading every article
        validators=[RegexValidator(r"^[a-z]{2,3}$", "Use an ISO 639-1 language code such as en or ru.")],
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    tags = TaggableManager(blank=True)

    # Provenance: the file exactly as uploaded, and what the importer made of it.
    original_file = models.FileField(upload_to="originals/%Y/%m/", blank=True, max_length=300)
    sha256 = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    file_size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    source_format = models.CharField(max_length=10, choices=Format.choices, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    import_report = models.JSONField(default=dict, blank=True)
    # Fetched pages: when, what the server answered, and the exchange kept as a WARC record.
    fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    http_status = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True, editable=False)
    content_type = models.CharField(max_length=100, blank=True, editable=False)
    warc_file = models.FileField("WARC record", upload_to="warc/%Y/%m/", blank=True, max_length=300)
    # How a repeat is recognised: the address (validators.canonical_url) and the text (text.text_hash).
    canonical_url = models.CharField(max_length=1000, blank=True, db_index=True, editable=False)
    text_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When anything shown on the article's page last changed (ArticleQuerySet.record_change):
    # its Last-Modified, its ETag with updated_at, and the sitemap's lastmod.
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Filled by the database (PostgreSQL triggers, annotations migration 0007); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        permissions = [("publish_article", "Can publish and withdraw articles")]
        # When the archive last changed (sitemaps.latest_change): the newest of each, from its index.
        indexes = [
            models.Index(fields=["updated_at"], name="article_updated"),
            models.Index(fields=["content_changed_at"], name="article_content_changed"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.save_row(*args, **kwargs)
        record_change({self.pk}, own_rows=True)

    def save_row(self, *args, **kwargs) -> None:
        """Save the row without recording a change: for a writer that records one change for the
        article and its paragraphs together once they are all written (the importer)."""
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        return Article.objects.filter(pk=self.pk).delete()

    def get_absolute_url(self) -> str:
        return reverse("article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def is_live(self) -> bool:
        """Published: readers see it, so changing it is publishing."""
        return self.is_published


class ParagraphQuerySet(ContentQuerySet):
    def published(self) -> ParagraphQuerySet:
        return self.filter(article__status=Article.Status.PUBLISHED)

    def update(self, **fields) -> int:
        rows = list(self.values_list("pk", "article_id", "text"))
        updated = super().update(**fields)
        texts = dict(Paragraph.objects.filter(pk__in=[pk for pk, _a, _t in rows]).values_list("pk", "text"))
        edited = {pk: text for pk, _article, text in rows if texts.get(pk, text) != text}
        Article.objects.filter(pk__in={a for _pk, a, _t in rows}).record_change(edited=edited)
        return updated

    def delete(self):
        """Delete these paragraphs; their annotations become orphans (the followers see to it first)."""
        rows = list(self.values_list("pk", "article_id"))
        if rows:
            Article.objects.filter(pk__in={article for _pk, article in rows}).record_change(
                removed={pk for pk, _article in rows}
            )
        return super().delete()


class Paragraph(CleanTextMixin, models.Model):
    class Role(models.TextChoices):
        LEDE = "lede", "Lede"
        BODY = "body", "Body"
        QUOTE = "quote", "Quote"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField()
    role = models.CharField(max_length=5, choices=Role.choices, default=Role.BODY)
    text = models.TextField()
    # Stable for the life of the paragraph: permalinks are #p-<key>.
    key = models.CharField(max_length=16, default=new_key, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # The article's date of publication, copied by PostgreSQL triggers (articles migration 0009)
    # so that a search reads a word's matches one date range at a time; unused on SQLite.
    search_date = models.DateField(null=True, editable=False)

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="paragraph_unique_position"),
            models.UniqueConstraint(fields=["article", "key"], name="paragraph_unique_key"),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        paragraph = super().from_db(db, field_names, values)
        # The text as stored, so save() can tell an edit (which re-anchors annotations) from other saves.
        if "text" in field_names:
            paragraph._stored_text = paragraph.text
        return paragraph

    def save(self, *args, **kwargs) -> None:
        before = None
        if self.pk is not None and not self._state.adding:
            before = getattr(self, "_stored_text", None)
            if before is None:
                before = Paragraph.objects.filter(pk=self.pk).values_list("text", flat=True).first()
        super().save(*args, **kwargs)
        self._stored_text = self.text
        edited = {self.pk: before} if before is not None and before != self.text else {}
        record_change({self.article_id}, edited=edited)

    def delete(self, *args, **kwargs):
        return Paragraph.objects.filter(pk=self.pk).delete()

    def __str__(self) -> str:
        snippet = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"{self.article.title[:40]} ¶{self.position}: {snippet}"

    @property
    def anchor(self) -> str:
        return f"p-{self.key}"

    def is_live(self) -> bool:
        return self.article.is_live()

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"


def record_change(article_ids: set[int], *, own_rows: bool = False, **what) -> Change:
    """The one path every change to what readers see takes (``articles/changes.py``).

    Sets the articles' ``content_changed_at``, then hands the change to the followers
    (re-anchoring, the search index) and purges the cached pages. ``what`` names more of the
    change: annotations, edited, added or removed paragraphs, ``everything``, ``bulk``.
    ``own_rows`` says the articles' own rows changed (their status, date, outlet...), which
    whatever copies them (the search index) must follow. ``ArticleQuerySet.record_change()`` and
    every model's ``save()`` and ``delete()`` end here.
    """
    if article_ids:
        Article.objects.filter(pk__in=article_ids).rows().update(content_changed_at=timezone.now())
    rows = set(article_ids) if own_rows else set()
    return changes.record(Change(articles=set(article_ids), article_rows=rows, **what))


from .importjobs import ImportItem, ImportJob  # noqa: E402  (they refer to Article)

__all__ = ["Article", "Author", "ImportItem", "ImportJob", "Outlet", "Paragraph", "record_change"]
