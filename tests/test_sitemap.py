"""The sitemap is an index of section files, each within the protocol (sitemaps.org 0.9) and the
configured limit, and every URL it names answers 200."""

from __future__ import annotations

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory
from tests.sitemaps import NS, local, section_files

pytestmark = pytest.mark.django_db

# W3C Datetime as the protocol allows it: a date, or a date and time with a time zone.
W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?")
LIMIT = 3


@pytest.fixture
def archive(settings):
    settings.GLOSSA_SITEMAP_LIMIT = LIMIT
    settings.SITE_URL = "https://glossa.example.org"
    for n in range(7):
        article = ArticleFactory(title=f"Piece {n}", tags=[f"topic-{n % 4}", "тема"])
        paragraph = ParagraphFactory(article=article, text="A quick brown fox jumps.")
        AnnotationFactory(paragraph=paragraph, exact="brown fox").tags.add("fox")
        AnnotationFactory(paragraph=paragraph, exact="quick", kind="note", rating=None, body="A note.")
    draft = ArticleFactory(title="Draft piece", status=Article.Status.DRAFT, tags=["secret-tag"])
    AnnotationFactory(paragraph=ParagraphFactory(article=draft, text="Hidden words here."), exact="Hidden")
    return draft


def children(element) -> list[str]:
    return [child.tag.removeprefix(NS) for child in element]


def check_lastmod(element) -> None:
    text = element.findtext(f"{NS}lastmod")
    assert text is not None and W3C_DATETIME.fullmatch(text), text


def test_the_index_lists_section_files_within_the_protocol(client, archive):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    assert root.tag == f"{NS}sitemapindex"
    assert set(children(root)) == {"sitemap"}
    for entry in root:
        assert set(children(entry)) <= {"loc", "lastmod"} and children(entry)[0] == "loc"
        assert entry.findtext(f"{NS}loc").startswith("https://glossa.example.org/sitemap-")
        check_lastmod(entry)
    locations = [entry.findtext(f"{NS}loc") for entry in root]
    # 14 published annotations at 3 a file: 5 files, named ?p=2 … ?p=5 after the first.
    annotation_files = [url for url in locations if "/sitemap-annotations.xml" in url]
    assert [local(url) for url in annotation_files] == [
        "/sitemap-annotations.xml",
        *(f"/sitemap-annotations.xml?p={n}" for n in range(2, 6)),
    ]


def test_walking_the_index_every_file_is_a_valid_urlset_and_every_url_answers_200(client, archive):
    seen = []
    for url, content in section_files(client):
        root = ElementTree.fromstring(content)  # noqa: S314 (our own output)
        assert root.tag == f"{NS}urlset", url
        assert set(children(root)) == {"url"}, url
        assert 1 <= len(root) <= LIMIT, url
        for entry in root:
            assert children(entry) == ["loc", "lastmod"], url
            check_lastmod(entry)
            seen.append(entry.findtext(f"{NS}loc"))
    assert len(seen) == len(set(seen))
    for location in seen:
        assert location.startswith("https://glossa.example.org/")
        assert client.get(local(location)).status_code == 200, location
    paths = {local(location) for location in seen}
    published = Article.objects.published()
    assert {a.get_absolute_url() for a in published} <= paths
    assert archive.get_absolute_url() not in paths
    assert reverse("tag_detail", args=["тема"]) in paths and "/tags/secret-tag/" not in paths
    assert sum(path.startswith("/annotations/") for path in paths) == 14


