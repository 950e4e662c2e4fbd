"""Every write path reaches readers at once: with the page cache on, the next anonymous read after
any change is fresh.

Each case caches the pages that show a piece of content (the reading view, an annotation's
permalink and the home page), changes the content one way, and reads again as a reader. The
ways cover model saves and deletes, QuerySet updates and deletes, the admin's forms, inlines and
actions, the importer and ``import_articles --replace``, the corrected-version upload, tags,
ratings, sources, citations, corrections, outlets and authors, and an archive restore.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Correction, Rating
from articles.models import Article, Paragraph
from tests.admin_forms import form_data
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    CitationFactory,
    ParagraphFactory,
    SourceFactory,
    UserFactory,
    rating,
)

pytestmark = pytest.mark.django_db

TEXT = "The harbour levy rose by a fifth in March. Shipping firms passed the cost on."


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def editor():
    client = Client()
    client.force_login(UserFactory(username="editor", group="Editors"))
    return client


@pytest.fixture
def claim():
    article = ArticleFactory(title="Harbour levy")
    paragraph = ParagraphFactory(article=article, position=1, text=TEXT)
    claim = AnnotationFactory(
        paragraph=paragraph, exact="rose by a fifth", claim_text="The levy rose by a fifth."
    )
    CitationFactory(annotation=claim, source=SourceFactory(title="Port statistics"))
    return claim


def cached(*urls: str) -> Client:
    """A reader whose pages are all in the cache."""
    reader = Client()
    for url in urls:
        reader.get(url)
        assert reader.get(url)["X-Page-Cache"] == "hit", url
    return reader


def pages(claim) -> list[str]:
    return [claim.article.get_absolute_url(), claim.get_absolute_url(), reverse("home")]


def read(reader: Client, url: str) -> str:
    response = reader.get(url)
    return response.content.decode() if response.status_code == 200 else f"status {response.status_code}"


# Model saves and deletes ---------------------------------------------------------------------


def test_saving_an_article(claim):
    reader = cached(*pages(claim))
    claim.article.title = "Harbour levy, revised"
    claim.article.save()
    assert all("Harbour levy, revised" in read(reader, url) for url in pages(claim))


def test_deleting_an_article(claim):
    reader = cached(*pages(claim))
    urls = pages(claim)
    claim.article.delete()
    assert read(reader, urls[0]) == "status 404"
    assert read(reader, urls[1]) == "status 404"
    assert "Harbour levy" not in read(reader, urls[2])


def test_saving_paragraph_text(claim):
    reader = cached(*pages(claim))
    paragraph = claim.paragraph
    paragraph.text = TEXT.replace("Shipping firms", "Ferry operators")
    paragraph.save()
    assert "Ferry operators" in read(reader, claim.article.get_absolute_url())
    assert "Ferry operators" in read(reader, claim.get_absolute_url())


def test_deleting_a_paragraph_orphans_its_claim_on_the_page(claim):
    reader = cached(*pages(claim))
    claim.paragraph.delete()
    assert "Annotations on passages no longer in the text" in read(reader, claim.article.get_absolute_url())


def test_saving_and_deleting_an_annotation(claim):
    reader = cached(*pages(claim))
    claim.conclusion = "Checked against the port's own figures."
    claim.save()
    assert "Checked against the port" in read(reader, claim.article.get_absolute_url())
    url = claim.get_absolute_url()
    claim.delete()
    assert read(reader, url) == "status 404"


def test_adding_a_citation_and_a_correction(claim):
    reader = cached(*pages(claim))
    CitationFactory(annotation=claim, source=SourceFactory(title="Ministry bulletin"))
    assert "Ministry bulletin" in read(reader, claim.article.get_absolute_url())
    Correction.objects.create(
        annotation=claim, old_rating=rating("true"), new_rating=rating("false"), note="Re-checked."
    )
    assert "Re-checked." in read(reader, claim.get_absolute_url())


def test_editing_a_cited_source(claim):
    reader = cached(*pages(claim))
    source = claim.citations.get().source
    source.title = "Port statistics, 2024 edition"
    source.save()
    assert "2024 edition" in read(reader, claim.article.get_absolute_url())


def test_renaming_a_rating(claim):
    reader = cached(*pages(claim))
    scale_step = Rating.objects.get(pk=claim.rating_id)
    scale_step.label = "Wrong"
    scale_step.save()
    assert "Wrong" in read(reader, claim.article.get_absolute_url())
    assert "Wrong" in read(reader, reverse("home"))


def test_renaming_the_author_and_the_outlet(claim):
    reader = cached(*pages(claim))
    author, outlet = claim.article.author, claim.article.outlet
    author.name = "A. Renamed"
    author.save()
    outlet.name = "The Renamed Herald"
    outlet.save()
    page = read(reader, claim.article.get_absolute_url())
    assert "A. Renamed" in page and "The Renamed Herald" in page


def test_tagging_and_untagging_and_renaming_a_tag(claim):
    from taggit.models import Tag

    reader = cached(*pages(claim))
    claim.article.tags.add("ports")
    assert "ports" in read(reader, claim.article.get_absolute_url())
    tag = Tag.objects.get(name="ports")
    tag.name = "harbours"
    tag.save()
    assert "harbours" in read(reader, claim.article.get_absolute_url())
    claim.article.tags.remove("harbours")
    assert "harbours" not in read(reader, claim.article.get_absolute_url())


# QuerySet writes ----------------------------------------------------------------------------


def test_queryset_update_and_delete(claim):
    reader = cached(*pages(claim))
    Annotation.objects.filter(pk=claim.pk).update(conclusion="Updated in bulk.")
    assert "Updated in bulk." in read(reader, claim.article.get_absolute_url())
    Paragraph.objects.filter(pk=claim.paragraph_id).update(text=TEXT.replace("March", "April"))
    assert "in April" in read(reader, claim.article.get_absolute_url())
    Article.objects.filter(pk=claim.article_id).update(status=Article.Status.WITHDRAWN)
    assert read(reader, claim.article.get_absolute_url()) == "status 404"
    assert "Harbour levy" not in read(reader, reverse("home"))


def test_queryset_delete_of_annotations(claim):
    reader = cached(*pages(claim))
    Annotation.objects.filter(pk=claim.pk).delete()
    assert "The levy rose by a fifth." not in read(reader, claim.article.get_absolute_url())


# The admin ----------------------------------------------------------------------------------


def test_the_article_form_and_its_paragraph_inline(claim, editor):
    reader = cached(*pages(claim))
    url = reverse("admin:articles_article_change", args=[claim.article_id])
    data = form_data(editor.get(url))
    data["title"] = "Retitled in the admin"
    data["paragraphs-0-text"] = TEXT.replace("Shipping firms", "Hauliers")
    assert editor.post(url, data).status_code == 302
    page = read(reader, claim.article.get_absolute_url())
    assert "Retitled in the admin" in page and "Hauliers" in page


def test_the_annotation_form(claim, editor):
    reader = cached(*pages(claim))
    url = reverse("admin:annotations_annotation_change", args=[claim.pk])
    data = form_data(editor.get(url))
    data.update(rating=rating("misleading").pk, correction_note="The rise was a tenth, not a fifth.")
    assert editor.post(url, data).status_code == 302
    assert "The rise was a tenth" in read(reader, claim.get_absolute_url())


def test_publish_and_withdraw_actions(claim, editor):
    draft = ArticleFactory(title="Fresh analysis", status=Article.Status.DRAFT)
    reader = cached(*pages(claim))
    changelist = reverse("admin:articles_article_changelist")
    editor.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert "Fresh analysis" in read(reader, reverse("home"))
    editor.post(changelist, {"action": "withdraw", "_selected_action": [claim.article_id]})
    assert read(reader, claim.article.get_absolute_url()) == "status 404"


def test_the_delete_selected_action(claim, editor):
    reader = cached(*pages(claim))
    changelist = reverse("admin:annotations_annotation_changelist")
    response = editor.post(
        changelist, {"action": "delete_selected", "_selected_action": [claim.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert "The levy rose by a fifth." not in read(reader, claim.article.get_absolute_url())


def test_the_corrected_version_upload(claim, editor):
    reader = cached(*pages(claim))
    corrected = f"Harbour levy\n\n{TEXT.replace('Shipping firms', 'Carriers')}\n".encode()
    response = editor.post(
        reverse("admin:articles_article_replace", args=[claim.article_id]),
        {"file": SimpleUploadedFile("corrected.txt", corrected)},
    )
    assert response.status_code == 200
    assert "Carriers" in read(reader, claim.article.get_absolute_url())


# The command line ---------------------------------------------------------------------------


def test_import_articles_and_replace(claim, tmp_path, capsys):
    reader = cached(*pages(claim))
    original = tmp_path / "quay.txt"
    original.write_text("Quay fees\n\nThe quay fees were doubled overnight by the port authority.\n")
    call_command("import_articles", str(original), "--json", "--status", "published")
    slug = json.loads(capsys.readouterr().out)["article"]["slug"]
    assert "Quay fees" in read(reader, reverse("home"))
    article_url = reverse("article_detail", args=[slug])
    cached(article_url)
    edited = tmp_path / "quay-edited.txt"
    edited.write_text("Quay fees\n\nThe quay fees were tripled overnight by the port authority.\n")
    call_command("import_articles", str(edited), "--replace", slug, "--json")
    assert "tripled" in read(reader, article_url)


def test_restoring_an_archive(claim, tmp_path):
    path = tmp_path / "archive.json"
    call_command("export_archive", str(path))
    url = claim.article.get_absolute_url()
    for model in (Correction, Annotation, Paragraph, Article):
        model.objects.all().delete()
    from taggit.models import Tag

    from annotations.models import Citation, Source
    from articles.models import Author, Outlet

    for model in (Citation, Source, Author, Outlet, Tag):
        model.objects.all().delete()
    reader = cached(reverse("home"))
    assert read(reader, url) == "status 404"
    call_command("import_archive", str(path))
    assert "Harbour levy" in read(reader, reverse("home"))
    assert "Harbour levy" in read(reader, url)


def test_the_sitemap_index_and_the_claimreview_feed_follow_an_edit(client, claim):
    from xml.etree import ElementTree

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

    def annotations_lastmod() -> str:
        root = ElementTree.fromstring(client.get("/sitemap.xml").content)  # noqa: S314 (our own output)
        (entry,) = [e for e in root if "sitemap-annotations" in e.findtext(f"{ns}loc")]
        return entry.findtext(f"{ns}lastmod")

    before = annotations_lastmod()
    feed = client.get("/claims/claimreview.json")
    assert "The levy rose by a fifth." in feed.content.decode()

    claim.claim_text = "The levy rose by a quarter."
    claim.save()

    assert annotations_lastmod() > before
    again = client.get("/claims/claimreview.json", HTTP_IF_NONE_MATCH=feed["ETag"])
    assert again.status_code == 200
    assert "The levy rose by a quarter." in again.content.decode()
