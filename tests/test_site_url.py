"""The sitemap and feeds name the archive's public address (SITE_URL), whatever host was asked."""

from __future__ import annotations

import pytest

from tests.factories import ArticleFactory
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_address(settings):
    settings.SITE_URL = "https://glossa.example.org"
    settings.ALLOWED_HOSTS = ["internal.host", "testserver"]
    return ArticleFactory(slug="a-piece")


def test_sitemap_uses_site_url_not_the_request_host(client, public_address):
    body = sitemap_text(client, HTTP_HOST="internal.host")
    assert "<loc>https://glossa.example.org/articles/a-piece/</loc>" in body
    assert "<loc>https://glossa.example.org/</loc>" in body
    assert "internal.host" not in body and "http://" not in body.split("?>", 1)[1].replace(
        "http://www.sitemaps.org", ""
    ).replace("http://www.w3.org", "")


@pytest.mark.parametrize("url", ["/feeds/articles.atom", "/feeds/articles.rss"])
def test_feeds_use_site_url_not_the_request_host(client, public_address, url):
    body = client.get(url, HTTP_HOST="internal.host").content.decode()
    assert "https://glossa.example.org/articles/a-piece/" in body
    assert f"https://glossa.example.org{url}" in body
    assert "internal.host" not in body
