"""Hostile input entered through the admin is inert on every public page, feed, export and JSON-LD block."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Source
from articles.models import Article, Outlet
from tests.hostile import INJECTED, NON_WEB_URLS, PAYLOADS, enter_through_admin
from tests.urlwalk import flatten, public_urls

pytestmark = pytest.mark.django_db

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}


class MarkupAudit(HTMLParser):
    """Collects every way a page could run script or carry an injected element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False
        self._buffer = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "data-pwned" in attributes or attributes.get("id") == "pwned":
            self.problems.append(f"injected <{tag}> {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                cleaned = "".join(value.split()).lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")
        if tag == "script":
            kind = attributes.get("type", "")
            if kind == "application/ld+json":
                self._in_json_ld, self._buffer = True, ""
            elif not attributes.get("src"):
                self.problems.append("inline <script>")
        if tag in {"iframe", "object", "embed", "base"}:
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
            self.problems.append("meta refresh")

    def handle_data(self, data):
        if self._in_json_ld:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_json_ld:
            self.json_ld.append(self._buffer)
            self._in_json_ld = False


def audit(url: str, response) -> list[str]:
    content_type = response.get("Content-Type", "")
    text = (
        b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    ).decode("utf-8", errors="replace")
    problems = []
    if "html" in content_type:
        parser = MarkupAudit()
        parser.feed(text)
        problems += parser.problems
        for block in parser.json_ld:
            try:
                json.loads(block)
            except ValueError as error:
                problems.append(f"JSON-LD does not parse: {error}")
            if "</script" in block.lower() or "<!--" in block:
                problems.append("JSON-LD carries a script-closing sequence")
    elif "xml" in content_type:
        try:
            ElementTree.fromstring(text.encode())  # noqa: S314 (our own response, parsed to prove it is well-formed)
        except ElementTree.ParseError as error:
            problems.append(f"XML does not parse: {error}")
        if INJECTED.search(text):
            problems.append("injected element in XML")
    elif "json" in content_type:
        try:
            json.loads(text)
        except ValueError as error:
            problems.append(f"JSON does not parse: {error}")
    if "Set-Cookie: pwned" in str(response.items()):
        problems.append("header injection")
    return [f"{url}: {problem}" for problem in problems]


@pytest.fixture
def entered(editor_client):
    result = enter_through_admin(editor_client)
    assert not result.problems, result.problems[:5]
    return result


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 50
    assert sum("data-pwned" in p or "id=pwned" in p for p in PAYLOADS) >= 35
    assert any("\u202e" in p for p in PAYLOADS)
    assert any("DROP TABLE" in p for p in PAYLOADS)
    assert any("../" in p for p in PAYLOADS)


def test_hostile_input_entered_in_the_admin_is_inert_on_every_page_feed_and_export(entered, editor_client):
    assert len(entered.articles) == len(PAYLOADS)
    assert len(entered.annotations) == 2 * len(PAYLOADS)
    stored = Article.objects.get(pk=entered.articles[2].pk)
    assert stored.title.startswith("<img src=x onerror=alert('xss-3') data-pwned>")
    assert Article.objects.filter(status="published").count() == len(PAYLOADS)

    client = Client()
    urls = flatten(public_urls())
    listings = [group[0] for group in public_urls().values() if len(group) == 1]
    probes = [f"{url}?q={quote(p)}&tag={quote(p[:40])}" for url in listings for p in PAYLOADS[:25]]
    problems = []
    fetched = 0
    for url in [*urls, *probes]:
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code == 200:
            fetched += 1
            problems += audit(url, response)
    assert fetched >= len(PAYLOADS) * 2
    assert not problems, problems[:10]

    # Shown as text, not dropped: readers see exactly what was typed.
    page = client.get(entered.articles[2].get_absolute_url()).content.decode()
    assert "&lt;img src=x onerror=alert(&#x27;xss-3&#x27;) data-pwned&gt;" in page

    # The editors' own pages show the same text.
    urls = [reverse("admin:articles_article_changelist"), reverse("admin:annotations_annotation_changelist")]
    urls += [reverse("admin:articles_article_change", args=[a.pk]) for a in entered.articles[:20]]
    urls += [reverse("admin:annotations_annotation_change", args=[a.pk]) for a in entered.annotations[:20]]
    problems = []
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        problems += [p for p in audit(url, response) if "inline <script>" not in p]
    assert not problems, problems[:10]


@pytest.mark.parametrize("bad_url", NON_WEB_URLS)
def test_non_web_addresses_are_refused_at_input(editor_client, bad_url):
    outlet = editor_client.post(
        reverse("admin:articles_outlet_add"), {"name": "Scheme test", "slug": "", "homepage": bad_url}
    )
    source = editor_client.post(
        reverse("admin:annotations_source_add"),
        {"url": bad_url, "title": "Scheme test", "kind": "other", "archived_url": bad_url},
    )
    article = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Scheme test",
            "original_url": bad_url,
            "status": "draft",
            "paragraphs-TOTAL_FORMS": "0",
            "paragraphs-INITIAL_FORMS": "0",
        },
    )
    for response, field in (
        (outlet, "homepage"),
        (source, "url"),
        (source, "archived_url"),
        (article, "original_url"),
    ):
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors, (field, bad_url)
    assert not Outlet.objects.filter(name="Scheme test").exists()
    assert not Source.objects.filter(title="Scheme test").exists()
    assert not Article.objects.filter(title="Scheme test").exists()
