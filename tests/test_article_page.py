from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from annotations.models import Annotation, Correction
from articles.models import Article
from tests.data import annotated_article
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    CitationFactory,
    CorrectionFactory,
    ParagraphFactory,
    SourceFactory,
    UserFactory,
    rating,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, exact="brown fox", claimant="A. Writer")
    CitationFactory(
        annotation=annotation,
        source=SourceFactory(
            title="Fox census",
            publisher="Zoo Board",
            url="https://example.org/census",
            archived_url="https://web.archive.org/web/2025/https://example.org/census",
        ),
    )
    return annotation


def test_it_shows_the_article_with_meta_and_paragraph_anchors(client, claim):
    article = claim.article
    article.original_url = "https://news.example.com/piece"
    article.save()
    article.tags.add("foxes")

    html = client.get(article.get_absolute_url()).content.decode()

    assert f"<h1>{article.title}</h1>" in html
    assert article.author.name in html and article.author.role in html and article.outlet.name in html
    assert 'href="https://news.example.com/piece"' in html
    assert f'id="{claim.paragraph.anchor}"' in html
    assert 'href="/tags/foxes/"' in html


def test_a_claim_shows_its_badge_conclusion_and_sources_with_links_both_ways(client, claim):
    html = client.get(claim.article.get_absolute_url()).content.decode()

    assert f'<mark class="hl hl-claim" data-note="a-{claim.pk}">brown fox</mark>' in html
    assert f'href="#a-{claim.pk}" id="r-{claim.pk}"' in html
    assert f'id="a-{claim.pk}"' in html and f'href="#r-{claim.pk}"' in html
    assert (
        '<span class="badge rating-false"><span class="visually-hidden">Rating: </span>False</span>' in html
    )
    assert "Foxes vary." in html
    assert 'href="https://example.org/census"' in html and "Zoo Board" in html
    assert 'href="https://web.archive.org/web/2025/https://example.org/census"' in html


def test_a_correction_is_shown_on_the_claim(client, claim):
    CorrectionFactory(
        annotation=claim,
        old_rating=rating("true"),
        new_rating=rating("false"),
        note="A second census disagreed.",
    )
    html = client.get(claim.article.get_absolute_url()).content.decode()
    assert "rating changed from True to False — A second census disagreed." in " ".join(html.split())
    assert "Updated <time" in html


