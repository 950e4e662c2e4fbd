from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="no Chromium on this machine (install Debian's chromium package)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def seed_data(request):
    """Put back the rows data migrations seed (ratings, groups) when a previous browser test flushed them.

    After a Playwright test, the flush at teardown is not always followed by the serialized restore,
    so the next transactional test can start with no ratings, groups or permissions.
    """
    if request.node.get_closest_marker("django_db") is not None:
        restore_seed_data()


def restore_seed_data() -> None:
    import importlib

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    from annotations.models import Rating

    if Group.objects.exists() and Rating.objects.exists():
        return
    ContentType.objects.clear_cache()
    configs = list(apps.get_app_configs())
    modules = {config.label: config.models_module for config in configs}
    try:
        for config in configs:
            create_contenttypes(config, verbosity=0)
            create_permissions(config, verbosity=0)
        importlib.import_module("annotations.migrations.0003_default_rating_scale").create_scale(apps, None)
        importlib.import_module("annotations.migrations.0004_editor_groups").create_groups(apps, None)
    finally:
        for config in configs:
            config.models_module = modules[config.label]
