"""Per-route latency of the public pages and the API, uncached, on the database in DATABASE_URL.

Not a test: figures depend on the machine. Requests go through the whole Django stack in this
process (middleware, views, templates) with DEBUG off and the page cache off, one at a time, so
each figure is what a reader waits for when the page is not cached, minus the network.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glossa_100k python bench/routes.py [--rounds 3]

Each route is tried on several URLs (different articles, tags, outlets, pages, queries), in
``--rounds`` rounds after one warm-up round; the table gives p50, p95 and the slowest per route,
and marks a route whose p95 is over the goal (100 ms).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS"):
    os.environ.setdefault(name, "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from taggit.models import Tag  # noqa: E402

from annotations.models import Annotation  # noqa: E402
from articles.models import Article, Author, Outlet  # noqa: E402

GOAL_MS = 100
WORDS = ("pipeline", "budget", "treaty", "minister export", '"energy policy"', "gas OR oil", "kazakhstan")


def sample(queryset, n: int) -> list:
    """``n`` rows spread over the whole table (by id), not only the newest."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:: max(1, queryset.count() // n)])[:n]
    return list(queryset.model.objects.filter(pk__in=ids))


def next_link(client: Client, url: str, times: int) -> list[str]:
    """The URLs reached by following rel=next ``times`` times from ``url``."""
    urls, start = [], url
    for _ in range(times):
        body = client.get(url).content.decode()
        found = re.search(r'<a rel="next" href="([^"]+)"', body)
        if not found:
            break
        url = found.group(1).replace("&amp;", "&")
        if url.startswith("?"):
            url = (urls[-1] if urls else start).split("?")[0] + url
        urls.append(url)
    return urls


def routes(per_route: int) -> dict[str, list[str]]:
    articles = sample(Article.objects.published(), per_route)
    annotations = sample(Annotation.objects.published(), per_route)
    tags = list(Tag.objects.order_by("?")[:per_route])
    outlets = list(Outlet.objects.public()[:per_route])
    authors = sample(Author.objects.public(), per_route)
    years = [a.published_on.year for a in articles if a.published_on]
    client = Client()
    found: dict[str, list[str]] = {
        "/": ["/"],
        "/articles/": ["/articles/"],
        "/articles/?filters": [
            "/articles/?" + urlencode({"outlet": o.slug}) for o in outlets[: per_route // 2]
        ]
        + ["/articles/?" + urlencode({"year": y}) for y in years[: per_route // 2]],
        "/articles/ deep": [],
        "/articles/<slug>/": [a.get_absolute_url() for a in articles],
        "/annotations/<id>/": [a.get_absolute_url() for a in annotations],
        "/claims/": ["/claims/"],
        "/claims/ deep": [],
        "/tags/": ["/tags/"],
        "/tags/<slug>/": [f"/tags/{t.slug}/" for t in tags],
        "/outlets/<slug>/": [o.get_absolute_url() for o in outlets],
        "/authors/<slug>/": [a.get_absolute_url() for a in authors],
        "/search/ annotations": ["/search/?" + urlencode({"q": w}) for w in WORDS],
        "/search/ paragraphs": ["/search/?" + urlencode({"q": w, "type": "paragraphs"}) for w in WORDS],
        "/search/ articles": ["/search/?" + urlencode({"q": w, "type": "articles"}) for w in WORDS],
        "/search/ filtered": [
            "/search/?" + urlencode({"q": w, "tag": t.slug}) for w, t in zip(WORDS, tags, strict=False)
        ],
        "/feeds/articles.atom": ["/feeds/articles.atom", "/feeds/articles.rss"],
        "/methodology/": ["/methodology/"],
        "/api/articles/": ["/api/articles/", "/api/articles/?" + urlencode({"q": "pipeline"})],
        "/api/articles/<id>/": [f"/api/articles/{a.pk}/" for a in articles],
        "/api/annotations/": ["/api/annotations/", "/api/annotations/?" + urlencode({"q": "budget"})],
        "/api/annotations/<id>/": [f"/api/annotations/{a.pk}/" for a in annotations],
        "/api/paragraphs/": ["/api/paragraphs/?" + urlencode({"q": w}) for w in WORDS[:3]],
        "/api/tags/": ["/api/tags/"],
        "/api/sources/": ["/api/sources/"],
        "/api/ratings/": ["/api/ratings/"],
        "/claims/claimreview.json": ["/claims/claimreview.json"],
        "/sitemap.xml": ["/sitemap.xml"],
    }
    found["/articles/ deep"] = next_link(client, "/articles/", per_route)
    found["/claims/ deep"] = next_link(client, "/claims/", per_route)
    found["/tags/<slug>/ deep"] = [url for t in tags[:2] for url in next_link(client, f"/tags/{t.slug}/", 3)]
    index = client.get("/sitemap.xml").content.decode()
    found["/sitemap-<section>.xml"] = [
        loc.split("://", 1)[1].split("/", 1)[1].join(["/", ""])
        for loc in re.findall(r"<loc>([^<]+)</loc>", index)
    ][:per_route]
    return found


def measure(client: Client, url: str) -> tuple[float, int]:
    began = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return (time.perf_counter() - began) * 1000, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-route", type=int, default=8, help="URLs tried per route")
    parser.add_argument("--only", default="", help="only routes whose name contains this")
    parser.add_argument(
        "--urls-only",
        metavar="FILE",
        help="write the sampled URLs (each route equally weighted) to FILE and stop",
    )
    options = parser.parse_args()
    if options.urls_only:
        lines = []
        for name, urls in routes(options.per_route).items():
            # Readers' pages: the sitemap files and the ClaimReview feed are for crawlers (bench/README.md).
            if urls and not name.startswith(("/sitemap", "/claims/claimreview")):
                lines += (urls * options.per_route)[: max(options.per_route, len(urls))]
        Path(options.urls_only).write_text("\n".join(lines) + "\n")
        return
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off serves hashed names
    import config.wsgi  # noqa: F401, the application as gunicorn loads it (start-up objects frozen)

    client = Client()
    print(
        f"{Article.objects.count():,} articles, {Annotation.objects.count():,} annotations on "
        f"{connection.vendor}; page cache off, DEBUG off, {options.rounds} rounds after a warm-up",
        flush=True,
    )
    print(f"{'route':<24} {'URLs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  status")
    over = []
    for name, urls in routes(options.per_route).items():
        if options.only not in name or not urls:
            continue
        for url in urls:
            measure(client, url)
        times, statuses = [], set()
        for _ in range(options.rounds):
            for url in urls:
                elapsed, status = measure(client, url)
                times.append(elapsed)
                statuses.add(status)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        flag = "" if p95 < GOAL_MS else "  over goal"
        if flag:
            over.append(name)
        print(
            f"{name:<24} {len(urls):>4} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}"
            f"  {','.join(map(str, sorted(statuses)))}{flag}",
            flush=True,
        )
    print(f"goal: p95 under {GOAL_MS} ms per route; over: {', '.join(over) or 'none'}")


if __name__ == "__main__":
    main()
