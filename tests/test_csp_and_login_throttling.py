from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from config.network import client_ip
from tests.factories import ArticleFactory, ParagraphFactory, UserFactory
from tests.urlwalk import flatten, public_urls

pytestmark = pytest.mark.django_db


def assert_strict_csp(response, url: str) -> None:
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy, url
    assert "unsafe-eval" not in policy, url
    assert "script-src 'self'" in policy, url
    assert "style-src 'self'" in policy, url
    assert "object-src 'none'" in policy, url
    assert "frame-ancestors 'none'" in policy, url


def test_every_public_page_carries_a_strict_csp():
    article = ArticleFactory()
    ParagraphFactory(article=article, position=1)
    client = Client()
    urls = flatten(public_urls())
    assert urls
    for url in [*urls, "/no/such/page/"]:
        assert_strict_csp(client.get(url), url)


def test_admin_pages_carry_the_same_csp(editor_client, article):
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:annotations_annotation_add"),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200
        assert_strict_csp(response, url)
    assert_strict_csp(Client().get(reverse("admin:login")), "login")


def login(client: Client, password: str, username: str = "editor"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.9",
    )


def test_repeated_failed_logins_lock_the_admin_out(settings):
    UserFactory(username="editor")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200
    locked = login(client, "wrong")
    assert locked.status_code == 429
    assert b"locked" in locked.content.lower()
    # Even the right password is refused until the cool-off ends or an administrator unlocks.
    assert login(client, "pw-for-tests").status_code == 429


def test_an_administrator_unlocks_with_axes_reset(settings):
    UserFactory(username="editor")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    assert login(client, "pw-for-tests").status_code == 429
    call_command("axes_reset", verbosity=0)
    response = login(client, "pw-for-tests")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_successful_login_resets_the_count(settings):
    UserFactory(username="editor")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, "pw-for-tests").status_code == 302
    client.logout()
    assert login(client, "wrong").status_code == 200


def test_force_login_still_works_for_tests_and_sessions(editor_client):
    assert editor_client.get(reverse("admin:index")).status_code == 200


def test_the_client_address_comes_from_our_proxy_only(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # The left entry was written by the client and could be anything.
    assert client_ip(request) == "198.51.100.7"
    bare = rf.get("/", REMOTE_ADDR="127.0.0.1")
    assert client_ip(bare) == "127.0.0.1"
