"""Small text helpers shared by models, the importer and the demo loader."""

from __future__ import annotations

import secrets
import unicodedata

from django.utils.text import slugify

KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_key(length: int = 8) -> str:
    """A short random key for permalinks; no look-alike characters."""
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(length))


# Cyrillic to Latin (Russian, Ukrainian, Belarusian and Kazakh letters), close to common
# passport-style transliteration. Slugs must be ASCII: the public URLs use the <slug:> converter.
CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўәғқңөұүһ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "i",
            "ie",
            "g",
            "u",
            "a",
            "g",
            "q",
            "n",
            "o",
            "u",
            "u",
            "h",
        ],
        strict=True,
    )
)


def transliterate(text: str) -> str:
    out = []
    for char in text:
        lower = char.lower()
        if lower in CYRILLIC:
            latin = CYRILLIC[lower]
            out.append(latin.capitalize() if char != lower else latin)
        else:
            out.append(char)
    return "".join(out)


def ascii_slug(text: str, max_length: int = 120) -> str:
    """An ASCII slug: Cyrillic transliterated, accents dropped, other scripts left out."""
    folded = unicodedata.normalize("NFKD", transliterate(text)).encode("ascii", "ignore").decode()
    return slugify(folded)[:max_length].strip("-")


def unique_slug(model, text: str, *, max_length: int = 120, exclude_pk=None) -> str:
    """A slug for ``text`` not yet used by ``model`` (suffixes -2, -3 ... on collision)."""
    base = ascii_slug(text, max_length) or model._meta.model_name
    candidates = model.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    taken = set(candidates.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base[: max_length - len(str(n)) - 1]}-{n}"
        n += 1
    return slug
