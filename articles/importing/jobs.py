"""Import jobs: create one, list its items (a feed's entries, a zip's files), and import them.

Each item is read or fetched outside any transaction; then one transaction checks that the item
is still pending (``select_for_update(skip_locked=True)``: a second worker on the same item moves
on), saves the article and marks the item. A worker stopped halfway leaves finished items
finished and the item it was on pending, with nothing half-saved; ``resume`` carries on.

A job's items are split between ``GLOSSA_IMPORT_WORKERS`` tasks (by position), so several
workers share one large job. Pages are fetched ``GLOSSA_FETCH_CONCURRENCY`` at a time.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePosixPath

import feedparser
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .. import changes
from ..models import Article, ImportItem, ImportJob, Outlet
from .base import ImportProblem
from .fetch import FEED_TYPES, FetchProblem, fetch
from .parse import parse_file
from .replace import replace_article_text
from .save import ImportResult, Prepared, commit, prepare
from .uploads import delete_stored, files_kept_with_rows, human_size, stored_name

logger = logging.getLogger(__name__)

CHUNK = 50  # items between page-cache purges
UNEXPECTED = "An unexpected error stopped this {}; nothing was saved for it. The error has been logged."
OnResult = Callable[[ImportItem, ImportResult], None]


# Creating ---------------------------------------------------------------------------------------


def create_job(
    kind: str,
    *,
    user=None,
    status: str = Article.Status.DRAFT,
    outlet: Outlet | None = None,
    outlet_name: str = "",
    urls: Iterable[str] = (),
    feed_url: str = "",
    files: Iterable[tuple[str, bytes | ImportProblem]] = (),
    zip_file=None,
) -> ImportJob:
    """A queued job with its items (addresses or files) or its source (a feed, a zip) stored."""
    with files_kept_with_rows() as stored:
        job = ImportJob.objects.create(
            kind=kind,
            created_by=user,
            target_status=status,
            outlet=outlet,
            outlet_name=outlet_name,
            source_url=feed_url,
            expanded=kind in {ImportJob.Kind.URLS, ImportJob.Kind.FILES},
        )
        items = [ImportItem(job=job, position=n, source=url) for n, url in enumerate(urls, start=1)]
        for n, (name, data) in enumerate(files, start=1):
            if isinstance(data, ImportProblem):  # refused before reading (too large): reported as is
                items.append(
                    ImportItem(
                        job=job, position=n, source=name, state=ImportItem.State.ERROR, message=str(data)
                    )
                )
                continue
            path = default_storage.save(f"imports/{job.pk}/{n}-{stored_name(name)}", ContentFile(data))
            stored.append(path)
            items.append(ImportItem(job=job, position=n, source=name, stored_name=path))
        ImportItem.objects.bulk_create(items)
        if zip_file is not None:
            job.source_file.save(stored_name(zip_file.name), zip_file, save=True)
            stored.append(job.source_file.name)
    return job


def start(job: ImportJob) -> None:
    """Put the job on the task queue (``articles.tasks``)."""
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def resume(job: ImportJob) -> bool:
    """Queue an unfinished job again (after a worker was stopped); finished items stay finished."""
    if not job.items.filter(state=ImportItem.State.PENDING).exists() and job.expanded:
        if job.state != ImportJob.State.FINISHED:
            _finish(job.pk)
        return False
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED, error="", finished_at=None)
    start(job)
    return True


def retry_failed(job: ImportJob) -> int:
    """Put the job's failed items back in the queue and run it again."""
    count = job.items.filter(state=ImportItem.State.ERROR).update(state=ImportItem.State.PENDING, message="")
    if count or not job.expanded:
        resume(job)
    return count


# Running ----------------------------------------------------------------------------------------


