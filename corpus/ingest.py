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
    read_files,
)
from corpus.ingest_context import IngestContext, IngestReport, IngestResult, Status
from corpus.ingest_one import ingest_file, unique_slug
from corpus.ingest_writer import ChunkWriter
from corpus.models import Article

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
) -> IngestReport:
    """Ingest every file named or found (``*.txt``, recursively) under ``paths``.

    With ``dry_run`` everything runs as usual inside one transaction that is rolled back,
    so the report is exactly what a real run would do.
    """
    context = context or IngestContext.build()
    report = IngestReport(dry_run=dry_run)
    files, missing = expand_paths(paths)
    report.results.extend(
        IngestResult(str(path), path.name, Status.FAILED, error=f"{path}: no such file or folder")
        for path in missing
    )
    # A real run commits chunk by chunk; a dry run nests them all in one transaction that it
    # rolls back, so later chunks still see the earlier ones as a real run would.
    with transaction.atomic() if dry_run else nullcontext():
        for done, result in enumerate(_ingest_files(files, context), start=1):
            report.results.append(result)
            if progress:
                progress(done, len(files))
        _refresh_duplicate_links(report.results)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        corpus_changed()  # mentions and duplicate links are written without signals
    return report


def _ingest_files(paths: list[Path], context: IngestContext) -> Iterator[IngestResult]:
    """Results in file order, chunk by chunk, each chunk planned while the last is written."""
    with ChunkWriter() as writer:
        writing: ChunkPlan | None = None
        carried: list[SourceFile] = []  # files a chunk left for the next one
        position = 0
        while position < len(paths) or carried:
            # The first chunk has nothing to overlap with: a small one gets the writing going.
            size = CHUNK_FILES if writing else FIRST_CHUNK_FILES
            batch = paths[position : position + max(0, size - len(carried))]
            position += len(batch)
            # Parsed while the previous chunk is written, so the two overlap; until that is
            # done no file can tell whether it is new, but in a run of new files all are.
            files = carried + read_files(batch, context, prepare=writer.busy)
            if writing:
                yield from _settle(writing, writer.wait(), context)
            try:
                writing = plan_chunk(files, context)
            except ChunkFailed:
                carried, writing = [], None
                yield from (ingest_file(path=file.path, context=context) for file in files)
                continue
            carried = writing.rest
            writer.submit(writing)
        if writing:
            yield from _settle(writing, writer.wait(), context)


def _settle(plan: ChunkPlan, error: Exception | None, context: IngestContext) -> list[IngestResult]:
    if error is None:
        return finish_chunk(plan)
    # Something in the chunk broke its transaction; file by file, only that file fails.
    abandon_chunk(plan, context)
    return [ingest_file(path=file.path, context=context) for file in plan.files]


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to ingest in a stable order (folders sorted), and the paths that do not exist."""
    files: dict[Path, None] = {}
    missing: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = (p for p in path.rglob("*.txt") if p.is_file() and not _hidden(p, path))
            files.update(dict.fromkeys(sorted(found)))
        elif path.exists() or path.is_symlink():
            files[path] = None
        else:
            missing.append(path)
    return list(files), missing


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _refresh_duplicate_links(results: list[IngestResult]) -> None:
    """Report each file's final canonical article: a later file may have taken its place."""
    by_id = {result.article_id: result for result in results if result.article_id}
    links = Article.objects.filter(pk__any=by_id).values_list("pk", "duplicate_of__source_file")
    for pk, canonical in links:
        by_id[pk].duplicate_of = canonical or ""
