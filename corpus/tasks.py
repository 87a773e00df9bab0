"""Background ingest with Django's tasks framework (``django.tasks``).

``ingest_sources.enqueue(paths=[…])`` queues an ingest of files or folders. With the default
immediate backend it runs at once in the calling process; with a worker backend
(``SITREP_TASKS_BACKEND``, see docs/performance.md) a worker process runs it, so an upload
or an admin action returns at once while thousands of files are read.
"""

from pathlib import Path

from django.tasks import task

from corpus.ingest import ingest_paths


@task()
def ingest_sources(*, paths: list[str]) -> dict:
    """Ingest ``paths``; returns counts per status and the failures, JSON-serialisable."""
    report = ingest_paths(paths=[Path(path) for path in paths])
    counts: dict[str, int] = {}
    for result in report.results:
        counts[result.status.value] = counts.get(result.status.value, 0) + 1
    return {
        "counts": counts,
        "failed": [{"path": r.path, "error": r.error} for r in report.failed],
    }
