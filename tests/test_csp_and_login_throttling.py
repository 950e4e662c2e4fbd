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


def login(client: Client, password: str, username: str = "editor", address: str = "203.0.113.9"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
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


def test_a_lock_out_holds_one_account_at_one_address_not_its_colleagues(settings):
    UserFactory(username="ann")
    UserFactory(username="bob")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(Client(), "wrong", "ann", "10.0.0.1").status_code == 200
    assert login(Client(), "wrong", "ann", "10.0.0.1").status_code == 429
    assert login(Client(), "pw-for-tests", "ann", "10.0.0.1").status_code == 429
    # A colleague behind the same NAT logs in, and so does Ann from another address.
    assert login(Client(), "pw-for-tests", "bob", "10.0.0.1").status_code == 302
    assert login(Client(), "pw-for-tests", "ann", "10.0.0.2").status_code == 302


def test_guesses_at_one_account_spread_over_many_addresses_lock_it(settings):
    UserFactory(username="ann")
    UserFactory(username="bob")
    limit = settings.GLOSSA_ACCOUNT_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(1, limit):
        assert login(Client(), "wrong", "ann", f"198.51.100.{n}").status_code == 200
    assert login(Client(), "wrong", "ann", f"198.51.100.{limit}").status_code == 429
    # Locked at every address, a fresh one and the right password included; other accounts are not.
    assert login(Client(), "pw-for-tests", "ann", "192.0.2.200").status_code == 429
    assert login(Client(), "pw-for-tests", "bob", "198.51.100.1").status_code == 302


def test_logging_in_at_one_address_does_not_lift_a_lock_out_at_another(settings):
    UserFactory(username="ann")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(Client(), "wrong", "ann", "10.0.0.66")
    assert login(Client(), "pw-for-tests", "ann", "10.0.0.2").status_code == 302
    assert login(Client(), "pw-for-tests", "ann", "10.0.0.66").status_code == 429


def test_the_account_limit_is_its_own_setting(settings):
    settings.GLOSSA_ACCOUNT_FAILURE_LIMIT = 3
    UserFactory(username="ann")
    for n in range(1, 3):
        assert login(Client(), "wrong", "ann", f"198.51.100.{n}").status_code == 200
    assert login(Client(), "wrong", "ann", "198.51.100.3").status_code == 429


def test_unlocking_one_account_leaves_other_lock_outs_alone(settings):
    UserFactory(username="ann")
    UserFactory(username="bob")
    for username in ("ann", "bob"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(Client(), "wrong", username, "10.0.0.1")
    call_command("axes_reset_username", "ann", verbosity=0)
    assert login(Client(), "pw-for-tests", "ann", "10.0.0.1").status_code == 302
    assert login(Client(), "pw-for-tests", "bob", "10.0.0.1").status_code == 429


def test_the_lock_out_page_says_what_is_locked_for_how_long_and_what_to_do(settings):
    UserFactory(username="ann")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(Client(), "wrong", "ann")
    locked = login(Client(), "wrong", "ann")
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("text/html")
    text = " ".join(locked.content.decode().split())
    assert "<h1>Login locked</h1>" in text
    assert "too many failed logins as “ann”" in text
    assert "paused for 1 hour after the last attempt, even with the right password" in text
    assert "ask an administrator to unlock the account" in text
    assert 'href="/admin/login/"' in text
    assert "pw-for-tests" not in text and "wrong" not in text
    assert_strict_csp(locked, "lock-out page")


def test_the_lock_out_page_escapes_the_username(settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = login(Client(), "wrong", "<b>x</b>")
    assert locked.status_code == 429
    assert b"<b>x</b>" not in locked.content
    assert b"&lt;b&gt;x&lt;/b&gt;" in locked.content


def test_a_refused_next_after_login_lands_on_the_admin_index():
    UserFactory(username="ann")
    for next_url in ("https://evil.example/", "//evil.example/admin/", ""):
        response = Client().post(
            reverse("admin:login"), {"username": "ann", "password": "pw-for-tests", "next": next_url}
        )
        assert response.status_code == 302, next_url
        assert response["Location"] == "/admin/", next_url


def test_a_login_without_next_lands_on_the_admin_index():
    UserFactory(username="ann")
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "ann", "password": "pw-for-tests"})
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_still_followed():
    UserFactory(username="ann")
    response = Client().post(
        reverse("admin:login"),
        {"username": "ann", "password": "pw-for-tests", "next": "/admin/articles/article/"},
    )
    assert response["Location"] == "/admin/articles/article/"


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
