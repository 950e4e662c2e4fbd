"""Publish, edit and withdraw an article for DURATION seconds while the load runs, checking after each
change that the very next anonymous request sees it: python bench/publisher.py BASE_URL DURATION.

PUBLISH_EVERY (seconds, default 0.3) is the pause after each publish and after each withdrawal."""

from __future__ import annotations

import datetime
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from articles.models import Article, Paragraph  # noqa: E402


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def main() -> None:
    base, duration = sys.argv[1].rstrip("/"), float(sys.argv[2])
    every = float(os.environ.get("PUBLISH_EVERY", "0.3"))
    article, _ = Article.objects.get_or_create(
        slug="bench-publish-target",
        defaults={"title": "Bench publish target", "language": "en", "status": Article.Status.DRAFT},
    )
    paragraph, _ = Paragraph.objects.get_or_create(article=article, position=1, defaults={"text": "Start."})
    url = f"{base}{article.get_absolute_url()}"
    checks = stale = errors = cycles = 0
    problems: list[str] = []
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        cycles += 1
        title = f"Bench edition {cycles} {time.time_ns()}"
        article.title = title
        article.status = Article.Status.PUBLISHED
        article.published_on = datetime.date.today() + datetime.timedelta(days=1)
        article.save()
        paragraph.text = f"Edited paragraph {cycles}."
        paragraph.save()
        for page, must_show in ((url, [title, paragraph.text]), (f"{base}/", [title])):
            status, body = fetch(page)
            checks += 1
            if status >= 500:
                errors += 1
            elif status != 200 or any(text not in body for text in must_show):
                stale += 1
                problems.append(f"published, got {status} at {page}")
        time.sleep(every)
        article.status = Article.Status.WITHDRAWN
        article.save()
        for page, must_hide, expected in ((url, title, 404), (f"{base}/", title, 200)):
            status, body = fetch(page)
            checks += 1
            if status >= 500:
                errors += 1
            elif status != expected or must_hide in body:
                stale += 1
                problems.append(f"withdrawn, got {status} at {page}")
        time.sleep(every)
    print(f"PUBLISHER cycles={cycles} checks={checks} stale={stale} errors={errors}")
    for problem in problems[:5]:
        print(f"  stale: {problem}")


if __name__ == "__main__":
    main()
