"""Two app servers, as behind a load balancer: two gunicorn processes on their own ports, sharing
one PostgreSQL database, one Redis (page cache and versions) and one S3 bucket (a local moto server).
What an editor writes through one is what a reader gets from the other, at once; a file uploaded
through one downloads from the other.

Needs PostgreSQL (DATABASE_URL) and Redis on 127.0.0.1:6379; skipped otherwise, with the reason.
"""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.db import connection

from articles.models import Article
from tests.factories import ArticleFactory, ParagraphFactory, UserFactory
from tests.import_samples import make_docx

ROOT = Path(__file__).resolve().parent.parent
# A database number of its own and a key prefix per run: nothing else's keys are read or removed.
REDIS_URL = os.environ.get("GLOSSA_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
SECRET = "two-servers-secret-" + "x9" * 20
PASSWORD = "pw-for-tests"  # tests.factories.UserFactory's


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url_of_this_test() -> str:
    """DATABASE_URL, pointing at the test database this process is using."""
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def why_not_here() -> str:
    """Why these tests cannot run on this machine, or "" when they can."""
    if connection.vendor != "postgresql":
        return "two app servers share one database: needs DATABASE_URL=postgres://… (SQLite is one file)"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"two app servers share the page cache in Redis: {REDIS_URL} unreachable ({error})"
    return ""


REASON = why_not_here()
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.skipif(bool(REASON), reason=REASON)]


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()


class Visitor:
    """One browser: its own cookies, sent to whichever server it asks (one host, as behind a load balancer)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=20) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())

    def get(self, url: str) -> Reply:
        return self._open(urllib.request.Request(url))

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def post(
        self, url: str, fields: dict[str, str | list[str]], files: dict[str, tuple[str, bytes]] | None = None
    ):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf_token()}
        if files is None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        else:
            body, content_type = multipart(fields, files)
        return self._open(urllib.request.Request(url, data=body, headers={"Content-Type": content_type}))

    def log_in(self, base: str, username: str) -> None:
        self.get(f"{base}/admin/login/")  # sets the CSRF cookie
        reply = self.post(f"{base}/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})
        assert reply.status == 200 and "Log out" in reply.text, reply.text[:500]


def multipart(fields: dict, files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def production_env(**settings: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    base = {key: value for key, value in os.environ.items() if key in keep}
    return {
        **base,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS proxy in front here.
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        **settings,
    }


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """Static files collected once, as a deploy does (DEBUG off serves them from the manifest)."""
    root = tmp_path_factory.mktemp("static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(root)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def servers(transactional_db, bucket, static_root, s3_server, tmp_path):
    """Two gunicorn servers on free ports, configured alike: their base URLs."""
    prefix = f"glossa-two-servers-{uuid.uuid4().hex[:12]}"
    shared = {
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "PAGE_CACHE_SECONDS": "600",
        "GLOSSA_S3_BUCKET": bucket.name,
        "GLOSSA_S3_ENDPOINT_URL": s3_server,
        "GLOSSA_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "STATIC_ROOT": str(static_root),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    processes, bases = [], []
    for name in ("a", "b"):
        port = free_port()
        media = tmp_path / f"media-{name}"  # each server's own disk, which must stay empty
        env = production_env(**shared, GUNICORN_BIND=f"127.0.0.1:{port}", MEDIA_ROOT=str(media))
        log = (tmp_path / f"server-{name}.log").open("w")
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            wait_until_healthy(base, process, tmp_path)
        yield bases
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(match=f"{prefix}:*"):
            store.delete(key)
    for name in ("a", "b"):
        media = tmp_path / f"media-{name}"
        assert not (media.exists() and any(path.is_file() for path in media.rglob("*"))), (
            f"server {name} wrote to its own disk"
        )


def wait_until_healthy(base: str, process: subprocess.Popen, tmp_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    logs = "\n".join(path.read_text() for path in tmp_path.glob("server-*.log"))
    pytest.fail(f"{base} did not answer /healthz:\n{logs[-3000:]}")


def test_an_edit_through_one_server_is_read_fresh_through_the_other(servers):
    first, second = servers
    UserFactory(username="editor", group="Editors")
    article = ArticleFactory(title="Bridges of the north")
    paragraph = ParagraphFactory(article=article, position=1, text="The bridge opened in 1998.")
    draft = ArticleFactory(title="Tunnels under the bay", status=Article.Status.DRAFT)
    ParagraphFactory(article=draft, position=1, text="A draft about tunnels.")

    reader = Visitor()
    for base in servers:  # each server's pages now in the shared cache
        for path in (article.get_absolute_url(), "/articles/"):
            assert reader.get(base + path).status == 200
            cached = reader.get(base + path)
            assert cached.headers.get("X-Page-Cache") == "hit", (base, path)
        assert "The bridge opened in 1998." in reader.get(base + article.get_absolute_url()).text
        assert "Tunnels under the bay" not in reader.get(base + "/articles/").text
        assert reader.get(base + draft.get_absolute_url()).status == 404

    editor = Visitor()
    editor.log_in(first, "editor")
    saved = editor.post(
        f"{first}/admin/articles/paragraph/{paragraph.pk}/change/",
        {"article": str(article.pk), "position": "1", "role": "body", "text": "The bridge opened in 2001."},
    )
    assert saved.status == 200 and "was changed successfully" in saved.text, saved.text[:500]
    published = editor.post(
        f"{first}/admin/articles/article/",
        {"action": "publish", "_selected_action": [str(draft.pk)], "index": "0"},
    )
    assert published.status == 200, published.text[:500]

    for base in (second, first):
        page = reader.get(base + article.get_absolute_url())
        assert page.headers.get("X-Page-Cache") == "miss", base
        assert "The bridge opened in 2001." in page.text
        assert "The bridge opened in 1998." not in page.text
        assert "Tunnels under the bay" in reader.get(base + "/articles/").text
        assert "A draft about tunnels." in reader.get(base + draft.get_absolute_url()).text


def test_an_original_uploaded_through_one_server_downloads_through_the_other(servers, bucket):
    first, second = servers
    UserFactory(username="editor", group="Editors")
    data = make_docx(
        [("Ports and their tolls", "Title"), ("A paragraph long enough to be kept as text.", None)]
    )

    editor = Visitor()
    editor.log_in(first, "editor")
    reply = editor.post(
        f"{first}/admin/articles/article/import/", {"status": "draft"}, files={"files": ("ports.docx", data)}
    )
    assert reply.status == 200 and "Ports and their tolls" in reply.text, reply.text[:500]
    article = Article.objects.get(title="Ports and their tolls")
    assert bucket.keys() == [article.original_file.name]

    # The same session, now answered by the other server (sessions live in PostgreSQL).
    download = editor.get(f"{second}/admin/articles/article/{article.pk}/original/")
    assert download.status == 200
    assert download.body == data
    assert download.headers["Content-Disposition"] == 'attachment; filename="ports.docx"'
    anonymous = Visitor().get(f"{second}/admin/articles/article/{article.pk}/original/")
    assert anonymous.body != data and "Log in" in anonymous.text  # sent to the login page
