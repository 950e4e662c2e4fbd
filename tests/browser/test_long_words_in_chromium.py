"""Long unbroken words from editors (names, quotes, titles) stay inside their cards."""

from __future__ import annotations

import pytest

from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    CitationFactory,
    ParagraphFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Abdulkhakimovichzhanibekovsultanmakhmutovnazarbayevich" * 3

OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.scrollWidth > el.clientWidth + 1)
  .map((el) => el.className)"""


@pytest.fixture
def long_words(live_server):
    paragraph = ParagraphFactory(article=ArticleFactory(title="Title" + LONG), text=f"Said {LONG} today.")
    claim = AnnotationFactory(paragraph=paragraph, exact=LONG, claimant=LONG, claim_text=LONG, body=LONG)
    CitationFactory(annotation=claim, source=SourceFactory(title=LONG, publisher=LONG), quote=LONG)
    return live_server.url, claim


@pytest.mark.parametrize("width", [1280, 390])
def test_long_unbroken_words_wrap_inside_note_cards(long_words, page, width):
    base, claim = long_words
    page.set_viewport_size({"width": width, "height": 900})
    for path in (claim.article.get_absolute_url(), claim.get_absolute_url(), "/claims/", "/"):
        page.goto(base + path)
        assert (
            page.evaluate(OVERFLOWING, ".note, .claim-card, .para-text, .reading-header, .article-item") == []
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width
