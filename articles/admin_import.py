"""Admin pages for files: "Import articles" (several at once, a result for each), "Upload
corrected version" of an article, and the one download of a stored original or corrected file."""

from __future__ import annotations

import logging
import zipfile
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .access import status_choices
from .importing import ImportProblem, jobs, parse_file
from .importing.replace import paragraph_changes, replace_article_text
from .importing.save import ImportResult
from .importing.uploads import read_upload
from .models import Article, ImportJob, Outlet
from .validators import is_web_url, validate_web_url

logger = logging.getLogger(__name__)

STORAGE_FAILED = (
    "The files could not be stored, so nothing was imported. The error has been logged; "
    "try again in a moment, and tell the site's administrators if it happens again."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        # Empty files are refused per file by the importer, with the other files still imported.
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data]
        uploads = [upload for upload in uploads if upload]
        if not uploads:
            if not self.required:
                return []
            raise forms.ValidationError("Choose one or more files to import.", code="required")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


FORMATS_HELP = (
    "plain text (UTF-8, Windows-1251, KOI8-R, Latin-1 and other encodings), HTML, Markdown or Word (.docx)"
)


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        help_text=(
            f"Text, HTML, Markdown or Word (.docx) files, up to {filesizeformat(settings.GLOSSA_MAX_UPLOAD_BYTES)} "
            f"each. Select several at once (up to {settings.DATA_UPLOAD_MAX_NUMBER_FILES}); up to "
            f"{settings.GLOSSA_IMPORT_INLINE_FILES} are imported at once, more become an import job."
        ),
    )
    zip_file = forms.FileField(
        label="Zip of files",
        required=False,
        help_text="A .zip of article files, of any size: imported as a job in the background.",
    )
    urls = forms.CharField(
        label="Web addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        help_text="One page a line. The pages are fetched and imported as a job in the background.",
    )
    feed_url = forms.CharField(
        label="Feed address",
        required=False,
        max_length=1000,
        validators=[validate_web_url],
        help_text="An RSS or Atom feed: every page it lists is imported as a job in the background.",
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(),
        required=False,
        help_text="Leave empty to use the outlet named in the file, if any.",
    )
    status = forms.ChoiceField(initial=Article.Status.DRAFT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            choice for choice in status_choices(user, Article) if choice[0] != Article.Status.WITHDRAWN
        ]

    def clean_urls(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["urls"].splitlines()]
        urls, bad = [], []
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            (urls if is_web_url(line) else bad).append(line if is_web_url(line) else f"line {number}")
        if bad:
            raise forms.ValidationError(
                f"Not a web address starting with http:// or https://: {', '.join(bad[:10])}."
            )
        return urls

    def clean_zip_file(self):
        upload = self.cleaned_data["zip_file"]
        if upload and not zipfile.is_zipfile(upload):
            raise forms.ValidationError("This file is not a zip archive (or it is damaged).")
        return upload

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("files", "zip_file", "urls", "feed_url")) and not self.errors:
            raise forms.ValidationError(
                "Choose one or more files to import. Or give a zip, web addresses or a feed."
            )
        return data


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    results, inline_job = [], None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = {"user": request.user, "status": data["status"], "outlet": data["outlet"]}
        try:
            files_job, queued = _create_jobs(data, options)
        except Exception:
            # The storage (a bucket out of reach) refused the files: each job's rows rolled back
            # with its files, and the editor reads what happened instead of a server error.
            logger.exception("Storing the files of an import failed")
            form.add_error(None, STORAGE_FAILED)
            files_job, queued = None, []
        if files_job and len(data["files"]) <= settings.GLOSSA_IMPORT_INLINE_FILES:
            # A few files are imported while the editor waits, and shown on this page at once.
            results = _run_here(files_job)
            inline_job = files_job
        elif files_job:
            queued.insert(0, files_job)
        for job in queued:
            jobs.start(job)
        if queued and not results:
            if len(queued) == 1:
                return redirect(queued[0].get_absolute_url())
            return redirect("admin:articles_importjob_changelist")
        for job in queued:
            messages.info(
                request,
                format_html('Import job <a href="{}">#{}</a> is queued.', job.get_absolute_url(), job.pk),
            )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import articles",
        "form": form,
        "results": results,
        "job": inline_job,
        "created": sum(1 for r in results if r.status == ImportResult.CREATED),
        "duplicates": sum(1 for r in results if r.status == ImportResult.DUPLICATE),
        "offered": sum(1 for r in results if r.status == ImportResult.OFFERED),
        "errors": sum(1 for r in results if r.status == ImportResult.ERROR),
    }
    return TemplateResponse(request, "admin/articles/article/import.html", context)


def _create_jobs(data: dict, options: dict) -> tuple[ImportJob | None, list[ImportJob]]:
    """The job of the uploaded files (if any) and the other jobs the form asks for, all created
    before any starts, so a storage failure leaves none of them behind."""
    created: list[ImportJob] = []
    try:
        if data["files"]:
            created.append(jobs.create_job(ImportJob.Kind.FILES, files=_read_all(data["files"]), **options))
        files_job = created[0] if created else None
        if data["zip_file"]:
            created.append(jobs.create_job(ImportJob.Kind.ZIP, zip_file=data["zip_file"], **options))
        if data["urls"]:
            created.append(jobs.create_job(ImportJob.Kind.URLS, urls=data["urls"], **options))
        if data["feed_url"]:
            created.append(jobs.create_job(ImportJob.Kind.FEED, feed_url=data["feed_url"], **options))
    except Exception:
        ImportJob.objects.filter(pk__in=[job.pk for job in created]).delete()
        raise
    return files_job, [job for job in created if job is not files_job]