def test_user_text_is_escaped(client, paragraph):
    paragraph.text = "Hello <img src=x onerror=alert(1)> world."
    paragraph.save()
    article = paragraph.article
    article.title = "<script>alert('t')</script>"
    article.save()
    AnnotationFactory(
        paragraph=paragraph, exact="world", body="<b onclick=x>bold</b>", claim_text="</script><script>x"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html
    assert "<b onclick" not in html
    assert "</script><script>x" not in html


def test_a_draft_article_is_not_found_by_anonymous_readers(client, paragraph):
    article = paragraph.article
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_clearly_marked_and_not_indexed(client, paragraph):
    article = paragraph.article
    article.status = Article.Status.REVIEW
    article.save()
    draft = AnnotationFactory(paragraph=paragraph, status=Annotation.Status.DRAFT, rating=None)
    client.force_login(UserFactory())
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview." in html and "in review and not visible to readers" in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'id="a-{draft.pk}"' in html
    assert "application/ld+json" not in html
    assert "ETag" not in response.headers


def test_draft_annotations_are_hidden_from_anonymous_readers(client, claim):
    draft = AnnotationFactory(
        paragraph=claim.paragraph, exact="lazy dog", status=Annotation.Status.DRAFT, claim_text="Secret draft"
    )
    html = client.get(claim.article.get_absolute_url()).content.decode()
    assert f'id="a-{claim.pk}"' in html
    assert f'id="a-{draft.pk}"' not in html and "Secret draft" not in html
    assert html.count('"@type": "ClaimReview"') == 1


def test_it_embeds_claimreview_json_ld_for_published_claims(client, claim):
    html = client.get(claim.article.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in html
    assert f'"url": "http://127.0.0.1:8000/annotations/{claim.pk}/"' in html


def test_it_has_canonical_and_open_graph_tags(client, claim, settings):
    settings.SITE_URL = "https://glossa.example.org"
    article = claim.article
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="https://glossa.example.org/articles/{article.slug}/">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:title" content="{article.title}">' in html
    assert f'<meta property="og:url" content="https://glossa.example.org/articles/{article.slug}/">' in html


def test_a_repeated_request_gets_304_until_an_annotation_changes(client, claim):
    url = claim.article.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304

    claim.conclusion = "Foxes vary a lot."
    claim.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_a_new_correction_changes_the_etag(client, claim):
    url = claim.article.get_absolute_url()
    etag = client.get(url).headers["ETag"]
    Correction.objects.create(
        annotation=claim, new_rating=rating("true"), old_rating=rating("false"), note="n"
    )
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_query_count_does_not_grow_with_annotations(client, django_assert_max_num_queries, count):
    article = annotated_article(count)
    with django_assert_max_num_queries(9):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="note note-claim') == count


@pytest.mark.parametrize("count", [2, 20])
def test_staff_preview_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    article = annotated_article(count, status=Article.Status.DRAFT)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(10):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


class InlineCodeFinder(HTMLParser):
    """Collects anything a strict Content-Security-Policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/ld+json":
            self.problems.append("inline <script>")
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")


def test_the_reading_view_has_no_inline_scripts_or_styles(client):
    article = annotated_article(20)
    finder = InlineCodeFinder()
    finder.feed(client.get(article.get_absolute_url()).content.decode())
    assert finder.problems == []


def test_overlapping_and_whole_paragraph_annotations_render(client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="quick brown")
    AnnotationFactory(paragraph=paragraph, exact="brown fox", kind=Annotation.Kind.SOURCE, rating=None)
    AnnotationFactory(paragraph=paragraph, exact="", kind=Annotation.Kind.NOTE, rating=None, body="Context.")
    html = client.get(paragraph.article.get_absolute_url()).content.decode()
    assert "hl-overlap" in html
    assert "para-annotated" in html
    assert "On the whole paragraph" in html


def test_the_print_stylesheet_is_linked(client, claim):
    html = client.get(claim.article.get_absolute_url()).content.decode()
    assert 'href="/static/css/print.css" media="print"' in html


def test_notes_of_another_article_do_not_appear(client, claim):
    other = ParagraphFactory(article=ArticleFactory(), text="Another brown fox text.")
    stranger = AnnotationFactory(paragraph=other, exact="brown fox")
    html = client.get(reverse("article_detail", args=[claim.article.slug])).content.decode()
    assert f'id="a-{stranger.pk}"' not in html


def test_a_repeat_reader_gets_the_stored_page_without_a_query(
    client, claim, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 300
    url = claim.article.get_absolute_url()
    first = client.get(url).content
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first
    assert again.headers["ETag"]


def test_the_stored_page_is_never_stale(client, claim):
    url = claim.article.get_absolute_url()
    client.get(url)
    claim.conclusion = "A brand new conclusion."
    claim.save()
    assert "A brand new conclusion." in client.get(url).content.decode()


def test_staff_never_get_the_stored_reader_page(client, claim):
    url = claim.article.get_absolute_url()
    client.get(url)
    AnnotationFactory(paragraph=claim.paragraph, exact="lazy dog", status=Annotation.Status.DRAFT)
    client.force_login(UserFactory())
    assert "Draft" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "edit",
    [
        lambda claim: SourceFactory(title="Old").citations.create(annotation=claim),
        lambda claim: (
            claim.citations.first().source.__class__.objects.get(pk=claim.citations.first().source_id).save()
        ),
        lambda claim: claim.rating.save(),
        lambda claim: claim.article.author.save(),
        lambda claim: claim.tags.add("new-tag"),
        lambda claim: claim.paragraph.save(),
        lambda claim: claim.delete(),
    ],
    ids=[
        "new citation",
        "source edited",
        "rating edited",
        "author edited",
        "tag added",
        "paragraph",
        "deleted",
    ],
)
def test_every_change_shown_on_the_page_changes_the_etag(client, claim, edit):
    url = claim.article.get_absolute_url()
    etag = client.get(url).headers["ETag"]
    edit(claim)
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


def test_published_notes_on_a_removed_paragraph_are_listed_after_the_text(client, claim):
    other = ParagraphFactory(article=claim.article, position=2, text="A doomed paragraph about a lazy dog.")
    orphan = AnnotationFactory(paragraph=other, exact="lazy dog", claim_text="An orphaned claim")
    other.delete()
    orphan.refresh_from_db()
    assert orphan.paragraph_id is None
    html = client.get(claim.article.get_absolute_url()).content.decode()
    assert "Annotations on passages no longer in the text" in html
    assert f'id="a-{orphan.pk}"' in html and "An orphaned claim" in html
    assert f'href="#r-{orphan.pk}"' not in html


def test_element_ids_are_unique_on_a_large_article(client):
    import re
    from collections import Counter

    article = annotated_article(200)
    ids = Counter(re.findall(r' id="([^"]+)"', client.get(article.get_absolute_url()).content.decode()))
    assert [name for name, n in ids.items() if n > 1] == []


def test_view_on_site_from_the_admin_opens_the_staff_preview(client, editor, paragraph):
    from django.contrib.contenttypes.models import ContentType

    article = paragraph.article
    article.status = Article.Status.DRAFT
    article.save()
    client.force_login(editor)
    content_type = ContentType.objects.get_for_model(Article)
    response = client.get(f"/admin/r/{content_type.pk}/{article.pk}/", follow=True)
    assert response.redirect_chain[-1][0].endswith(article.get_absolute_url())
    assert "Preview." in response.content.decode()
