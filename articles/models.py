from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from .text import new_key, unique_slug
from .validators import validate_web_url


class Outlet(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    homepage = models.URLField(max_length=500, blank=True, validators=[validate_web_url])
    country = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Outlet, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("outlet_detail", args=[self.slug])


class Author(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    role = models.CharField(max_length=200, blank=True, help_text='For example "International observer".')
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.SET_NULL, related_name="authors"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Author, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("author_detail", args=[self.slug])


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PUBLISHED)

    def visible_to(self, user) -> ArticleQuerySet:
        """Everything for staff (previews), only published articles for everyone else."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()

    def touch(self) -> int:
        """Record that something shown on these articles' pages changed (new ETag, fresh render)."""
        return self.update(content_changed_at=timezone.now())

    def search(self, q: str) -> ArticleQuerySet:
        """Articles whose title or one of whose paragraphs matches ``q`` (see articles/search.py)."""
        from .search import backend

        return backend().search_articles(self, q)


class Article(models.Model):
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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set by signals when a paragraph, annotation, citation, source, correction, rating or tag
    # shown on the article's page changes; with updated_at it is the page's cache validator.
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Filled by the database (PostgreSQL triggers, see articles/search.py); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        permissions = [("publish_article", "Can publish and withdraw articles")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("article_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ParagraphQuerySet(models.QuerySet):
    def published(self) -> ParagraphQuerySet:
        return self.filter(article__status=Article.Status.PUBLISHED)

    def search(self, q: str) -> ParagraphQuerySet:
        from .search import backend

        return backend().search_paragraphs(self, q)


class Paragraph(models.Model):
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

    objects = ParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="paragraph_unique_position"),
            models.UniqueConstraint(fields=["article", "key"], name="paragraph_unique_key"),
            models.CheckConstraint(condition=~Q(text=""), name="paragraph_text_not_empty"),
        ]

    def __str__(self) -> str:
        snippet = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"{self.article.title[:40]} ¶{self.position}: {snippet}"

    @property
    def anchor(self) -> str:
        return f"p-{self.key}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#{self.anchor}"
