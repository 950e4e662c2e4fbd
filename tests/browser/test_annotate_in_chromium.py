"""The annotate view's script in a real browser: a selection becomes the selectors of the add form."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Annotation
from articles.models import Article, Paragraph
from tests.factories import ArticleFactory, ParagraphFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPEATED = "The price of bread rose in March. In April the price of bread rose again, said the bakers."

# Drag the mouse over characters [start, end) of a paragraph, as an editor would.
DRAG_POINTS = """
([paragraph, start, end]) => {
  const element = document.querySelector(`.annotate-text[data-paragraph="${paragraph}"]`);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const rectOf = (offset) => {
    let node, seen = 0;
    while ((node = walker.nextNode())) {
      if (offset < seen + node.length) {
        const range = document.createRange();
        range.setStart(node, offset - seen);
        range.setEnd(node, offset - seen + 1);
        return range.getBoundingClientRect();
      }
      seen += node.length;
    }
  };
  const first = rectOf(start);
  walker.currentNode = element;
  const last = rectOf(end - 1);
  return [first.left + 1, first.top + first.height / 2, last.right - 1, last.top + last.height / 2];
}
"""


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "glossa-demo")
    page.click("input[type=submit]")


def drag_select(page, paragraph: Paragraph, start: int, end: int) -> None:
    page.locator(f'.annotate-text[data-paragraph="{paragraph.pk}"]').scroll_into_view_if_needed()
    x1, y1, x2, y2 = page.evaluate(DRAG_POINTS, [paragraph.pk, start, end])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=5)
    page.mouse.up()


@pytest.fixture
def article_to_annotate():
    call_command("load_demo", with_users=True)
    article = ArticleFactory(title="Bread prices", status=Article.Status.DRAFT)
    ParagraphFactory(article=article, position=1, text="Bakers warned of higher prices this spring.")
    ParagraphFactory(article=article, position=2, text=REPEATED)
    return article


def test_selecting_a_repeated_phrase_fills_the_claim_form_with_its_selectors(
    live_server, page, screenshot, article_to_annotate
):
    paragraph = article_to_annotate.paragraphs.get(position=2)
    start = REPEATED.rindex("price of bread rose")
    end = start + len("price of bread rose")
    log_in(page, live_server, "checker")
    page.goto(f"{live_server.url}/admin/articles/article/{article_to_annotate.pk}/annotate/")

    drag_select(page, paragraph, start, end)
    expect(page.locator("#annotate-menu")).to_be_visible()
    page.get_by_role("button", name="Claim").click()

    expect(page.locator("#id_exact")).to_have_value("price of bread rose")
    assert page.input_value("#id_prefix") == REPEATED[max(0, start - 32) : start]
    assert page.input_value("#id_suffix") == REPEATED[end : end + 32]
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("#id_end") == str(end)
    assert page.input_value("#id_claim_text") == "price of bread rose"
    assert page.input_value("#id_claimant") == article_to_annotate.author.name

    page.select_option("#id_status", "review")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    annotation = Annotation.objects.get(article=article_to_annotate)
    assert (annotation.start, annotation.end, annotation.paragraph_id) == (start, end, paragraph.pk)


def test_a_selection_across_paragraphs_is_refused_with_a_message(live_server, page, article_to_annotate):
    first, second = article_to_annotate.paragraphs.order_by("position")
    log_in(page, live_server, "checker")
    page.goto(f"{live_server.url}/admin/articles/article/{article_to_annotate.pk}/annotate/")
    x1, y1, _, _ = page.evaluate(DRAG_POINTS, [first.pk, 10, 12])
    _, _, x2, y2 = page.evaluate(DRAG_POINTS, [second.pk, 3, 8])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=5)
    page.mouse.up()

    expect(page.locator("#annotate-status")).to_have_text(
        "Select text inside one paragraph: a selection cannot cross paragraphs."
    )
    expect(page.locator("#annotate-menu")).to_be_hidden()


def test_selection_across_highlighted_text_counts_characters_like_the_server(live_server, page, screenshot):
    call_command("load_demo", with_users=True)
    article = Article.objects.get()
    annotated = Annotation.objects.filter(paragraph__isnull=False).select_related("paragraph").first()
    paragraph = annotated.paragraph
    # From just before the highlighted quote to just after it: the selection spans marked and plain text.
    start, end = max(0, annotated.start - 6), min(len(paragraph.text), annotated.end + 6)
    while paragraph.text[start].isspace():
        start += 1
    while paragraph.text[end - 1].isspace():
        end -= 1
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/annotate/")
    page.screenshot(path=str(screenshot(page, "annotate-view")))

    drag_select(page, paragraph, start, end)
    expect(page.locator("#annotate-menu")).to_be_visible()
    page.screenshot(path=str(screenshot(page, "annotate-selection")))
    page.get_by_role("button", name="Note").click()

    assert page.input_value("#id_exact") == paragraph.text[start:end]
    assert page.input_value("#id_start") == str(start)
    assert page.input_value("#id_kind") == "note"
    page.screenshot(path=str(screenshot(page, "annotate-add-form")))