def run(job_id: int, *, on_result: OnResult | None = None, parts: int | None = None) -> None:
    """Run a job in this process: list its items if not yet done, then import them.

    With ``parts`` above 1 (``GLOSSA_IMPORT_WORKERS`` from the task queue), the other parts go to
    the queue as tasks of their own and this process imports the first.
    """
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now(), finished_at=None
    )
    job = ImportJob.objects.select_related("outlet", "created_by").get(pk=job_id)
    try:
        if not job.expanded:
            expand(job)
    except ImportProblem as problem:
        ImportJob.objects.filter(pk=job_id).update(
            state=ImportJob.State.FAILED, error=str(problem), finished_at=timezone.now()
        )
        return
    parts = parts or 1
    if parts > 1:
        for part in range(1, parts):
            run_import_part.enqueue(job_id, part, parts)
    run_part(job, 0, parts, on_result=on_result)


def run_part(job: ImportJob | int, part: int, parts: int, *, on_result: OnResult | None = None) -> None:
    """Import the pending items whose position falls to ``part`` of ``parts``."""
    if not isinstance(job, ImportJob):
        job = ImportJob.objects.select_related("outlet", "created_by").get(pk=job)
    pending = job.items.filter(state=ImportItem.State.PENDING).order_by("position")
    if parts > 1:
        pending = pending.annotate(part=F("position") % parts).filter(part=part)
    ids = list(pending.values_list("pk", flat=True))
    with _reader(job) as read:
        for start_at in range(0, len(ids), CHUNK):
            items = list(
                ImportItem.objects.filter(pk__in=ids[start_at : start_at + CHUNK]).order_by("position")
            )
            with changes.purges_deferred():
                for item, loaded in read(items):
                    result = _save(job, item, loaded)
                    if result is not None and on_result is not None:
                        on_result(item, result)
    if not job.items.filter(state=ImportItem.State.PENDING).exists():
        _finish(job.pk)


# A job that created at least this many articles brings the planner's statistics up to date when it
# finishes, so that the reader pages stay fast without waiting for autovacuum.
ANALYZE_AFTER = 1000


def _finish(job_id: int) -> None:
    finished = (
        ImportJob.objects.filter(pk=job_id)
        .exclude(state=ImportJob.State.FAILED)
        .update(state=ImportJob.State.FINISHED, finished_at=timezone.now())
    )
    created = ImportItem.objects.filter(job_id=job_id, state=ImportItem.State.CREATED).count()
    if finished and created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article, articles_paragraph, taggit_taggeditem")


def expand(job: ImportJob) -> None:
    """List a feed's entries or a zip's files as items, once (in one transaction)."""
    if job.kind == ImportJob.Kind.FEED:
        sources = feed_links(job.source_url)
    elif job.kind == ImportJob.Kind.ZIP:
        sources = zip_members(job.source_file.name)
    else:
        sources = iter(())
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.expanded:
            return
        batch, position = [], 0
        for position, source in enumerate(sources, start=1):
            batch.append(ImportItem(job=job, position=position, source=source[:1000]))
            if len(batch) >= 500:
                ImportItem.objects.bulk_create(batch)
                batch = []
        ImportItem.objects.bulk_create(batch)
        if position == 0:
            raise ImportProblem(
                "The feed has no entries." if job.kind == job.Kind.FEED else "The zip has no files."
            )
        ImportJob.objects.filter(pk=job.pk).update(expanded=True)
    job.expanded = True


def feed_links(url: str) -> Iterator[str]:
    """The address of every entry of an RSS or Atom feed, in the feed's order."""
    try:
        fetched = fetch(url, accept=FEED_TYPES)
    except FetchProblem as problem:
        raise ImportProblem(f"The feed could not be fetched: {problem}") from None
    feed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.final_url})
    if feed.bozo and not feed.entries:
        raise ImportProblem(f"The feed could not be read: {feed.get('bozo_exception', 'not RSS or Atom')}.")
    seen = set()
    for entry in feed.entries:
        link = (entry.get("link") or "").strip()
        if link and link not in seen:
            seen.add(link)
            yield link


