"""Ingest throughput, run as a child of the benchmark: ``python -m bench.ingest_child DIR``.

Uses the ingest pipeline's own code on generated source files, against a database that holds
the synthetic corpus's entities and aliases (thousands of names), and prints one JSON line:

- extraction: read, decode, parse and find mentions (the CPU work of ingest), no writes;
- ingest: ``ingest_paths`` end to end as the command runs it: chunks of files, each written
  in one transaction by a background thread while the next is parsed.

Extraction runs in this one process: a rate for one core. For the ingest, the CPU seconds of
this process (its writer thread and any worker processes included) and of the PostgreSQL
backends its connections use (bench/backend_cpu.py) are reported beside the wall time, so
articles per CPU-second can be stated whatever runs in parallel.
"""

import json
import os
import sys
import time
from pathlib import Path


def main(sources_dir: Path) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from bench.backend_cpu import BackendCPU
    from corpus.decode import read_source
    from corpus.extract import MentionExtractor
    from corpus.ingest import IngestContext, Status, expand_paths, ingest_paths
    from corpus.ingest_batch import CHUNK_FILES
    from corpus.ingest_reader import default_workers
    from corpus.parse import parse_source

    files, _missing = expand_paths([sources_dir])
    started = time.perf_counter()
    extractor = MentionExtractor.from_db()
    built = time.perf_counter() - started
    started = time.perf_counter()
    found = 0
    for path in files:
        found += len(extractor.find(parse_source(read_source(path).text).body))
    extraction = time.perf_counter() - started

    context = IngestContext.build(sources_dir=sources_dir)
    workers = default_workers()  # as the ingest command chooses
    started, cpu_started = time.perf_counter(), process_cpu()
    with BackendCPU() as database:
        report = ingest_paths(paths=[sources_dir], context=context, workers=workers)
    ingest = time.perf_counter() - started
    ingest_cpu = process_cpu() - cpu_started
    return {
        "files": len(files),
        "aliases": extractor.alias_count,
        "automaton_seconds": round(built, 2),
        "extraction_seconds": round(extraction, 2),
        "extraction_per_s": round(len(files) / extraction, 1),
        "mentions_found": found,
        "chunk_files": CHUNK_FILES,
        "workers": report.workers,  # 0 if this process could not fork
        "ingest_seconds": round(ingest, 2),
        "ingest_cpu_seconds": round(ingest_cpu, 2),
        "ingest_per_s": round(len(files) / ingest, 1),
        "ingest_pg_cpu_seconds": round(database.seconds, 2),
        "ingest_pg_backends": database.backends,
        "ingest_per_cpu_s": round(len(files) / (ingest_cpu + database.seconds), 1),
        "ingested": report.count(Status.NEW),
        "failed": len(report.failed),
    }


def process_cpu() -> float:
    """CPU seconds of this process and of its children that have ended (worker processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


if __name__ == "__main__":
    sys.stdout.write(json.dumps(main(Path(sys.argv[1]))) + "\n")
