"""Streamed writers: one for JSON (a bare array, or a document with one array streamed into it)
and one for CSV. Memory stays flat however many records pass through."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder

# Spreadsheets treat cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Records are handed to the server in pieces of about this many characters: one write per record
# would cost a system call each.
PIECE = 64 * 1024

to_json = DjangoJSONEncoder(ensure_ascii=False).encode


def _pieces(parts: Iterable[str]) -> Iterator[str]:
    """``parts`` joined into pieces of about ``PIECE`` characters."""
    buffer: list[str] = []
    size = 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= PIECE:
            yield "".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer)


def stream_json(
    items: Iterable, document: dict | None = None, key: str = "results", encode: Callable = to_json
) -> Iterator[str]:
    """``items`` as a JSON array, streamed: alone, or into ``document``, which holds an empty
    list under ``key`` where they go (the last such list in it)."""
    if document is None:
        head, tail = "[", "]"
    else:
        text = encode(document)
        marker = f'"{key}": []'
        at = text.rindex(marker)
        head, tail = text[:at] + f'"{key}": [', text[at + len(marker) - 1 :]

    def parts() -> Iterator[str]:
        yield head + "\n"
        separator = ""
        for item in items:
            yield separator + encode(item)
            separator = ",\n"
        yield "\n" + tail + "\n"

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


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(records: Iterable[dict], columns: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())

    def parts() -> Iterator[str]:
        yield writer.writerow(columns)
        for record in records:
            # Most cells are text that starts harmlessly: kept as they are without a call per cell.
            yield writer.writerow(
                [
                    value
                    if value.__class__ is str and not value.startswith(FORMULA_PREFIXES)
                    else _cell(value)
                    for value in map(record.__getitem__, columns)
                ]
            )

    return _pieces(parts())
