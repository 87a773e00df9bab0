"""`make bench`: generate, load, ingest and serve a synthetic corpus, then measure the pages.

Steps (each heavy one a timed child process, see bench/children.py):

1. fresh databases ``sitrep_bench`` (the corpus) and scratch ``sitrep_bench_*`` ones;
2. generate the full-size corpus, and a smaller one for the loaddata comparison;
3. loaddata vs bulk load on that same smaller fixture, each into its own fresh database;
4. bulk load of the full corpus, then ANALYZE;
5. ingest throughput on generated source files (bench/ingest_child.py), into a database
   holding only the entities; then ``manage.py ingest --dry-run`` of a few new files into
   the loaded corpus, as an upload or a day's handful meets it;
6. gunicorn with production settings on 127.0.0.1, driven by bench/loadgen.py in another
   process; SQL queries per page from one in-process request under CaptureQueriesContext.
"""

import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import children
from bench.children import env_for, manage
from corpus.generate import CorpusSize

BENCH_DB = "sitrep_bench"


@dataclass
class BenchConfig:
    size: CorpusSize = field(default_factory=CorpusSize)
    loaddata_articles: int = 5_000
    ingest_articles: int = 2_000
    # New files ingested (dry run) into the loaded corpus: a scanned run, the largest scanned
    # run, and one that builds the inverted index (corpus.ingest_context.SCAN_MAX_FILES).
    grown_ingest_files: tuple[int, ...] = (1, 16, 200)
    seed: int = 1
    workers: int = 3
    concurrency: int = 4
    requests: int = 200
    seconds: float = 20.0
    port: int = 8765
    out_dir: Path = Path("bench-results")
    keep_work: bool = False
    # Measure the pages of the corpus already in sitrep_bench (from an earlier full run).
    pages_only: bool = False


def scaled(size: CorpusSize, articles: int) -> CorpusSize:
    """The same corpus shape with fewer articles (entities stay: the alias count matters)."""
    ratio = min(1.0, articles / size.articles)
    return CorpusSize(
        articles=min(articles, size.articles),
        mentions=round(size.mentions * ratio),
        events=max(1, round(size.events * ratio)),
        actors=size.actors,
        weapons=size.weapons,
        places=size.places,
        outlets=size.outlets,
    )


def generate(size: CorpusSize, seed: int, out: Path) -> children.ChildRun:
    args = [f"--{name}={value}" for name, value in asdict(size).items()]
    return children.run(
        manage("generate_corpus", *args, f"--seed={seed}", f"--out={out}"), env_for(BENCH_DB)
    )


def fixture_files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("*.json"))]


