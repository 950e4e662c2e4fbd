"""Import throughput: 1,000 generated articles of about 15 paragraphs, on SQLite and on PostgreSQL.

    python bench/import_bench.py                       # both databases
    python bench/import_bench.py --database sqlite --count 200
    python bench/import_bench.py --postgres-url postgres://postgres@127.0.0.1:5432/glossa_bench_import

Each run uses a throwaway database (a temporary SQLite file; the PostgreSQL database named in the
URL is dropped and created again, so never point it at real data) and a temporary MEDIA_ROOT.
Target: at least 50 articles per second on each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/glossa_bench_import"
TARGET = 50.0

WORDS = [
    "the",
    "government",
    "budget",
    "bridge",
    "policy",
    "minister",
    "reform",
    "economy",
    "trade",
    "agreement",
    "region",
    "energy",
    "resources",
    "partnership",
    "cooperation",
    "parliament",
    "election",
    "market",
    "price",
    "inflation",
    "report",
    "data",
    "analysis",
    "strategy",
    "security",
    "border",
    "transport",
    "corridor",
    "investment",
    "company",
    "contract",
    "industry",
]
FURNITURE = ["X", "Share", "Comments", "0", "Read on the topic", "A source"]
NAMES = ["Jane Doe", "Ivan Petrov", "Maria Lopez", "Tom Baker", "Aigerim Sadykova", "Lars Nilsson"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def article_text(n: int, rng: random.Random) -> bytes:
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(15)]
    lines = [
        rng.choice(FURNITURE),
        f"Generated commentary number {n} on {rng.choice(WORDS)} and {rng.choice(WORDS)}",
        f"Date of publication: {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2015, 2025)}",
        *paragraphs,
        f"{NAMES[n % len(NAMES)]},\nColumnist",
        rng.choice(FURNITURE),
    ]
    return "\n\n".join(lines).encode()


def run_child(count: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from articles.importing.save import ImportResult, import_file
    from articles.models import Article, Paragraph

    call_command("migrate", verbosity=0)
    rng = random.Random(2025)
    files = [(f"article-{n:04}.txt", article_text(n, rng)) for n in range(count)]
    import_file("warm-up.txt", article_text(-1, rng))  # language and date models load on first use

    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    results = [import_file(name, data) for name, data in files]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    created = sum(1 for result in results if result.status == ImportResult.CREATED)
    errors = [result.error for result in results if result.status == ImportResult.ERROR]
    from django.db import connection

    return {
        "database": connection.vendor,
        "articles": created,
        "errors": errors[:3],
        "paragraphs": Paragraph.objects.filter(
            article__in=Article.objects.exclude(title__startswith="Generated commentary number -1")
        ).count(),
        "seconds": round(elapsed, 2),
        "articles_per_second": round(created / elapsed, 1),
        # The importing process's own CPU time (the database server's is not counted): a figure that
        # shows the cost per article even when other work shares the machine.
        "cpu_ms_per_article": round(cpu / max(created, 1) * 1000, 1),
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }


def recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def run(database: str, count: int, postgres_url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="glossa-bench-") as scratch:
        if database == "sqlite":
            url = f"sqlite:///{scratch}/bench.sqlite3"
        else:
            url = postgres_url
            recreate_postgres(url)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "MEDIA_ROOT": f"{scratch}/media",
            "SECRET_KEY": "bench-only",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        try:
            output = subprocess.run(
                [sys.executable, __file__, "--child", "--count", str(count)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            if database == "postgres":
                drop_postgres(url)
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.count)))
        return
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    failed = False
    for database in databases:
        result = run(database, args.count, args.postgres_url)
        verdict = "ok" if result["articles_per_second"] >= TARGET else f"BELOW the {TARGET:.0f}/s target"
        print(
            f"{database:<9} {result['articles']} articles, {result['paragraphs']} paragraphs in "
            f"{result['seconds']} s: {result['articles_per_second']} articles/s ({verdict}); "
            f"{result['cpu_ms_per_article']} ms of importer CPU per article; "
            f"load average {result['load_average'][0]} → {result['load_average'][1]} on {os.cpu_count()} CPUs"
        )
        if result["errors"] or result["articles"] != args.count:
            print(f"  errors: {result['errors']}")
            failed = True
        failed = failed or result["articles_per_second"] < TARGET
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
