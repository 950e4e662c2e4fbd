"""The one write step of an import: everything in one transaction, or nothing."""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

import htmldate
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from .. import changes
from ..changes import Change
from ..models import Article, Author, Outlet, Paragraph
from ..text import new_keys, text_hash
from ..validators import canonical_url
from .base import ImportProblem, ParsedArticle
from .fetch import Fetched, FetchProblem, fetch
from .parse import parse_file
from .uploads import files_kept_with_rows, stored_name
from .warc import warc_bytes

logger = logging.getLogger(__name__)
SLUG_ATTEMPTS = 3


@dataclass
class ImportResult:
    """What happened to one file or page: created, duplicate (of ``article``), offered (a new text
    of ``article``, not saved) or error (``error`` says why). ``message`` says more, for people."""

    filename: str
    status: str  # "created", "duplicate", "offered", "replaced" or "error"
    article: Article | None = None
    error: str | None = None
    paragraph_count: int = 0
    message: str = ""

    CREATED = "created"
    DUPLICATE = "duplicate"
    OFFERED = "offered"
    REPLACED = "replaced"
    ERROR = "error"

    @property
    def ok(self) -> bool:
        return self.status != self.ERROR

    def as_json(self) -> dict:
        """One line of ``import_articles --json``: status is created, duplicate, replaced or error; a
        new version offered is a duplicate with ``"offered": true`` and a ``message``."""
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
        line = {
            "file": self.filename,
            "status": self.DUPLICATE if self.status == self.OFFERED else self.status,
            "article": article,
            "error": self.error,
        }
        if self.status == self.OFFERED:
            line.update(offered=True, message=self.message)
        return line


@dataclass
class Prepared:
    """A file or page parsed and checked against the archive, not yet saved (``commit`` saves it).

    ``repeat`` is set when nothing should be created: the result saying which article it repeats.
    """

    filename: str
    data: bytes
    parsed: ParsedArticle | None = None
    text_hash: str = ""
    canonical_url: str = ""
    fetched: Fetched | None = None
    repeat: ImportResult | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_duplicate(data: bytes) -> Article | None:
    return Article.objects.select_related("author").filter(sha256=sha256_of(data)).first()


def _repeat(filename: str, status: str, article: Article, message: str) -> ImportResult:
    return ImportResult(filename, status, article, None, article.paragraphs.count(), message)


def _named(article: Article) -> str:
    return f"#{article.pk} “{article.title}”"


def prepare(filename: str, data: bytes, *, fetched: Fetched | None = None, outlet_name: str = "") -> Prepared:
    """Parse ``data`` and look for the article it repeats: the same file, the same text after
    normalisation (``text.text_hash``), or the same address with a changed text (offered as a
    corrected version, never a second article). Reads only; raises ``ImportProblem``."""
    prepared = Prepared(filename, data, fetched=fetched)
    parsed = parse_file(filename, data)
    addresses = [parsed.original_url]  # the file's own address, or a page's canonical link
    if fetched is not None:
        page_metadata(parsed, fetched)
        addresses += [fetched.url, fetched.final_url]
    if not parsed.outlet_name and outlet_name:
        parsed.outlet_name = outlet_name
    prepared.parsed = parsed
    prepared.text_hash = text_hash([p.text for p in parsed.paragraphs])
    prepared.canonical_url = canonical_url(parsed.original_url)
    sha256 = sha256_of(data)
    keys = {key for key in map(canonical_url, addresses) if key}
    # One query for the three kinds of repeat (each column indexed), told apart here.
    which = Q(sha256=sha256) | Q(text_hash=prepared.text_hash)
    if keys:
        which |= Q(canonical_url__in=keys)
    known = list(Article.objects.select_related("author").filter(which).order_by("pk")[:20])
    if same_file := next((a for a in known if a.sha256 == sha256), None):
        prepared.repeat = _repeat(
            filename,
            ImportResult.DUPLICATE,
            same_file,
            f"The same file was imported before as {_named(same_file)}.",
        )
    elif same_text := next((a for a in known if a.text_hash == prepared.text_hash), None):
        prepared.repeat = _repeat(
            filename,
            ImportResult.DUPLICATE,
            same_text,
            f"The same text is already in the archive as {_named(same_text)}.",
        )
    elif known:
        prepared.repeat = _repeat(
            filename,
            ImportResult.OFFERED,
            known[0],
            f"{_named(known[0])} was imported from this address before and its text has changed: "
            "the new text is offered as a corrected version of it.",
        )
    return prepared


def page_metadata(parsed: ParsedArticle, fetched: Fetched) -> None:
    """What the page's address adds: it is the article's original, and htmldate reads dates from
    the address and the whole page when trafilatura found none in the article's markup."""
    parsed.original_url = fetched.final_url if len(fetched.final_url) <= 1000 else ""
    if parsed.published_on is None:
        try:
            found = htmldate.find_date(
                fetched.body, url=fetched.final_url, original_date=True, extensive_search=False
            )
        except Exception:  # htmldate raises lxml errors on broken markup, like trafilatura
            found = None
        if found:
            parsed.published_on = datetime.date.fromisoformat(found)


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


