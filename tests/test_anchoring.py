"""Re-anchoring after paragraph edits: examples, then properties over random edits."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.anchoring import KEPT, MOVED, ORPHANED, reanchor, selector_at

# Filler words share no word with the quote, so no edit of the filler can recreate the quote.
FILLER = ["river", "stone", "paper", "window", "green", "quiet", "seven", "market", "bridge", "winter"]
QUOTE = "the grain harvest doubled in 2023"

PROPERTY_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


def anchored(text: str, start: int, length: int) -> dict:
    selector = selector_at(text, start, start + length)
    return {"exact": selector.exact, "prefix": selector.prefix, "suffix": selector.suffix, "start": start}


def test_an_unchanged_paragraph_keeps_its_anchor():
    text = f"Before it. {QUOTE}, they said."
    result = reanchor(text, text, **anchored(text, 11, len(QUOTE)))
    assert result.outcome == KEPT
    assert result.selector.start == 11


def test_text_inserted_before_the_quote_moves_it():
    old = f"Officials said {QUOTE}."
    new = f"In a statement on Monday, officials said {QUOTE}."
    result = reanchor(old, new, **anchored(old, old.index(QUOTE), len(QUOTE)))
    assert result.outcome == MOVED
    assert result.selector.start == new.index(QUOTE)
    assert result.selector.prefix == new[: new.index(QUOTE)][-32:]


def test_a_typo_fixed_inside_the_quote_moves_the_anchor_over_the_corrected_words():
    quote = "the grain harvst doubled in 2023"
    old = f"Officials said {quote}, a record."
    new = f"Officials said {QUOTE}, a record."
    result = reanchor(old, new, **anchored(old, old.index(quote), len(quote)))
    assert result.outcome == MOVED
    assert result.selector.exact == QUOTE


def test_a_sentence_moved_to_the_end_is_found_again():
    old = f"{QUOTE.capitalize()}. Prices fell. Exports rose."
    new = f"Prices fell. Exports rose. {QUOTE.capitalize()}."
    result = reanchor(old, new, **anchored(old, 0, len(QUOTE)))
    assert result.outcome == MOVED
    assert result.selector.start == new.index(QUOTE.capitalize())


def test_removing_the_quote_orphans_the_annotation():
    old = f"Officials said {QUOTE}, a record."
    new = "Officials said little, a record."
    result = reanchor(old, new, **anchored(old, old.index(QUOTE), len(QUOTE)))
    assert result.outcome == ORPHANED
    assert result.selector is None


def test_removing_one_of_two_copies_never_moves_the_annotation_to_the_other():
    old = f"First {QUOTE} here. Then {QUOTE} again."
    second = old.rindex(QUOTE)
    new = old[:second] + old[second + len(QUOTE) :]
    result = reanchor(old, new, **anchored(old, second, len(QUOTE)))
    assert result.outcome == ORPHANED


def test_rewriting_the_quote_completely_orphans_it():
    old = f"Officials said {QUOTE}."
    new = "Officials said exports to China fell sharply."
    result = reanchor(old, new, **anchored(old, old.index(QUOTE), len(QUOTE)))
    assert result.outcome == ORPHANED


def test_a_whole_paragraph_annotation_is_always_kept():
    result = reanchor("old words", "entirely new words", exact="", prefix="", suffix="", start=None)
    assert result.outcome == KEPT


# Properties ------------------------------------------------------------------------------------

words = st.lists(st.sampled_from(FILLER), min_size=0, max_size=12).map(" ".join)
nonempty_words = st.lists(st.sampled_from(FILLER), min_size=1, max_size=12).map(" ".join)


@st.composite
def edited(draw, text: str) -> str:
    """``text`` with a random span replaced by random filler words (an insertion, deletion or rewrite)."""
    if not text:
        return draw(words)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, min(len(text), a + 20)))
    return text[:a] + draw(st.sampled_from(["", " "])) + draw(words) + text[b:]


@PROPERTY_SETTINGS
@given(st.data(), words, words)
def test_edits_around_a_quote_never_lose_it(data, before, after):
    old = f"{before} {QUOTE} {after}"
    start = len(before) + 1
    new_before = data.draw(edited(before))
    new_after = data.draw(edited(after))
    new = f"{new_before} {QUOTE} {new_after}"

    result = reanchor(old, new, **anchored(old, start, len(QUOTE)))

    assert result.outcome in {KEPT, MOVED}
    assert result.selector.start == len(new_before) + 1
    assert result.selector.exact == QUOTE
    assert result.outcome == (KEPT if result.selector.start == start else MOVED)


@PROPERTY_SETTINGS
@given(st.data(), words, nonempty_words, words, st.booleans())
def test_a_repeated_quote_stays_on_its_own_copy(data, before, between, after, second):
    old = f"{before} {QUOTE} {between} {QUOTE} {after}"
    start = old.rindex(QUOTE) if second else old.index(QUOTE)
    new_before, new_after = data.draw(edited(before)), data.draw(edited(after))
    new_between = data.draw(edited(between).filter(bool))
    new = f"{new_before} {QUOTE} {new_between} {QUOTE} {new_after}"
    expected = new.rindex(QUOTE) if second else new.index(QUOTE)

    result = reanchor(old, new, **anchored(old, start, len(QUOTE)))

    # Orphaning is allowed when nothing tells the copies apart; landing on the other copy never is.
    assert result.outcome == ORPHANED or result.selector.start == expected


@PROPERTY_SETTINGS
@given(st.data(), words, words, st.booleans(), st.integers(0, 3), st.integers(0, 3))
def test_removing_the_quote_orphans_even_when_a_copy_remains(data, before, after, copy, trim_l, trim_r):
    """The quote is deleted, with a few characters on either side; another copy may survive elsewhere."""
    head = f"{before} {QUOTE} river" if copy else before
    old = f"{head} {QUOTE} {after}"
    start = old.rindex(QUOTE)
    cut_from, cut_to = max(len(head), start - trim_l), min(len(old), start + len(QUOTE) + trim_r)
    new = old[:cut_from] + data.draw(st.sampled_from(["", " ", " stone "])) + old[cut_to:]

    result = reanchor(old, new, **anchored(old, start, len(QUOTE)))

    assert result.outcome == ORPHANED
    assert result.selector is None


@PROPERTY_SETTINGS
@given(st.data(), words, words)
def test_one_changed_character_inside_the_quote_moves_the_anchor_onto_the_edited_quote(data, before, after):
    old = f"{before} {QUOTE} {after}"
    start = len(before) + 1
    at = data.draw(st.integers(0, len(QUOTE) - 1))
    replacement = data.draw(st.sampled_from("xyzXYZ#"))
    new_quote = QUOTE[:at] + replacement + QUOTE[at + 1 :]
    new = f"{before} {new_quote} {after}"

    result = reanchor(old, new, **anchored(old, start, len(QUOTE)))

    assert result.outcome == MOVED
    assert (result.selector.start, result.selector.end) == (start, start + len(new_quote))
    assert result.selector.exact == new_quote


@PROPERTY_SETTINGS
@given(words, words, nonempty_words)
def test_replacing_the_quote_with_other_words_orphans_it(before, after, replacement):
    old = f"{before} {QUOTE} {after}"
    new = f"{before} {replacement} {after}"

    result = reanchor(old, new, **anchored(old, len(before) + 1, len(QUOTE)))

    assert result.outcome == ORPHANED


@PROPERTY_SETTINGS
@given(st.data(), words, words)
def test_any_edit_gives_a_selector_that_matches_the_new_text_or_an_orphan(data, before, after):
    old = f"{before} {QUOTE} {after}"
    new = data.draw(edited(old))

    result = reanchor(old, new, **anchored(old, len(before) + 1, len(QUOTE)))

    if result.outcome == ORPHANED:
        assert result.selector is None
    else:
        selector = result.selector
        assert new[selector.start : selector.end] == selector.exact
        assert selector == selector_at(new, selector.start, selector.end)
        assert selector.exact.strip()


@PROPERTY_SETTINGS
@given(st.data(), words, words, words)
def test_an_edit_inside_the_quote_moves_onto_the_edited_quote_or_orphans(data, before, after, inserted):
    old = f"{before} {QUOTE} {after}"
    start = len(before) + 1
    a = data.draw(st.integers(0, len(QUOTE)))
    b = data.draw(st.integers(a, len(QUOTE)))
    new_quote = QUOTE[:a] + inserted + QUOTE[b:]
    new = f"{before} {new_quote} {after}"

    result = reanchor(old, new, **anchored(old, start, len(QUOTE)))

    if a == b and a in (0, len(QUOTE)):
        # Words added just outside the quote leave the quote itself intact.
        assert result.selector.start == new.index(QUOTE, start)
        assert result.selector.exact == QUOTE
    else:
        # Never anywhere but the edited passage itself.
        assert result.outcome == ORPHANED or (result.selector.start, result.selector.end) == (
            start,
            start + len(new_quote),
        )
