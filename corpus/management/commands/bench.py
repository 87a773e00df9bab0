"""`make bench`: measure loading, ingest and the pages on a synthetic corpus (bench/runner.py).

Sizes and load default to the issue's figures and can be set by option or environment
variable (BENCH_ARTICLES, BENCH_MENTIONS, BENCH_EVENTS, BENCH_ACTORS, BENCH_WEAPONS,
BENCH_PLACES, BENCH_OUTLETS, BENCH_LOADDATA_ARTICLES, BENCH_INGEST_ARTICLES, BENCH_SEED,
BENCH_WORKERS, BENCH_CONCURRENCY, BENCH_REQUESTS, BENCH_SECONDS, BENCH_PORT, BENCH_OUT).
It drops and recreates the databases sitrep_bench and sitrep_bench_* only.
"""

import os
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench.children import ChildFailed
from bench.report import write
from bench.runner import BENCH_DB, Bench, BenchConfig
from corpus.generate import CorpusSize

SIZE = asdict(CorpusSize())
OTHER = {
    "loaddata_articles": 5_000,
    "ingest_articles": 2_000,
    "seed": 1,
    "workers": 3,
    "concurrency": 4,
    "requests": 200,
    "seconds": 20,
    "port": 8765,
}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(f"BENCH_{name.upper()}") or default)


class Command(BaseCommand):
    help = "Benchmark on a fresh sitrep_bench database; writes bench-results/bench.md and .json."

    def add_arguments(self, parser):
        for name, default in {**SIZE, **OTHER}.items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=int,
                                default=env_int(name, default))  # fmt: skip
        parser.add_argument("--out", type=Path, default=Path(os.environ.get("BENCH_OUT") or
                                                             "bench-results"))  # fmt: skip
        parser.add_argument("--keep-work", action="store_true", help="Keep generated files.")
        parser.add_argument(
            "--pages-only",
            action="store_true",
            help="Only measure the pages, on the corpus an earlier run left in sitrep_bench.",
        )

    def handle(self, *args, out, keep_work, pages_only, verbosity, **options):
        from django.db import connection

        from corpus.models import Article

        if connection.settings_dict["NAME"] != BENCH_DB:
            raise CommandError(f"Run with SITREP_DB_NAME={BENCH_DB} (as `make bench` does).")
        if pages_only and not Article.objects.exists():
            raise CommandError(f"--pages-only needs a corpus in {BENCH_DB}: run `make bench` once.")
        config = BenchConfig(
            size=CorpusSize(**{name: options[name] for name in SIZE}),
            out_dir=out,
            keep_work=keep_work,
            pages_only=pages_only,
            **{name: options[name] for name in OTHER},
        )

        def log(message: str) -> None:
            if verbosity >= 1:
                self.stderr.write(message, style_func=str)

        try:
            results = Bench(config, log).run()
        except ChildFailed as exc:
            raise CommandError(f"Benchmark failed: {exc}") from exc
        markdown = write(results, out)
        self.stdout.write(markdown.read_text())
        self.stdout.write(self.style.SUCCESS(f"Results in {markdown} and {out / 'bench.json'}"))
