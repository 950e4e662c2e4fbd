from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import boto3
import pytest
from django.test import Client

from annotations.defaults import ensure_defaults
from config.settings import object_storage
from tests.data import make_archive
from tests.factories import ArticleFactory, ParagraphFactory, UserFactory


def pytest_configure(config):
    # Parallel workers (pytest-xdist) each have their own database; the page-cache versions on disk
    # must be their own too, or one worker's article 1 would purge another's.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from django.conf import settings

        settings.CACHES["versions"]["LOCATION"] = f"{settings.CACHES['versions']['LOCATION']}-{worker}"


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", group="Editors")


@pytest.fixture
def checker(db):
    return UserFactory(username="checker", group="Fact-checkers")


@pytest.fixture
def staff_without_group(db):
    return UserFactory(username="nobody")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Each its own Client: a test that asks for both, or for ``client`` too, gets as many users.
@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def checker_client(checker):
    return logged_in(checker)


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.fixture
def paragraph(article):
    return ParagraphFactory(article=article, position=1)


@pytest.fixture
def archive(db):
    """The small archive of tests/data.py: two published articles, a draft, and their annotations."""
    return make_archive()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # The manifest needs collectstatic; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def default_scale_and_groups(request):
    # Transactional tests flush the database, data migrations included; put the defaults back.
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        ensure_defaults()


@pytest.fixture(autouse=True)
def empty_caches():
    # The page cache outlives a test's rolled-back rows; a page cached by one test must not answer another.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def s3_server():
    """A local S3 server (moto's server mode) in this test process: its endpoint URL."""
    # Imported here: moto takes most of a second to load, and most test processes never need it.
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    name: str
    client: object  # a boto3 S3 client: what is in the bucket, seen without Django

    def keys(self) -> list[str]:
        return [item["Key"] for item in self.client.list_objects_v2(Bucket=self.name).get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


S3_ENV = {"GLOSSA_S3_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}


@pytest.fixture
def bucket(s3_server, settings, monkeypatch) -> Bucket:
    """A new empty bucket on the local S3 server, and the default storage on it, configured from the
    environment as an operator would configure it."""
    name = f"glossa-{uuid.uuid4().hex[:16]}"
    for variable, value in {**S3_ENV, "GLOSSA_S3_ENDPOINT_URL": s3_server}.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": object_storage(name)}
    return Bucket(name, client)
