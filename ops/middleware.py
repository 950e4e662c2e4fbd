from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from . import pagecache
from .views import database_unavailable

log = logging.getLogger(__name__)

# Never cached: private, per-user or operational paths.
UNCACHED_PREFIXES = ("/admin/", "/healthz", "/media/")
CACHEABLE_VARY = {"cookie", "accept-encoding"}


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 instead of an error page.

    Failures outside views (a session lookup in another middleware) reach handler500, which
    answers the same way (ops.views.server_error).
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
    """Serve anonymous GETs of public HTML pages from the cache.

    Only 200 HTML responses that set no cookie and are not marked private are stored, so nothing
    that depends on a session, a CSRF token or a user can be replayed to someone else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = pagecache.page_key(request, pagecache.generation())
        store = caches["default"]
        cached = store.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            headers = {k: v for k, v in response.items() if k.lower() not in {"set-cookie", "x-page-cache"}}
            store.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
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
