"""Admin pages for files: "Import articles" (several at once, a result for each), "Upload
corrected version" of an article, and the one download of a stored original or corrected file."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .access import status_choices
from .importing import ImportProblem, parse_file
from .importing.replace import paragraph_changes, replace_article_text
from .importing.save import ImportResult, import_file_reporting_failures
from .importing.uploads import read_upload
from .models import Article, Outlet


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
            raise forms.ValidationError("Choose one or more files to import.", code="required")
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


FORMATS_HELP = (
    "plain text (UTF-8, Windows-1251, KOI8-R, Latin-1 and other encodings), HTML, Markdown or Word (.docx)"
)


class ImportForm(forms.Form):
    files = MultipleFileField(
        help_text=(
            f"Text, HTML, Markdown or Word (.docx) files, up to {filesizeformat(settings.GLOSSA_MAX_UPLOAD_BYTES)} "
            f"each. Select several at once (up to {settings.DATA_UPLOAD_MAX_NUMBER_FILES})."
        )
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


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    results = []
    if request.method == "POST" and form.is_valid():
        for upload in form.cleaned_data["files"]:
            try:
                data = read_upload(upload)
            except ImportProblem as problem:
                result = ImportResult(upload.name, ImportResult.ERROR, error=str(problem))
            else:
                result = import_file_reporting_failures(
                    upload.name, data, status=form.cleaned_data["status"], outlet=form.cleaned_data["outlet"]
                )
            if result.status == ImportResult.CREATED:
                model_admin.log_addition(request, result.article, [{"added": {}}])
            results.append(result)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import articles",
        "form": form,
        "results": results,
        "created": sum(1 for r in results if r.status == ImportResult.CREATED),
        "duplicates": sum(1 for r in results if r.status == ImportResult.DUPLICATE),
        "errors": sum(1 for r in results if r.status == ImportResult.ERROR),
    }
    return TemplateResponse(request, "admin/articles/article/import.html", context)


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


def import_urls(model_admin) -> list:
    site = model_admin.admin_site

    def bind(view):
        return site.admin_view(lambda request, *args, **kwargs: view(model_admin, request, *args, **kwargs))

    return [
        path("import/", bind(import_view), name="articles_article_import"),
        path("<int:pk>/original/", bind(original_view), name="articles_article_original"),
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
