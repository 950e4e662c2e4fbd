from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from annotations.synthetic import synthesise


class Command(BaseCommand):
    help = "Add a synthetic archive (articles, paragraphs, annotations, tags, outlets) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many articles to create.")
        parser.add_argument("--paragraphs", type=int, default=15, help="Paragraphs per article (default 15).")
        parser.add_argument("--annotations", type=int, default=3, help="Annotations per article (default 3).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for a repeatable archive.")

    def handle(self, *args, articles: int, paragraphs: int, annotations: int, seed: int, **options):
        if articles < 1 or paragraphs < 1 or annotations < 0 or annotations > paragraphs * 4:
            raise CommandError(
                "Use --articles ≥ 1, --paragraphs ≥ 1 and 0 ≤ --annotations ≤ 4 × --paragraphs."
            )
        began = time.monotonic()
        result = synthesise(
            articles, paragraphs_per_article=paragraphs, annotations_per_article=annotations, seed=seed
        )
        self.stdout.write(
            f"Created {result.articles} articles, {result.paragraphs} paragraphs and "
            f"{result.annotations} annotations with {result.tags} tags in {time.monotonic() - began:.1f} s."
        )
