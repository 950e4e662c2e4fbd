from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils._os import safe_join
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)


def database_unavailable() -> HttpResponse:
    """A plain 503 rendered without the database, the session or any context processor."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        log.error("health check: database unreachable: %s", error)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lost database is a 503 (it will be back), anything else a plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponse(loader.render_to_string("500.html"), status=500)


@never_cache
def media_file(request: HttpRequest, path: str) -> FileResponse:
    """Uploaded originals, for staff only, always as a download and never rendered by the browser.

    An original may be a hostile HTML page; served inline from our origin it could run script
    with an editor's session. Readers get a 404, as if the file did not exist.
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("articles.view_article")):
        raise Http404
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
    except (SuspiciousFileOperation, ValueError):
        raise Http404 from None
    try:
        handle = open(full_path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, content_type="application/octet-stream")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
