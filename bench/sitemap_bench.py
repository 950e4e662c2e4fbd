"""Sitemap time and size per file on PostgreSQL with a large synthetic archive (not run as a test).

    python bench/sitemap_bench.py [--articles 8000] [--limit 50000] [--database glossa_bigdocs]

Creates the database if needed and fills it as ``bench/export_bench.py`` does, then fetches
``/sitemap.xml`` as a crawler does (through the whole middleware stack) and every file it lists,
and prints the time, size and number of entries of each: the index first, then each section file.
``--limit`` sets ``GLOSSA_SITEMAP_LIMIT`` (URLs per file; 50,000 is the protocol's maximum), so a
smaller archive can still show a section split over several files.
"""

from __future__ import annotations

import argparse
import os
import time
from urllib.parse import urlsplit
from xml.etree import ElementTree

from export_bench import ensure_database, setup_django

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def fetch(client, url: str) -> tuple[float, bytes]:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    began = time.perf_counter()
    response = client.get(path, secure=True)
    content = response.content
    seconds = time.perf_counter() - began
    assert response.status_code == 200, (url, response.status_code)
    return seconds, content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=8_000)
    parser.add_argument("--annotations", type=int, default=16, help="per article, when filling the archive")
    parser.add_argument("--limit", type=int, default=50_000)
    parser.add_argument("--database", default="glossa_bigdocs")
    options = parser.parse_args()

    ensure_database(options.database)
    os.environ["GLOSSA_SITEMAP_LIMIT"] = str(options.limit)
    setup_django(options.database)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from annotations.models import Annotation
    from articles.models import Article, Paragraph

    call_command("migrate", verbosity=0)
    have = Article.objects.count()
    if have < options.articles:
        call_command(
            "synth_archive",
            "--articles",
            str(options.articles - have),
            "--annotations",
            str(options.annotations),
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    began, total = time.perf_counter(), 0
    for step in range(3_000_000):
        total += step
    print(f"machine: a 3-million-step Python loop takes {(time.perf_counter() - began) * 1000:.0f} ms")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"archive: {Article.objects.count()} articles, {Paragraph.objects.count()} paragraphs, "
        f"{Annotation.objects.count()} annotations; limit {options.limit} URLs a file"
    )

    client = Client()
    fetch(client, "/sitemap.xml")  # warm up
    seconds, content = fetch(client, "/sitemap.xml")
    root = ElementTree.fromstring(content)  # noqa: S314 (our own output)
    rows = []
    if root.tag == f"{NS}sitemapindex":
        files = [element.findtext(f"{NS}loc") for element in root.iter(f"{NS}sitemap")]
        rows.append(("/sitemap.xml (index)", len(files), seconds, len(content)))
        for url in files:
            seconds, content = fetch(client, url)
            count = len(ElementTree.fromstring(content).findall(f"{NS}url"))  # noqa: S314 (our own output)
            parts = urlsplit(url)
            rows.append(
                (parts.path + (f"?{parts.query}" if parts.query else ""), count, seconds, len(content))
            )
    else:
        rows.append(("/sitemap.xml (one file)", len(root.findall(f"{NS}url")), seconds, len(content)))
    print(f"{'file':<40}{'entries':>9}{'seconds':>9}{'KB':>9}")
    for name, count, seconds, size in rows:
        print(f"{name:<40}{count:>9}{seconds:>9.2f}{size / 1024:>9.0f}")
    files = rows[1:] or rows
    print(
        f"{'all files':<40}{sum(r[1] for r in files):>9}{sum(r[2] for r in files):>9.2f}"
        f"{sum(r[3] for r in files) / 1024:>9.0f}"
    )


if __name__ == "__main__":
    main()
