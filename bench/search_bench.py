"""Search latency on PostgreSQL with a large synthetic archive (not run as a test).

    python bench/search_bench.py [--articles 20000] [--runs 40] [--database glossa_bench_search]

Creates the throwaway database if needed, migrates it, fills it with ``synth_archive`` when it
holds fewer articles than asked, then times the searches as the /search/ page runs them
(validation; facets and chart where said; count, the ids of page 1 then those rows; snippets) and prints p50 and p95
in milliseconds, followed by the query plans of the full-text searches.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_search(params: dict, with_facets: bool) -> int:
    from research import pagination
    from research.facets import facets_for
    from research.filters import search_filterset
    from research.results import load
    from research.snippets import snippets

    filterset = search_filterset(params)
    assert filterset.is_valid(), filterset.errors
    total = None
    if with_facets:  # in the order the /search/ page asks: facets (which count too), then the page
        facets = facets_for(filterset)
        facets.groups()
        facets.chart()
        total = facets.total
    page, ids = pagination.page(filterset, 1, 20, total=total)
    snippets(filterset, load(filterset, ids))
    return page.paginator.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database", default="glossa_bench_search")
    options = parser.parse_args()

    ensure_database(options.database)
    setup_django(options.database)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from annotations.models import Annotation
    from articles.models import Article, Paragraph
    from research.backends import backend
    from research.filters import search_filterset

    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < options.articles:
        call_command("synth_archive", "--articles", str(options.articles - have))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    began, total = time.perf_counter(), 0
    for step in range(3_000_000):
        total += step
    # The same machine runs at different speeds from hour to hour; this line lets runs be compared.
    print(f"machine: a 3-million-step Python loop takes {(time.perf_counter() - began) * 1000:.0f} ms")
    print(
        f"archive: {Article.objects.count()} articles, {Paragraph.objects.count()} paragraphs, "
        f"{Annotation.objects.count()} annotations"
    )

    popular = list(
        Annotation.objects.published()
        .values_list("tags__slug", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n")[:4]
    )
    scenarios = {
        "tag only": ({"tag": [popular[0]]}, False),
        "two tags, all": ({"tag": [popular[1], popular[2]], "match": "all"}, False),
        "full text": ({"q": "pipeline tariff"}, False),
        "full text + facets": ({"q": "pipeline tariff"}, True),
        "tag only + facets": ({"tag": [popular[0]]}, True),
        "full text, common word": ({"q": "pipeline"}, False),
        "phrase, paragraphs": ({"q": '"energy budget"', "type": "paragraphs"}, False),
    }
    print(f"{'search':<22}{'results':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for name, (params, with_facets) in scenarios.items():
        run_search(params, with_facets)  # warm the caches once
        timings = []
        for _ in range(options.runs):
            began = time.perf_counter()
            count = run_search(params, with_facets)
            timings.append((time.perf_counter() - began) * 1000)
        print(f"{name:<22}{count:>9}{statistics.median(timings):>9.1f}{percentile(timings, 0.95):>9.1f}")

    def explain(title: str, sql: str, sql_params) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF) {sql}", sql_params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\nEXPLAIN ANALYZE, {title}:\n{plan}")

    for params in (
        {"q": "pipeline tariff"},
        {"q": '"energy budget"', "type": "paragraphs"},
        {"tag": popular[1:3]},
    ):
        filterset = search_filterset(params)
        assert filterset.is_valid()
        explain(
            f"page 1 of {params}", *filterset.qs.values_list("pk", flat=True)[:20].query.sql_with_params()
        )
    # The one pass that counts the facets, the chart and the total.
    filterset = search_filterset({"tag": [popular[0]]})
    assert filterset.is_valid()
    with CaptureQueriesContext(connection) as queries:
        backend().entry_summary(filterset.qs)
    explain(f"facets of {{'tag': [{popular[0]!r}]}}", queries.captured_queries[-1]["sql"], None)


if __name__ == "__main__":
    main()
