"""Small text helpers shared by models, the importer and the demo loader."""

from __future__ import annotations

import secrets
import unicodedata

from django.utils.text import slugify

KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_key(length: int = 8) -> str:
    """A short random key for permalinks; no look-alike characters."""
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(length))


def unique_slug(model, text: str, *, max_length: int = 120, exclude_pk=None) -> str:
    """A slug for ``text`` not yet used by ``model`` (suffixes -2, -3 ... on collision)."""
    base = slugify(unicodedata.normalize("NFKD", text))[:max_length].strip("-")
    if not base:
        base = slugify(text, allow_unicode=True)[:max_length].strip("-") or "untitled"
    candidates = model.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    taken = set(candidates.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        n += 1
    return slug
