"""Serve the demo article through gunicorn and load it with wrk, next to a static file of the same size.

    /work/main/.venv/bin/python bench/serve_article.py [--duration 15] [--connections 16]

Production settings (DEBUG off, manifest static storage), PostgreSQL in a throwaway
database (dropped and re-created: glossa_bench_public unless BENCH_DATABASE), 2 gunicorn
workers, loopback only. Both URLs are loaded in the same run, one after the other, with
Debian's wrk. Prints requests/second, p50 and p99 latency and errors for each, and the
article's throughput as a share of the static file's (goal: at least 25 %, zero errors).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ADMIN_DSN = os.environ.get("BENCH_ADMIN_DSN", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("BENCH_DATABASE", "glossa_bench_public")
ARTICLE = "/articles/multi-vector-policy-in-kazakh-style/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def wait_for(url: str, timeout: float = 30) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def load(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors, detail = 0, []
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
        detail.append(socket_errors.group(0))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
        detail.append(non_2xx.group(0))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": errors,
        "detail": "; ".join(detail),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk).")

    port = free_port()
    static_root = Path(tempfile.mkdtemp(prefix="glossa-bench-static-"))
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-" + "x" * 20,
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "STATIC_ROOT": str(static_root),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    recreate_database()
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")

    size = int(
        manage(
            {**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"},
            "shell",
            "--no-imports",
            "-c",
            f"from django.test import Client; print(len(Client().get('{ARTICLE}').content))",
        ).strip()
    )
    # A static file of exactly the article's size, served by whitenoise from the same process.
    (static_root / "bench-same-size.html").write_bytes(b"x" * size)

    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        body = wait_for(base + ARTICLE)
        assert len(body) == size, (len(body), size)
        wait_for(base + "/static/bench-same-size.html")
        results = {
            "static": load(base + "/static/bench-same-size.html", args.duration, args.connections),
            "article": load(base + ARTICLE, args.duration, args.connections),
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    print(
        f"gunicorn, 2 workers, PostgreSQL, DEBUG=0; wrk -t2 -c{args.connections} -d{args.duration}s; "
        f"body {size} bytes"
    )
    print(f"{'url':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}")
    for name, r in results.items():
        print(
            f"{name:<10} {r['rps']:>9.1f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['requests']:>9} {r['errors']:>7}"
            + (f"  ({r['detail']})" if r["detail"] else "")
        )
    share = results["article"]["rps"] / results["static"]["rps"]
    ok = share >= 0.25 and results["article"]["errors"] == 0 and results["static"]["errors"] == 0
    print(
        f"article / static throughput: {share:.1%} (goal >= 25% with zero errors): {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
