"""Bulk-load natural-key JSON fixtures with COPY: loaddata's result, many times faster.

    manage.py load_corpus fixtures/*.json

The files, and the objects in them, may come in any order, as with loaddata. All files load
in one transaction: on any error nothing is written and the command exits non-zero. A
progress bar goes to stderr (verbosity 1 and up).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.bulk_load import BulkLoadError, bulk_load


class Command(BaseCommand):
    help = "Load natural-key JSON fixtures (loaddata's format) with COPY, in one transaction."

    def add_arguments(self, parser):
        parser.add_argument(
            "fixtures",
            nargs="+",
            type=Path,
            help="Fixture files, in any order; of two objects with one natural key the later wins.",
        )
        parser.add_argument("--database", default="default", help="Database alias to load into.")

    def handle(self, *args, fixtures, database, verbosity, **options):
        try:
            result = bulk_load(
                paths=fixtures, using=database, show_progress=verbosity >= 1, stream=self.stderr
            )
        except BulkLoadError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {result.summary()}."))
        if verbosity >= 2:
            for label, (copy_seconds, upsert_seconds) in result.timings.items():
                self.stdout.write(
                    f"  {label}: read and COPY {copy_seconds:.1f}s, upsert {upsert_seconds:.1f}s"
                )
