"""Anonymous page cache invalidation: one generation key, changed by every content write.

Every cached page's key contains the generation current when the request started. Changing the
generation orphans every cached page at once (the cache evicts them in time), so no page needs
to know which rows it was built from.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time

from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

log = logging.getLogger(__name__)

GENERATION_KEY = "glossa:pages:generation"
# Writes to any model of these apps change what readers may see.
CONTENT_APPS = {"articles", "annotations", "taggit"}


def _new_generation() -> str:
    # Never reused, even after the key is evicted or the cache restarted.
    return f"{time.time_ns():x}{secrets.token_hex(4)}"


def generation() -> str:
    store = caches["generation"]
    value = store.get(GENERATION_KEY)
    if value is None:
        store.add(GENERATION_KEY, _new_generation(), timeout=None)
        value = store.get(GENERATION_KEY)
    return str(value)


def _bump() -> None:
    try:
        caches["generation"].set(GENERATION_KEY, _new_generation(), timeout=None)
    except Exception:
        # Refusing the editor's save would not help readers; a cache that cannot be written
        # cannot be read either, so nothing stale is served from it.
        log.exception("could not invalidate the page cache")


def invalidate(using: str | None = None) -> None:
    """Drop every cached page now, and again once the current transaction commits.

    The second change matters: a reader that loaded the old rows just before the commit must not
    store them under the generation readers use after it. Call this after QuerySet.update() or
    bulk_create() on content, which send no signals.
    """
    _bump()
    transaction.on_commit(_bump, using=using)


def _content_changed(sender, using: str | None = None, **kwargs) -> None:
    if sender._meta.app_label in CONTENT_APPS:
        invalidate(using)


def connect_signals() -> None:
    post_save.connect(_content_changed, dispatch_uid="glossa-pagecache-save")
    post_delete.connect(_content_changed, dispatch_uid="glossa-pagecache-delete")


def page_key(request: HttpRequest, current_generation: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"glossa:page:{current_generation}:{hashlib.sha256(address.encode()).hexdigest()}"
