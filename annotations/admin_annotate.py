"""Admin pages on an article: annotate its text and re-attach orphans.

``article_urls(model_admin)`` is called from the article admin's ``get_urls`` (annotations/admin.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Article, Paragraph

from .models import Annotation


@dataclass
class Segment:
    text: str
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def ids(self) -> str:
        return " ".join(f"a-{a.pk}" for a in self.annotations)

    @property
    def kinds(self) -> str:
        return " ".join(sorted({f"mark-{a.kind}" for a in self.annotations}))


def segments(text: str, annotations: list[Annotation]) -> list[Segment]:
    """The paragraph cut at every annotation boundary; each piece knows which annotations cover it."""
    spans = [(span, a) for a in annotations if (span := a.current_span(text)) is not None]
    cuts = sorted(
        {0, len(text), *(start for (start, _end), _a in spans), *(end for (_start, end), _a in spans)}
    )
    return [
        Segment(text[a:b], [annotation for (start, end), annotation in spans if start <= a and b <= end])
        for a, b in zip(cuts, cuts[1:], strict=False)
        if b > a
    ]


@dataclass
class AnnotatedParagraph:
    paragraph: Paragraph
    annotations: list[Annotation]

    @property
    def segments(self) -> list[Segment]:
        return segments(self.paragraph.text, self.annotations)


def may_change(model_admin, request, annotation: Annotation) -> bool:
    """The annotation admin's rule (a published annotation is changed only by those who may publish)."""
    return model_admin.admin_site.get_model_admin(Annotation).has_change_permission(request, annotation)


def can_annotate(user) -> bool:
    return user.has_perm("annotations.add_annotation")


def add_url(**params) -> str:
    return f"{reverse('admin:annotations_annotation_add')}?{urlencode(params)}"


def annotate_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    if not (
        model_admin.has_view_permission(request) and request.user.has_perm("annotations.view_annotation")
    ):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.select_related("author", "outlet"), pk=object_id)
    paragraphs = list(article.paragraphs.order_by("position"))
    by_paragraph: dict[int, list[Annotation]] = {p.pk: [] for p in paragraphs}
    orphans = []
    for annotation in (
        Annotation.objects.filter(article=article)
        .select_related("rating", "author")
        .order_by("paragraph_id", "start", "id")
    ):
        if annotation.paragraph_id in by_paragraph:
            by_paragraph[annotation.paragraph_id].append(annotation)
        else:
            orphans.append(annotation)

    reattaching = None
    if "reattach" in request.GET:
        reattaching = get_object_or_404(Annotation, pk=request.GET["reattach"], article=article)
        if not may_change(model_admin, request, reattaching):
            raise PermissionDenied

    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Annotate: {article.title}",
        "article": article,
        "paragraphs": [AnnotatedParagraph(p, by_paragraph[p.pk]) for p in paragraphs],
        "orphans": orphans,
        "can_annotate": can_annotate(request.user),
        "reattaching": reattaching,
        "add_url": reverse("admin:annotations_annotation_add"),
        "reattach_url": reverse("admin:articles_article_reattach", args=[article.pk, reattaching.pk])
        if reattaching
        else "",
        "kinds": Annotation.Kind.choices,
    }
    return TemplateResponse(request, "admin/annotations/annotate.html", context)


def reattach_view(model_admin, request: HttpRequest, object_id: str, annotation_id: str) -> HttpResponse:
    """Confirm, then anchor an annotation to the passage chosen in the annotate view."""
    if not request.user.has_perm("annotations.change_annotation"):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=object_id)
    annotation = get_object_or_404(
        Annotation.objects.select_related("paragraph"), pk=annotation_id, article=article
    )
    if not may_change(model_admin, request, annotation):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    paragraph = article.paragraphs.filter(pk=data.get("paragraph") or None).first()
    error = None
    start = _int_or_none(data.get("start"))
    if paragraph is None:
        error = "Choose a paragraph of this article to attach the annotation to."
    if request.method == "POST" and error is None:
        try:
            annotation.reattach(
                paragraph,
                data.get("exact", ""),
                prefix=data.get("prefix", ""),
                suffix=data.get("suffix", ""),
                start=start,
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            model_admin.log_change(
                request,
                annotation,
                f"Re-attached to paragraph {paragraph.position} ({paragraph.key}): “{annotation.exact or 'whole paragraph'}”.",
            )
            messages.success(request, f"“{annotation}” is attached again.")
            return redirect(
                f"{reverse('admin:articles_article_annotate', args=[article.pk])}#p-{paragraph.key}"
            )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Re-attach an annotation",
        "article": article,
        "annotation": annotation,
        "paragraph": paragraph,
        "exact": data.get("exact", ""),
        "prefix": data.get("prefix", ""),
        "suffix": data.get("suffix", ""),
        "start": "" if start is None else start,
        "error": error,
    }
    return TemplateResponse(request, "admin/annotations/reattach.html", context, status=400 if error else 200)


def article_urls(model_admin) -> list:
    wrap = model_admin.admin_site.admin_view

    def bind(view):
        return wrap(lambda request, *args, **kwargs: view(model_admin, request, *args, **kwargs))

    return [
        path("<int:object_id>/annotate/", bind(annotate_view), name="articles_article_annotate"),
        path(
            "<int:object_id>/annotate/reattach/<int:annotation_id>/",
            bind(reattach_view),
            name="articles_article_reattach",
        ),
    ]


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
