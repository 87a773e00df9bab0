"""Read and parse source files, in worker processes when there are cores to spare.

Reading a file, parsing it, finding its mentions and its shingles depend on nothing but the
file and the run's context, and are most of ingest's Python work. ``FileReader`` hands each
chunk's paths to a pool of forked worker processes while this process plans and writes the
chunks before it; what depends on the order of files (the near-duplicate index and links,
slugs, ids) stays here. The alias automaton, outlets and manifest are built before the fork
and shared with the workers, which never touch the database.

With no workers the files are read here, as the chunk before is written, and parsed only if
that write is still going (else only the files that need writing are parsed, when planned).
A worker parses a file unless the stored article of the same name has its exact bytes, so a
rerun over unchanged files costs the workers a read, as it does this process.
"""

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from django.conf import settings
from django.db import connections

from corpus.ingest_batch import SourceFile, prepare_file, read_file, read_files
from corpus.ingest_context import IngestContext
from corpus.models import Article

# Worker tasks per worker and chunk: small enough to even out uneven files, large enough that
# a task's round trip is not paid per file.
TASKS_PER_WORKER = 4

# The worker processes' context: set in the parent before the fork, inherited by the workers.
_context: IngestContext | None = None


def default_workers() -> int:
    """``SITREP_INGEST_WORKERS``, else the cores less two: PostgreSQL and the process that
    plans and writes each need one, and on two cores workers only add the cost of sending
    every parsed file between processes."""
    configured = getattr(settings, "SITREP_INGEST_WORKERS", None)
    if configured is not None:
        return max(0, int(configured))
    return max(0, (os.cpu_count() or 1) - 2)


class FileReader:
    """``submit(paths)`` starts reading a chunk; the returned callable gives its files.

    ``workers`` is how many processes read them: 0 if none were asked for, or if this process
    cannot fork safely (see ``_single_threaded``).
    """

    def __init__(self, context: IngestContext, workers: int) -> None:
        self.context = context
        self.workers = 0
        self._pool = None
        if workers > 0:
            # Built once here, before the fork, so the workers share them; then no worker needs
            # the database (their copy of this process's connection must stay unused).
            context.extractor  # noqa: B018 - built before the fork
            context.outlet_id("")
        if workers > 0 and _single_threaded():
            global _context
            _context = context
            # An executor, not multiprocessing.Pool: a worker that dies (killed, out of memory)
            # breaks it with an error instead of leaving its tasks waiting forever. With fork
            # it starts every worker on its first task, before its own thread: now, while this
            # process has no other (the next query reopens the connection pool's).
            self._pool = ProcessPoolExecutor(workers, multiprocessing.get_context("fork"))
            self._pool.submit(int).result()
            self.workers = workers

    def submit(self, paths: list[Path]) -> Callable[[bool], list[SourceFile]]:
        """Start reading ``paths``; the callable returns their files, in order, given whether
        files read here should be parsed already."""
        if self._pool is None:
            return lambda prepare: read_files(paths, self.context, prepare=prepare)
        tasks = list(zip(paths, self._stored_checksums(paths), strict=True))
        size = max(1, len(tasks) // (self.workers * TASKS_PER_WORKER))
        try:
            pending = self._pool.map(_read_and_prepare, tasks, chunksize=size)
        except BrokenProcessPool:
            return self._read_here(paths)

        def files(prepare: bool) -> list[SourceFile]:
            try:
                return list(pending)
            except BrokenProcessPool:
                return self._read_here(paths)(prepare)

        return files

    def _read_here(self, paths: list[Path]) -> Callable[[bool], list[SourceFile]]:
        """A worker died: this chunk and the rest are read in this process, which a file that
        kills whatever reads it then stops, as it would without workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return lambda prepare: read_files(paths, self.context, prepare=prepare)

    def _stored_checksums(self, paths: list[Path]) -> list[str | None]:
        if self.context.force:
            return [None] * len(paths)
        names = [self.context.source_name(path) for path in paths]
        stored = dict(
            Article.objects.filter(source_file__in=names).values_list("source_file", "checksum")
        )
        return [stored.get(name) for name in names]

    def __enter__(self) -> "FileReader":
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        global _context
        _context = None
        if self._pool is not None:
            # Waits for the workers to end, so their CPU time counts as this process's children's.
            self._pool.shutdown(wait=True, cancel_futures=exc_type is not None)


def _single_threaded() -> bool:
    """Whether this process can fork: a child gets only the forking thread, and a lock another
    thread held at that moment (the connection pool's, an import's) stays held in it forever.

    The connection pool's threads are the usual others: outside a transaction the connections
    are closed and the pools with them (they reopen on the next query). A process with a
    transaction open, or other threads of its own (a web server's), reads in process.
    """
    if any(db.in_atomic_block for db in connections.all(initialized_only=True)):
        return False
    connections.close_all()
    for db in connections.all(initialized_only=True):
        if getattr(db, "close_pool", None):
            db.close_pool()
    return threading.active_count() == 1


def _read_and_prepare(task: tuple[Path, str | None]) -> SourceFile:
    """In a worker: read the file, and parse it unless it is stored unchanged."""
    path, stored_checksum = task
    file = read_file(path, _context, prepare=False)
    if file.source and file.source.checksum != stored_checksum:
        prepare_file(file, _context)
    return file