def _run_here(job: ImportJob) -> list[ImportResult]:
    """Run a small job in this request; a result for every item, those refused before reading too."""
    by_item = {}
    jobs.run(job.pk, on_result=lambda item, result: by_item.__setitem__(item.pk, result))
    return [
        by_item.get(item.pk) or ImportResult(item.source, item.state, item.article, item.message or None)
        for item in job.items.select_related("article").order_by("position")
    ]


def _read_all(uploads) -> list[tuple[str, bytes | ImportProblem]]:
    """Each upload's bytes, or the problem that stops it (too large) for its item to report."""
    read = []
    for upload in uploads:
        try:
            read.append((upload.name, read_upload(upload)))
        except ImportProblem as problem:
            read.append((upload.name, problem))
    return read


class CorrectedVersionForm(forms.Form):
    file = forms.FileField(
        label="Corrected version",
        help_text=f"The whole article, title first, in any format the importer reads: {FORMATS_HELP}. "
        "The file is kept with the article's provenance.",
    )


def replace_view(model_admin, request, object_id: int):
    article = get_object_or_404(Article, pk=object_id)
    if not (
        model_admin.has_change_permission(request, article)
        and request.user.has_perm("articles.change_paragraph")
    ):
        raise PermissionDenied
    form = CorrectedVersionForm(request.POST or None, request.FILES or None)
    counts = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_upload(upload)
            parsed = parse_file(upload.name, data)
            counts = replace_article_text(article, parsed, user=request.user, filename=upload.name, data=data)
        except ImportProblem as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(
                request,
                f"Text replaced. Annotations kept: {counts['kept']}, moved: {counts['moved']}, "
                f"orphaned: {counts['orphaned']}.",
            )
            if parsed.title.strip() != article.title.strip():
                messages.warning(
                    request,
                    f"The file's title “{parsed.title}” differs from the article's; the title was not changed.",
                )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Upload corrected version: {article.title}",
        "article": article,
        "form": form,
        "counts": counts,
        "paragraph_changes": paragraph_changes(article.import_report["replacements"][-1]) if counts else "",
        "orphans_url": f"{reverse('admin:annotations_orphanedannotation_changelist')}?article={article.pk}",
    }
    return TemplateResponse(request, "admin/annotations/replace.html", context)


def stored_files(article: Article) -> list[str]:
    """The article's files in storage: the original, then each corrected version uploaded."""
    names = [article.original_file.name] if article.original_file else []
    replacements = (article.import_report or {}).get("replacements", [])
    return names + [entry["stored_file"] for entry in replacements if entry.get("stored_file")]


def original_view(model_admin, request, pk: int, number: int = 0):
    """A stored file of the article, always as a download: an uploaded page must never run on this
    site's origin. The one way staff fetch files (the storage's own URLs are not served)."""
    article = get_object_or_404(Article, pk=pk)
    files = stored_files(article)
    if not model_admin.has_view_permission(request, article) or number >= len(files):
        raise Http404("No such file.")
    name = files[number]
    try:
        stored = article.original_file.storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(stored, as_attachment=True, filename=PurePosixPath(name).name)
    response["Content-Type"] = "application/octet-stream"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def warc_view(model_admin, request, pk: int):
    """The WARC record of a fetched page, as a download (staff only, like the originals)."""
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_permission(request, article) or not article.warc_file:
        raise Http404("No such file.")
    try:
        stored = article.warc_file.storage.open(article.warc_file.name, "rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(stored, as_attachment=True, filename=PurePosixPath(article.warc_file.name).name)
    response["Content-Type"] = "application/warc"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def import_urls(model_admin) -> list:
    site = model_admin.admin_site

    def bind(view):
        return site.admin_view(lambda request, *args, **kwargs: view(model_admin, request, *args, **kwargs))

    return [
        path("import/", bind(import_view), name="articles_article_import"),
        path("<int:pk>/original/", bind(original_view), name="articles_article_original"),
        path("<int:pk>/warc/", bind(warc_view), name="articles_article_warc"),
        path("<int:pk>/original/<int:number>/", bind(original_view), name="articles_article_file"),
        path("<int:object_id>/replace/", bind(replace_view), name="articles_article_replace"),
    ]


def original_link(article: Article) -> str:
    if not article.original_file:
        return "—"
    return format_html(
        '<a href="{}">{}</a> (download)',
        reverse("admin:articles_article_original", args=[article.pk]),
        PurePosixPath(article.original_file.name).name,
    )


def warc_link(article: Article) -> str:
    if not article.warc_file:
        return "—"
    return format_html(
        '<a href="{}">{}</a> (download)',
        reverse("admin:articles_article_warc", args=[article.pk]),
        PurePosixPath(article.warc_file.name).name,
    )


def render_report(report: dict, article: Article | None = None) -> str:
    """The import report as the article page shows it (every value escaped by the template)."""
    report = dict(report or {})
    report["links"] = [
        link
        for link in report.get("links", [])
        if isinstance(link, dict) and str(link.get("url", "")).lower().startswith(("http://", "https://"))
    ]
    versions = []
    if article is not None:
        offset = 1 if article.original_file else 0
        stored = [e for e in report.get("replacements", []) if e.get("stored_file")]
        for number, entry in enumerate(stored, start=offset):
            versions.append(
                {
                    "entry": entry,
                    "url": reverse("admin:articles_article_file", args=[article.pk, number]),
                    "name": PurePosixPath(entry["stored_file"]).name,
                }
            )
    return render_to_string(
        "admin/articles/article/_import_report.html", {"report": report, "versions": versions}
    )
