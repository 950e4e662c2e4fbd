from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from articles.changes import Change, record
from research import index


class Command(BaseCommand):
    help = (
        "Rebuild the search index (one entry per published annotation) from the annotations, their "
        "articles and tags. Saves keep it current; run this after changing rows with raw SQL."
    )

    def handle(self, *args, **options):
        began = time.monotonic()
        entries = index.rebuild()
        record(Change(everything=True))  # search pages may show other results now
        self.stdout.write(f"Indexed {entries} published annotations in {time.monotonic() - began:.1f} s.")
