"""The one write step of an import: everything in one transaction, or nothing."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError

from ..models import Article, Author, Outlet, Paragraph
from ..text import new_keys
from .base import ImportProblem, ParsedArticle
from .parse import parse_file
from .uploads import files_kept_with_rows, stored_name

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What happened to one file: created, duplicate (of ``article``) or error (``error`` says why)."""

    filename: str
    status: str  # "created", "duplicate", "replaced" or "error"
    article: Article | None = None
    error: str | None = None
    paragraph_count: int = 0

    CREATED = "created"
    DUPLICATE = "duplicate"
    REPLACED = "replaced"
    ERROR = "error"

    @property
    def ok(self) -> bool:
        return self.status != self.ERROR

    def as_json(self) -> dict:
        article = None
        if self.article is not None:
            a = self.article
            article = {
                "id": a.pk,
                "slug": a.slug,
                "title": a.title,
                "published": a.published_on.isoformat() if a.published_on else None,
                "author": a.author.name if a.author_id else None,
                "language": a.language,
                "paragraphs": self.paragraph_count,
            }
        return {"file": self.filename, "status": self.status, "article": article, "error": self.error}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_duplicate(data: bytes) -> Article | None:
    return Article.objects.select_related("author").filter(sha256=sha256_of(data)).first()


def _outlet_for(parsed: ParsedArticle, outlet: Outlet | None) -> Outlet | None:
    if outlet is not None or not parsed.outlet_name:
        return outlet
    name = parsed.outlet_name[:200]
    return Outlet.objects.filter(name__iexact=name).first() or Outlet.objects.create(name=name)


def _author_for(parsed: ParsedArticle, outlet: Outlet | None) -> Author | None:
    if not parsed.author_name:
        return None
    name = parsed.author_name[:200]
    author = Author.objects.filter(name=name, outlet=outlet).first()
    if author is None:
        author = Author.objects.create(name=name, role=parsed.author_role[:200], outlet=outlet)
    return author


def _write(
    parsed: ParsedArticle, *, data: bytes, filename: str, status: str, outlet: Outlet | None
) -> Article:
    with files_kept_with_rows() as stored:
        outlet = _outlet_for(parsed, outlet)
        article = Article(
            title=parsed.title[:500],
            author=_author_for(parsed, outlet),
            outlet=outlet,
            published_on=parsed.published_on,
            original_url=parsed.original_url if len(parsed.original_url) <= 1000 else "",
            language=parsed.language,
            status=status,
            sha256=sha256_of(data),
            file_size=len(data),
            source_format=parsed.source_format,
            encoding=parsed.encoding,
            import_report=parsed.report(),
        )
        article.original_file.save(stored_name(filename), ContentFile(data), save=False)
        stored.append(article.original_file.name)
        article.save()
        keys = new_keys(len(parsed.paragraphs))
        Paragraph.objects.bulk_create(
            Paragraph(article=article, position=position, role=p.role, text=p.text, key=key)
            for position, (p, key) in enumerate(zip(parsed.paragraphs, keys, strict=True), start=1)
        )
        Article.objects.filter(pk=article.pk).record_change()  # bulk_create records nothing itself
    return article


def import_file(
    filename: str,
    data: bytes,
    *,
    status: str = Article.Status.DRAFT,
    outlet: Outlet | None = None,
    outlet_name: str = "",
) -> ImportResult:
    """Parse, check for a duplicate and save one file's bytes (read with ``uploads.read_upload``).

    Never raises for a bad file: the result says why.
    """
    try:
        if duplicate := find_duplicate(data):
            return ImportResult(
                filename, ImportResult.DUPLICATE, duplicate, None, duplicate.paragraphs.count()
            )
        parsed = parse_file(filename, data)
        if outlet is None and outlet_name:
            parsed.outlet_name = outlet_name
        try:
            article = _write(parsed, data=data, filename=filename, status=status, outlet=outlet)
        except IntegrityError:
            # Another import of the same file committed between the check and the save.
            if duplicate := find_duplicate(data):
                return ImportResult(
                    filename, ImportResult.DUPLICATE, duplicate, None, duplicate.paragraphs.count()
                )
            raise
    except ImportProblem as problem:
        return ImportResult(filename, ImportResult.ERROR, error=str(problem))
    return ImportResult(filename, ImportResult.CREATED, article, None, len(parsed.paragraphs))


def import_file_reporting_failures(filename: str, data: bytes, **options) -> ImportResult:
    """``import_file`` for batches: an unexpected failure becomes this file's error, and the batch goes on."""
    try:
        return import_file(filename, data, **options)
    except Exception:
        logger.exception("Importing %s failed", filename)
        return ImportResult(
            filename,
            ImportResult.ERROR,
            error="An unexpected error stopped this file; nothing was saved for it. The error has been logged.",
        )
