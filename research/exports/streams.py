"""Streamed writers: one for JSON (a bare array, or a document with one array streamed into it)
and one for CSV. Memory stays flat however many records pass through."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder

# Spreadsheets treat cells starting with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def to_json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


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
    yield head + "\n"
    first = True
    for item in items:
        yield ("" if first else ",\n") + encode(item)
        first = False
    yield "\n" + tail + "\n"


def neutralise(value) -> str:
    """A CSV cell that a spreadsheet will show as text, never run as a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(records: Iterable[dict], columns: list[str]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for record in records:
        row = []
        for column in columns:
            value = record[column]
            if isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            row.append(neutralise(value))
        yield writer.writerow(row)
