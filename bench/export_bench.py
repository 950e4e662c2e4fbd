"""Export throughput and memory on PostgreSQL with a large synthetic archive (not run as a test).

    python bench/export_bench.py [--articles 8000] [--annotations 16] [--rows 10000 100000]
                                 [--database glossa_bigdocs]

Creates the database if needed, migrates it, fills it with ``synth_archive`` when it holds fewer
articles than asked, then downloads each export as a researcher does (``/search/?format=…``
through the whole middleware stack, the streamed body read to the end and thrown away) and prints
rows a second, megabytes, and the peak resident memory of the process while the export ran,
above what it held before (Linux ``VmHWM``, reset before each run through
``/proc/self/clear_refs``). ``GLOSSA_EXPORT_MAX_ROWS`` is set to the rows asked, so one request
carries them all; a line where the archive holds fewer matching rows says so.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

EXPORTS = [
    ("annotations", "csv"),
    ("annotations", "json"),
    ("annotations", "jsonld"),
    ("paragraphs", "csv"),
    ("paragraphs", "json"),
    ("articles", "csv"),
]


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{name}"
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def reset_peak() -> None:
    # Writing 5 resets the peak resident set size (VmHWM) to the current one (Linux 4.0+).
    Path("/proc/self/clear_refs").write_text("5")


def run_export(client, data_type: str, fmt: str) -> tuple[float, int, int, int, int]:
    """Seconds, bytes, rows, the rows the whole result holds, and the peak memory above the start (kB)."""
    import gc

    gc.collect()
    reset_peak()
    before = _status("VmRSS")
    began = time.perf_counter()
    response = client.get("/search/", {"type": data_type, "format": fmt}, secure=True)
    assert response.status_code == 200, (data_type, fmt, response.status_code)
    size = 0
    newlines = 0
    for piece in response.streaming_content:
        size += len(piece)
        newlines += piece.count(b"\n")
    seconds = time.perf_counter() - began
    peak = _status("VmHWM") - before
    response.close()
    # CSV: a header line and one line per row (no cell of the synthetic archive holds a newline);
    # JSON: one record a line between the head and the tail lines.
    rows = newlines - 1 if fmt == "csv" else newlines - 2
    return seconds, size, rows, int(response["X-Total-Count"]), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=8_000)
    parser.add_argument("--annotations", type=int, default=16, help="per article, when filling the archive")
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", default="glossa_bigdocs")
    options = parser.parse_args()

    ensure_database(options.database)
    setup_django(options.database)
    from django.conf import settings
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
    # The same machine runs at different speeds from hour to hour; this line lets runs be compared.
    print(f"machine: a 3-million-step Python loop takes {(time.perf_counter() - began) * 1000:.0f} ms")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"archive: {Article.objects.count()} articles, {Paragraph.objects.count()} paragraphs, "
        f"{Annotation.objects.count()} annotations"
    )

    client = Client()
    settings.GLOSSA_EXPORT_MAX_ROWS = 1000
    for data_type, fmt in EXPORTS:  # warm up: connections, caches, imports
        run_export(client, data_type, fmt)
    print(f"{'export':<20}{'asked':>8}{'rows':>8}{'seconds':>9}{'rows/s':>9}{'MB':>7}{'peak MB':>9}")
    for wanted in options.rows:
        settings.GLOSSA_EXPORT_MAX_ROWS = wanted
        for data_type, fmt in EXPORTS:
            seconds, size, rows, available, peak = run_export(client, data_type, fmt)
            note = "" if rows == wanted else f"  (the archive holds {available})"
            print(
                f"{data_type + ' ' + fmt:<20}{wanted:>8}{rows:>8}{seconds:>9.2f}{rows / seconds:>9.0f}"
                f"{size / 1e6:>7.1f}{peak / 1024:>9.1f}{note}"
            )


if __name__ == "__main__":
    main()
