"""Ingest: source files become articles with their mentions.

``ingest_paths`` walks files and folders and ingests them in chunks of a few hundred files,
each with a fixed number of queries and one transaction (``corpus/ingest_batch.py``), written
while the next chunk is parsed (``corpus/ingest_writer.py``). A chunk that cannot be written
is ingested again file by file (``ingest_file``, one transaction per file), so a bad file
fails alone, is reported and leaves nothing behind while the others go on; both paths give
the same rows. An unchanged file (same source name, same SHA-256) is never written. The
expensive shared state (the alias automaton, the near-duplicate index, the outlet names) lives
in an ``IngestContext`` built once per run.
"""

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path

from django.db import transaction

from config.cache import corpus_changed
from corpus.ingest_batch import (
    CHUNK_FILES,
    FIRST_CHUNK_FILES,
    ChunkFailed,
    ChunkPlan,
    SourceFile,
    abandon_chunk,
    finish_chunk,
    plan_chunk,
)
from corpus.ingest_context import IngestContext, IngestReport, IngestResult, Status
from corpus.ingest_one import ingest_file, unique_slug
from corpus.ingest_reader import FileReader
from corpus.ingest_writer import ChunkWriter
from corpus.models import Article
from corpus.planner_stats import ArticleGrowth

__all__ = [
    "IngestContext",
    "IngestReport",
    "IngestResult",
    "Status",
    "expand_paths",
    "ingest_file",
    "ingest_paths",
    "unique_slug",
]


def ingest_paths(
    *,
    paths: Iterable[Path],
    context: IngestContext | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 0,
) -> IngestReport:
    """Ingest every file named or found (``*.txt``, recursively) under ``paths``.

    With ``workers``, that many forked processes read and parse the files
    (``corpus/ingest_reader.py``; the ``ingest`` command's default is ``default_workers()``),
    if this process can fork safely: ``report.workers`` says how many did.

    With ``dry_run`` everything runs as usual inside one transaction that is rolled back,
    so the report is exactly what a real run would do.
    """
    context = context or IngestContext.build()
    report = IngestReport(dry_run=dry_run)
    files, missing = expand_paths(paths)
    if context.expected_files is None:
        context.expected_files = len(files)
    report.results.extend(
        IngestResult(str(path), path.name, Status.FAILED, error=f"{path}: no such file or folder")
        for path in missing
    )
    # A real run commits chunk by chunk; a dry run nests them all in one transaction that it
    # rolls back, so later chunks still see the earlier ones as a real run would.
    with transaction.atomic() if dry_run else nullcontext(), FileReader(context, workers) as reader:
        report.workers = reader.workers
        for done, result in enumerate(_ingest_files(files, context, reader), start=1):
            report.results.append(result)
            if progress:
                progress(done, len(files))
        _refresh_duplicate_links(report.results)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        corpus_changed()  # mentions and duplicate links are written without signals
    return report


def _ingest_files(
    paths: list[Path], context: IngestContext, reader: FileReader
) -> Iterator[IngestResult]:
    """Results in file order, chunk by chunk: each chunk is read and planned while the one
    before is written, so PostgreSQL and Python work at the same time."""
    batches = _batches(paths)
    with ChunkWriter() as writer:
        writing: ChunkPlan | None = None
        carried: list[SourceFile] = []  # files a chunk left for the next one
        reading = _submit(reader, next(batches, None))
        while reading or carried:
            # Without workers, files are parsed here while the previous chunk is written, so
            # the two overlap; until that is done no file can tell whether it is new, but in a
            # run of new files all are.
            files = carried + (reading(writer.busy) if reading else [])
            reading = _submit(reader, next(batches, None))
            try:
                plan = plan_chunk(files, context, pending=writing)
            except ChunkFailed:
                if writing:
                    yield from _settle(writing, writer.wait(), context, writer.growth)
                carried, writing = [], None
                yield from _one_by_one(files, context, writer.growth)
                continue
            if writing:
                error = writer.wait()
                if error:
                    # The plan counted on the rows that were not written: both chunks go file
                    # by file, the newer plan undone first.
                    abandon_chunk(plan, context)
                    yield from _settle(writing, error, context, writer.growth)
                    carried, writing = [], None
                    yield from _one_by_one(files, context, writer.growth)
                    continue
                yield from finish_chunk(writing)
            carried, writing = plan.rest, plan
            writer.submit(plan)
        if writing:
            yield from _settle(writing, writer.wait(), context, writer.growth)


def _batches(paths: list[Path]) -> Iterator[list[Path]]:
    """The chunks' files: small at first and at the end, since the first chunk's parsing and
    the last one's writing overlap nothing; ``CHUNK_FILES`` in between."""
    start, size = 0, FIRST_CHUNK_FILES
    while start < len(paths):
        yield paths[start : start + size]
        start += size
        size = min(CHUNK_FILES, max(FIRST_CHUNK_FILES, (len(paths) - start) // 2))


def _submit(reader: FileReader, batch: list[Path] | None):
    return reader.submit(batch) if batch is not None else None


def _settle(
    plan: ChunkPlan, error: Exception | None, context: IngestContext, growth: ArticleGrowth
) -> Iterable[IngestResult]:
    if error is None:
        return finish_chunk(plan)
    # Something in the chunk broke its transaction; file by file, only that file fails.
    abandon_chunk(plan, context)
    return _one_by_one(plan.files, context, growth)


def _one_by_one(
    files: list[SourceFile], context: IngestContext, growth: ArticleGrowth
) -> Iterator[IngestResult]:
    """Each file in its own transaction (after a chunk failed). Its new articles count
    towards the planner's count too (corpus/planner_stats.py), as the chunks' do."""
    new = 0
    for file in files:
        result = ingest_file(path=file.path, context=context)
        new += result.status == Status.NEW
        yield result
    growth.inserted(new)


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to ingest in a stable order (folders sorted), and the paths that do not exist."""
    files: dict[Path, None] = {}
    missing: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.update(dict.fromkeys(_text_files(path)))
        elif path.exists() or path.is_symlink():
            files[path] = None
        else:
            missing.append(path)
    return list(files), missing


def _text_files(root: Path) -> list[Path]:
    """The ``*.txt`` files under ``root`` outside hidden folders, in path order.

    ``os.scandir`` knows which entries are folders without a ``stat`` per file (only symlinks
    need one), and hidden folders are never entered: ``rglob`` and ``is_file`` cost ~20 µs
    a file, a few per cent of ingesting it. Symlinked folders are not followed, as with
    ``rglob``; a symlinked file counts if it leads to a file."""
    found: list[str] = []
    folders = [str(root)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:  # unreadable folder: skipped, as rglob skips it
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.name.endswith(".txt") and entry.is_file():
                    found.append(entry.path)
    # Part by part, as paths compare: "a/b.txt" before "a-c.txt".
    found.sort(key=lambda path: path.split(os.sep))
    return [Path(path) for path in found]


def _refresh_duplicate_links(results: list[IngestResult]) -> None:
    """Report each file's final canonical article: a later file may have taken its place."""
    by_id = {result.article_id: result for result in results if result.article_id}
    links = Article.objects.filter(pk__any=by_id).values_list("pk", "duplicate_of__source_file")
    for pk, canonical in links:
        by_id[pk].duplicate_of = canonical or ""