def page_file_name(url: str) -> str:
    """A stored page's name, from its address: ``example.org-2024-05-column.html``."""
    rest = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    return stored_name(slugify(rest.replace("/", "-").replace(".", "-"))[:80] + ".html")


def _write(prepared: Prepared, *, stored: list[str], status: str, outlet: Outlet | None) -> Article:
    parsed, data, fetched = prepared.parsed, prepared.data, prepared.fetched
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
        canonical_url=prepared.canonical_url[:1000],
        text_hash=prepared.text_hash,
    )
    name = page_file_name(fetched.final_url) if fetched else stored_name(prepared.filename)
    article.original_file.save(name, ContentFile(data), save=False)
    stored.append(article.original_file.name)
    if fetched is not None:
        article.fetched_at = fetched.fetched_at
        article.http_status = fetched.status
        article.content_type = fetched.content_type[:100]
        article.import_report["fetched"] = {
            "url": fetched.url,
            "final_url": fetched.final_url,
            "redirects": fetched.redirects,
            "ip_address": fetched.ip_address,
        }
        record = warc_bytes(fetched, user_agent=settings.GLOSSA_FETCH_USER_AGENT)
        article.warc_file.save(name.removesuffix(".html") + ".warc.gz", ContentFile(record), save=False)
        stored.append(article.warc_file.name)
    article.content_changed_at = timezone.now()
    article.save_row()
    keys = new_keys(len(parsed.paragraphs))
    Paragraph.objects.bulk_create(
        Paragraph(article=article, position=position, role=p.role, text=p.text, key=key)
        for position, (p, key) in enumerate(zip(parsed.paragraphs, keys, strict=True), start=1)
    )
    # One change for the article and its paragraphs (save_row and bulk_create record none). The
    # row is new: its content_changed_at is set above, nothing copies it yet (no annotations, so no
    # search entries), and no page of its own was cached. A published one changes the lists and
    # the counts (its own row, for the summaries); a draft shows nowhere yet.
    shown = {article.pk} if article.status == Article.Status.PUBLISHED else set()
    changes.record(Change(articles={article.pk}, created={article.pk}, article_rows=shown))
    return article


def commit(
    prepared: Prepared, *, stored: list[str], status: str = Article.Status.DRAFT, outlet: Outlet | None = None
) -> ImportResult:
    """Save a prepared article, inside the caller's ``uploads.files_kept_with_rows()`` block (its
    stored files go into ``stored``). A repeat is returned as it is; nothing is written for it."""
    if prepared.repeat is not None:
        return prepared.repeat
    for attempt in range(SLUG_ATTEMPTS):
        mark = len(stored)
        try:
            with transaction.atomic():
                article = _write(prepared, stored=stored, status=status, outlet=outlet)
            break
        except IntegrityError:
            for name in stored[mark:]:  # this attempt's files went with its rows
                default_storage.delete(name)
            del stored[mark:]
            # Another import of the same file committed between the check and the save.
            if duplicate := find_duplicate(prepared.data):
                return _repeat(
                    prepared.filename,
                    ImportResult.DUPLICATE,
                    duplicate,
                    f"The same file was imported before as {_named(duplicate)}.",
                )
            # Or another worker took the same slug at the same moment: a new slug is chosen.
            if attempt == SLUG_ATTEMPTS - 1:
                raise
    return ImportResult(
        prepared.filename, ImportResult.CREATED, article, None, len(prepared.parsed.paragraphs)
    )


def import_file(
    filename: str,
    data: bytes,
    *,
    status: str = Article.Status.DRAFT,
    outlet: Outlet | None = None,
    outlet_name: str = "",
    fetched: Fetched | None = None,
) -> ImportResult:
    """Parse, check for a repeat and save one file's bytes (read with ``uploads.read_upload``) or
    one fetched page (``fetched``, its body in ``data``).

    Never raises for a bad file: the result says why.
    """
    try:
        prepared = prepare(filename, data, fetched=fetched, outlet_name="" if outlet else outlet_name)
        with files_kept_with_rows() as stored:
            return commit(prepared, stored=stored, status=status, outlet=outlet)
    except ImportProblem as problem:
        return ImportResult(filename, ImportResult.ERROR, error=str(problem))


def import_url(url: str, **options) -> ImportResult:
    """Fetch a page (``fetch.fetch``, outside any transaction) and import it as ``import_file`` does."""
    try:
        fetched = fetch(url)
    except FetchProblem as problem:
        return ImportResult(url, ImportResult.ERROR, error=str(problem))
    return import_file(url, fetched.body, fetched=fetched, **options)


def reporting_failures(function, name: str, *args, **options) -> ImportResult:
    """``import_file`` or ``import_url`` for batches: an unexpected failure becomes this item's
    error, and the batch goes on."""
    try:
        return function(name, *args, **options)
    except Exception:
        logger.exception("Importing %s failed", name)
        return ImportResult(
            name,
            ImportResult.ERROR,
            error="An unexpected error stopped this file; nothing was saved for it. The error has been logged.",
        )


def import_file_reporting_failures(filename: str, data: bytes, **options) -> ImportResult:
    return reporting_failures(import_file, filename, data, **options)
