from __future__ import annotations

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import UserFactory
from tests.import_samples import FIXTURES, SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_several_files_are_imported_from_the_article_list(live_server, page, screenshot, tmp_path):
    UserFactory(username="chief", is_superuser=True)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-for-tests")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.get_by_role("link", name="Import articles").click()
    page.set_input_files("input[name=files]", [str(SAMPLE), str(FIXTURES / "opinion-page.html"), str(empty)])
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-results tbody tr")).to_have_count(3)
    expect(page.get_by_text("Not imported: The file is empty.")).to_be_visible()
    screenshot(page, "admin-import-results")
    page.get_by_role("link", name="Multi-vector policy in Kazakh style").click()
    expect(page.locator("#id_title")).to_have_value("Multi-vector policy in Kazakh style")
    assert Article.objects.count() == 2
