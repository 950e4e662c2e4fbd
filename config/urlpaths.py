"""Paths of many rows without one ``reverse()`` each: the URL is reversed once, then filled in.

A sitemap file or an export names tens of thousands of pages; ``reverse()`` per row would cost
more than everything else about the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import reverse

_SAFE = re.compile(r"[-\w]+", re.ASCII)
_MARKER = "0123456789"


def path_maker(name: str) -> Callable[[object], str]:
    """A function giving ``reverse(name, args=[value])`` for one-argument URL ``name``.

    Values that reverse() would leave as they are (ASCII letters, digits, ``-`` and ``_``) are put
    in place directly; anything else goes through reverse() itself, which quotes it.
    """
    head, tail = reverse(name, args=[_MARKER]).rsplit(_MARKER, 1)

    def path(value) -> str:
        text = str(value)
        if _SAFE.fullmatch(text):
            return head + text + tail
        return reverse(name, args=[value])

    return path
