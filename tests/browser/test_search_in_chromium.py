from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.data import make_archive

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_searches_refines_by_facet_and_downloads(live_server, page, screenshot):
    make_archive()
    page.goto(f"{live_server.url}/search/")
    expect(page.get_by_role("img", name="Ratings per outlet in these results")).to_be_visible()
    page.get_by_label("Words").fill("gas")
    page.locator("#main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 annotations")).to_be_visible()
    expect(page.locator("mark").first).to_have_text(re.compile("gas", re.IGNORECASE))
    page.locator(".facet").filter(has_text="Tags").get_by_role("link", name="energy").click()
    expect(page.get_by_role("heading", name="1 annotation")).to_be_visible()
    assert "tag=energy" in page.url and "q=gas" in page.url
    screenshot(page, "search-refined")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "glossa-annotations.csv"


def test_a_bad_date_is_explained_on_the_page(live_server, page):
    page.goto(f"{live_server.url}/search/?from=2024-02-30")
    expect(page.get_by_role("alert")).to_contain_text("Enter dates as YYYY-MM-DD")
