from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Annotation
from articles.models import Article
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    CitationFactory,
    ParagraphFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "articles_article",
    "articles_paragraph",
    "articles_outlet",
    "articles_author",
    "annotations_annotation",
    "annotations_source",
    "annotations_rating",
    "annotations_correction",
]


def make_rows(n: int) -> None:
    for _ in range(n):
        article = ArticleFactory()
        paragraph = ParagraphFactory(article=article, position=1)
        annotation = AnnotationFactory(paragraph=paragraph)
        annotation.tags.add("alpha")
        CitationFactory(annotation=annotation)
        annotation.corrections.create(
            note="Changed", old_rating=annotation.rating, new_rating=annotation.rating
        )


def changelist_queries(client, name, django_assert_max_num_queries, budget=14):
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("name", CHANGELISTS)
def test_changelist_query_count_does_not_grow_with_rows(editor_client, name, django_assert_max_num_queries):
    make_rows(2)
    changelist_queries(editor_client, name, django_assert_max_num_queries)
    make_rows(12)
    changelist_queries(editor_client, name, django_assert_max_num_queries)


def test_article_list_shows_paragraph_and_annotation_counts(editor_client):
    article = ArticleFactory(title="Counted")
    for position in (1, 2, 3):
        paragraph = ParagraphFactory(article=article, position=position)
    AnnotationFactory(paragraph=paragraph)
    AnnotationFactory(paragraph=paragraph, exact="lazy dog")
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    row = next(line for line in response.content.decode().split("<tr") if "Counted" in line)
    assert '<td class="field-paragraph_count">3</td>' in row
    assert '<td class="field-annotation_count">2</td>' in row


def test_change_pages_render_for_an_editor(editor_client, django_assert_max_num_queries):
    annotation = AnnotationFactory()
    CitationFactory(annotation=annotation)
    article = annotation.article
    for position in range(2, 40):
        ParagraphFactory(article=article, position=position)
    pages = [
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:annotations_annotation_change", args=[annotation.pk]),
        reverse("admin:annotations_source_change", args=[annotation.citations.get().source_id]),
        reverse("admin:articles_article_add"),
        reverse("admin:annotations_annotation_add"),
    ]
    for url in pages:
        with django_assert_max_num_queries(60):
            response = editor_client.get(url)
        assert response.status_code == 200, url


def test_article_page_links_to_the_site(editor_client, article):
    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "View on site" in response.content.decode()


def test_annotation_page_highlights_the_quote(editor_client):
    annotation = AnnotationFactory(exact="lazy dog")
    response = editor_client.get(reverse("admin:annotations_annotation_change", args=[annotation.pk]))
    assert "<mark>lazy dog</mark>" in response.content.decode()


def test_paragraph_text_in_the_highlight_is_escaped(editor_client):
    paragraph = ParagraphFactory(text="<script>alert(1)</script> plain words here")
    annotation = AnnotationFactory(paragraph=paragraph, exact="plain words")
    response = editor_client.get(reverse("admin:annotations_annotation_change", args=[annotation.pk]))
    body = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>plain words</mark>" in body


def test_a_user_in_no_group_sees_nothing(client, staff_without_group):
    client.force_login(staff_without_group)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "You don’t have permission to view or edit anything." in response.content.decode()
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_fact_checker_may_annotate_but_not_edit_articles(checker_client, paragraph):
    assert checker_client.get(reverse("admin:annotations_annotation_add")).status_code == 200
    assert checker_client.get(reverse("admin:annotations_source_add")).status_code == 200
    assert checker_client.get(reverse("admin:articles_article_add")).status_code == 403
    response = checker_client.get(reverse("admin:articles_article_change", args=[paragraph.article_id]))
    assert response.status_code == 200
    assert 'name="title"' not in response.content.decode()  # read-only view


def test_fact_checker_cannot_publish_articles_or_annotations(checker_client, paragraph):
    draft = ArticleFactory(status="draft")
    response = checker_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert response.status_code in (200, 403)

    annotation = AnnotationFactory(paragraph=paragraph, status="draft")
    checker_client.post(
        reverse("admin:annotations_annotation_changelist"),
        {"action": "publish", "_selected_action": [annotation.pk]},
    )
    annotation.refresh_from_db()
    assert annotation.status == "draft"


