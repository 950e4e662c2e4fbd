"""Text rules shared by models, forms, the importer and the demo loader."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify

KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
# Base 32 letters to key letters, one for one: every random byte string gives a uniform key.
_BASE32_TO_KEY = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", KEY_ALPHABET)

# C0 and C1 control characters except tab and newline, and the lone surrogates no encoder accepts.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text as the archive keeps it: carriage returns become newlines, other control characters go.

    The one rule for every way text comes in (imports, admin forms, the shell): an escape or a
    null character in a name or a paragraph is never stored, so no page, feed or export meets one.
    """
    if not text:
        return text
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class CleanTextMixin:
    """Model mixin: every text field is cleaned (``clean_text``) before validation and before saving."""

    def clean_text_fields(self) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, clean_text(value))

    def clean_fields(self, exclude=None) -> None:
        self.clean_text_fields()
        super().clean_fields(exclude)

    def save(self, *args, **kwargs) -> None:
        self.clean_text_fields()
        super().save(*args, **kwargs)


# Quotes, dashes and invisible characters that differ between copies of one text.
SAME_CHARACTERS = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»″〝〞＂", '"'),
        **dict.fromkeys("‘’‚‛‹›′`", "'"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)


def normalised_text(paragraphs: list[str]) -> str:
    """An article's text reduced to what a copy of it keeps: Unicode compatibility forms (NFKC),
    one kind of quote and dash, no invisible characters, single spaces, one line per paragraph."""
    lines = (
        " ".join(unicodedata.normalize("NFKC", text).translate(SAME_CHARACTERS).split())
        for text in paragraphs
    )
    return "\n".join(line for line in lines if line)


def text_hash(paragraphs: list[str]) -> str:
    """The SHA-256 of ``normalised_text``: the same text, however it was saved, has the same hash."""
    return hashlib.sha256(normalised_text(paragraphs).encode()).hexdigest()


def new_key(length: int = 8) -> str:
    """A short random key for permalinks; no look-alike characters.

    Five random bytes are eight base 32 letters: one call for the randomness rather than one per
    letter (an import draws a key for every paragraph)."""
    drawn = base64.b32encode(secrets.token_bytes(-(-length * 5 // 8))).decode()
    return drawn[:length].translate(_BASE32_TO_KEY)


def new_keys(count: int, taken: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """``count`` distinct keys, none of them in ``taken`` (the keys an article already has).

    Random keys collide now and then (among 400,000 eight-letter keys two are alike about one time in
    fourteen); drawing again until the key is new makes every key unique by construction.
    """
    keys: list[str] = []
    seen = set(taken)
    while len(keys) < count:
        key = new_key()
        if key not in seen:
            seen.add(key)
            keys.append(key)
    return keys


def ascii_slug(text: str, max_length: int = 120) -> str:
    """An ASCII slug: every script transliterated (anyascii), accents dropped."""
    return slugify(anyascii(text))[:max_length].strip("-")


def unique_slug(model, text: str, *, max_length: int = 120, exclude_pk=None) -> str:
    """A slug for ``text`` not yet used by ``model`` (suffixes -2, -3 ... on collision)."""
    base = ascii_slug(text, max_length) or model._meta.model_name
    candidates = model.objects.filter(slug__startswith=base).order_by()
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    taken = set(candidates.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        n += 1
    return slug