def zip_members(name: str) -> Iterator[str]:
    """The files in a stored zip, read from its central directory (the archive is never read whole)."""
    try:
        with default_storage.open(name, "rb") as stored, zipfile.ZipFile(stored) as archive:
            members = [
                info.filename
                for info in archive.infolist()
                if not info.is_dir()
                and not any(part.startswith((".", "__MACOSX")) for part in PurePosixPath(info.filename).parts)
            ]
    except zipfile.BadZipFile:
        raise ImportProblem("The file is not a zip archive (or it is damaged).") from None
    yield from members


# Reading and fetching items -------------------------------------------------------------------


@dataclass
class Loaded:
    name: str
    prepared: Prepared | None = None
    error: str = ""


def _load(job: ImportJob, name: str, data_or_fetch: Callable[[], tuple[bytes, object]]) -> Loaded:
    """Read or fetch, then parse and check one item, catching everything: an item never stops a job."""
    try:
        data, fetched = data_or_fetch()
        prepared = prepare(name, data, fetched=fetched, outlet_name="" if job.outlet_id else job.outlet_name)
    except ImportProblem as problem:
        return Loaded(name, error=str(problem))
    except Exception:
        logger.exception("Importing %s failed (import job %s)", name, job.pk)
        return Loaded(name, error=_unexpected(job))
    return Loaded(name, prepared)


@contextmanager
def _reader(job: ImportJob):
    """A function from a chunk of items to (item, Loaded) pairs, in order."""
    if job.kind in {ImportJob.Kind.URLS, ImportJob.Kind.FEED}:
        with ThreadPoolExecutor(max_workers=max(1, settings.GLOSSA_FETCH_CONCURRENCY)) as pool:

            def fetch_page(item: ImportItem):
                try:
                    return item, fetch(item.source), None
                except Exception as error:  # reported by _load, in this thread
                    return item, None, error

            def fetched(page, error):
                if error is not None:
                    raise error
                return page.body, page

            # Only the fetching happens in the pool (network, no database); parsing, the checks
            # against the archive and saving happen in this thread, in the items' order.
            yield lambda items: (
                (item, _load(job, item.source, lambda page=page, error=error: fetched(page, error)))
                for item, page, error in pool.map(fetch_page, items)
            )
    elif job.kind == ImportJob.Kind.ZIP:
        with default_storage.open(job.source_file.name, "rb") as stored, zipfile.ZipFile(stored) as archive:
            yield lambda items: (
                (item, _load(job, item.source, _zip_reader(archive, item.source))) for item in items
            )
    else:
        yield lambda items: (
            (item, _load(job, item.source, _stored_reader(item.stored_name))) for item in items
        )


def _zip_reader(archive: zipfile.ZipFile, member: str):
    def read():
        limit = settings.GLOSSA_MAX_UPLOAD_BYTES
        info = archive.getinfo(member)
        if info.file_size > limit:
            raise ImportProblem(
                f"The file is {human_size(info.file_size)} unpacked, over the {human_size(limit)} limit for imports."
            )
        with archive.open(info) as member_file:
            data = member_file.read(limit + 1)  # the header's size may lie
        if len(data) > limit:
            raise ImportProblem(f"The file is over the {human_size(limit)} limit for imports once unpacked.")
        return data, None

    return read


def _stored_reader(name: str):
    def read():
        try:
            with default_storage.open(name, "rb") as stored:
                return stored.read(), None
        except FileNotFoundError:
            raise ImportProblem("The uploaded file is missing from storage.") from None

    return read


# Saving -----------------------------------------------------------------------------------------


