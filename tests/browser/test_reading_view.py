from __future__ import annotations

import re
from itertools import pairwise

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import TimeoutError, expect

from annotations.models import Annotation
from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(live_server):
    call_command("load_demo")
    article = Article.objects.get(slug="multi-vector-policy-in-kazakh-style")
    return live_server.url + article.get_absolute_url()


def first_claim() -> Annotation:
    return Annotation.objects.published().claims().order_by("paragraph__position", "start").first()


def in_viewport(page, selector: str) -> bool:
    """Whether the element's top comes into the viewport (waiting out smooth scrolling)."""
    try:
        page.wait_for_function(
            """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                          return r.top >= 0 && r.top < window.innerHeight; }""",
            arg=selector,
            timeout=5000,
        )
    except TimeoutError:
        return False
    return True


def test_desktop_reading_view_puts_notes_in_the_margin(demo, page, screenshot):
    page.goto(demo)
    claim = first_claim()
    text = page.locator(f"#p-{claim.paragraph.key} .para-text").bounding_box()
    note = page.locator(f"#a-{claim.pk}").bounding_box()
    assert note["x"] >= text["x"] + text["width"]
    assert abs(note["y"] - text["y"]) < 40
    expect(page.locator(f"#a-{claim.pk} .badge")).to_have_text("Rating: Opinion")
    screenshot(page, "reading-desktop")


def test_phone_reading_view_puts_notes_after_their_paragraph(browser, demo, screenshot):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(demo)
    claim = first_claim()
    text = page.locator(f"#p-{claim.paragraph.key} .para-text").bounding_box()
    note = page.locator(f"#a-{claim.pk}").bounding_box()
    assert note["y"] >= text["y"] + text["height"] - 1
    assert note["x"] + note["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "reading-phone")
    context.close()


def test_keyboard_jumps_from_highlight_to_note_and_back(demo, page, screenshot):
    page.goto(demo)
    claim = first_claim()
    ref = page.locator(f"#r-{claim.pk}")
    ref.focus()
    page.keyboard.press("Enter")
    # The key press returns before the browser has followed the link; on a busy machine, well before.
    page.wait_for_url(re.compile(rf"#a-{claim.pk}$"))
    assert page.url.endswith(f"#a-{claim.pk}")
    assert page.evaluate("document.querySelector(':target').id") == f"a-{claim.pk}"
    assert in_viewport(page, f"#a-{claim.pk}")

    # The next Tab stop after the note's target is its number, a link back to the text.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == f"#r-{claim.pk}"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#r-{claim.pk}$"))
    assert page.url.endswith(f"#r-{claim.pk}")
    assert in_viewport(page, f"#r-{claim.pk}")
    screenshot(page, "keyboard-back-to-text")


def test_clicking_a_highlight_opens_its_note(demo, page):
    page.goto(demo)
    claim = first_claim()
    page.locator(f'mark[data-note="a-{claim.pk}"]').first.click()
    assert page.url.endswith(f"#a-{claim.pk}")
    assert page.evaluate("document.activeElement.id") == f"a-{claim.pk}"


def test_a_permalink_scrolls_to_its_note_and_paragraph(demo, page, live_server, screenshot):
    claim = Annotation.objects.published().order_by("-paragraph__position").first()
    page.goto(f"{demo}#a-{claim.pk}")
    assert in_viewport(page, f"#a-{claim.pk}")
    assert page.evaluate("document.querySelector(':target').id") == f"a-{claim.pk}"
    screenshot(page, "permalink-target")

    page.goto(f"{demo}#p-{claim.paragraph.key}")
    assert in_viewport(page, f"#p-{claim.paragraph.key}")

    page.goto(live_server.url + claim.get_absolute_url())
    page.get_by_role("link", name="Read it in the article").click()
    assert page.url.endswith(f"#a-{claim.pk}")
    assert in_viewport(page, f"#a-{claim.pk}")


@pytest.mark.parametrize(
    "path",
    ["/", "/articles/", "article", "annotation", "/claims/", "/tags/", "/tags/kazakhstan/", "/methodology/"],
)
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_axe_violations(browser, demo, live_server, path, viewport):
    if path == "article":
        url = demo
    elif path == "annotation":
        url = live_server.url + first_claim().get_absolute_url()
    else:
        url = live_server.url + path
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(url)
    results = Axe().run(page)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_print_shows_the_article_with_its_notes_and_no_site_chrome(demo, page, screenshot):
    page.emulate_media(media="print")
    page.goto(demo)
    claim = first_claim()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(f"#a-{claim.pk}")).to_be_visible()
    text = page.locator(f"#p-{claim.paragraph.key} .para-text").bounding_box()
    note = page.locator(f"#a-{claim.pk}").bounding_box()
    assert note["y"] >= text["y"] + text["height"] - 1
    screenshot(page, "reading-print")


TEXT_FLOW = """() => {
  const rows = [...document.querySelectorAll(".reading > .para")].map((section) => {
    const text = section.querySelector(".para-text").getBoundingClientRect();
    const notes = [...section.querySelectorAll(".note")].map((n) => n.getBoundingClientRect());
    return {top: text.top, bottom: text.bottom, right: text.right,
            notes: notes.map((n) => ({top: n.top, bottom: n.bottom, left: n.left}))};
  });
  return rows;
}"""


def test_long_notes_do_not_leave_gaps_in_the_text_column(demo, page, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(demo)
    screenshot(page, "reading-desktop-1280")
    rows = page.evaluate(TEXT_FLOW)
    assert any(len(row["notes"]) > 1 for row in rows)
    for above, below in pairwise(rows):
        assert below["top"] - above["bottom"] < 48
    notes = [note for row in rows for note in row["notes"]]
    for row in rows:
        for note in row["notes"]:
            assert note["left"] >= row["right"] and note["top"] >= row["top"] - 1
    for earlier, later in pairwise(notes):
        assert later["top"] >= earlier["bottom"]
