"""The /search/ page and its exports: parameters in, results, facets and a chart out."""

from __future__ import annotations

from django.shortcuts import render

from annotations import exports

from .filters import PageOutOfRange, search_filterset

PAGE_SIZE = 20
KEPT_FILTERS = ("tag", "match", "rating", "outlet", "author", "language", "kind")
EXPORT_FORMATS = {"csv", "json", "jsonld"}


def search(request):
    filterset = search_filterset(request.GET)
    export_format = request.GET.get("format", "")
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "errors": [],
        # The form resubmits the facet choices, so a new query keeps its filters.
        "hidden": [(name, request.GET.getlist(name)) for name in KEPT_FILTERS],
        "active_filters": [
            f"{name}: {value}"
            for name in KEPT_FILTERS
            if name != "match"
            for value in request.GET.getlist(name)
        ],
    }
    if export_format and export_format not in EXPORT_FORMATS:
        context["errors"].append(f"Unknown export format {export_format!r}: use csv, json or jsonld.")
    if not filterset.is_valid():
        context["errors"] += [message for messages in filterset.errors.values() for message in messages]
    if context["errors"]:
        return render(request, "search/search.html", context, status=400)

    if export_format:
        return exports.search_export(request, filterset, export_format)

    facets = filterset.facet_links(request.GET)  # first: the counts give the page its total too
    try:
        _paginator, page, results = filterset.page(filterset.form.cleaned_data.get("page") or 1, PAGE_SIZE)
    except PageOutOfRange as error:
        context["errors"].append(str(error))
        return render(request, "search/search.html", context, status=400)
    snippets = filterset.snippets(results)
    for result in results:
        result.snippet = snippets.get(result.pk, {})
    context.update(
        page=page,
        results=results,
        result_type=filterset.data_type,
        result_noun=filterset.data_type[:-1] if page.paginator.count == 1 else filterset.data_type,
        facets=facets,
        chart=filterset.chart(),
        export_links=exports.export_links(request.GET),
        page_query=_without_page(request.GET),
    )
    return render(request, "search/search.html", context)


def _without_page(params) -> str:
    query = params.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""
