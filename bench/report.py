"""The benchmark's table: Markdown for people (bench.md), JSON for tools (bench.json)."""

import json
import os
import platform
from pathlib import Path

# p95 targets in ms; pages not listed (the CSV export) have no latency target.
P95_TARGETS = {
    "timeline, two filters": 50,
    "timeline, unfiltered": 50,
    "entity: most mentioned actor": 50,
    "actor list, middle page": 50,
    "article": 50,
    "article list with facets": 50,
    "search, rare term": 150,
    "search, common term": 150,
}
MAX_QUERIES = 12


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def machine() -> str:
    memory = ""
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
        memory = f", {kb / 2**20:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{memory}"


def page_rows(results: dict, key: str = "pages") -> list[str]:
    rows = [
        "| page | req/s | p50 ms | p95 ms | p99 ms | one client: p50 / p95 ms | cold ms "
        "| queries | status | p95 target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    queries = results.get("queries", {})
    for page in results.get(key, []):
        name = page["page"]
        count = queries.get(name, {}).get("queries", page.get("queries"))
        target = P95_TARGETS.get(name)
        target_text = f"≤ {target} ms: {verdict(page['p95_ms'] <= target)}" if target else "none"
        statuses = ", ".join(f"{k}x{v}" for k, v in sorted(page["statuses"].items()))
        rows.append(
            f"| {name} | {page['rps']} | {page['p50_ms']} | {page['p95_ms']} | "
            f"{page['p99_ms']} | {page.get('serial_p50_ms')} / {page.get('serial_p95_ms')} | "
            f"{queries.get(name, {}).get('ms')} | {count} | {statuses} | {target_text} |"
        )
    return rows


def to_markdown(results: dict) -> str:
    cfg = results["config"]
    size = cfg["size"]
    compare = results.get("compare", {})
    bulk = results.get("bulk_load", {})
    ingest = results.get("ingest", {})
    gen = results.get("generate", {})
    worst_queries = max((q["queries"] for q in results.get("queries", {}).values()), default=0)
    lines = [
        "# Sitrep benchmark",
        "",
        f"Run {results.get('started')} to {results.get('finished')} on {machine()}. Corpus: "
        + ", ".join(f"{v:,} {k}" for k, v in size.items())
        + f" (seed {cfg['seed']}); fixture {gen.get('fixture_mb')} MB.",
        f"Server: gunicorn, {cfg['workers']} sync workers, DEBUG off, Redis cache. Load: "
        f"{cfg['concurrency']} concurrent clients from another process on 127.0.0.1, up to "
        f"{cfg['requests']} requests or {cfg['seconds']:.0f} s per page after 3 warm-up requests.",
        "",
        "## Pages",
        "",
        "As deployed: each page is rendered once per URL and corpus version (staff get their "
        "own copy), then served from the page cache (config/pagecache.py).",
        "",
        *page_rows(results),
        "",
        "req/s and p50/p95/p99: the concurrent clients, targets judged on this p95. One "
        "client: the same page requested one at a time afterwards (no queueing). Cold ms and "
        "queries: the first request of each page, in-process before the server starts, with "
        "nothing cached (CaptureQueriesContext, streamed bodies included).",
        "",
        "### Rendered on every request",
        "",
        "The same pages with the page cache off (`SITREP_PAGE_CACHE_SECONDS=0`), as the first "
        "request of a URL after a change gets them: facet counts, the histogram, list totals "
        "and the entity page's co-mentions still come from their own cache after the first "
        "request.",
        "",
        *page_rows(results, "pages_rendered"),
        "",
        f"Worst page: {worst_queries} queries (target ≤ {MAX_QUERIES}: "
        f"{verdict(worst_queries <= MAX_QUERIES)}).",
        "",
    ]
    if cfg.get("pages_only"):
        lines.append("Pages only (`--pages-only`): the corpus an earlier run loaded; no loading.")
        return "\n".join(lines) + "\n"
    lines += [
        "## Loading and ingest",
        "",
        "| measure | value | target |",
        "| --- | ---: | --- |",
        f"| loaddata, {compare.get('articles', 0):,}-article fixture ({compare.get('objects', 0):,}"
        f" objects) | {compare.get('loaddata_seconds')} s "
        f"({compare.get('loaddata_objects_per_s', 0):,} objects/s), peak "
        f"{compare.get('loaddata_peak_mb')} MB | |",
        f"| load_corpus (COPY), same fixture | {compare.get('bulk_seconds')} s "
        f"({compare.get('bulk_objects_per_s', 0):,} objects/s), peak "
        f"{compare.get('bulk_peak_mb')} MB | |",
        f"| speed-up on the same fixture | {compare.get('ratio')}x | ≥ 20x: "
        f"{verdict((compare.get('ratio') or 0) >= 20)} |",
        f"| load_corpus, full corpus ({bulk.get('objects', 0):,} objects) | "
        f"{bulk.get('seconds')} s ({bulk.get('objects_per_s', 0):,} objects/s) | |",
        f"| load_corpus peak memory, full corpus | {bulk.get('peak_mb')} MB | < 1024 MB: "
        f"{verdict((bulk.get('peak_mb') or 0) < 1024)} |",
        f"| loaddata, full corpus (estimate: measured rate x objects, not run) | "
        f"~{compare.get('loaddata_full_estimate_seconds', 0):,} s | |",
        f"| generate_corpus, full corpus | {gen.get('seconds')} s, peak {gen.get('peak_mb')} MB"
        " | |",
        f"| mention extraction ({ingest.get('aliases', 0):,} aliases; read, parse, find) | "
        f"{ingest.get('extraction_per_s')} articles/s on one core | ≥ 1,000/s per core: "
        f"{verdict((ingest.get('extraction_per_s') or 0) >= 1000)} |",
        f"| ingest end to end (`ingest_paths`, {ingest.get('files', 0):,} files, chunks of "
        f"{ingest.get('chunk_files', '?')}, {ingest.get('workers', 0)} worker processes) | "
        f"{ingest.get('ingest_per_s')} articles/s ({ingest.get('ingest_seconds')} s), peak "
        f"{ingest.get('peak_mb')} MB | ≥ 1,000/s: "
        f"{verdict((ingest.get('ingest_per_s') or 0) >= 1000)} |",
        f"| ingest CPU: ingest processes + PostgreSQL backends | "
        f"{ingest.get('ingest_cpu_seconds')} s + {ingest.get('ingest_pg_cpu_seconds')} s: "
        f"{ingest.get('ingest_per_cpu_s')} articles per CPU-second | ≥ 1,000/s per core: "
        f"{verdict((ingest.get('ingest_per_cpu_s') or 0) >= 1000)} |",
        "",
        *grown_ingest_rows(results.get("ingest_grown")),
        "Peak memory is each child process's own maximum resident set (ru_maxrss); the "
        "PostgreSQL server's memory is not included.",
        "",
    ]
    return "\n".join(lines)


def grown_ingest_rows(grown: dict | None) -> list[str]:
    """New files into the loaded corpus: where the near-duplicate comparison dominates."""
    if not grown:
        return []
    return [
        "### Ingest into the loaded corpus",
        "",
        "`manage.py ingest --dry-run --workers 0` of new generated files (another seed) into "
        "the full corpus, each run from a fresh process, all its work rolled back at the end. "
        f"Before them, the near-duplicate signatures of the bulk-loaded articles were computed "
        f"and stored, as the first ingest after a load does: {grown['signatures_seconds']} s, "
        f"peak {grown['signatures_peak_mb']} MB. Runs of up to 16 files compare each new body "
        "with every stored signature; larger runs first build an inverted index of them.",
        "",
        "| new files | seconds | per file | peak MB |",
        "| ---: | ---: | ---: | ---: |",
        *(
            f"| {run['files']:,} | {run['seconds']} | {run['seconds'] / run['files']:.2f} s | "
            f"{run['peak_mb']:,} |"
            for run in grown["runs"]
        ),
        "",
    ]


def write(results: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    markdown = out_dir / "bench.md"
    markdown.write_text(to_markdown(results))
    return markdown
