"""Write ingest chunks while the next one is parsed.

Building an article's row costs the database about as much as parsing the file costs Python
(the search vector, the GIN and B-tree entries), so ``ChunkWriter`` writes each chunk in a
background thread on its own connection while the caller plans the next chunk. The process
still uses one core: psycopg releases the GIL while it waits for the server, and the server
runs in its own process. Inside a transaction (a dry run, a test, ``build_fixtures``) chunks
are written inline on the caller's connection instead: another connection could neither see
that transaction's rows nor be rolled back with it.
"""

from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection, connections

from corpus.ingest_batch import ChunkPlan, write_chunk
from corpus.planner_stats import ArticleGrowth


class ChunkWriter:
    """Writes one chunk at a time; ``wait`` returns the error of the last one, or None."""

    def __init__(self) -> None:
        self._pool = None if connection.in_atomic_block else ThreadPoolExecutor(max_workers=1)
        self._pending: Future | None = None
        self._error: Exception | None = None
        # The run's new articles, for the planner (corpus/planner_stats.py); files ingested
        # one by one after a chunk failed add theirs while no chunk is being written.
        self.growth = ArticleGrowth()

    def submit(self, plan: ChunkPlan) -> None:
        if self._pool is None:
            self._error = _write(plan, self.growth)
        else:
            self._pending = self._pool.submit(_write, plan, self.growth)

    @property
    def busy(self) -> bool:
        """Whether a chunk is being written in the background right now."""
        return self._pending is not None

    def wait(self) -> Exception | None:
        if self._pending is not None:
            self._error, self._pending = self._pending.result(), None
        error, self._error = self._error, None
        return error

    def __enter__(self) -> "ChunkWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        if self._pool is not None:
            self.wait()
            # The thread's connection is its own: close it there, or it stays open.
            self._pool.submit(connections.close_all).result()
            self._pool.shutdown()


def _write(plan: ChunkPlan, growth: ArticleGrowth) -> Exception | None:
    try:
        write_chunk(plan, growth)
    except Exception as error:  # the caller falls back to file by file
        return error
    return None
