"""Synthetic published articles for the load bench: python bench/synth.py --articles 300.

Text is generated filler, clearly labelled as synthetic; it never pretends to be a real article.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from annotations import indexing  # noqa: E402
from annotations.models import Annotation, Rating  # noqa: E402
from articles.models import Article, Author, Outlet, Paragraph  # noqa: E402
from ops.pagecache import invalidate  # noqa: E402

WORDS = [
    "budget",
    "policy",
    "treaty",
    "trade",
    "minister",
    "parliament",
    "reform",
    "energy",
    "grain",
    "pipeline",
    "election",
    "court",
    "inflation",
    "tariff",
    "border",
    "summit",
    "export",
    "import",
    "coalition",
    "mandate",
    "agency",
    "report",
]


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--paragraphs", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(7)
    ratings = list(Rating.objects.exclude(value=None))
    start = Article.objects.filter(title__startswith="Synthetic article").count()
    with transaction.atomic():
        outlet, _ = Outlet.objects.get_or_create(name="Synthetic Outlet (bench data)")
        author, _ = Author.objects.get_or_create(name="Synthetic Author (bench data)", outlet=outlet)
        for n in range(start, start + args.articles):
            article = Article.objects.create(
                title=f"Synthetic article {n}: {' '.join(rng.sample(WORDS, 4))}",
                author=author,
                outlet=outlet,
                language="en",
                published_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 600)),
                status=Article.Status.PUBLISHED,
            )
            paragraphs = Paragraph.objects.bulk_create(
                Paragraph(article=article, position=p, text=" ".join(sentence(rng) for _ in range(4)))
                for p in range(1, args.paragraphs + 1)
            )
            annotations = []
            for paragraph in paragraphs[::3]:
                annotation = Annotation(
                    article=article,
                    paragraph=paragraph,
                    kind=Annotation.Kind.CLAIM,
                    status=Annotation.Status.PUBLISHED,
                    rating=rng.choice(ratings),
                    claim_text="Synthetic claim for the load bench.",
                    conclusion="Synthetic conclusion.",
                )
                annotation.place_anchor()
                annotations.append(annotation)
            Annotation.objects.bulk_create(annotations)
            indexing.refresh(articles=[article.pk])  # bulk_create sends no signals
            article.tags.add(rng.choice(WORDS))
        invalidate()
    print(f"{Article.objects.count()} articles, {Annotation.objects.count()} annotations")


if __name__ == "__main__":
    main()
