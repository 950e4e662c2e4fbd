"""In a real browser: the admin works under the strict CSP, and hostile input never runs or injects."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import ArticleFactory, ParagraphFactory, UserFactory
from tests.hostile import PAYLOADS, enter_through_admin
from tests.urlwalk import flatten, public_urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED_JS = "document.querySelectorAll('[data-pwned], #pwned').length"


class Watch:
    """Dialogs, script errors and CSP violations seen by a page."""

    def __init__(self, page):
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.csp: list[str] = []
        self.page = page
        self.xml_urls: set[str] = set()
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        about_csp = "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
        # Chromium styles its own tree view of an XML document inline; that is not our markup.
        if about_csp and self.page.url not in self.xml_urls:
            self.csp.append(message.text)


def log_in_with_session(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_the_admin_works_under_the_csp_in_chromium(live_server, page, screenshot):
    UserFactory(username="desk", group="Editors", password="a-long-test-password")
    article = ArticleFactory(title="Existing article")
    ParagraphFactory(article=article, position=1)
    watch = Watch(page)

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "desk")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page.get_by_role("heading", name="Editors' desk")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('admin:articles_article_add')}")
    # Admin JavaScript runs: the slug is prepopulated from the title, inline rows are added.
    page.locator("#id_title").press_sequentially("Budget talk in the capital")
    expect(page.locator("#id_slug")).to_have_value("budget-talk-in-the-capital")
    rows_before = page.locator("tr.form-row.dynamic-paragraphs").count()
    page.locator(".add-row a", has_text="Add another Paragraph").click()
    assert page.locator("tr.form-row.dynamic-paragraphs").count() == rows_before + 1
    page.fill("#id_paragraphs-0-position", "1")
    page.fill("#id_paragraphs-0-text", "The minister spoke about the budget.")
    page.locator("details summary", has_text="Provenance").click()
    page.locator("#id_published_on").fill("2025-02-04")
    screenshot(page, "admin-article-add-under-csp")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.goto(f"{live_server.url}{reverse('admin:annotations_annotation_add')}")
    # The paragraph autocomplete (select2) opens and searches under the policy.
    page.locator(".field-paragraph .select2-selection").click()
    page.locator(".select2-search__field").fill("budget")
    expect(page.locator(".select2-results__option").first).to_contain_text("minister")
    page.keyboard.press("Escape")
    page.goto(f"{live_server.url}{reverse('admin:articles_article_changelist')}")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("2 of 2 selected")

    assert not watch.csp, watch.csp[:3]
    assert not watch.errors, watch.errors[:3]


def test_hostile_input_never_runs_or_injects_in_chromium(live_server, page, browser):
    editor = UserFactory(username="desk", group="Editors")
    client = Client()
    client.force_login(editor)
    # Every payload goes through the admin and onto every page in tests/test_hostile_input.py; the
    # browser gets one payload in three, of every kind, to show that nothing runs.
    payloads = PAYLOADS[::3]
    entered = enter_through_admin(client, payloads)
    assert not entered.problems, entered.problems[:3]
    assert len(entered.articles) == len(payloads)

    watch = Watch(page)
    # The test client finds which reversed URLs exist; Chromium then opens each of them.
    reader = Client()
    served = {url: reader.get(url) for url in flatten(public_urls())}
    urls = [url for url, response in served.items() if response.status_code == 200]
    assert len(urls) >= 2 * len(payloads)
    for url in urls:
        if "xml" in served[url].get("Content-Type", ""):
            watch.xml_urls.add(f"{live_server.url}{url}")
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        assert page.evaluate(INJECTED_JS) == 0, url
    assert not watch.dialogs, watch.dialogs[:3]
    # A blocked inline script would mean a payload reached the page as markup.
    assert not watch.csp, watch.csp[:3]

    staff_context = browser.new_context()
    staff_page = staff_context.new_page()
    staff_watch = Watch(staff_page)
    log_in_with_session(staff_page, live_server, get_user_model().objects.get(username="desk"))
    staff_urls = [
        reverse("admin:articles_article_changelist"),
        reverse("admin:annotations_annotation_changelist"),
    ]
    staff_urls += [reverse("admin:articles_article_change", args=[a.pk]) for a in entered.articles[::4]]
    staff_urls += [
        reverse("admin:annotations_annotation_change", args=[a.pk]) for a in entered.annotations[::8]
    ]
    staff_urls += [a.get_absolute_url() for a in entered.articles[::4]]
    for url in staff_urls:
        response = staff_page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        assert staff_page.evaluate(INJECTED_JS) == 0, url
    staff_context.close()
    assert not staff_watch.dialogs, staff_watch.dialogs[:3]
    assert not staff_watch.csp, staff_watch.csp[:3]
