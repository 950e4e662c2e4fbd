"""Importing web pages by address: safe fetching, the original and WARC record kept, a clear error
for each way a page can fail, and repeats recognised."""

from __future__ import annotations

import socket
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from warcio.archiveiterator import ArchiveIterator

from articles.importing import fetch as fetching
from articles.importing.save import ImportResult, import_url
from articles.models import Article, Paragraph
from tests.webserver import Answer, Server, page

pytestmark = pytest.mark.django_db

COLUMN = page(
    "The bridge that nobody ordered",
    "The ministry announced a new bridge across the river on Monday, three years after the first plan.",
    "Critics say the budget was never approved by parliament and the contract went to one bidder.",
    author="Jane Doe",
    date="2024-05-12",
)


@pytest.fixture
def web(settings):
    settings.GLOSSA_FETCH_ALLOW_PRIVATE = True
    with Server() as server:
        yield server


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_page_is_imported_with_its_metadata_original_and_warc_record(web):
    web.answers["/old"] = Answer(301, b"", {"Location": "/2024/05/bridge"})
    url = web.serve("/2024/05/bridge", COLUMN, gzip=True)

    result = import_url(web.url("/old"))

    assert result.status == ImportResult.CREATED, result.error
    article = result.article
    assert article.title == "The bridge that nobody ordered"
    assert article.author.name == "Jane Doe"
    assert str(article.published_on) == "2024-05-12"
    assert article.language == "en"
    assert article.original_url == url  # the final address, after the redirect
    assert article.http_status == 200
    assert article.content_type == "text/html"
    assert article.fetched_at is not None
    assert article.import_report["fetched"]["redirects"][0]["status"] == 301
    assert [p.text[:14] for p in article.paragraphs.all()] == ["The ministry a", "Critics say th"]
    assert article.original_file.read() == COLUMN  # decompressed, as imported
    with default_storage.open(article.warc_file.name, "rb") as warc:
        records = [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(BytesIO(warc.read()))
        ]
    assert [record[0] for record in records] == ["response", "request"]
    _type, warc_headers, http_headers, body = records[0]
    assert warc_headers.get_header("WARC-Target-URI") == url
    assert warc_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert http_headers.get_statuscode() == "200"
    assert http_headers.get_header("X-Glossa-Original-Content-Encoding") == "gzip"
    assert body == COLUMN


def test_the_fetch_names_itself_and_asks_for_compressed_pages(web, settings):
    import_url(web.serve("/a", COLUMN))
    headers = web.requests[-1]["headers"]
    assert headers["User-Agent"] == settings.GLOSSA_FETCH_USER_AGENT
    assert "gzip" in headers["Accept-Encoding"]


def test_the_date_comes_from_the_address_when_the_page_has_none(web):
    body = page("Undated column", "A paragraph long enough to be the text of the article for sure.")
    result = import_url(web.serve("/2023/11/07/undated-column", body))
    assert str(result.article.published_on) == "2023-11-07"


def assert_nothing_saved(settings):
    assert Article.objects.count() == 0
    assert Paragraph.objects.count() == 0
    assert stored_files(settings) == []


def test_an_unreachable_host_is_an_error_for_that_page(web, settings):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    result = import_url(f"http://127.0.0.1:{port}/gone")
    assert result.status == ImportResult.ERROR
    assert result.error == "The host 127.0.0.1 could not be reached (Connection refused)."
    assert_nothing_saved(settings)


def test_a_host_that_does_not_exist_is_named(web, settings):
    result = import_url("http://no-such-host.invalid/column")
    assert result.error.startswith("The host no-such-host.invalid could not be found")
    assert_nothing_saved(settings)


def test_an_error_status_is_an_error(web, settings):
    result = import_url(web.url("/missing"))
    assert result.error == f"The server answered 404 Not Found for {web.url('/missing')}."
    assert_nothing_saved(settings)


def test_content_that_is_not_html_is_refused(web, settings):
    url = web.serve("/report.pdf", b"%PDF-1.7 ...", headers={"Content-Type": "application/pdf"})
    result = import_url(url)
    assert result.error == f"The address gives application/pdf, not a web page (HTML): {url}"
    assert_nothing_saved(settings)


def test_an_oversized_page_is_refused(web, settings):
    settings.GLOSSA_FETCH_MAX_BYTES = 10_000
    result = import_url(web.serve("/long", COLUMN + b"<p>more</p>" * 2000))
    assert result.error.startswith("The page is 22.0 KB, over the 9.8 KB limit")
    assert_nothing_saved(settings)


def test_a_compressed_page_is_measured_after_decompression(web, settings):
    settings.GLOSSA_FETCH_MAX_BYTES = 10_000
    result = import_url(web.serve("/bomb", COLUMN + b" " * 5_000_000, gzip=True))
    assert result.error == "The page is over the 9.8 KB limit for imports (counted after decompression)."
    assert_nothing_saved(settings)


