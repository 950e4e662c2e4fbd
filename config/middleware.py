from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from . import pagecache
from .views import database_unavailable

log = logging.getLogger(__name__)

# Never cached: private, per-user or operational paths.
UNCACHED_PREFIXES = ("/admin/", "/healthz")
CACHEABLE_VARY = {"cookie", "accept-encoding"}


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 instead of an error page.

    Failures outside views (a session lookup in another middleware) reach handler500, which
    answers the same way (config.views.server_error).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            log.error("database unavailable: %s", exception, extra={"path": request.path})
            return database_unavailable()
        return None


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public HTML pages from the page cache (config/pagecache.py).

    Only 200 HTML responses that set no cookie and are not marked private are stored, so nothing
    that depends on a session, a CSRF token or a user can be replayed to someone else. A stored
    page answers conditional requests (ETag, Last-Modified) itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.cacheable_request(request):
            response = self.get_response(request)
            pagecache.keys_of(response)  # the keys are for the cache, not for the client
            return response
        key = pagecache.page_key(request)
        store = caches["default"]
        stored = store.get(key)
        if isinstance(stored, pagecache.Page) and pagecache.is_fresh(stored):
            response = HttpResponse(stored.content, headers=stored.headers)
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        # A stored page that a change made stale is rebuilt by one request; requests for it
        # meanwhile wait for that copy (up to PAGE_CACHE_WAIT_SECONDS) instead of each building it
        # again. A URL with nothing stored (never asked for, or not storable: JSON, errors) is
        # simply built.
        building = isinstance(stored, pagecache.Page) and pagecache.start_building(key)
        if isinstance(stored, pagecache.Page) and not building:
            waited = pagecache.wait_for(key)
            if waited is not None:
                response = HttpResponse(waited.content, headers=waited.headers)
                response["X-Page-Cache"] = "waited"
                return response
        try:
            began = pagecache.clock()
            response = self.get_response(request)
            keys = pagecache.keys_of(response)
            if self.cacheable_response(response):
                headers = {
                    k: v for k, v in response.items() if k.lower() not in {"set-cookie", "x-page-cache"}
                }
                page = pagecache.Page(response.content, headers, keys, began)
                store.set(key, page, settings.PAGE_CACHE_SECONDS)
                pagecache.remember(page)
                response["X-Page-Cache"] = "miss"
        finally:
            if building:
                pagecache.done_building(key)
        return response

    @staticmethod
    def cacheable_request(request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and not request.path.startswith(UNCACHED_PREFIXES)
            and not request.path.startswith(settings.STATIC_URL)
            and not request.user.is_authenticated
        )

    @staticmethod
    def cacheable_response(response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        return vary <= CACHEABLE_VARY
