"""Records of many results from plain values, a chunk at a time, in result order.

The ids come first, in the search's order, from one query read as a stream (``iterator``); each
chunk of ids is then read with one query for its rows (``values()``, published content only,
checked again), one for their tags and, for annotations, one for their citations. No model
instance is built and no query runs per row, so memory stays flat and 100,000 records come out
of one request (the exports) as quickly as 20 do (the API).
"""

from __future__ import annotations

import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, connections
from django.db.models import QuerySet
from taggit.models import TaggedItem

from annotations.models import Annotation, Citation, Rating
from articles.models import Article, Paragraph

from ..filters import SearchFilter
from ..idlists import among
from .records import PARAGRAPH_SUMMARY, RECORDS, VALUES, Paths

CHUNK = 2000
MODELS = {"annotations": Annotation, "paragraphs": Paragraph, "articles": Article}


def _chunk_size() -> int:
    # Each chunk is one IN (...) list; SQLite builds may allow only 999 parameters in a query.
    return min(CHUNK, (connection.features.max_query_params or CHUNK) - 10)


def _tags(model: type, ids: list[int]) -> dict[int, list[str]]:
    items = TaggedItem.objects.filter(
        among("object_id", ids), content_type=ContentType.objects.get_for_model(model)
    ).order_by()
    if connection.vendor == "postgresql":
        # Each row's names as one array made by PostgreSQL: half the rows handed over, and no
        # Python loop over every tag of the chunk.
        arrays = items.values("object_id").annotate(names=ArrayAgg("tag__name", order_by="tag__name"))
        return dict(arrays.values_list("object_id", "names"))
    names: dict[int, list[str]] = defaultdict(list)
    for object_id, name in items.order_by("tag__name").values_list("object_id", "tag__name"):
        names[object_id].append(name)
    return names


def _citations(ids: list[int]) -> dict[int, list[tuple]]:
    cited: dict[int, list[tuple]] = defaultdict(list)
    rows = (
        Citation.objects.filter(among("annotation_id", ids))
        .order_by("annotation_id", "order", "id")
        .values_list("annotation_id", "source__url", "source__title", "source__publisher")
    )
    for annotation_id, *source in rows:
        cited[annotation_id].append(tuple(source))
    return cited


def _paragraphs(ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = defaultdict(list)
    for row in (
        Paragraph.objects.filter(among("article_id", ids))
        .order_by("article_id", "position")
        .values("article_id", *PARAGRAPH_SUMMARY)
    ):
        found[row.pop("article_id")].append(row)
    return found


def _value_dicts(rows: QuerySet, fields: tuple[str, ...]) -> list[dict]:
    """``rows.values(*fields)``, each dict made in C (``dict(zip())``) from Django's tuples rather
    than by the comprehension ``values()`` runs for every row."""
    return [dict(zip(fields, row, strict=True)) for row in rows.values_list(*fields)]


class RowReader:
    """Reads the rows of one kind of result (annotations, paragraphs, articles) chunk by chunk."""

    def __init__(self, data_type: str, with_paragraphs: bool = False):
        self.data_type = data_type
        self.model = MODELS[data_type]
        self.with_paragraphs = with_paragraphs
        self.ratings = (
            {r["id"]: r for r in Rating.objects.values("id", "slug", "label", "value")}
            if data_type == "annotations"
            else {}
        )

    def chunk(self, ids: list[int]) -> list[dict]:
        """The rows of these ids that readers may see, in this order."""
        rows = self.model.objects.published().filter(among("pk", ids)).order_by()
        found = {row["id"]: row for row in _value_dicts(rows, VALUES[self.data_type])}
        ordered = [found[pk] for pk in ids if pk in found]
        if self.data_type == "paragraphs":
            return ordered
        tags = _tags(self.model, list(found))
        for row in ordered:
            row["tags"] = tags.get(row["id"], [])
        if self.data_type == "annotations":
            citations = _citations(list(found))
            for row in ordered:
                row["rating"] = self.ratings.get(row["rating_id"])
                row["citations"] = citations.get(row["id"], [])
        if self.with_paragraphs:
            paragraphs = _paragraphs(list(found))
            for row in ordered:
                row["paragraphs"] = paragraphs.get(row["id"], [])
        return ordered

    def chunks(self, ids: Iterable[int]) -> Iterator[list[dict]]:
        size = _chunk_size()
        batch: list[int] = []
        for pk in ids:
            batch.append(pk)
            if len(batch) == size:
                yield self.chunk(batch)
                batch = []
        if batch:
            yield self.chunk(batch)

    def stream(self, ids: Iterable[int]) -> Iterator[dict]:
        for rows in self.chunks(ids):
            yield from rows


def records(data_type: str, ids: list[int], with_paragraphs: bool = False) -> list[dict]:
    """The records of these ids (published only), in this order: for the API's pages and details."""
    reader = RowReader(data_type, with_paragraphs)
    build, paths = RECORDS[data_type], Paths()
    records = []
    for row in reader.stream(ids):
        record = build(row, paths)
        if with_paragraphs:
            record["paragraphs"] = row["paragraphs"]
        records.append(record)
    return records


def result_rows(filterset: SearchFilter, start: int, stop: int) -> Iterator[dict]:
    """Rows of results ``start`` to ``stop`` of a search, in its order, a chunk at a time (on
    PostgreSQL read ahead by a thread of their own, ``read_ahead``)."""
    ids = filterset.qs.values_list("pk", flat=True)[start:stop].iterator(chunk_size=_chunk_size())
    reader = RowReader(filterset.data_type)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Another connection would not see this transaction's rows (nor could it share SQLite's).
        return reader.stream(ids)
    return _rows_read_ahead(reader, ids)


def _rows_read_ahead(reader: RowReader, ids: Iterable[int]) -> Iterator[dict]:
    chunks = read_ahead(lambda: reader.chunks(ids))
    try:
        for rows in chunks:
            yield from rows
    finally:
        chunks.close()  # stops the reading thread when the download is abandoned


# Chunks a reading thread may have ready before the one being written is done: memory stays flat.
READ_AHEAD = 2
_DONE = object()


def read_ahead(chunks: Callable[[], Iterator[list[dict]]]) -> Iterator[list[dict]]:
    """The chunks of rows ``chunks()`` gives, in order, read by a thread with a database connection
    of its own while the caller writes the ones before.

    A chunk's rows spend a third of their time waiting for the database (the ids' cursor and the
    chunk's three queries); read on the side, that wait overlaps the writing of the rows before, and
    an export of 100,000 rows takes the time of its Python work alone. At most ``READ_AHEAD`` chunks
    wait in between. The thread closes its connection when it ends; if the caller stops early (a
    download abandoned), the thread stops after the chunk it is reading. An error in the thread
    is raised here.
    """
    handoff: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
    stopped = threading.Event()

    def hand_over(item) -> bool:
        while not stopped.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for rows in chunks():
                if not hand_over(rows):
                    return
            hand_over(_DONE)
        except BaseException as error:  # raised again in the caller's thread
            hand_over(error)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=read, name="glossa-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := handoff.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stopped.set()
        thread.join()
