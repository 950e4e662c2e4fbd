"""Streamed writers: one for JSON (a bare array, or a document with one array streamed into it)
and one for CSV. Memory stays flat however many records pass through."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import AnyStr

import orjson

# Spreadsheets treat cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Records are handed to the server in pieces of about this many characters: one write per record
# would cost a system call each.
PIECE = 64 * 1024


def _pieces(parts: Iterable[AnyStr]) -> Iterator[AnyStr]:
    """``parts`` (all text or all bytes) joined into pieces of about ``PIECE`` characters."""
    buffer: list = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= PIECE:
            yield part[:0].join(buffer)
            buffer, size = [], 0
    if buffer:
        yield buffer[0][:0].join(buffer)


def stream_json(items: Iterable[dict], document: dict | None = None, key: str = "results") -> Iterator[bytes]:
    """``items`` as a JSON array in UTF-8, streamed: alone, or into ``document``, which holds an
    empty list under ``key`` where they go (the last such list in it).

    Records are encoded by orjson, as compactly as JSON allows: the standard library's encoder took
    a third of a JSON export's time. Records hold only what JSON has (dates are already text).
    """
    if document is None:
        head, tail = b"[", b"]"
    else:
        text = orjson.dumps(document)
        marker = orjson.dumps(key) + b":[]"
        at = text.rindex(marker)
        head, tail = text[: at + len(marker) - 1], text[at + len(marker) - 1 :]

    def parts() -> Iterator[bytes]:
        yield head + b"\n"
        separator = b""
        for item in items:
            yield separator + orjson.dumps(item)
            separator = b",\n"
        yield b"\n" + tail + b"\n"

    return _pieces(parts())


def neutralise(value) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _cell(value) -> str:
    if value.__class__ is int and value >= 0:
        return str(value)
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return neutralise(value)


def _quoted(cells: list[str]) -> str:
    """One CSV line, every cell quoted and the quotes inside doubled (RFC 4180)."""
    return '"' + '","'.join(cell.replace('"', '""') for cell in cells) + '"\r\n'


# A cell after the first that starts with a formula sign, in the cells joined by NUL.
_FORMULA_AFTER_NUL = re.compile("\x00[" + re.escape("".join(FORMULA_PREFIXES)) + "]")


def csv_line(values: Iterable) -> str:
    """One CSV line of these values, each neutralised (``_cell``)."""
    cells = [
        value
        if (kind := value.__class__) is str
        else ""
        if value is None
        else str(value)
        if kind is int and value >= 0
        else _cell(value)
        for value in values
    ]
    joined = "\x00".join(cells)
    if (
        joined.startswith(FORMULA_PREFIXES)
        or _FORMULA_AFTER_NUL.search(joined)
        or joined.count("\x00") != len(cells) - 1  # a NUL inside a cell: the careful way
    ):
        return _quoted([neutralise(cell) for cell in cells])
    # No cell starts with a formula sign: the line is quoted as a whole, two replacements over it
    # rather than the csv module's walk through it character by character (which took three
    # quarters of the time an export spent writing CSV).
    return '"' + joined.replace('"', '""').replace("\x00", '","') + '"\r\n'


def stream_csv(rows: Iterable[Sequence], columns: list[str]) -> Iterator[str]:
    """``rows`` (each one's values in the order of ``columns``) as CSV under a header of
    ``columns``, streamed."""

    def parts() -> Iterator[str]:
        yield ",".join(columns) + "\r\n"  # names of letters and underscores: nothing to quote
        for values in rows:
            yield csv_line(values)

    return _pieces(parts())
