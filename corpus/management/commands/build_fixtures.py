"""Regenerate fixtures/30_articles.json (and 40_events.json) from the source files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from corpus.fixtures import BuildError, build_fixtures


class Command(BaseCommand):
    help = (
        "Ingest the source files into an emptied corpus (the hand-made 0x-2x fixtures loaded "
        "first), load the curated events, and write the articles and events fixtures. "
        "Everything happens in a transaction that is rolled back: the database is unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sources", type=Path, help="Source files folder (default SITREP_SOURCES_DIR)."
        )
        parser.add_argument("--fixtures", type=Path, help="Fixtures folder (default fixtures/).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with status 1 if a fixture is out of date.",
        )

    def handle(self, *args, sources, fixtures, check, verbosity, **options):
        fixtures_dir = fixtures or settings.SITREP_FIXTURES_DIR
        try:
            result = build_fixtures(
                sources_dir=sources or settings.SITREP_SOURCES_DIR,
                fixtures_dir=fixtures_dir,
                check=check,
            )
        except BuildError as error:
            raise CommandError(str(error)) from None
        if verbosity >= 1:
            for item in result.ingest.results:
                for warning in item.warnings:
                    self.stderr.write(self.style.WARNING(f"{item.source_file}: {warning}"))
            self.stdout.write(f"{result.articles} articles, {result.mentions} mentions.")
            if result.events is not None:
                self.stdout.write(f"{result.events} events.")
            if result.events_skipped:
                self.stdout.write(f"Events not built: {result.events_skipped}.")
            for path in result.written:
                self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
            for path in result.unchanged:
                self.stdout.write(f"Unchanged {path}")
        if result.events_error:
            raise CommandError(f"Articles fixture built, events not: {result.events_error}")
        if result.stale:
            stale = ", ".join(str(path) for path in result.stale)
            raise CommandError(f"Out of date (run build_fixtures): {stale}")
