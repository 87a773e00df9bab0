"""Ingest source text files (or folders of them) into articles and mentions."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.ingest import IngestContext, IngestReport, Status, ingest_paths
from corpus.ingest_reader import default_workers
from corpus.manifest import ManifestError
from corpus.models import Article
from corpus.review import detect_unknown_names

# Below this many files a run is quick enough that a progress bar is only noise.
PROGRESS_MIN_FILES = 20
PROGRESS_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Ingest source files: decode, read metadata, strip boilerplate, store the article "
        "and its mentions. Folders are searched for *.txt files. Exits with status 1 if any "
        "file failed; the other files are still ingested."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders to ingest.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it all back."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Re-process files whose bytes did not change (after a manifest or rule edit).",
        )
        parser.add_argument(
            "--manifest",
            type=Path,
            help="Manifest file (default: manifest.toml in the sources folder, if any).",
        )
        parser.add_argument(
            "--max-bytes", type=int, help="Refuse files larger than this (default 2 MiB)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            help="Processes that read and parse the files while this one writes (default: "
            "SITREP_INGEST_WORKERS, else the cores less two; 0: none).",
        )

    def handle(
        self, *args, paths, dry_run, force, manifest, max_bytes, workers, verbosity, **options
    ):
        try:
            context = IngestContext.build(manifest_path=manifest, max_bytes=max_bytes, force=force)
        except ManifestError as error:
            raise CommandError(str(error)) from None
        report = ingest_paths(
            paths=paths,
            context=context,
            dry_run=dry_run,
            progress=self._progress if verbosity >= 1 else None,
            workers=default_workers() if workers is None else max(0, workers),
        )
        self._write_report(report, verbosity)
        self._queue_unknown_names(report, verbosity)
        if report.failed:
            raise CommandError(f"{len(report.failed)} file(s) failed; see the errors above.")

    def _queue_unknown_names(self, report: IngestReport, verbosity: int) -> None:
        """Put names no alias knows in the curators' review queue (admin: Unknown names)."""
        changed = [
            result.source_file
            for result in report.results
            if result.status in (Status.NEW, Status.UPDATED)
        ]
        if report.dry_run or not changed:
            return
        review = detect_unknown_names(articles=Article.objects.filter(source_file__in=changed))
        if verbosity >= 1:
            self.stdout.write(f"Review queue: {review.summary()}")

    def _progress(self, done: int, total: int) -> None:
        # On stderr, so the summary on stdout stays clean for scripts.
        # Redrawn once per percent, so a log of a long run is not one line per file.
        if total < PROGRESS_MIN_FILES or (done * 100 // total == (done - 1) * 100 // total):
            return
        filled = PROGRESS_WIDTH * done // total
        bar = "#" * filled + "-" * (PROGRESS_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total} files", ending="\n" if done == total else "")
        self.stderr.flush()

    def _write_report(self, report: IngestReport, verbosity: int) -> None:
        for result in report.results:
            if result.status == Status.FAILED:
                self.stderr.write(self.style.ERROR(f"failed: {result.error}"))
                continue
            if verbosity >= 2:
                note = f" (near-duplicate of {result.duplicate_of})" if result.duplicate_of else ""
                if result.status in (Status.NEW, Status.UPDATED):
                    note += f", {result.mentions} mentions"
                self.stdout.write(f"{result.status}: {result.source_file}{note}")
            if verbosity >= 1:
                for warning in result.warnings:
                    self.stderr.write(self.style.WARNING(f"{result.source_file}: {warning}"))
        if verbosity >= 1:
            prefix = "Dry run, nothing saved: " if report.dry_run else ""
            summary = (
                f"{prefix}{len(report.results)} files: {report.count(Status.NEW)} new, "
                f"{report.count(Status.UPDATED)} updated, {report.count(Status.UNCHANGED)} "
                f"unchanged, {report.duplicates} duplicates, {len(report.failed)} failed."
            )
            style = self.style.ERROR if report.failed else self.style.SUCCESS
            self.stdout.write(style(summary))
