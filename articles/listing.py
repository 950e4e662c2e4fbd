"""Lists readers page through (the archive, claims, an outlet's, an author's, a tag's articles):
newest first, a page at a time by keys, with counts that stay cheap at any size.

A page is found by the sort keys of the row before it (``?older=<cursor>``) or after it
(``?newer=<cursor>``), each read from an index where the last page left off, so page 5,000
costs what page 1 does. A cursor is the date and id of that row, signed with the site's secret
(``django.core.signing``, salted with the list's path), so it cannot be forged into a query.
Numbered pages (``?page=N``) still answer for the first ``MAX_PAGE`` pages, so links people kept
keep working. Counts come from the summaries when the caller has one, else are counted up to
``COUNT_LIMIT`` and shown as "more than" that.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import BadRequest
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest

PAGE_SIZE = 20
MAX_PAGE = 50  # numbered pages answer up to here (offsets cost what they skip)
COUNT_LIMIT = 1000  # lists without a maintained count are counted up to here
SALT = "glossa.list"


@dataclass
class ListPage:
    """One page of a list, with links to its neighbours (query strings) and the list's size."""

    object_list: list
    count: int
    count_is_exact: bool = True
    newer: str | None = None
    older: str | None = None
    newest: str | None = None
    number: int | None = None  # only for numbered pages
    note: str = ""  # why the page is empty when it is not the list's end (a page number past it)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.newer or self.older or self.newest)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def capped_count(queryset: QuerySet, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """How many rows, counted up to ``limit``: (n, exact). More than ``limit`` gives (limit, False)."""
    n = queryset.order_by()[: limit + 1].count()
    return (limit, False) if n > limit else (n, True)


def _signer(request: HttpRequest) -> signing.Signer:
    return signing.Signer(salt=f"{SALT}:{request.path}", sep=".")


def _encode(request: HttpRequest, row, date_field: str) -> str:
    value = getattr(row, date_field)
    return _signer(request).sign_object([value.isoformat() if value else None, row.pk])


def _decode(request: HttpRequest, cursor: str, date_field: str, queryset: QuerySet):
    problem = BadRequest(
        "This page link is not one this list gave out (it was altered or belongs to another list): "
        "start again from the newest."
    )
    try:
        date, pk = _signer(request).unsign_object(cursor)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError(pk)
        if date is not None:
            kind = queryset.model._meta.get_field(date_field).get_internal_type()
            date = (
                datetime.datetime.fromisoformat(date)
                if kind == "DateTimeField"
                else datetime.date.fromisoformat(date)
            )
    except (signing.BadSignature, ValueError, TypeError):
        raise problem from None
    return date, pk


def _older_than(date_field: str, date, pk: int) -> Q:
    """Rows after (date, pk) in newest-first order, undated rows last."""
    if date is None:
        return Q(**{f"{date_field}__isnull": True, "pk__lt": pk})
    return (
        Q(**{f"{date_field}__lt": date})
        | Q(**{date_field: date, "pk__lt": pk})
        | Q(**{f"{date_field}__isnull": True})
    )


def _newer_than(date_field: str, date, pk: int) -> Q:
    """Rows before (date, pk) in newest-first order."""
    if date is None:
        return Q(**{f"{date_field}__isnull": False}) | Q(**{f"{date_field}__isnull": True, "pk__gt": pk})
    return Q(**{f"{date_field}__gt": date}) | Q(**{date_field: date, "pk__gt": pk})


def newest_first(date_field: str) -> list:
    return [F(date_field).desc(nulls_last=True), F("pk").desc()]


def _query(request: HttpRequest, **changes) -> str:
    params = request.GET.copy()
    for name in ("page", "older", "newer"):
        params.pop(name, None)
    for name, value in changes.items():
        params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else request.path


def page(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    date_field: str = "published_on",
    size: int = PAGE_SIZE,
    count: int | None = None,
) -> ListPage:
    """The page of ``queryset`` (newest first by ``date_field``, then id) that ``request`` asks for.

    ``count`` is the list's size when the caller knows it (a summary); else it is counted up to
    ``COUNT_LIMIT``. A cursor this list did not give out is refused (400).
    """
    ordered = queryset.order_by(*newest_first(date_field))
    if count is None:
        count, exact = capped_count(queryset)
    else:
        exact = True
    older, newer = request.GET.get("older"), request.GET.get("newer")
    number = None
    if older:
        rows = list(
            ordered.filter(_older_than(date_field, *_decode(request, older, date_field, queryset)))[
                : size + 1
            ]
        )
        has_newer, has_older = True, len(rows) > size
        rows = rows[:size]
    elif newer:
        date, pk = _decode(request, newer, date_field, queryset)
        backwards = queryset.order_by(F(date_field).asc(nulls_first=True), F("pk").asc())
        rows = list(backwards.filter(_newer_than(date_field, date, pk))[: size + 1])
        has_newer, has_older = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        # As Django's Paginator.get_page(): a page number that is not one gives the first page.
        try:
            number = max(1, int(request.GET.get("page") or 1))
        except ValueError:
            number = 1
        rows = []
        if number <= MAX_PAGE:
            offset = (number - 1) * size
            rows = list(ordered[offset : offset + size + 1])
        has_newer, has_older = number > 1, len(rows) > size
        rows = rows[:size]
        if not rows and number > 1:
            note = (
                f"There is no page {number} here: numbered pages go up to {MAX_PAGE}; "
                "from there, follow the “Older” links."
                if number > MAX_PAGE
                else f"There is no page {number}: the list ends before it."
            )
            return ListPage(
                [], count=count, count_is_exact=exact, newest=_query(request), number=number, note=note
            )
    return ListPage(
        object_list=rows,
        count=count,
        count_is_exact=exact,
        newer=_query(request, newer=_encode(request, rows[0], date_field)) if has_newer and rows else None,
        older=_query(request, older=_encode(request, rows[-1], date_field)) if has_older and rows else None,
        newest=_query(request) if has_newer else None,
        number=number,
    )