def test_a_redirect_loop_is_refused(web, settings):
    web.answers["/a"] = Answer(302, b"", {"Location": "/b"})
    web.answers["/b"] = Answer(302, b"", {"Location": web.url("/a")})
    result = import_url(web.url("/a"))
    assert result.error == f"The page redirects in a loop ({web.url('/b')} → {web.url('/a')})."
    assert_nothing_saved(settings)


def test_too_many_redirects_are_refused(web, settings):
    settings.GLOSSA_FETCH_MAX_REDIRECTS = 2
    for n in range(5):
        web.answers[f"/{n}"] = Answer(302, b"", {"Location": f"/{n + 1}"})
    result = import_url(web.url("/0"))
    assert result.error == f"The page redirects more than 2 times (last to {web.url('/3')})."


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "0.0.0.0",  # noqa: S104
        "::1",
        "fe80::1",
    ],
)
def test_private_and_reserved_addresses_are_refused(settings, address):
    settings.GLOSSA_FETCH_ALLOW_PRIVATE = False
    host = f"[{address}]" if ":" in address else address
    result = import_url(f"http://{host}/admin")
    assert result.error == (
        f"The host {address} is at a private or reserved address ({address}); only public web pages are fetched."
    )
    assert_nothing_saved(settings)


def test_a_name_is_checked_after_it_is_resolved_and_the_checked_address_is_used(web, settings, monkeypatch):
    settings.GLOSSA_FETCH_ALLOW_PRIVATE = False
    real_getaddrinfo = socket.getaddrinfo
    answers = {"news.test": "127.0.0.1", "intranet.test": "127.0.0.2"}

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    # Here 127.0.0.1 stands for a public address and 127.0.0.2 for a private one.
    monkeypatch.setattr(fetching, "is_public", lambda address: address == "127.0.0.1")
    web.serve("/column", COLUMN)
    web.answers["/to-intranet"] = Answer(302, b"", {"Location": f"http://intranet.test:{web.port}/secret"})

    result = import_url(f"http://news.test:{web.port}/column")
    assert result.status == ImportResult.CREATED
    assert web.requests[-1]["headers"]["Host"] == f"news.test:{web.port}"

    result = import_url(f"http://intranet.test:{web.port}/secret")
    assert result.error == (
        "The host intranet.test is at a private or reserved address (127.0.0.2); only public web pages are fetched."
    )
    result = import_url(f"http://news.test:{web.port}/to-intranet")
    assert result.error.startswith("The host intranet.test is at a private or reserved address")
    assert web.requests[-1]["path"] == "/to-intranet"  # the redirect's target was never asked


def test_only_web_addresses_are_fetched(web):
    assert (
        import_url("file:///etc/passwd").error
        == "Only http:// and https:// addresses can be imported, not file:///etc/passwd"
    )
    assert import_url("http://user:secret@example.org/").error.startswith(
        "Addresses with a user name or password"
    )


def test_the_same_page_again_is_a_duplicate(web):
    url = web.serve("/column", COLUMN)
    first = import_url(url)
    again = import_url(url)
    assert again.status == ImportResult.DUPLICATE
    assert again.article == first.article
    assert Article.objects.count() == 1


def test_the_same_text_at_another_address_in_other_quotes_and_spaces_is_a_duplicate(web):
    curly = COLUMN.replace(b"the first plan.", "the \u201cfirst\u201d plan \u2014 again.".encode())
    first = import_url(web.serve("/column", curly))
    retyped = COLUMN.replace(b"the first plan.", b'the "first"  plan - again.').replace(
        b"<title>", b"<title>Site | "
    )
    again = import_url(web.serve("/copy", retyped))
    assert again.status == ImportResult.DUPLICATE
    assert again.article == first.article
    assert again.message.startswith("The same text is already in the archive")
    assert Article.objects.count() == 1


def test_a_changed_text_at_a_known_address_is_offered_not_saved(web):
    url = web.serve("/column", COLUMN)
    first = import_url(url)
    web.serve("/column", COLUMN.replace(b"one bidder", b"a single bidder, the minister's cousin"))
    again = import_url(url + "?utm_campaign=x")
    assert again.status == ImportResult.OFFERED, again.error
    assert again.article == first.article
    assert "its text has changed" in again.message
    assert Article.objects.count() == 1
    assert again.as_json()["status"] == "duplicate"
    assert again.as_json()["offered"] is True


def test_staff_see_the_fetch_and_download_the_warc_record(web, editor_client, client):
    from django.urls import reverse

    article = import_url(web.serve("/column", COLUMN)).article
    body = editor_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "text/html" in body and reverse("admin:articles_article_warc", args=[article.pk]) in body
    response = editor_client.get(reverse("admin:articles_article_warc", args=[article.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x1f\x8b")  # gzipped WARC
    assert client.get(reverse("admin:articles_article_warc", args=[article.pk])).status_code == 302