def write_sources(articles_json: Path, out: Path, count: int) -> int:
    """The raw text of the first ``count`` articles as source files (streamed)."""
    import ijson

    written = 0
    with articles_json.open("rb") as handle:
        for obj in ijson.items(handle, "item"):
            if written >= count:
                break
            path = out / obj["fields"]["source_file"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(obj["fields"]["raw_text"], encoding="utf-8")
            written += 1
    return written


class Bench:
    def __init__(self, config: BenchConfig, log):
        self.config = config
        self.log = log
        self.results: dict = {"config": {**asdict(config), "out_dir": str(config.out_dir)}}

    def run(self) -> dict:
        cfg = self.config
        work = Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
        self.results["started"] = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            if not cfg.pages_only:
                self.step_generate(work)
                self.step_compare_loaders(work)
                self.step_bulk_load(work)
                self.step_ingest(work)
                self.step_ingest_into_corpus(work)
            self.step_pages()
        finally:
            if not cfg.keep_work:
                shutil.rmtree(work, ignore_errors=True)
        self.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        return self.results

    def step_generate(self, work: Path) -> None:
        cfg = self.config
        self.log(f"Generating {cfg.size.articles:,} articles …")
        full = generate(cfg.size, cfg.seed, work / "full")
        self.log(f"Generating the {cfg.loaddata_articles:,}-article comparison fixture …")
        small_size = scaled(cfg.size, cfg.loaddata_articles)
        generate(small_size, cfg.seed, work / "small")
        size_mb = sum(p.stat().st_size for p in (work / "full").glob("*.json")) / 2**20
        self.results["generate"] = {
            "seconds": round(full.seconds, 1),
            "peak_mb": round(full.peak_mb),
            "fixture_mb": round(size_mb),
            "summary": full.stdout.strip(),
            "comparison_size": asdict(small_size),
        }

    def step_compare_loaders(self, work: Path) -> None:
        files = fixture_files(work / "small")
        timeout = 3600
        self.log("loaddata on the comparison fixture …")
        children.fresh_database(f"{BENCH_DB}_loaddata")
        loaddata = children.run(
            manage("loaddata", *files, "--verbosity=0"),
            env_for(f"{BENCH_DB}_loaddata"),
            timeout=timeout,
        )
        self.log("load_corpus on the same fixture …")
        children.fresh_database(f"{BENCH_DB}_bulk")
        bulk = children.run(
            manage("load_corpus", *files, "--verbosity=0"), env_for(f"{BENCH_DB}_bulk")
        )
        objects = self.count_objects(f"{BENCH_DB}_bulk")
        self.results["compare"] = {
            "articles": self.config.loaddata_articles,
            "objects": objects,
            "loaddata_seconds": round(loaddata.seconds, 1),
            "loaddata_peak_mb": round(loaddata.peak_mb),
            "loaddata_objects_per_s": round(objects / loaddata.seconds),
            "bulk_seconds": round(bulk.seconds, 1),
            "bulk_peak_mb": round(bulk.peak_mb),
            "bulk_objects_per_s": round(objects / bulk.seconds),
            "ratio": round(loaddata.seconds / bulk.seconds, 1),
        }

    def count_objects(self, db_name: str) -> int:
        script = (
            "from corpus.bulk_load import NATURAL_KEYS; from django.apps import apps; "
            "print(sum(apps.get_model(l).objects.count() for l in NATURAL_KEYS))"
        )
        output = children.run(manage("shell", "-c", script), env_for(db_name)).stdout
        return int(output.split()[-1])

    def step_bulk_load(self, work: Path) -> None:
        self.log("Bulk load of the full corpus …")
        children.fresh_database(BENCH_DB)
        bulk = children.run(manage("load_corpus", *fixture_files(work / "full")), env_for(BENCH_DB))
        started = time.perf_counter()
        children.run(manage("shell", "-c", ANALYZE), env_for(BENCH_DB))
        objects = self.count_objects(BENCH_DB)
        self.results["bulk_load"] = {
            "objects": objects,
            "seconds": round(bulk.seconds, 1),
            "objects_per_s": round(objects / bulk.seconds),
            "peak_mb": round(bulk.peak_mb),
            "analyze_seconds": round(time.perf_counter() - started, 1),
            "summary": bulk.stdout.strip(),
        }
        compare = self.results["compare"]
        # loaddata's measured rate applied to the full corpus: an estimate, labelled as one.
        compare["loaddata_full_estimate_seconds"] = round(
            objects / compare["loaddata_objects_per_s"]
        )

    def step_ingest(self, work: Path) -> None:
        cfg = self.config
        self.log(f"Ingest of {cfg.ingest_articles:,} generated source files …")
        sources = work / "sources"
        written = write_sources(work / "full" / "03_articles.json", sources, cfg.ingest_articles)
        db = f"{BENCH_DB}_ingest"
        children.fresh_database(db)
        entities = fixture_files(work / "full")[:2]  # entities + aliases, outlets
        children.run(manage("load_corpus", *entities, "--verbosity=0"), env_for(db))
        child = children.run(
            [sys.executable, "-m", "bench.ingest_child", str(sources)], env_for(db)
        )
        self.results["ingest"] = {
            "files": written,
            **json.loads(child.stdout.strip().splitlines()[-1]),
            "peak_mb": round(child.peak_mb),
        }

    def step_ingest_into_corpus(self, work: Path) -> None:
        """New files into the loaded corpus, each run a dry run so the corpus the pages are
        measured on stays as loaded. The bulk load stored no near-duplicate signatures: the
        first real ingest computes them once, timed here on its own."""
        cfg = self.config
        self.log("Signatures of the loaded corpus (what the first ingest after a load does) …")
        fill = children.run(manage("shell", "-c", FILL_SIGNATURES), env_for(BENCH_DB))
        largest = max(cfg.grown_ingest_files)
        generate(scaled(cfg.size, largest), cfg.seed + 1, work / "new")
        sources = work / "new_sources"
        write_sources(work / "new" / "03_articles.json", sources, largest)
        # Outside the sources folder each file is named by its file name alone, so none of
        # them takes the source name of an article of the corpus (same layout, other seed).
        files = sorted(sources.rglob("*.txt"))
        runs = []
        for count in cfg.grown_ingest_files:
            folder = work / f"new_{count}"
            folder.mkdir()
            for path in files[:count]:
                shutil.copyfile(path, folder / path.name)
            self.log(f"Ingest (dry run) of {count:,} new files into the loaded corpus …")
            run = children.run(
                manage("ingest", "--dry-run", "--workers", "0", "--verbosity", "0", str(folder)),
                env_for(BENCH_DB),
            )
            runs.append(
                {"files": count, "seconds": round(run.seconds, 1), "peak_mb": round(run.peak_mb)}
            )
        self.results["ingest_grown"] = {
            "signatures_seconds": round(fill.seconds, 1),
            "signatures_peak_mb": round(fill.peak_mb),
            "runs": runs,
        }

    def step_pages(self) -> None:
        """Each page twice: as deployed (anonymous pages from the page cache after their first
        request), then rendered on every request (page cache off, as for signed-in users), so
        the table shows what the page cache hides."""
        from bench.pages import discover_pages, queries_per_page

        pages = discover_pages()
        self.results["pages_urls"] = pages
        self.results["queries"] = queries_per_page(pages)
        self.results["pages"] = self.serve_and_drive(pages, {})
        self.results["pages_rendered"] = self.serve_and_drive(
            pages, {"SITREP_PAGE_CACHE_SECONDS": "0", "SITREP_CACHE_PREFIX": "sitrep-bench-r"}
        )

    def serve_and_drive(self, pages: dict[str, str], overrides: dict[str, str]) -> list[dict]:
        cfg = self.config
        env = env_for(BENCH_DB, SITREP_QUERY_COUNT_HEADER="1", DJANGO_DEBUG="0")
        env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
        env.setdefault("SITREP_CACHE_PREFIX", "sitrep-bench")
        env.update(overrides)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{cfg.port}",
                "--workers",
                str(cfg.workers),
                "--log-level",
                "warning",
                # A slow page must be measured, not killed at gunicorn's default 30 s.
                "--timeout",
                "120",
            ],
            cwd=children.ROOT,
            env=env,
        )
        try:
            self.wait_for_server()
            self.log(f"Driving load {overrides or ''}: {len(pages)} pages, "
                     f"concurrency {cfg.concurrency} …")  # fmt: skip
            args = [
                sys.executable,
                "-m",
                "bench.loadgen",
                f"--port={cfg.port}",
                f"--concurrency={cfg.concurrency}",
                f"--requests={cfg.requests}",
                f"--seconds={cfg.seconds}",
            ]
            args += [f"--page={name}={path}" for name, path in pages.items()]
            load = children.run(args, env_for(BENCH_DB))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        self.results["loadgen_peak_mb"] = round(load.peak_mb)
        return [json.loads(line) for line in load.stdout.splitlines() if line]

    def wait_for_server(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.config.port}/healthz"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise children.ChildFailed("gunicorn did not answer /healthz within a minute")


ANALYZE = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
FILL_SIGNATURES = (
    "from collections import deque; from corpus.signatures import stored_signatures; "
    "deque(stored_signatures(), maxlen=0)"
)