def test_a_page_past_the_last_file_is_404(client, archive):
    assert client.get("/sitemap-annotations.xml?p=5").status_code == 200
    assert client.get("/sitemap-annotations.xml?p=6").status_code == 404
    assert client.get("/sitemap-annotations.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_lastmod_follows_the_article_and_its_annotations(client, archive):
    article = Article.objects.published().order_by("pk").first()
    later = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    Article.objects.filter(pk=article.pk).rows().update(content_changed_at=later)
    files = dict(section_files(client))
    articles = ElementTree.fromstring(files["https://glossa.example.org/sitemap-articles.xml"])  # noqa: S314 (our own output)
    lastmods = {e.findtext(f"{NS}loc"): e.findtext(f"{NS}lastmod") for e in articles}
    assert lastmods[f"https://glossa.example.org{article.get_absolute_url()}"] == "2031-05-06T07:08:09+00:00"
    annotation = article.annotations.order_by("pk").first()
    annotations = ElementTree.fromstring(files["https://glossa.example.org/sitemap-annotations.xml"])  # noqa: S314 (our own output)
    lastmods = {e.findtext(f"{NS}loc"): e.findtext(f"{NS}lastmod") for e in annotations}
    assert (
        lastmods[f"https://glossa.example.org{annotation.get_absolute_url()}"] == "2031-05-06T07:08:09+00:00"
    )
    index = client.get("/sitemap.xml")
    assert index["Last-Modified"] == "Tue, 06 May 2031 07:08:09 GMT"


def test_a_limit_above_the_protocol_maximum_is_refused(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings

    monkeypatch.setenv("GLOSSA_SITEMAP_LIMIT", "50001")
    with pytest.raises(ImproperlyConfigured, match="GLOSSA_SITEMAP_LIMIT must be between 1 and 50000"):
        importlib.reload(config.settings)
    monkeypatch.delenv("GLOSSA_SITEMAP_LIMIT")
    importlib.reload(config.settings)


def section_of(url: str) -> str:
    return local(url).split("?")[0].removeprefix("/sitemap-").removesuffix(".xml")


def moment(element) -> datetime.datetime:
    # The index writes microseconds (Django's template), the files whole seconds.
    return datetime.datetime.fromisoformat(element.findtext(f"{NS}lastmod")).replace(microsecond=0)


@pytest.mark.parametrize("change", ["article", "annotation", "draft", "outlet"])
def test_each_index_entry_is_dated_by_the_newest_url_of_its_section(client, archive, change):
    from annotations.models import Annotation

    later = datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    published = Article.objects.published().order_by("pk")
    if change == "article":
        Article.objects.filter(pk=published.last().pk).rows().update(updated_at=later)
    elif change == "annotation":
        Annotation.objects.filter(pk=Annotation.objects.published().first().pk).update(modified=later)
    elif change == "draft":  # on no public page: dates nothing
        Annotation.objects.filter(article=archive).update(modified=later)  # records a change: first
        Article.objects.filter(pk=archive.pk).rows().update(content_changed_at=later)
    else:
        Article.objects.filter(pk=published.first().pk).rows().update(content_changed_at=later)
    newest: dict[str, datetime.datetime] = {}
    for url, content in section_files(client):
        root = ElementTree.fromstring(content)  # noqa: S314 (our own output)
        for entry in root:
            section = section_of(url)
            newest[section] = max(newest.get(section, moment(entry)), moment(entry))
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own output)
    dated = {}
    for entry in index:
        section = section_of(entry.findtext(f"{NS}loc"))
        assert dated.setdefault(section, moment(entry)) == moment(entry)
    assert dated == newest
    if change == "draft":
        assert later not in dated.values()
    else:
        assert dated["annotations"] == later


def test_each_file_names_what_djangos_sitemap_would(archive):
    """A file's entries are written without Django's per-item dictionaries: the same locations and
    lastmods, page by page, and the same newest lastmod (the file's Last-Modified)."""
    from annotations.sitemaps import SITEMAPS

    for name, section in SITEMAPS.items():
        pages = section().paginator.num_pages
        assert pages >= 1
        for page in range(1, pages + 1):
            ours, django = section(), section()
            entries = ours.entries(page)
            urls = django.get_urls(page=page)
            assert entries == [(url["location"], url["lastmod"]) for url in urls], (name, page)
            assert getattr(ours, "latest_lastmod", None) == getattr(django, "latest_lastmod", None)
