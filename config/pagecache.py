"""The page cache: whole anonymous HTML pages, each kept with the keys of what it shows.

A view names what its page shows with ``shows(response, *keys)``: an article's pages show
``article:<id>``, list pages show ``lists``. Every page also shows ``site``. Each key has a
version in the shared ``versions`` cache, taken from one counter that only goes up. A page is
stored with the counter's value read *before* its view ran, and served while none of its keys has
a newer version. ``purge(keys)``, called by ``articles.changes`` once a write commits, gives those
keys a new version, so exactly the pages built from the old rows miss. A reader who read the old
rows just before the commit stored its page with an older counter value, so that copy misses too.

Pages live in the ``default`` cache (Redis with ``REDIS_URL``, else each worker's memory); the
versions live where every worker sees them (Redis, else a small file cache under ``var/``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

SITE = "site"  # shown by every page: purged by changes that reach every page (the rating scale)
HEADER = "Surrogate-Key"  # the CDN convention: space-separated keys, removed before the response leaves
CLOCK = "pages:clock"


@dataclass(frozen=True)
class Page:
    content: bytes
    headers: dict[str, str]
    keys: tuple[str, ...]
    clock: int  # the counter's value before the view ran


def shows(response: HttpResponse, *keys: str) -> HttpResponse:
    """Say which keys the page in ``response`` shows (added to any it named already)."""
    named = set(response.get(HEADER, "").split())
    response[HEADER] = " ".join(sorted(named | set(keys)))
    return response


def keys_of(response: HttpResponse) -> tuple[str, ...]:
    """The keys the page shows, ``site`` included, taking the header off the response."""
    named = set(response.get(HEADER, "").split())
    if HEADER in response:
        del response[HEADER]
    return tuple(sorted(named | {SITE}))


def _version_key(key: str) -> str:
    return f"pages:v:{key}"


def _store():
    return caches["versions"]


def clock() -> int:
    """The counter now; read before a view runs, so that a purge during the render is noticed."""
    store = _store()
    value = store.get(CLOCK)
    if value is None:
        # A new or emptied cache: start above any version handed out before (microseconds since 1970).
        store.add(CLOCK, time.time_ns() // 1000, timeout=None)
        value = store.get(CLOCK)
    return int(value)


def purge(keys: Iterable[str]) -> None:
    """Give ``keys`` a new version: every stored page that shows one of them misses from now on."""
    keys = list(keys)
    if not keys:
        return
    store = _store()
    try:
        try:
            now = store.incr(CLOCK)
        except ValueError:  # no counter yet (a new or emptied cache)
            now = clock() + 1
            store.set(CLOCK, now, timeout=None)
        store.set_many({_version_key(key): now for key in keys}, timeout=None)
    except Exception:
        # Refusing the editor's write would not help readers, and a cache that cannot be written
        # cannot be read either, so nothing stale is served from it.
        log.exception("could not purge the page cache")


def is_fresh(page: Page) -> bool:
    """True while no key the page shows has moved on since the page was built."""
    wanted = [_version_key(key) for key in page.keys]
    versions = _store().get_many(wanted)
    missing = [name for name in wanted if name not in versions]
    if missing:
        # Never purged, or evicted: from now on it counts as changed at this moment, so a page
        # built before cannot pass for fresh after an eviction.
        now = clock()
        for name in missing:
            _store().add(name, now, timeout=None)
        return False
    return all(int(version) <= page.clock for version in versions.values())


def remember(page: Page) -> None:
    """Give the keys of a page just stored a version if they have none yet (first use, eviction)."""
    store = _store()
    for key in page.keys:
        store.add(_version_key(key), page.clock, timeout=None)


def _building_key(key: str) -> str:
    return f"{key}:building"


def start_building(key: str) -> bool:
    """True for the one request that may rebuild the page ``key`` now (the lock lasts at most
    PAGE_CACHE_BUILD_SECONDS, so a worker that dies while building holds nobody up for long)."""
    try:
        return caches["default"].add(_building_key(key), 1, timeout=settings.PAGE_CACHE_BUILD_SECONDS)
    except Exception:
        log.exception("could not take the page-cache build lock")
        return True


def done_building(key: str) -> None:
    try:
        caches["default"].delete(_building_key(key))
    except Exception:
        log.exception("could not release the page-cache build lock")


def wait_for(key: str) -> Page | None:
    """The page another request is building, once it is stored and fresh; None if it is not there
    within PAGE_CACHE_WAIT_SECONDS (the caller then builds the page itself)."""
    store = caches["default"]
    deadline = time.monotonic() + settings.PAGE_CACHE_WAIT_SECONDS
    pause = 0.01
    while time.monotonic() < deadline:
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
        stored = store.get(key)
        if isinstance(stored, Page) and is_fresh(stored):
            return stored
        if store.get(_building_key(key)) is None:
            stored = store.get(key)
            return stored if isinstance(stored, Page) and is_fresh(stored) else None
    return None


def page_key(request: HttpRequest) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"glossa:page:{hashlib.sha256(address.encode()).hexdigest()}"
