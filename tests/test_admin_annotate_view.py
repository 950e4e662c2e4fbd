"""The annotate view: an article's text with its annotations marked, where editors select passages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.models import Annotation
from articles.models import Paragraph
from tests.admin_forms import annotate_url
from tests.factories import AnnotationFactory, ArticleFactory, ParagraphFactory, rating

pytestmark = pytest.mark.django_db


def test_article_page_links_to_annotate_and_upload(editor_client, paragraph):
    body = editor_client.get(
        reverse("admin:articles_article_change", args=[paragraph.article_id])
    ).content.decode()
    assert f'href="{annotate_url(paragraph.article)}"' in body
    assert reverse("admin:articles_article_replace", args=[paragraph.article_id]) in body


def test_a_fact_checker_sees_the_annotate_link_but_not_the_upload(checker_client, paragraph):
    body = checker_client.get(
        reverse("admin:articles_article_change", args=[paragraph.article_id])
    ).content.decode()
    assert f'href="{annotate_url(paragraph.article)}"' in body
    assert reverse("admin:articles_article_replace", args=[paragraph.article_id]) not in body


def test_annotate_view_highlights_and_lists_annotations(checker_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="lazy dog", conclusion="Dogs nap.")
    body = checker_client.get(annotate_url(paragraph.article)).content.decode()
    assert '<mark class="mark-claim"' in body and ">lazy dog</mark>" in body
    assert "False" in body and "Published" in body and "Dogs nap." in body
    assert f'data-paragraph="{paragraph.pk}"' in body


def test_annotate_view_keeps_the_paragraph_text_exact_for_the_script(editor_client, paragraph):
    AnnotationFactory(paragraph=paragraph, exact="brown fox")
    AnnotationFactory(paragraph=paragraph, exact="fox jumps", kind="note", rating=None)
    body = editor_client.get(annotate_url(paragraph.article)).content.decode()
    start = body.index(f'<p class="annotate-text" data-paragraph="{paragraph.pk}">')
    inner = body[body.index(">", start) + 1 : body.index("</p>", start)]

    assert re.sub(r"<[^>]+>", "", inner) == paragraph.text
    assert ">fox</mark>" in inner  # the overlap of both annotations is its own marked piece


def test_annotate_view_escapes_paragraph_and_annotation_text(editor_client, article):
    paragraph = ParagraphFactory(article=article, text="<b>bold</b> claim <script>x()</script>")
    AnnotationFactory(paragraph=paragraph, exact="<b>bold</b>", conclusion="<img src=x onerror=alert(1)>")
    body = editor_client.get(annotate_url(article)).content.decode()
    assert "<script>x()" not in body and "<img src=x" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


def test_annotate_view_offers_whole_paragraph_links_without_script(checker_client, paragraph):
    body = checker_client.get(annotate_url(paragraph.article)).content.decode()
    add = reverse("admin:annotations_annotation_add")
    for kind in ("claim", "source", "note"):
        assert f'href="{add}?paragraph={paragraph.pk}&amp;kind={kind}"' in body


def test_annotate_view_is_closed_to_staff_outside_the_editor_groups(client, staff_without_group, paragraph):
    client.force_login(staff_without_group)
    assert client.get(annotate_url(paragraph.article)).status_code == 403


def test_annotate_view_query_count_is_bounded_for_a_long_article(
    editor_client, django_assert_max_num_queries
):
    article = ArticleFactory()
    text = "Exports rose by a fifth. Imports fell by a tenth. The budget balanced. Prices held steady."
    paragraphs = Paragraph.objects.bulk_create(
        Paragraph(article=article, position=n, text=f"{text} ({n})") for n in range(1, 201)
    )
    false = rating("false")
    quotes = ["Exports rose", "Imports fell", "budget balanced", "Prices held", "steady"]
    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            paragraph=p,
            exact=q,
            start=text.index(q),
            end=text.index(q) + len(q),
            kind="claim",
            rating=false,
            status="published",
        )
        for p in paragraphs
        for q in quotes
    )
    assert Annotation.objects.filter(article=article).count() == 1000
    with django_assert_max_num_queries(15):
        response = editor_client.get(annotate_url(article))
    assert response.status_code == 200
    assert response.content.decode().count("<mark ") == 1000
