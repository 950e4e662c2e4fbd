"""Bounds on the work one import may do, whatever its format or where it came from.

A small file can still be a lot of work: a .docx is a zip that may unpack to a hundred times its
size, a gzip-compressed page likewise, a text file may hold a million one-letter paragraphs or one
line of five million characters, and a page may nest its elements thousands deep. Each limit is a
setting (``GLOSSA_IMPORT_MAX_*``); a file over one is refused with a message naming the limit, before
the expensive step where that can be known in advance, and nothing is saved.

``parse_file`` opens a ``budget()`` for each import; the format parsers call the ``check_*``
functions, which read the budget of the import in progress (or the settings, outside one).
"""

from __future__ import annotations

import contextvars
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from .base import ImportProblem


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int
    paragraphs: int
    paragraph_chars: int
    seconds: float
    html_elements: int
    html_depth: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            unpacked_bytes=settings.GLOSSA_IMPORT_MAX_UNPACKED_BYTES,
            paragraphs=settings.GLOSSA_IMPORT_MAX_PARAGRAPHS,
            paragraph_chars=settings.GLOSSA_IMPORT_MAX_PARAGRAPH_CHARS,
            seconds=settings.GLOSSA_IMPORT_MAX_SECONDS,
            html_elements=settings.GLOSSA_IMPORT_MAX_HTML_ELEMENTS,
            html_depth=settings.GLOSSA_IMPORT_MAX_HTML_DEPTH,
        )


@dataclass
class _Budget:
    limits: Limits
    deadline: float


_current: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("import_budget", default=None)


@contextmanager
def budget() -> Iterator[Limits]:
    """The limits of one import, its clock started now."""
    limits = Limits.from_settings()
    token = _current.set(_Budget(limits, time.monotonic() + limits.seconds))
    try:
        yield limits
    finally:
        _current.reset(token)


def current() -> Limits:
    active = _current.get()
    return active.limits if active is not None else Limits.from_settings()


def size(number: int) -> str:
    return filesizeformat(number).replace("\xa0", " ")  # plain spaces: messages go to terminals and JSON too


def check_time() -> None:
    """Called between steps and inside every loop over a file's parts: an import over time stops."""
    active = _current.get()
    if active is not None and time.monotonic() > active.deadline:
        raise ImportProblem(
            f"Reading the file took longer than the {active.limits.seconds:g}-second limit "
            "(GLOSSA_IMPORT_MAX_SECONDS) and was stopped; split it into smaller files."
        )


def check_unpacked(total: int, what: str = "The file", *, at_least: bool = False) -> None:
    limit = current().unpacked_bytes
    if total > limit:
        raise ImportProblem(
            f"{what} unpacks to {'more than ' if at_least else ''}{size(total)}, over the {size(limit)} "
            "limit for unpacked content (GLOSSA_IMPORT_MAX_UNPACKED_BYTES)."
        )


def check_paragraph_count(count: int) -> None:
    limit = current().paragraphs
    if count > limit:
        raise ImportProblem(
            f"The file has more than {limit:,} paragraphs, the limit for one article "
            "(GLOSSA_IMPORT_MAX_PARAGRAPHS); split it into several articles."
        )


def check_paragraph_length(text: str) -> None:
    limit = current().paragraph_chars
    if len(text) > limit:
        raise ImportProblem(
            f"A paragraph is {len(text):,} characters long, over the {limit:,}-character limit "
            f"(GLOSSA_IMPORT_MAX_PARAGRAPH_CHARS); it begins “{' '.join(text[:60].split())}…”."
        )


def check_html_shape(elements: int, depth: int) -> None:
    limits = current()
    if elements > limits.html_elements:
        raise ImportProblem(
            f"The HTML page has more than {limits.html_elements:,} elements, the limit "
            "(GLOSSA_IMPORT_MAX_HTML_ELEMENTS); save only the article, or its text."
        )
    if depth > limits.html_depth:
        raise ImportProblem(
            f"The HTML page nests its elements more than {limits.html_depth} deep, the limit "
            "(GLOSSA_IMPORT_MAX_HTML_DEPTH); it is damaged or made to stall readers."
        )


GZIP_MAGIC = b"\x1f\x8b"


def gunzip(data: bytes) -> bytes:
    """The content of gzip-compressed bytes (a fetched page, a ``.gz`` file), decompressed in pieces
    and refused as soon as it passes the unpacked-size limit: a small bomb never fills memory."""
    limit = current().unpacked_bytes
    decompressor = zlib.decompressobj(wbits=31)  # 16 + 15: gzip header and trailer
    pieces, total = [], 0
    pending = data
    try:
        while pending:
            piece = decompressor.decompress(pending, 1 << 20)
            total += len(piece)
            if total > limit:
                check_unpacked(total, "The compressed file", at_least=True)
            pieces.append(piece)
            pending = decompressor.unconsumed_tail
            if decompressor.eof:
                break
            check_time()
    except zlib.error as error:
        raise ImportProblem(f"The compressed file is damaged ({error}).") from None
    if not decompressor.eof:
        raise ImportProblem("The compressed file is cut short (it ends before its content does).")
    return b"".join(pieces)
