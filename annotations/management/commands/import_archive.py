from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from annotations.archive import ArchiveError, restore_archive


class Command(BaseCommand):
    help = "Restore a file written by export_archive into an empty database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Path of the JSON file written by export_archive.")

    def handle(self, *args, archive: str, **options):
        try:
            with open(archive, encoding="utf-8") as handle:
                document = json.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {archive}: {error.strerror}.") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{archive} is not valid JSON: {error}.") from None
        try:
            counts = restore_archive(document)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Restored {archive}: {summary}.")
