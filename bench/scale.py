"""The figures docs/DEPLOY.md sizes machines with: PostgreSQL bytes per article, Redis bytes per cached
page and per version key, and pages per second of one app server with the page cache on and off.

    /work/main/.venv/bin/python bench/scale.py [--articles 3000] [--duration 10] [--connections 8]

Builds a throwaway PostgreSQL database (dropped and re-created: glossa_bench_scale unless
BENCH_DATABASE) with the synthetic archive (15 paragraphs and 3 annotations an article, as
`synth_archive` makes them) and the demo article, then serves it with gunicorn (2 workers, DEBUG
off) on loopback, its page cache in Redis (database 12, a key prefix of its own, removed at the end),
and loads three pages with wrk, page cache on and off. Needs PostgreSQL, Redis and wrk.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import redis
from serve_article import ADMIN_DSN, free_port, load, manage, wait_for

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("BENCH_DATABASE", "glossa_bench_scale")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PAGES = {
    "article": "/articles/multi-vector-policy-in-kazakh-style/",
    "archive": "/articles/",
    "home": "/",
}
TABLES = [
    "articles_article",
    "articles_paragraph",
    "annotations_annotation",
    "research_searchentry",
    "taggit_taggeditem",
]


def recreate_database() -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def database_sizes(dsn: str) -> tuple[dict, int, int]:
    """Per table: (rows, heap bytes with TOAST, index bytes); the database's size; its article count."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        sizes = {}
        for table in TABLES:
            rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed names)
            heap, indexes = conn.execute(
                "SELECT pg_table_size(%s::regclass), pg_indexes_size(%s::regclass)", (table, table)
            ).fetchone()
            sizes[table] = (rows, heap, indexes)
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    return sizes, total, articles


def serve(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def redis_bytes(store: redis.Redis, prefix: str) -> dict[str, tuple[int, int]]:
    """Keys under ``prefix`` by kind (pages, versions, other): (count, bytes as MEMORY USAGE reports)."""
    kinds = {"pages": [0, 0], "versions": [0, 0], "other": [0, 0]}
    for key in store.scan_iter(match=f"{prefix}:*", count=1000):
        name = key.decode()
        kind = "pages" if ":glossa:page:" in name else "versions" if ":pages:v:" in name else "other"
        kinds[kind][0] += 1
        kinds[kind][1] += store.memory_usage(key) or 0
    return {kind: (count, size) for kind, (count, size) in kinds.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="synthetic articles (default 3000)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per page and mode")
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")

    port = free_port()
    dsn = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    prefix = f"glossa-bench-scale-{uuid.uuid4().hex[:8]}"
    static_root = Path(tempfile.mkdtemp(prefix="glossa-bench-static-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-" + "x" * 20,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": dsn,
        "STATIC_ROOT": str(static_root),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "/dev/null",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
    }
    began = time.monotonic()
    recreate_database()
    manage(env, "migrate", "--noinput")
    manage(env, "synth_archive", "--articles", str(args.articles))
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    built = time.monotonic() - began
    sizes, total, articles = database_sizes(dsn)

    store = redis.Redis.from_url(REDIS_URL)
    results: dict[str, dict] = {}
    try:
        for mode, seconds in (("cache on", "600"), ("cache off", "0")):
            server = serve({**env, "PAGE_CACHE_SECONDS": seconds})
            try:
                base = f"http://127.0.0.1:{port}"
                for name, path in PAGES.items():
                    wait_for(base + path)
                    results[f"{name}, {mode}"] = load(base + path, args.duration, args.connections)
            finally:
                stop(server)
            if mode == "cache on":
                cached = redis_bytes(store, prefix)
    finally:
        for key in store.scan_iter(match=f"{prefix}:*", count=1000):
            store.delete(key)
        shutil.rmtree(static_root, ignore_errors=True)

    print(f"PostgreSQL: {articles} articles (built in {built:.0f} s), database {total / 2**20:.1f} MiB")
    print(f"{'table':<24} {'rows':>8} {'heap MiB':>9} {'index MiB':>10} {'bytes/article':>14}")
    for table, (rows, heap, indexes) in sizes.items():
        print(
            f"{table:<24} {rows:>8} {heap / 2**20:>9.1f} {indexes / 2**20:>10.1f} "
            f"{(heap + indexes) / articles:>14.0f}"
        )
    heap = sum(h for _, h, _ in sizes.values())
    indexes = sum(i for _, _, i in sizes.values())
    print(
        f"{'these tables':<24} {'':>8} {heap / 2**20:>9.1f} {indexes / 2**20:>10.1f} "
        f"{(heap + indexes) / articles:>14.0f}"
    )
    print(f"whole database, per article: {total / articles:.0f} bytes")
    print()
    print("Redis after the cache-on runs (MEMORY USAGE per key):")
    for kind, (count, size) in cached.items():
        print(
            f"  {kind:<9} {count:>4} keys, {size:>8} bytes" + (f", {size / count:.0f} a key" if count else "")
        )
    print()
    print(f"gunicorn, 2 sync workers, DEBUG=0; wrk -t2 -c{args.connections} -d{args.duration}s per row")
    print(f"{'page':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
    for name, r in results.items():
        print(
            f"{name:<22} {r['rps']:>9.1f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['requests']:>9} {r['errors']:>7}"
            + (f"  ({r['detail']})" if r["detail"] else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
