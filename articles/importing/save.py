"""The one write step of an import: everything in one transaction, or nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename

from ..models import Article, Author, Outlet, Paragraph
from .base import ParsedArticle


@dataclass
class SaveResult:
    article: Article
    created: bool  # False: the same file was imported before, ``article`` is that import


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_duplicate(data: bytes) -> Article | None:
    return Article.objects.filter(sha256=sha256_of(data)).first()


def save_parsed(
    parsed: ParsedArticle,
    *,
    data: bytes,
    filename: str,
    status: str = Article.Status.DRAFT,
    outlet: Outlet | None = None,
) -> SaveResult:
    digest = sha256_of(data)
    if existing := Article.objects.filter(sha256=digest).first():
        return SaveResult(existing, created=False)

    article = None
    try:
        with transaction.atomic():
            if outlet is None and parsed.outlet_name:
                outlet, _ = Outlet.objects.get_or_create(name=parsed.outlet_name[:200])
            author = None
            if parsed.author_name:
                author = Author.objects.filter(name=parsed.author_name, outlet=outlet).first()
                if author is None:
                    author = Author.objects.create(
                        name=parsed.author_name[:200], role=parsed.author_role[:200], outlet=outlet
                    )
            article = Article(
                title=parsed.title[:500],
                author=author,
                outlet=outlet,
                published_on=parsed.published_on,
                original_url=parsed.original_url[:1000],
                language=parsed.language,
                status=status,
                sha256=digest,
                file_size=len(data),
                source_format=parsed.source_format,
                encoding=parsed.encoding,
                import_report=parsed.report(),
            )
            article.original_file.save(
                get_valid_filename(filename.rsplit("/", 1)[-1]) or "upload", ContentFile(data), save=False
            )
            article.save()
            Paragraph.objects.bulk_create(
                Paragraph(article=article, position=position, role=p.role, text=p.text)
                for position, p in enumerate(parsed.paragraphs, start=1)
            )
    except Exception:
        if article is not None and article.original_file:
            article.original_file.delete(save=False)
        raise
    return SaveResult(article, created=True)
