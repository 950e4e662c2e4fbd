"""Every URL of the site, built from the URL resolver, so tests cover pages added later by themselves."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

# Staff-only or operational: checked by their own tests.
NOT_PUBLIC_NAMESPACES = {"admin"}
NOT_PUBLIC_NAMES = {"media_file"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    params: tuple[str, ...]


def _params(pattern) -> list[str]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern, "regex", None)
    return list(regex.groupindex) if regex is not None else []


def routes(resolver: URLResolver | None = None, namespace: str = "", inherited=()) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        params = [*inherited, *_params(entry.pattern)]
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, inner, params)
        elif isinstance(entry, URLPattern) and entry.name:
            yield Route(f"{namespace}{entry.name}", tuple(dict.fromkeys(params)))


def public_routes() -> list[Route]:
    return [
        route
        for route in routes()
        if route.name.split(":")[0] not in NOT_PUBLIC_NAMESPACES and route.name not in NOT_PUBLIC_NAMES
    ]


def admin_routes() -> list[Route]:
    return [route for route in routes() if route.name.startswith("admin:")]


def candidate_values() -> dict[str, list]:
    """Every identifier a URL could take, from the rows that exist now."""
    from taggit.models import Tag

    from annotations.models import Annotation, Correction, Rating, Source
    from articles.models import Article, Author, Outlet, Paragraph

    slugs = [
        *Article.objects.values_list("slug", flat=True),
        *Outlet.objects.values_list("slug", flat=True),
        *Author.objects.values_list("slug", flat=True),
        *Tag.objects.values_list("slug", flat=True),
        *Rating.objects.values_list("slug", flat=True),
    ]
    pks = sorted(
        {
            *Annotation.objects.values_list("pk", flat=True),
            *Article.objects.values_list("pk", flat=True),
            *Source.objects.values_list("pk", flat=True),
            *Correction.objects.values_list("pk", flat=True),
        }
    )
    keys = list(Paragraph.objects.values_list("key", flat=True))
    years = sorted(
        {d.year for d in Article.objects.exclude(published_on=None).values_list("published_on", flat=True)}
    )
    months = list(range(1, 13))
    return {
        "slug": slugs,
        "pk": pks,
        "id": pks,
        "key": keys,
        "year": years,
        "month": months,
        "str": slugs + keys,
    }


def values_for(param: str, candidates: dict[str, list]) -> list:
    if param in candidates:
        return candidates[param]
    if param.endswith(("_pk", "_id")) or param == "object_id":
        return candidates["pk"]
    if param.endswith("slug") or param in {"tag", "tags", "rating", "verdict", "outlet", "author"}:
        return candidates["slug"]
    return candidates["str"] + [str(pk) for pk in candidates["pk"]]


def reverse_all(route: Route, candidates: dict[str, list], limit: int = 400) -> list[str]:
    """Every URL of the route that reverses with the identifiers given."""
    if not route.params:
        try:
            return [reverse(route.name)]
        except NoReverseMatch:
            return []
    choices = [values_for(param, candidates) for param in route.params]
    urls = []
    for combination in itertools.islice(itertools.product(*choices), limit):
        try:
            urls.append(reverse(route.name, kwargs=dict(zip(route.params, combination, strict=True))))
        except NoReverseMatch:
            continue
    return list(dict.fromkeys(urls))


def public_urls(candidates: dict[str, list] | None = None) -> dict[str, list[str]]:
    """Route name -> every URL it reverses to with the rows that exist now."""
    candidates = candidates if candidates is not None else candidate_values()
    return {route.name: reverse_all(route, candidates) for route in public_routes()}


def flatten(urls: dict[str, Iterable[str]]) -> list[str]:
    return [url for group in urls.values() for url in group]