def test_fact_checker_form_offers_no_published_status(checker_client):
    response = checker_client.get(reverse("admin:annotations_annotation_add"))
    body = response.content.decode()
    assert 'value="review"' in body
    assert 'value="published"' not in body


def test_fact_checker_can_create_an_annotation_through_the_admin(checker_client, checker, paragraph):
    source = SourceFactory()
    response = checker_client.post(
        reverse("admin:annotations_annotation_add"),
        {
            "kind": "claim",
            "status": "review",
            "paragraph": paragraph.pk,
            "exact": "lazy dog",
            "claim_text": "Dogs are lazy.",
            "rating": "",
            "tags": "dogs, animals",
            "citations-TOTAL_FORMS": "1",
            "citations-INITIAL_FORMS": "0",
            "citations-0-source": source.pk,
            "citations-0-order": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    annotation = Annotation.objects.get()
    assert annotation.author == checker
    assert annotation.start == paragraph.text.index("lazy dog")
    assert annotation.citations.get().source == source
    assert set(annotation.tags.names()) == {"dogs", "animals"}


def test_admin_form_reports_a_quote_not_in_the_paragraph(editor_client, paragraph):
    response = editor_client.post(
        reverse("admin:annotations_annotation_add"),
        {
            "kind": "note",
            "status": "draft",
            "paragraph": paragraph.pk,
            "exact": "not there at all",
            "body": "x",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "does not occur in this paragraph" in response.content.decode()
    assert not Annotation.objects.exists()


def test_editor_publishes_and_unpublishes_articles(editor_client):
    draft = ArticleFactory(status="draft")
    changelist = reverse("admin:articles_article_changelist")
    editor_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.first_published_at is not None
    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_publishing_a_claim_without_rating_is_refused_with_a_message(editor_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="draft", rating=None)
    response = editor_client.post(
        reverse("admin:annotations_annotation_changelist"),
        {"action": "publish", "_selected_action": [annotation.pk]},
        follow=True,
    )
    annotation.refresh_from_db()
    assert annotation.status == "draft"
    assert "A published claim needs a rating." in response.content.decode()


def test_source_admin_searches_by_url_and_title(editor_client):
    SourceFactory(url="https://stats.example.org/table-7", title="Census table")
    SourceFactory(title="Unrelated")
    changelist = reverse("admin:annotations_source_changelist")
    assert "Census table" in editor_client.get(changelist, {"q": "stats.example"}).content.decode()
    body = editor_client.get(changelist, {"q": "census"}).content.decode()
    assert "Census table" in body and "Unrelated" not in body


def test_paragraph_autocomplete_finds_paragraphs_for_a_fact_checker(checker_client, paragraph):
    response = checker_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "annotations", "model_name": "annotation", "field_name": "paragraph", "term": "lazy"},
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(paragraph.pk)]


def test_fact_checker_cannot_change_or_unpublish_a_published_annotation(checker_client, paragraph):
    annotation = AnnotationFactory(paragraph=paragraph, status="published", conclusion="Original verdict.")
    url = reverse("admin:annotations_annotation_change", args=[annotation.pk])
    page = checker_client.get(url)
    assert page.status_code == 200
    assert 'name="conclusion"' not in page.content.decode()  # read-only view
    response = checker_client.post(
        url,
        {
            "kind": "claim",
            "status": "draft",
            "paragraph": paragraph.pk,
            "exact": annotation.exact,
            "conclusion": "Checker's own verdict.",
            "citations-TOTAL_FORMS": "0",
            "citations-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    annotation.refresh_from_db()
    assert (annotation.status, annotation.conclusion) == ("published", "Original verdict.")
    reattach = reverse("admin:articles_article_annotate", args=[annotation.article_id])
    assert checker_client.get(reattach, {"reattach": annotation.pk}).status_code == 403


def test_fact_checker_still_edits_drafts_and_editors_edit_published(checker_client, editor_client, paragraph):
    draft = AnnotationFactory(paragraph=paragraph, status="draft")
    published = AnnotationFactory(paragraph=paragraph, exact="lazy dog", status="published")
    page = checker_client.get(reverse("admin:annotations_annotation_change", args=[draft.pk]))
    assert 'name="conclusion"' in page.content.decode()
    page = editor_client.get(reverse("admin:annotations_annotation_change", args=[published.pk]))
    assert 'name="conclusion"' in page.content.decode()
