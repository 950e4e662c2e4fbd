"""The editors' admin fits a 1280px screen: no columns or inlines only reachable by scrolling sideways."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from annotations.models import Annotation
from articles.models import Article
from tests.browser.test_annotate_in_chromium import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280

WIDEST_RIGHT_EDGE = """(selector) => Math.max(0, ...[...document.querySelectorAll(selector)]
  .map((el) => el.getBoundingClientRect().right))"""


@pytest.fixture
def editor_page(live_server, page):
    call_command("load_demo", with_users=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})
    log_in(page, live_server, "editor")
    return page


SCROLLING_SIDEWAYS = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.className || el.tagName)"""


def fits(page, selector: str, containers: str) -> bool:
    """Nothing wider than the window, and no container that hides columns behind a scrollbar."""
    return (
        page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        and page.evaluate(WIDEST_RIGHT_EDGE, selector) <= WIDTH
        and page.evaluate(SCROLLING_SIDEWAYS, containers) == []
    )


def test_article_list_shows_every_column_without_sideways_scrolling(editor_page, live_server, screenshot):
    editor_page.goto(f"{live_server.url}/admin/articles/article/")
    screenshot(editor_page, "admin-article-list")
    assert editor_page.locator("#result_list th.column-annotation_count").is_visible()
    assert fits(editor_page, "#result_list th, #result_list td", "#changelist-form .results, #changelist")


def test_article_form_paragraph_inline_fits_the_page(editor_page, live_server, screenshot):
    article = Article.objects.get(slug="multi-vector-policy-in-kazakh-style")
    editor_page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    screenshot(editor_page, "admin-article-form")
    assert fits(
        editor_page, ".inline-group textarea, .inline-group td", ".inline-group, .inline-group fieldset"
    )


def test_annotation_form_citations_inline_fits_the_page(editor_page, live_server, screenshot):
    annotation = Annotation.objects.filter(citations__isnull=False).first()
    editor_page.goto(f"{live_server.url}/admin/annotations/annotation/{annotation.pk}/change/")
    screenshot(editor_page, "admin-annotation-form")
    assert fits(
        editor_page, ".inline-group textarea, .inline-group td", ".inline-group, .inline-group fieldset"
    )