def _save(job: ImportJob, item: ImportItem, loaded: Loaded) -> ImportResult | None:
    """Save one item's article and mark the item, in one transaction; None if another worker has it."""
    try:
        with files_kept_with_rows() as stored:
            claimed = (
                ImportItem.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=item.pk, state=ImportItem.State.PENDING)
                .first()
            )
            if claimed is None:
                return None
            staged = claimed.stored_name
            if loaded.prepared is None:
                result = ImportResult(item.source, ImportResult.ERROR, error=loaded.error)
            else:
                result = commit(loaded.prepared, stored=stored, status=job.target_status, outlet=job.outlet)
            if result.status != ImportResult.ERROR:
                # The upload has done its work: the article keeps its own copy as its original, or
                # the offered version below its own; a failed item keeps it for a retry.
                claimed.stored_name = ""
            if result.status == ImportResult.OFFERED:
                name = stored_name(loaded.prepared.filename) if job.kind != job.Kind.URLS else "page.html"
                claimed.stored_name = default_storage.save(
                    f"imports/{job.pk}/offered/{item.position}-{name}", ContentFile(loaded.prepared.data)
                )
                stored.append(claimed.stored_name)
            _mark(claimed, result)
            if staged and result.status != ImportResult.ERROR:
                transaction.on_commit(lambda: delete_stored([staged]))
            if result.status == ImportResult.CREATED and job.created_by_id:
                LogEntry.objects.log_actions(
                    job.created_by_id,
                    [result.article],
                    ADDITION,
                    change_message=f"Imported by import job #{job.pk}.",
                    single_object=True,
                )
    except Exception:
        logger.exception("Importing %s failed (import job %s)", item.source, job.pk)
        result = ImportResult(item.source, ImportResult.ERROR, error=_unexpected(job))
        with transaction.atomic():
            claimed = ImportItem.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                pk=item.pk, state=ImportItem.State.PENDING
            )
            if not claimed.exists():
                return None
            _mark(claimed.get(), result)
    item.state, item.message, item.article = result.status, _message(result), result.article
    return result


def _unexpected(job: ImportJob) -> str:
    return UNEXPECTED.format("page" if job.kind in {job.Kind.URLS, job.Kind.FEED} else "file")


def _message(result: ImportResult) -> str:
    if result.status == ImportResult.ERROR:
        return result.error or ""
    if result.status == ImportResult.CREATED:
        n = result.paragraph_count
        return f"Created with {n} paragraph{'' if n == 1 else 's'}."
    return result.message


def _mark(item: ImportItem, result: ImportResult) -> None:
    item.state = result.status
    item.message = _message(result)
    item.article = result.article
    item.attempts += 1
    item.save(update_fields=["state", "message", "article", "attempts", "stored_name", "updated_at"])


# Offered versions -----------------------------------------------------------------------------


def apply_offered(item: ImportItem, *, user=None) -> dict:
    """Apply an offered new text as a corrected version of its article (re-anchoring as a
    corrected version uploaded in the admin does). Returns the anchoring counts."""
    with transaction.atomic():
        item = ImportItem.objects.select_for_update(of=("self",)).select_related("article").get(pk=item.pk)
        if item.state != ImportItem.State.OFFERED or item.article is None:
            raise ImportProblem("This item is not a new version waiting to be applied.")
        try:
            with default_storage.open(item.stored_name, "rb") as stored:
                data = stored.read()
        except FileNotFoundError:
            raise ImportProblem("The offered version is missing from storage.") from None
        counts = replace_article_text(
            item.article, parse_file(item.source, data), user=user, filename=item.source, data=data
        )
        item.state = ImportItem.State.REPLACED
        item.message = (
            f"Applied as a corrected version: annotations kept {counts['kept']}, moved {counts['moved']}, "
            f"orphaned {counts['orphaned']}."
        )
        offered, item.stored_name = item.stored_name, ""  # the article now keeps its own copy
        item.save(update_fields=["state", "message", "stored_name", "updated_at"])
        transaction.on_commit(lambda: delete_stored([offered]))
    return counts


# Tasks (Django's task API: the database backend's db_worker, or RQ workers) -------------------


@task()
def run_import_job(job_id: int) -> None:
    """List a job's items and import them, sharing them with ``GLOSSA_IMPORT_WORKERS`` tasks."""
    run(job_id, parts=max(1, settings.GLOSSA_IMPORT_WORKERS))


@task()
def run_import_part(job_id: int, part: int, parts: int) -> None:
    run_part(job_id, part, parts)
