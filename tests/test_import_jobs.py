"""Import jobs: web addresses, feeds, zips and many files imported by background tasks, from the
admin and the command line; a stopped worker resumed without repeats; offered versions applied."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotations.models import Annotation
from articles.importing import jobs
from articles.importing.save import import_url
from articles.models import Article, ImportItem, ImportJob, Paragraph
from tests.factories import AnnotationFactory
from tests.import_samples import english_article
from tests.webserver import Server, page

pytestmark = pytest.mark.django_db


def column(n: int, extra: str = "") -> bytes:
    return page(
        f"Column number {n} on the budget",
        f"The ministry announced plan {n} for the bridge on Monday, three years after the first plan.{extra}",
        f"Critics say budget {n} was never approved by parliament and the contract went to one bidder.",
        author="Jane Doe",
        date="2024-05-12",
    )


@pytest.fixture
def web(settings):
    settings.GLOSSA_FETCH_ALLOW_PRIVATE = True
    with Server() as server:
        yield server


def feed(web, count: int) -> str:
    items = "".join(
        f"<item><title>Column {n}</title><link>{web.serve(f'/columns/{n}', column(n))}</link></item>"
        for n in range(1, count + 1)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Columns</title>{items}</channel></rss>'
    return web.serve("/feed.xml", body.encode(), headers={"Content-Type": "application/rss+xml"})


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
    return out.getvalue(), err.getvalue(), code


# The command line ---------------------------------------------------------------------------------


def test_the_command_imports_web_addresses_with_one_json_line_each(web):
    good = web.serve("/columns/1", column(1))
    out, _err, code = run(good, web.url("/missing"), "--json", "--status", "published")
    first, missing = (json.loads(line) for line in out.splitlines())
    assert code == 1
    assert first["file"] == good and first["status"] == "created" and first["error"] is None
    assert first["article"]["title"] == "Column number 1 on the budget"
    assert first["article"]["author"] == "Jane Doe"
    assert Article.objects.get().status == Article.Status.PUBLISHED
    assert missing == {
        "file": web.url("/missing"),
        "status": "error",
        "article": None,
        "error": f"The server answered 404 Not Found for {web.url('/missing')}.",
    }


def test_the_command_imports_every_entry_of_a_feed(web):
    out, _err, code = run("--feed", feed(web, 3), "--json", "--outlet", "Daily Column")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [line["status"] for line in lines] == ["created"] * 3
    assert [line["file"] for line in lines] == [web.url(f"/columns/{n}") for n in (1, 2, 3)]
    assert set(Article.objects.values_list("outlet__name", flat=True)) == {"Daily Column"}


def test_a_feed_that_is_not_a_feed_is_one_error(web):
    url = web.serve("/feed.xml", b"<rss><channel>", headers={"Content-Type": "application/rss+xml"})
    out, _err, code = run("--feed", url, "--json")
    line = json.loads(out)
    assert code == 1
    assert line["file"] == url and line["status"] == "error"
    assert line["error"].startswith("The feed")
    assert ImportJob.objects.get().state == ImportJob.State.FAILED


def test_the_command_reports_a_changed_page_as_an_offered_duplicate(web):
    url = web.serve("/columns/1", column(1))
    run(url)
    web.serve("/columns/1", column(1, " A sentence was added."))
    out, _err, code = run(url, "--json")
    line = json.loads(out)
    assert code == 0
    assert line["status"] == "duplicate" and line["offered"] is True
    assert line["job"] == ImportJob.objects.latest("pk").pk
    assert Article.objects.count() == 1
    out, _err, _code = run(url)
    assert "the text has changed; apply it as a corrected version with import job #" in out


def test_the_command_shows_progress_on_a_terminal(web, monkeypatch):
    from django.core.management.base import OutputWrapper

    monkeypatch.setattr(OutputWrapper, "isatty", lambda self: True)
    _out, err, _code = run(web.serve("/columns/1", column(1)), web.serve("/columns/2", column(2)))
    assert "… 1/2 pages" in err and "… 2/2 pages" in err


def test_background_queues_a_job(web, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _out, err, code = run(web.serve("/columns/1", column(1)), "--background")
    job = ImportJob.objects.get()
    assert code == 0 and f"Import job #{job.pk} queued" in err
    assert job.state == ImportJob.State.QUEUED and Article.objects.count() == 0


# The admin ----------------------------------------------------------------------------------------


def test_an_editor_imports_web_addresses_and_follows_the_job(web, editor_client):
    urls = [web.serve(f"/columns/{n}", column(n)) for n in range(1, 4)]
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"urls": "\n".join([*urls, "", web.url("/missing")]), "status": "draft"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == ImportJob.Kind.URLS and job.created_by.username == "editor"
    job.refresh_from_db()
    assert job.state == ImportJob.State.FINISHED
    body = editor_client.get(job.get_absolute_url()).content.decode()
    assert '<progress id="job-progress" value="4" max="4">' in body
    assert 'http-equiv="refresh"' not in body
    for article in Article.objects.all():
        assert reverse("admin:articles_article_change", args=[article.pk]) in body
    assert f"The server answered 404 Not Found for {web.url('/missing')}." in body
    assert "Retry failed items (1)" in body


def test_the_job_page_refreshes_itself_while_the_job_runs(editor_client):
    job = jobs.create_job(ImportJob.Kind.URLS, urls=["https://example.org/a"])
    body = editor_client.get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in body
    assert '<progress id="job-progress" value="0" max="1">' in body


def test_bad_lines_in_the_address_box_are_named(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"urls": "https://example.org/a\njavascript:alert(1)\n\nexample.org/b", "status": "draft"},
    )
    assert "Not a web address starting with http:// or https://: line 2, line 4." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_fact_checker_sees_no_jobs(checker_client):
    job = jobs.create_job(ImportJob.Kind.URLS, urls=["https://example.org/a"])
    assert checker_client.get(job.get_absolute_url()).status_code == 403


def test_many_uploaded_files_become_a_background_job(editor_client, settings):
    settings.GLOSSA_IMPORT_INLINE_FILES = 2
    files = [
        SimpleUploadedFile(f"{n}.txt", english_article(f"Uploaded column {n}", seed=str(n)).encode())
        for n in range(3)
    ]
    response = editor_client.post(
        reverse("admin:articles_article_import"), {"files": files, "status": "draft"}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == ImportJob.Kind.FILES
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        f"Uploaded column {n}" for n in range(3)
    ]


def stored_files(settings) -> list[str]:
    return sorted(
        str(p.relative_to(settings.MEDIA_ROOT)) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()
    )


def test_an_uploaded_file_leaves_only_its_original_once_imported_and_a_failed_one_is_kept_to_retry(
    editor_client, settings, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("good.txt", english_article("A good column").encode()),
        SimpleUploadedFile("bad.txt", b"\x00\x01\x02 not text at all \xff\xfe"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:articles_article_import"), {"files": files, "status": "draft"})
    job = ImportJob.objects.get()
    good, bad = job.items.order_by("position")
    assert (good.state, bad.state) == (ImportItem.State.CREATED, ImportItem.State.ERROR)
    assert good.stored_name == "" and bad.stored_name.startswith(f"imports/{job.pk}/")
    assert stored_files(settings) == sorted([good.article.original_file.name, bad.stored_name])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("admin:articles_importjob_delete", args=[job.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not ImportItem.objects.exists()
    assert stored_files(settings) == [good.article.original_file.name]  # the article keeps its original


def test_deleting_jobs_from_the_list_removes_their_zip(
    editor_client, settings, django_capture_on_commit_callbacks
):
    data = zip_of({"one.txt": english_article("Zipped one").encode()})
    editor_client.post(
        reverse("admin:articles_article_import"),
        {"zip_file": SimpleUploadedFile("batch.zip", data), "status": "draft"},
    )
    job = ImportJob.objects.get()
    assert job.source_file.name in stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            reverse("admin:articles_importjob_changelist"),
            {"action": "delete_selected", "_selected_action": [job.pk], "post": "yes"},
        )
    assert not ImportJob.objects.exists()
    assert stored_files(settings) == [Article.objects.get().original_file.name]


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_is_imported_file_by_file_with_an_outcome_for_each(editor_client, settings):
    settings.GLOSSA_MAX_UPLOAD_BYTES = 20_000
    data = zip_of(
        {
            "columns/one.txt": english_article("Zipped one", seed="1").encode(),
            "columns/two.md": english_article("Zipped two", seed="2").encode(),
            "columns/.hidden.txt": b"junk",
            "__MACOSX/columns/._one.txt": b"junk",
            "columns/empty.txt": b"",
            "columns/huge.txt": b"word " * 10_000,
        }
    )
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"zip_file": SimpleUploadedFile("batch.zip", data), "status": "draft"},
    )
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    outcomes = list(job.items.values_list("source", "state", "message"))
    assert outcomes[0][:2] == ("columns/one.txt", "created")
    assert outcomes[1][:2] == ("columns/two.md", "created")
    assert outcomes[2] == ("columns/empty.txt", "error", "The file is empty.")
    assert outcomes[3] == (
        "columns/huge.txt",
        "error",
        "The file is 48.8 KB unpacked, over the 19.5 KB limit for imports.",
    )
    assert len(outcomes) == 4


def test_a_file_that_is_not_a_zip_is_refused_on_the_form(editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"),
        {"zip_file": SimpleUploadedFile("batch.zip", b"not a zip"), "status": "draft"},
    )
    assert "This file is not a zip archive (or it is damaged)." in response.content.decode()


# Restarts, failures, retries ----------------------------------------------------------------------


def test_a_stopped_worker_leaves_finished_items_and_resuming_does_not_repeat_them(web, monkeypatch):
    urls = [web.serve(f"/columns/{n}", column(n)) for n in range(1, 4)]
    job = jobs.create_job(ImportJob.Kind.URLS, urls=urls)
    real_save = jobs._save
    saved = []

    def killed_on_the_second(job, item, loaded):
        if len(saved) == 1:
            raise KeyboardInterrupt  # as when the worker is killed
        saved.append(item.position)
        return real_save(job, item, loaded)

    monkeypatch.setattr(jobs, "_save", killed_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING
    assert list(job.items.values_list("state", flat=True)) == ["created", "pending", "pending"]
    assert Article.objects.count() == 1

    monkeypatch.setattr(jobs, "_save", real_save)
    out = StringIO()
    call_command("resume_import_jobs", stdout=out)
    assert f"Import job #{job.pk} queued again (2 items to do)." in out.getvalue()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FINISHED
    assert list(job.items.values_list("state", "attempts")) == [("created", 1)] * 3
    assert Article.objects.count() == 3
    assert len([r for r in web.requests if r["path"] == "/columns/1"]) == 1  # never fetched again


def test_an_item_another_worker_finished_is_left_alone(web):
    job = jobs.create_job(ImportJob.Kind.URLS, urls=[web.serve("/columns/1", column(1))])
    item = job.items.get()
    ImportItem.objects.filter(pk=item.pk).update(state=ImportItem.State.ERROR, message="done elsewhere")
    loaded = jobs._load(job, item.source, lambda: (column(1), None))
    assert jobs._save(job, item, loaded) is None
    assert Article.objects.count() == 0
    assert job.items.get().message == "done elsewhere"


def test_a_failed_save_leaves_no_article_and_no_stored_file(web, monkeypatch, settings, caplog):
    real_bulk_create = Paragraph.objects.bulk_create

    def fails_for_one(objs, *args, **kwargs):
        objs = list(objs)
        if objs and "number 2" in objs[0].article.title:
            raise OSError("disk full")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Paragraph.objects, "bulk_create", fails_for_one)
    urls = [web.serve(f"/columns/{n}", column(n)) for n in (1, 2)]
    job = jobs.create_job(ImportJob.Kind.URLS, urls=urls)
    jobs.run(job.pk)
    assert list(job.items.values_list("state", "message")) == [
        ("created", "Created with 2 paragraphs."),
        (
            "error",
            "An unexpected error stopped this page; nothing was saved for it. The error has been logged.",
        ),
    ]
    article = Article.objects.get()
    stored = sorted(
        str(p.relative_to(settings.MEDIA_ROOT)) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()
    )
    assert stored == sorted([article.original_file.name, article.warc_file.name])
    assert "Importing http://127.0.0.1" in caplog.text


def test_failed_items_are_retried(web, editor_client):
    url = web.url("/columns/1")
    job = jobs.create_job(ImportJob.Kind.URLS, urls=[url])
    jobs.start(job)
    assert job.items.get().state == ImportItem.State.ERROR
    web.serve("/columns/1", column(1))
    response = editor_client.post(reverse("admin:articles_importjob_retry", args=[job.pk]))
    assert response.status_code == 302
    item = job.items.get()
    assert item.state == ImportItem.State.CREATED and item.attempts == 2
    assert Article.objects.get().original_url == url


# Offered versions ---------------------------------------------------------------------------------


def test_an_offered_version_is_applied_as_a_corrected_version(
    web, editor_client, settings, django_capture_on_commit_callbacks
):
    url = web.serve("/columns/1", column(1))
    article = import_url(url).article
    first = article.paragraphs.get(position=1)
    annotation = AnnotationFactory(paragraph=first, exact="three years after", status=Annotation.Status.DRAFT)
    web.serve("/columns/1", column(1).replace(b"on Monday", b"on Tuesday"))
    job = jobs.create_job(ImportJob.Kind.URLS, urls=[url])
    jobs.start(job)
    item = job.items.get()
    assert item.state == ImportItem.State.OFFERED and item.article == article
    body = editor_client.get(job.get_absolute_url()).content.decode()
    assert "Apply as corrected version" in body
    assert Article.objects.count() == 1 and "Monday" in article.paragraphs.get(position=1).text

    offered = item.stored_name
    assert offered in stored_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("admin:articles_importjob_apply", args=[job.pk, item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ImportItem.State.REPLACED
    assert item.stored_name == "" and offered not in stored_files(settings)  # the correction keeps its copy
    assert item.message == "Applied as a corrected version: annotations kept 0, moved 1, orphaned 0."
    first.refresh_from_db()
    assert "on Tuesday" in first.text  # the same paragraph, its key and permalink kept
    annotation.refresh_from_db()
    assert annotation.paragraph_id == first.pk and annotation.anchor_state != "orphaned"
    article.refresh_from_db()
    assert article.import_report["replacements"][-1]["file"] == url
    # The applied text is now the article's: fetching the same page again is a plain duplicate.
    assert import_url(url).status == "duplicate"


def test_an_offered_version_cannot_be_applied_twice(web, editor_client):
    url = web.serve("/columns/1", column(1))
    import_url(url)
    web.serve("/columns/1", column(1, " More."))
    job = jobs.create_job(ImportJob.Kind.URLS, urls=[url])
    jobs.start(job)
    item = job.items.get()
    apply_url = reverse("admin:articles_importjob_apply", args=[job.pk, item.pk])
    editor_client.post(apply_url)
    response = editor_client.post(apply_url, follow=True)
    assert "This item is not a new version waiting to be applied." in response.content.decode()


def test_an_editor_imports_a_feed_from_the_admin(web, editor_client):
    response = editor_client.post(
        reverse("admin:articles_article_import"), {"feed_url": feed(web, 2), "status": "draft"}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == ImportJob.Kind.FEED and job.state == ImportJob.State.FINISHED
    assert list(job.items.values_list("source", "state")) == [
        (web.url("/columns/1"), "created"),
        (web.url("/columns/2"), "created"),
    ]


def test_the_resume_action_queues_a_stopped_job_again(web, editor_client):
    job = jobs.create_job(ImportJob.Kind.URLS, urls=[web.serve("/columns/1", column(1))])
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)  # as a killed worker leaves it
    response = editor_client.post(
        reverse("admin:articles_importjob_changelist"),
        {"action": "resume_jobs", "_selected_action": [job.pk]},
        follow=True,
    )
    assert "1 job queued again." in response.content.decode()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FINISHED and job.items.get().state == ImportItem.State.CREATED
