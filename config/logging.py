"""Log formatting: JSON lines (LOG_FORMAT=json) for log collectors, and one-line 403s."""

from __future__ import annotations

import datetime
import json
import logging

from django.db import DatabaseError

# Attributes every LogRecord has; anything else was passed with extra= and is worth keeping.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            # Path and method only: query strings and headers may carry tokens or personal data.
            entry["method"] = request.method
            entry["path"] = request.path
        for key, value in vars(record).items():
            if key not in STANDARD and key not in entry and key != "request":
                entry[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class ForbiddenOnOneLine(logging.Filter):
    """A 403 is logged as one line (method, path, status, user id) without a traceback.

    Django logs every PermissionDenied with its traceback; a refused request is routine (a
    fact-checker opening an editors' page), and pages of tracebacks for it bury the errors that
    need one. Every other status keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        method = escaped(getattr(request, "method", None) or "-")
        record.user_id = user_id(request)
        user = f"user {record.user_id}" if record.user_id is not None else "no user"
        record.msg = f"{record.getMessage()} ({method}, status 403, {user})"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def escaped(text: str) -> str:
    # As Django escapes the path in the message: a request must not be able to start a new log line.
    return text.encode("unicode_escape").decode("ascii")


def user_id(request) -> int | None:
    # A permission check has loaded the user already; a CSRF refusal may not have, and loading it
    # then needs the database. A log filter must never fail the request it reports on.
    try:
        return getattr(getattr(request, "user", None), "pk", None)
    except DatabaseError:
        return None
