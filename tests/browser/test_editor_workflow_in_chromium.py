"""An editor's round trip through orphans, re-attaching, corrections and a corrected upload, in Chromium.

The screenshots taken here illustrate docs/EDITORS.md (copied to docs/img/).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Annotation, Correction
from articles.models import Article
from tests.browser.test_annotate_in_chromium import drag_select, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_corrects_a_published_verdict(live_server, page, screenshot):
    call_command("load_demo", with_users=True)
    claim = Annotation.objects.filter(kind="claim", status="published", rating__slug="unverifiable").first()
    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/annotations/annotation/{claim.pk}/change/")
    page.locator(".field-rating .select2-selection").click()
    page.locator(".select2-search__field").fill("Mostly")
    page.locator(".select2-results__option", has_text="Mostly true").click()
    page.click("input[name=_save]")

    expect(page.locator(".errorlist")).to_contain_text("needs a public correction note")
    page.locator("#id_correction_note").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot(page, "editors-correction-required")))

    page.fill("#id_correction_note", "Checked against the published record; the figure holds up.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    correction = Correction.objects.get(annotation=claim)
    assert (correction.old_rating.slug, correction.new_rating.slug) == ("unverifiable", "mostly-true")

    page.goto(f"{live_server.url}/admin/annotations/annotation/{claim.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("rating: “Unverifiable” → “Mostly true”")
    page.screenshot(path=str(screenshot(page, "editors-history")))


def test_editor_reattaches_an_orphan_by_selecting_new_text(live_server, page, screenshot):
    call_command("load_demo", with_users=True)
    annotation = Annotation.objects.filter(kind="note").select_related("paragraph").first()
    paragraph = annotation.paragraph
    # An edit that rewrites the annotated passage leaves the annotation without its text.
    paragraph.text = paragraph.text.replace(annotation.exact, "a passage the editor rewrote entirely")
    paragraph.save()
    annotation.refresh_from_db()
    assert annotation.anchor_state == "orphaned"

    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/annotations/orphanedannotation/")
    page.screenshot(path=str(screenshot(page, "editors-orphans")))
    page.get_by_role("link", name="Choose new text").click()

    expect(page.locator(".annotate-reattaching")).to_be_visible()
    start = paragraph.text.index("a passage the editor rewrote entirely")
    drag_select(page, paragraph, start, start + len("a passage the editor rewrote entirely"))
    page.get_by_role("button", name="Re-attach here").click()
    page.click("input[type=submit][value=Re-attach]")

    expect(page.locator(".messagelist")).to_contain_text("is attached again")
    annotation.refresh_from_db()
    assert (annotation.paragraph_id, annotation.anchor_state) == (paragraph.pk, "anchored")
    assert annotation.exact == "a passage the editor rewrote entirely"


def test_editor_uploads_a_corrected_version(live_server, page, screenshot, tmp_path):
    call_command("load_demo", with_users=True)
    article = Article.objects.get()
    first = article.paragraphs.get(position=2)
    corrected = [article.title, *(p.text for p in article.paragraphs.order_by("position"))]
    corrected[2] = "Editor's correction: " + first.text
    path = tmp_path / "corrected.txt"
    path.write_text("\n\n".join(corrected), encoding="utf-8")
    annotations = Annotation.objects.filter(article=article).count()

    log_in(page, live_server, "editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Upload corrected version").click()
    page.set_input_files("#id_file", str(path))
    page.click("input[type=submit][value='Replace text']")

    expect(page.locator(".replace-result")).to_be_visible()
    kept = int(page.inner_text(".count-kept"))
    moved = int(page.inner_text(".count-moved"))
    orphaned = int(page.inner_text(".count-orphaned"))
    assert (kept + moved + orphaned, orphaned) == (annotations, 0)
    assert moved >= 1
    n = len(corrected) - 1
    expect(page.locator(".paragraph-changes")).to_have_text(
        f"{n} paragraphs before, {n} after: 0 added, 0 removed."
    )
    page.screenshot(path=str(screenshot(page, "editors-upload-result")))
    assert article.paragraphs.get(position=2).key == first.key
