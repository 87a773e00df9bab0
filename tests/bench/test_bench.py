"""The benchmark's pieces that need no server: percentiles, the table, loopback only."""

import pytest

from bench import loadgen
from bench.children import ChildFailed, env_for, fresh_database
from bench.report import to_markdown
from bench.runner import scaled
from corpus.generate import CorpusSize


def test_percentiles_pick_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert loadgen.percentile(values, 0.50) == 50
    assert loadgen.percentile(values, 0.95) == 95
    assert loadgen.percentile(values, 0.99) == 99
    assert loadgen.percentile([7.0], 0.99) == 7


def test_loadgen_refuses_paths_that_are_not_local():
    with pytest.raises(SystemExit):
        loadgen.main(["--port", "1", "--page", "x=http://example.com/"])


def test_comparison_fixture_keeps_the_shape_with_fewer_articles():
    small = scaled(CorpusSize(), 5_000)
    assert small.articles == 5_000
    assert small.mentions == 50_000
    assert small.events == 1_000
    assert small.actors == CorpusSize().actors


def test_bench_only_resets_its_own_databases():
    with pytest.raises(ChildFailed, match="Refusing"):
        fresh_database("sitrep")
    assert env_for("sitrep_bench_x")["SITREP_DB_NAME"] == "sitrep_bench_x"


def test_table_shows_each_page_and_judges_the_targets():
    page = {
        "page": "article",
        "rps": 50.0,
        "p50_ms": 20.0,
        "p95_ms": 60.0,
        "p99_ms": 80.0,
        "serial_p50_ms": 10.0,
        "serial_p95_ms": 12.0,
        "statuses": {"200": 10},
        "queries": 4,
    }
    results = {
        "config": {
            "size": {"articles": 10},
            "seed": 1,
            "workers": 3,
            "concurrency": 4,
            "requests": 10,
            "seconds": 5.0,
        },
        "pages": [page],
        "queries": {"article": {"queries": 4, "ms": 30}},
        "compare": {"ratio": 25.0},
        "bulk_load": {"peak_mb": 70},
        "ingest": {
            "extraction_per_s": 2000.0,
            "ingest_per_s": 1100.0,
            "ingest_seconds": 1.8,
            "workers": 0,
            "ingest_cpu_seconds": 1.9,
            "ingest_pg_cpu_seconds": 1.7,
            "ingest_per_cpu_s": 555.6,
        },
    }
    assert "Ingest into the loaded corpus" not in to_markdown(results)
    results["ingest_grown"] = {
        "signatures_seconds": 30.5,
        "signatures_peak_mb": 400,
        "runs": [
            {"files": 1, "seconds": 3.7, "peak_mb": 237},
            {"files": 200, "seconds": 40.0, "peak_mb": 1800},
        ],
    }
    table = to_markdown(results)
    assert "| 1 | 3.7 | 3.70 s | 237 |" in table
    assert "| 200 | 40.0 | 0.20 s | 1,800 |" in table
    assert "were computed and stored, as the first ingest after a load does: 30.5 s" in table
    assert "0 worker processes) | 1100.0 articles/s (1.8 s)" in table
    assert "| 1.9 s + 1.7 s: 555.6 articles per CPU-second | ≥ 1,000/s per core: **missed** |" in (
        table
    )
    assert "| article | 50.0 | 20.0 | 60.0 | 80.0 | 10.0 / 12.0 | 30 | 4 |" in table
    assert "≤ 50 ms: **missed**" in table
    assert "| speed-up on the same fixture | 25.0x | ≥ 20x: met |" in table


def test_table_shows_the_rendered_pass_apart_and_pages_only_runs_skip_loading():
    cached = {
        "page": "article",
        "rps": 500.0,
        "p50_ms": 4.0,
        "p95_ms": 7.0,
        "p99_ms": 9.0,
        "statuses": {"200": 10},
    }
    rendered = {**cached, "rps": 40.0, "p50_ms": 70.0, "p95_ms": 120.0, "p99_ms": 150.0}
    results = {
        "config": {
            "size": {"articles": 10},
            "seed": 1,
            "workers": 3,
            "concurrency": 4,
            "requests": 10,
            "seconds": 5.0,
            "pages_only": True,
        },
        "pages": [cached],
        "pages_rendered": [rendered],
        "queries": {"article": {"queries": 4, "ms": 30}},
    }
    table = to_markdown(results)
    as_deployed, rendered_part = table.split("### Rendered on every request")
    assert "| article | 500.0 | 4.0 | 7.0 | 9.0 |" in as_deployed
    assert "≤ 50 ms: met" in as_deployed
    assert "| article | 40.0 | 70.0 | 120.0 | 150.0 |" in rendered_part
    assert "≤ 50 ms: **missed**" in rendered_part
    assert "Loading and ingest" not in table
