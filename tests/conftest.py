from __future__ import annotations

import os

import pytest
from django.test import Client

from annotations.defaults import ensure_defaults
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
