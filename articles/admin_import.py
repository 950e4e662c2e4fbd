"""The admin's "Import articles" page: several files at once, a result for each."""

from __future__ import annotations

from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from .importing import ImportProblem
from .importing.parse import check_size, human_size
from .importing.save import ImportResult, import_file_reporting_failures
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


class ImportForm(forms.Form):
    files = MultipleFileField(
        help_text=(
            f"Text, HTML, Markdown or Word (.docx) files, up to {human_size(settings.GLOSSA_MAX_UPLOAD_BYTES)} "
            f"each. Select several at once (up to {settings.DATA_UPLOAD_MAX_NUMBER_FILES})."
        )
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(),
        required=False,
        help_text="Leave empty to use the outlet named in the file, if any.",
    )
    status = forms.ChoiceField(initial=Article.Status.DRAFT)

    def __init__(self, *args, can_publish: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {Article.Status.DRAFT, Article.Status.REVIEW} | (
            {Article.Status.PUBLISHED} if can_publish else set()
        )
        self.fields["status"].choices = [choice for choice in Article.Status.choices if choice[0] in allowed]


def import_upload(upload: UploadedFile, *, status: str, outlet: Outlet | None) -> ImportResult:
    try:
        check_size(upload.size)  # before reading a large file into memory
    except ImportProblem as problem:
        return ImportResult(upload.name, ImportResult.ERROR, error=str(problem))
    return import_file_reporting_failures(
        upload.name, b"".join(upload.chunks()), status=status, outlet=outlet
    )


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    can_publish = request.user.has_perm("articles.publish_article")
    form = ImportForm(request.POST or None, request.FILES or None, can_publish=can_publish)
    results = []
    if request.method == "POST" and form.is_valid():
        for upload in form.cleaned_data["files"]:
            result = import_upload(
                upload, status=form.cleaned_data["status"], outlet=form.cleaned_data["outlet"]
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


def original_view(model_admin, request, pk: int):
    """The stored original, always as a download: an uploaded page must never run on this site's origin."""
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_permission(request, article) or not article.original_file:
        raise Http404("No original file.")
    name = PurePosixPath(article.original_file.name).name
    try:
        stored = article.original_file.open("rb")
    except FileNotFoundError:
        raise Http404("The original file is missing from storage.") from None
    response = FileResponse(stored, as_attachment=True, filename=name)
    response["Content-Type"] = "application/octet-stream"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def import_urls(model_admin) -> list:
    site = model_admin.admin_site
    return [
        path(
            "import/",
            site.admin_view(lambda request: import_view(model_admin, request)),
            name="articles_article_import",
        ),
        path(
            "<int:pk>/original/",
            site.admin_view(lambda request, pk: original_view(model_admin, request, pk)),
            name="articles_article_original",
        ),
    ]


def original_link(article: Article) -> str:
    if not article.original_file:
        return "—"
    return format_html(
        '<a href="{}">{}</a> (download)',
        reverse("admin:articles_article_original", args=[article.pk]),
        PurePosixPath(article.original_file.name).name,
    )


def render_report(report: dict) -> str:
    """The import report as the article page shows it (every value escaped by the template)."""
    report = dict(report or {})
    report["links"] = [
        link
        for link in report.get("links", [])
        if isinstance(link, dict) and str(link.get("url", "")).lower().startswith(("http://", "https://"))
    ]
    return render_to_string("admin/articles/article/_import_report.html", {"report": report})
