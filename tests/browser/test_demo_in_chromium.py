from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_article_opens_in_chromium(live_server, page, screenshot):
    call_command("load_demo")
    page.goto(f"{live_server.url}/")
    page.locator(".article-list").get_by_role("link", name="Multi-vector policy in Kazakh style").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Multi-vector policy in Kazakh style")
    assert page.locator("section.para").count() == 15
    assert "Sergey Saenko" in page.locator(".byline").inner_text()
    assert screenshot(page, "demo-article").stat().st_size > 0


def test_editor_logs_in_and_finds_the_demo_article(live_server, page, screenshot):
    call_command("load_demo", with_users=True)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "glossa-demo")
    page.click("input[type=submit]")
    page.locator("a[href='/admin/articles/article/']").first.click()
    expect(page.get_by_role("link", name="Multi-vector policy in Kazakh style")).to_be_visible()
    screenshot(page, "admin-article-list")
