from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.models import Annotation
from annotations.rendering import Span, highlight, reading_paragraphs
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory


def span(pk: int, start: int | None, end: int | None, kind: str = "claim", number: int | None = None) -> Span:
    return Span(pk=pk, number=number or pk, kind=kind, start=start, end=end)


def test_it_escapes_every_piece_of_paragraph_text():
    text = '<script>alert(1)</script> & "quotes" <b>bold</b>'
    html = highlight(text, [span(1, 0, 25)])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; &quot;quotes&quot; &lt;b&gt;bold&lt;/b&gt;" in html


def test_a_span_is_marked_and_followed_by_its_reference_link():
    html = highlight("The quick brown fox jumps.", [span(7, 10, 19, number=3)])
    assert html.startswith("The quick ")
    assert (
        '<mark class="hl hl-claim" data-note="a-7">brown fox</mark><a class="ref ref-claim" href="#a-7" id="r-7">'
        in html
    )
    assert '<span class="visually-hidden">note </span>3</a> jumps.' in html


def test_overlapping_spans_are_cut_into_valid_pieces():
    # "quick brown" (4..15) and "brown fox" (10..19) cross each other.
    html = highlight("The quick brown fox jumps.", [span(1, 4, 15), span(2, 10, 19, kind="note")])
    assert html.count("<mark") == html.count("</mark>") == 3
    assert '<mark class="hl hl-claim" data-note="a-1">quick </mark>' in html
    assert (
        '<mark class="hl hl-note hl-overlap hl-also-claim" data-note="a-2" data-notes="a-2 a-1">brown</mark>'
        in html
    )
    assert '<mark class="hl hl-note" data-note="a-2"> fox</mark>' in html
    # Each reference link sits where its own span ends.
    assert html.index('id="r-1"') < html.index(" fox</mark>") < html.index('id="r-2"')


def test_a_nested_span_takes_the_inner_colour_where_it_lies():
    html = highlight("The quick brown fox jumps.", [span(1, 0, 25), span(2, 10, 15, kind="source")])
    assert (
        '<mark class="hl hl-source hl-overlap hl-also-claim" data-note="a-2" data-notes="a-2 a-1">brown</mark>'
        in html
    )
    assert '<mark class="hl hl-claim" data-note="a-1">The quick </mark>' in html
    assert html.count('id="r-1"') == html.count('id="r-2"') == 1


def test_a_note_over_the_start_of_a_claim_marks_the_overlap_as_both():
    # A note on "The quick brown" (0..15) overlaps the start of a claim on "brown fox" (10..19).
    html = highlight(
        "The quick brown fox jumps.", [span(1, 10, 19, kind="claim"), span(2, 0, 15, kind="note")]
    )
    overlap = re.search(r'<mark class="([^"]+)"[^>]*>brown</mark>', html)
    assert overlap is not None
    classes = set(overlap.group(1).split())
    assert "hl-overlap" in classes
    assert {"hl-claim", "hl-also-note"} <= classes or {"hl-note", "hl-also-claim"} <= classes
    assert 'data-notes="a-1 a-2"' in overlap.group(0) or 'data-notes="a-2 a-1"' in overlap.group(0)
    # No <mark> inside another: every mark holds plain text.
    assert len(re.findall(r"<mark[^>]*>[^<]*</mark>", html)) == html.count("<mark") == 3


def test_a_whole_paragraph_annotation_gets_its_link_at_the_end_and_no_mark():
    html = highlight("Plain text.", [span(5, None, None, kind="note")])
    assert "<mark" not in html
    assert html.startswith("Plain text.")
    assert html.endswith('<span class="visually-hidden">note </span>5</a>')


@pytest.mark.django_db
def test_stale_offsets_fall_back_to_the_quote_then_to_the_whole_paragraph():
    annotation = AnnotationFactory.build(exact="brown fox", start=0, end=9)
    assert annotation.current_span("The quick brown fox.") == (10, 19)
    assert annotation.current_span("Nothing to see.") is None


@pytest.mark.django_db
def test_reading_paragraphs_number_notes_in_reading_order_and_hide_drafts():
    article = ArticleFactory()
    first = ParagraphFactory(article=article, position=1, text="Alpha beta gamma delta.")
    second = ParagraphFactory(article=article, position=2, text="Epsilon zeta eta.")
    late = AnnotationFactory(paragraph=first, exact="gamma")
    early = AnnotationFactory(paragraph=first, exact="Alpha")
    whole = AnnotationFactory(paragraph=first, exact="", kind=Annotation.Kind.NOTE, rating=None)
    AnnotationFactory(paragraph=second, exact="zeta", status=Annotation.Status.DRAFT)
    later = AnnotationFactory(paragraph=second, exact="Epsilon")

    paragraphs = reading_paragraphs(article, user=None).paragraphs

    assert [[n.pk for n in p.notes] for p in paragraphs] == [[early.pk, late.pk, whole.pk], [later.pk]]
    assert [n.number for p in paragraphs for n in p.notes] == [1, 2, 3, 4]
    assert paragraphs[0].whole is True
    assert "zeta</mark>" not in paragraphs[1].html


@st.composite
def text_and_spans(draw):
    text = draw(st.text(alphabet="ab <>&\"'é\n", min_size=1, max_size=40))
    count = draw(st.integers(min_value=0, max_value=6))
    spans = []
    for pk in range(1, count + 1):
        if draw(st.booleans()):
            start = draw(st.integers(min_value=0, max_value=len(text) - 1))
            end = draw(st.integers(min_value=start + 1, max_value=len(text)))
        else:
            start = end = None
        spans.append(span(pk, start, end, kind=draw(st.sampled_from(["claim", "source", "note"]))))
    return text, spans


@given(text_and_spans())
def test_highlighting_keeps_the_text_and_gives_each_span_one_link(case):
    text, spans = case
    html = str(highlight(text, spans))
    without_refs = re.sub(r'<a class="ref [^"]+" href="#a-\d+" id="r-\d+">.*?</a>', "", html)
    assert unescape(re.sub(r"<[^>]+>", "", without_refs)) == text
    assert html.count("<mark") == html.count("</mark>")
    assert "<mark" not in re.sub(r"<mark[^>]*>[^<]*</mark>", "", html)
    for s in spans:
        assert html.count(f'id="r-{s.pk}"') == 1
