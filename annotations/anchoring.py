"""Anchors inside a paragraph: a W3C TextQuote selector plus a TextPosition selector.

``locate`` turns what an editor gave (a quote, maybe with context and a position
hint) into a full selector, or explains why it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from diff_match_patch import diff_match_patch

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


def current_span(
    text: str, exact: str, prefix: str, suffix: str, start: int | None, end: int | None
) -> tuple[int, int] | None:
    """Where a stored quote sits in ``text`` now (``Annotation.current_span`` says how), from plain values."""
    if not exact:
        return None
    if start is not None and end is not None and text[start:end] == exact:
        return start, end
    try:
        found = locate(text, exact, prefix=prefix, suffix=suffix)
    except AnchorError:
        return None
    return found.start, found.end


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Re-anchoring after the paragraph text changed -------------------------------------------------

KEPT, MOVED, ORPHANED = "kept", "moved", "orphaned"

# A fuzzy match must keep this much of the quote (1 - edit distance / length) ...
MIN_QUOTE_SIMILARITY = 0.6
# ... and, weighted with how well prefix and suffix still agree, reach this score.
MIN_SCORE = 0.65
QUOTE_WEIGHT = 0.8


@dataclass(frozen=True)
class Reanchored:
    outcome: str  # kept, moved or orphaned
    selector: Selector | None  # None: whole paragraph (kept) or no confident match (orphaned)


def _dmp():
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    return dmp


def similarity(a: str, b: str) -> float:
    """1 for equal strings, 0 for nothing in common: one minus the edit distance over the longer length."""
    if not a and not b:
        return 1.0
    dmp = _dmp()
    return 1 - dmp.diff_levenshtein(dmp.diff_main(a, b, False)) / max(len(a), len(b))


class TextChange:
    """The alignment of an old paragraph text with its new text, for mapping positions across an edit."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        dmp = _dmp()
        self.diffs = dmp.diff_main(old, new)
        dmp.diff_cleanupSemantic(self.diffs)
        self._dmp = dmp
        # (new_start, new_end, old_start) of every stretch both texts share.
        self.unchanged: list[tuple[int, int, int]] = []
        old_at = new_at = 0
        for op, chunk in self.diffs:
            if op == 0:
                self.unchanged.append((new_at, new_at + len(chunk), old_at))
            if op != 1:
                old_at += len(chunk)
            if op != -1:
                new_at += len(chunk)

    def new_position(self, old_position: int) -> int:
        return self._dmp.diff_xIndex(self.diffs, old_position)

    def old_position_of_unchanged(self, start: int, end: int) -> int | None:
        """Where new[start:end] was in the old text, if that stretch came through the edit untouched."""
        for new_start, new_end, old_start in self.unchanged:
            if new_start <= start and end <= new_end:
                return old_start + (start - new_start)
        return None


@lru_cache(maxsize=16)
def text_change(old: str, new: str) -> TextChange:
    """The alignment is the same for every annotation of a paragraph: compute it once."""
    return TextChange(old, new)


def reanchor(
    old_text: str, new_text: str, *, exact: str, prefix: str, suffix: str, start: int | None
) -> Reanchored:
    """Find the annotated passage in the edited paragraph: exact position, exact quote, then fuzzy.

    Never settles on a copy of the quote that was already elsewhere in the old text: an edit that
    removes the quote orphans the annotation even when the same words remain in another place.
    """
    if not exact:
        return Reanchored(KEPT, None)
    if start is None or old_text[start : start + len(exact)] != exact:
        start = _old_start(old_text, exact, prefix, suffix, start)
        if start is None:
            return Reanchored(ORPHANED, None)
    end = start + len(exact)
    if old_text == new_text:
        return Reanchored(KEPT, selector_at(new_text, start, end))
    change = text_change(old_text, new_text)

    # 1. The same position, carried through the edit.
    mapped_start, mapped_end = change.new_position(start), change.new_position(end)
    if new_text[mapped_start : mapped_start + len(exact)] == exact and change.old_position_of_unchanged(
        mapped_start, mapped_start + len(exact)
    ) in (None, start):
        outcome = KEPT if mapped_start == start else MOVED
        return Reanchored(outcome, selector_at(new_text, mapped_start, mapped_start + len(exact)))

    # 2. The exact quote somewhere else (a moved sentence), but not a copy that was there before.
    candidates = [
        found
        for found in occurrences(new_text, exact)
        if change.old_position_of_unchanged(found, found + len(exact)) in (None, start)
    ]
    if candidates:
        best = _best_by_context(new_text, candidates, len(exact), prefix, suffix)
        if best is None:
            return Reanchored(ORPHANED, None)
        return Reanchored(MOVED, selector_at(new_text, best, best + len(exact)))

    # 3. Fuzzy: the edited passage where the quote was, if it is still recognisably the quote.
    candidate = new_text[mapped_start:mapped_end]
    if not candidate.strip():
        return Reanchored(ORPHANED, None)
    quote_score = similarity(exact, candidate)
    selector = selector_at(new_text, mapped_start, mapped_end)
    context = similarity(prefix + "\x00" + suffix, selector.prefix + "\x00" + selector.suffix)
    score = QUOTE_WEIGHT * quote_score + (1 - QUOTE_WEIGHT) * context
    if quote_score >= MIN_QUOTE_SIMILARITY and score >= MIN_SCORE:
        return Reanchored(MOVED, selector)
    return Reanchored(ORPHANED, None)


def _old_start(text: str, exact: str, prefix: str, suffix: str, start: int | None) -> int | None:
    """The stored position no longer matches the stored text (an old record): place the quote afresh."""
    try:
        return locate(text, exact, prefix=prefix, suffix=suffix, start=start).start
    except AnchorError:
        return None


def _best_by_context(text: str, starts: list[int], length: int, prefix: str, suffix: str) -> int | None:
    if len(starts) == 1:
        return starts[0]
    scored = sorted(((context_score(text, s, s + length, prefix, suffix), s) for s in starts), reverse=True)
    return scored[0][1] if scored[0][0] > scored[1][0] else None
