"""Pages of search results: numbered pages for the search page and exports, keyset cursors for the API.

A page is found with the lean query (ids only, with the total where it comes cheap) and only its
rows are loaded (``results.load``). A cursor is the sort values of the last result given, signed
with the site's secret (``django.core.signing``, salted by the search it belongs to), so the next
slice starts there whatever was added before it, and reads an index instead of skipping rows.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import math

from django.core import signing
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, Window

from .filters import SearchFilter

SALT = "glossa.research.cursor"


class PageOutOfRange(ValueError):
    """A page number past the last page; the message says how many there are."""


class CursorError(ValueError):
    """A cursor that this search did not give out (altered, or from another search or sort)."""


class CountedPaginator(Paginator):
    """A Paginator told the size of the result set, which the query for the page found already."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self.known_count = count

    @functools.cached_property
    def count(self) -> int:
        return self.known_count


def page_ids(
    filterset: SearchFilter, offset: int, size: int, total: int | None = None
) -> tuple[list[int], int]:
    """The ids of one page of results, and the size of the whole set."""
    if total is not None:
        return list(filterset.qs.values_list("pk", flat=True)[offset : offset + size]), total
    # Both in one query: the ids of the page and a window count over all the results.
    rows = list(
        filterset.qs.annotate(total=Window(Count("*"))).values_list("pk", "total")[offset : offset + size]
    )
    if rows:
        return [pk for pk, _total in rows], rows[0][1]
    return [], filterset.qs.count() if offset else 0


def page(filterset: SearchFilter, number: int, size: int, total: int | None = None) -> tuple[Page, list[int]]:
    """Page ``number`` of the results and its ids. ``total``, when the caller counted already, spares
    the count. A page past the last raises PageOutOfRange."""
    ids, count = page_ids(filterset, (number - 1) * size, size, total)
    paginator = CountedPaginator(filterset.qs.values_list("pk", flat=True), size, count)
    if number > max(paginator.num_pages, 1):
        raise PageOutOfRange(f"Page {number} does not exist: these results have {paginator.num_pages}.")
    found = paginator.page(number)
    found.object_list = ids
    return found, ids


def after(keys: list[tuple[str, bool]], values: list) -> Q:
    """Rows that sort after ``values`` under ``keys`` (each ascending or descending, NULLs last)."""
    beyond_all = Q(pk__in=[])
    same = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        if value is None:
            # Nothing sorts after an empty value but other empty values, which the next key orders.
            same &= Q(**{f"{name}__isnull": True})
            continue
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value}) | Q(**{f"{name}__isnull": True})
        beyond_all |= same & beyond
        same &= Q(**{name: value})
    return beyond_all


def cursor_page(filterset: SearchFilter, cursor: str, size: int) -> tuple[list[int], str | None]:
    """The ids of ``size`` results after ``cursor`` ("" for the first) and the cursor for the next."""
    keys = filterset.order_keys()
    queryset = filterset.qs
    if cursor:
        queryset = queryset.filter(after(keys, decode_cursor(filterset, cursor)))
    rows = list(queryset.values_list("pk", *(name for name, _descending in keys))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return [row[0] for row in rows], encode_cursor(filterset, rows[-1][1:]) if more else None


def _signer(filterset: SearchFilter) -> signing.Signer:
    """A signer salted with the search (type, sort and every parameter but the page and cursor)."""
    data = {
        name: value
        for name, value in sorted(filterset.form.cleaned_data.items())
        if name != "page" and value not in (None, "", [])
    }
    text = json.dumps([filterset.data_type, filterset.sort, data], default=str, sort_keys=True)
    # "." between the value and its signature keeps a cursor URL-safe as it is.
    return signing.Signer(salt=f"{SALT}:{hashlib.sha256(text.encode()).hexdigest()}", sep=".")


def encode_cursor(filterset: SearchFilter, values) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
    return _signer(filterset).sign_object(plain)


def decode_cursor(filterset: SearchFilter, cursor: str) -> list:
    """The sort values in ``cursor``, checked: signed for this very search, of the right kinds."""
    problem = CursorError(
        "The cursor is not one this search gave (a cursor goes with the search parameters and "
        "sort it came from): start again with cursor= empty."
    )
    keys = filterset.order_keys()
    try:
        values = _signer(filterset).unsign_object(cursor)
    except (signing.BadSignature, ValueError, TypeError):
        raise problem from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise problem
    decoded = []
    for (name, _descending), value in zip(keys, values, strict=True):
        try:
            decoded.append(_decode_value(filterset, name, value))
        except (TypeError, ValueError):
            raise problem from None
    return decoded


def _decode_value(filterset: SearchFilter, name: str, value):
    if value is None:
        return None
    if name == "rank":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(value)
        return float(value)
    if name == filterset.date_path:
        return datetime.date.fromisoformat(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63:
        return value
    raise ValueError(value)
