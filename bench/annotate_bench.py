"""Timings for the annotate view and re-anchoring on a long article (200 paragraphs, 1,000 annotations).

Run against a migrated database; everything it creates is rolled back:

    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/annotate_bench.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from annotations.models import Annotation, Rating  # noqa: E402
from articles.importing.base import ParsedArticle, ParsedParagraph  # noqa: E402
from articles.importing.replace import replace_article_text  # noqa: E402
from articles.models import Article, Paragraph  # noqa: E402

SENTENCES = [
    "Exports of grain rose by a fifth in the first half of the year, the ministry said.",
    "Critics say the agreement was signed without a public debate in parliament.",
    "The new pipeline is due to carry gas east from the autumn of next year.",
    "Officials expect the budget deficit to narrow as oil prices recover.",
    "Independent economists doubt that the forecast takes inflation into account.",
]
QUOTES = ["rose by a fifth", "without a public debate", "carry gas east", "budget deficit", "doubt that"]


class Rollback(Exception):
    pass


def timed(label: str, fn, repeat: int = 1):
    best = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label}: {best * 1000:.0f} ms (best of {repeat})")
    return result


def main() -> None:
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_superuser("bench-user", "", "x")
            article = Article.objects.create(title="Benchmark article")
            text = " ".join(SENTENCES)
            paragraphs = Paragraph.objects.bulk_create(
                Paragraph(article=article, position=n, text=f"{text} ({n})")
                for n in range(1, int(os.environ.get("BENCH_PARAGRAPHS", "200")) + 1)
            )
            rating = Rating.objects.get(slug="false")
            Annotation.objects.bulk_create(
                Annotation(
                    article=article,
                    paragraph=p,
                    exact=q,
                    start=p.text.index(q),
                    end=p.text.index(q) + len(q),
                    kind="claim",
                    rating=rating,
                    status="published",
                )
                for p in paragraphs
                for q in QUOTES
            )
            client = Client()
            client.force_login(user)
            url = f"/admin/articles/article/{article.pk}/annotate/"
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(f"annotate view: {len(queries)} queries for 200 paragraphs and 1,000 annotations")
            timed("annotate view render", lambda: client.get(url), repeat=5)

            # Every paragraph edited: a sentence inserted before the quotes, one quote's wording changed.
            edited = [
                ParsedParagraph("In short: " + p.text.replace("budget deficit", "budget shortfall"))
                for p in paragraphs
            ]
            counts = timed(
                "replace_article_text (200 edited paragraphs)",
                lambda: replace_article_text(article, ParsedArticle(title="x", paragraphs=edited)),
            )
            print(f"re-anchoring outcome: {counts}")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
