"""JSON log lines (LOG_FORMAT=json) for log collectors."""

from __future__ import annotations

import datetime
import json
import logging

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
