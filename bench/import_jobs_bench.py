"""Import jobs run by real workers (``manage.py db_worker``) on PostgreSQL: text files from a zip,
web pages served on loopback, and the workers' memory along a long zip.

    python bench/import_jobs_bench.py
    python bench/import_jobs_bench.py --files 2000 --pages 500 --workers 2
    python bench/import_jobs_bench.py --postgres-url postgres://postgres@127.0.0.1:5432/glossa_ingest_bench

The PostgreSQL database named in the URL is dropped and created again (never point it at real
data); MEDIA_ROOT and the cache directory are temporary. The workers start first and import a few
files to warm up (models load on first use), then each job is timed from its enqueueing to its
last item. Goals: at least 150 text files a second; pages fetched with bounded concurrency (never
more at once than workers x GLOSSA_FETCH_CONCURRENCY); the workers' memory flat along the zip.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import article_text, drop_postgres, recreate_postgres  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/glossa_ingest_bench"
FILES_TARGET = 150.0
PAGE_DELAY = 0.02  # seconds each page takes to answer, as a distant server would


def child(command: str, arg: str) -> None:
    """Runs inside the project: create a job and queue it, print its id."""
    import django

    django.setup()
    from articles.importing import jobs
    from articles.models import ImportJob

    if command == "zip":
        from django.core.files import File

        with open(arg, "rb") as handle:
            job = jobs.create_job(ImportJob.Kind.ZIP, zip_file=File(handle, name="batch.zip"))
    else:
        job = jobs.create_job(ImportJob.Kind.URLS, urls=json.loads(Path(arg).read_text()))
    jobs.start(job)
    print(job.pk)


def make_zip(path: Path, count: int, offset: int) -> None:
    import random

    rng = random.Random(offset)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(offset, offset + count):
            archive.writestr(f"articles/article-{n:05}.txt", article_text(n, rng))


class Pages:
    """Pages on loopback, counting how many requests are in flight at once."""

    def __init__(self, count: int) -> None:
        import random

        rng = random.Random(7)
        self.pages = {}
        for n in range(count):
            text = article_text(100_000 + n, rng).decode()
            title, *paragraphs = [part for part in text.split("\n\n") if part.strip()]
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            self.pages[f"/news/{n}"] = (
                f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
                f"<article><h1>{title}</h1>{body}</article></body></html>"
            ).encode()
        self.in_flight = self.most = 0
        self.lock = threading.Lock()
        pages = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                with pages.lock:
                    pages.in_flight += 1
                    pages.most = max(pages.most, pages.in_flight)
                time.sleep(PAGE_DELAY)
                body = pages.pages.get(self.path, b"")
                # Counted out before the answer goes: once the client has it, its next request can
                # arrive before this thread would get to count this one out, and be counted twice.
                with pages.lock:
                    pages.in_flight -= 1
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def urls(self) -> list[str]:
        port = self.server.server_address[1]
        return [f"http://127.0.0.1:{port}{path}" for path in self.pages]


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(url: str, job_id: int, workers: list[subprocess.Popen], marks: tuple[float, ...] = ()):
    """Poll the job until it is finished; RSS of the workers when the given shares of items are done."""
    import psycopg

    samples = {}
    with psycopg.connect(url, autocommit=True) as connection:
        while True:
            state, total, done = connection.execute(
                "SELECT j.state, count(i.id), count(i.id) FILTER (WHERE i.state <> 'pending') "
                "FROM articles_importjob j LEFT JOIN articles_importitem i ON i.job_id = j.id "
                "WHERE j.id = %s GROUP BY j.state",
                [job_id],
            ).fetchone()
            for mark in marks:
                if total and done >= mark * total and mark not in samples:
                    samples[mark] = [rss_kb(w.pid) for w in workers]
            if state in {"finished", "failed"}:
                counts = dict(
                    connection.execute(
                        "SELECT state, count(*) FROM articles_importitem WHERE job_id = %s GROUP BY state",
                        [job_id],
                    ).fetchall()
                )
                first, last = connection.execute(
                    "SELECT min(j.created_at), max(i.updated_at) FROM articles_importjob j "
                    "JOIN articles_importitem i ON i.job_id = j.id WHERE j.id = %s",
                    [job_id],
                ).fetchone()
                return state, counts, (last - first).total_seconds(), samples
            if any(w.poll() is not None for w in workers):
                raise SystemExit("a worker stopped")
            time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="text files in the zip")
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4, help="GLOSSA_FETCH_CONCURRENCY")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    url = args.postgres_url
    recreate_postgres(url)
    scratch = Path(tempfile.mkdtemp(prefix="glossa-jobs-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(scratch / "media"),
        "CACHE_DIR": str(scratch / "cache"),
        "SECRET_KEY": "bench-only",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "database",
        "GLOSSA_FETCH_ALLOW_PRIVATE": "1",
        "GLOSSA_IMPORT_WORKERS": str(args.workers),
        "GLOSSA_FETCH_CONCURRENCY": str(args.concurrency),
        "PYTHONPATH": str(ROOT),
    }
    python = [sys.executable]
    subprocess.run([*python, "manage.py", "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
    worker_command = [
        *python,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.05",
    ]
    workers = [subprocess.Popen(worker_command, env=env, cwd=ROOT) for _ in range(args.workers)]

    def queue(kind: str, path: Path) -> int:
        out = subprocess.run(
            [*python, __file__, "--child", kind, str(path)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return int(out.strip().splitlines()[-1])

    rows = []
    try:
        make_zip(scratch / "warm.zip", 20, 900_000)
        wait_for(url, queue("zip", scratch / "warm.zip"), workers)
        rss_before = [rss_kb(w.pid) for w in workers]

        make_zip(scratch / "batch.zip", args.files, 0)
        size = (scratch / "batch.zip").stat().st_size
        cpu_before = sum(cpu_seconds(w.pid) for w in workers)
        state, counts, seconds, samples = wait_for(
            url, queue("zip", scratch / "batch.zip"), workers, (0.1, 0.5, 1.0)
        )
        cpu_ms = (sum(cpu_seconds(w.pid) for w in workers) - cpu_before) / args.files * 1000
        rate = counts.get("created", 0) / seconds
        verdict = (
            "ok" if rate >= FILES_TARGET and state == "finished" else f"BELOW the {FILES_TARGET:.0f}/s goal"
        )
        rows.append(
            (
                f"zip of {args.files} text files ({size // 1024} KB)",
                counts,
                seconds,
                f"{rate:.1f} files/s ({verdict}); workers' CPU {cpu_ms:.1f} ms per file",
            )
        )
        memory = " → ".join(
            f"{int(mark * 100)}%: " + "/".join(f"{kb // 1024}" for kb in samples.get(mark, []))
            for mark in (0.1, 0.5, 1.0)
        )

        pages = Pages(args.pages)
        (scratch / "urls.json").write_text(json.dumps(pages.urls()))
        state, counts, seconds, _ = wait_for(url, queue("urls", scratch / "urls.json"), workers)
        bound = args.workers * args.concurrency
        rows.append(
            (
                f"{args.pages} pages on loopback ({int(PAGE_DELAY * 1000)} ms each)",
                counts,
                seconds,
                f"{counts.get('created', 0) / seconds:.1f} pages/s; at most {pages.most} fetched at once (bound {bound})",
            )
        )
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        drop_postgres(url)

    print(
        f"Import jobs on PostgreSQL, {args.workers} db_worker processes, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print()
    print("| job | items | seconds | rate |")
    print("|---|---|---|---|")
    for name, counts, seconds, rate in rows:
        items = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        print(f"| {name} | {items} | {seconds:.1f} | {rate} |")
    print()
    print(
        "Worker memory (RSS, MB per worker) after warming up: "
        + "/".join(f"{kb // 1024}" for kb in rss_before)
        + f"; along the zip, items done {memory}"
    )


if __name__ == "__main__":
    main()
