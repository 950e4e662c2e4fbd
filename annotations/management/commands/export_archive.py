from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from annotations.archive import dump_archive


class Command(BaseCommand):
    help = "Write the whole archive, drafts included, to one JSON file (restore it with import_archive)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="Path of the JSON file to write.")

    def handle(self, *args, out: str, **options):
        try:
            with open(out, "w", encoding="utf-8") as handle:
                counts = dump_archive(handle)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror}.") from None
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Wrote {out}: {summary}.")
