"""Anchors inside a paragraph: a W3C TextQuote selector plus a TextPosition selector.

``locate`` turns what an editor gave (a quote, maybe with context and a position
hint) into a full selector, or explains why it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


class AnchorError(ValueError):
    """The quote cannot be placed in the paragraph; the message says why."""


@dataclass(frozen=True)
class Selector:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def selector_at(text: str, start: int, end: int) -> Selector:
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def occurrences(text: str, exact: str) -> list[int]:
    found, index = [], text.find(exact)
    while index != -1:
        found.append(index)
        index = text.find(exact, index + 1)
    return found


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the given prefix and suffix agree with the text around [start, end)."""
    score = 0
    before = text[:start]
    for a, b in zip(reversed(before), reversed(prefix), strict=False):
        if a != b:
            break
        score += 1
    after = text[end:]
    for a, b in zip(after, suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def locate(
    text: str,
    exact: str,
    *,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
) -> Selector:
    """Place ``exact`` in ``text``; a repeated quote is told apart by position, then context."""
    if not exact:
        raise AnchorError("The quote is empty.")
    if start is not None and text[start : start + len(exact)] == exact:
        return selector_at(text, start, start + len(exact))
    starts = occurrences(text, exact)
    if not starts:
        raise AnchorError(f"The quote “{_short(exact)}” does not occur in this paragraph.")
    if len(starts) == 1:
        return selector_at(text, starts[0], starts[0] + len(exact))
    scored = sorted(
        ((context_score(text, s, s + len(exact), prefix, suffix), s) for s in starts), reverse=True
    )
    if scored[0][0] > scored[1][0]:
        best = scored[0][1]
        return selector_at(text, best, best + len(exact))
    raise AnchorError(
        f"The quote “{_short(exact)}” occurs {len(starts)} times in this paragraph; "
        "select a longer passage or give its position."
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
