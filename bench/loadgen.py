"""Concurrent HTTP load against the app on loopback; prints one JSON line of figures per page.

    python -m bench.loadgen --port 8765 --concurrency 4 --requests 200 --seconds 20 \
        --page timeline=/timeline/ --page search=/search/?q=said

Run as its own process so the client's CPU time is not the server's. Only 127.0.0.1 is
accepted: this tool must never load anyone else's server. Each page gets a few warm-up
requests, then ``--concurrency`` threads share ``--requests`` requests, stopping early after
``--seconds``. Latency is wall time from connect to the last byte of the body.
"""

import argparse
import http.client
import json
import math
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

QUERY_HEADER = "X-Sitrep-Queries"


def fetch(port: int, path: str, timeout: float = 30.0) -> tuple[float, int, int, int | None]:
    """(seconds, status, body bytes, SQL queries from the header) of one GET."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
        queries = response.getheader(QUERY_HEADER)
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    return elapsed, response.status, len(body), int(queries) if queries else None


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    # Nearest rank: the smallest value with at least ``fraction`` of the values at or below.
    rank = math.ceil(fraction * len(sorted_values))
    return sorted_values[min(len(sorted_values), max(1, rank)) - 1]


def drive(port: int, path: str, *, concurrency: int, requests: int, seconds: float, warmup: int):
    for _ in range(warmup):
        fetch(port, path)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    issued = 0
    samples: list[tuple[float, int, int, int | None]] = []

    def worker() -> None:
        nonlocal issued
        while True:
            with lock:
                if issued >= requests or time.monotonic() >= deadline:
                    return
                issued += 1
            sample = fetch(port, path)
            with lock:
                samples.append(sample)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(worker)
    wall = time.perf_counter() - started
    latencies = sorted(s[0] * 1000 for s in samples)
    statuses: dict[str, int] = {}
    for s in samples:
        statuses[str(s[1])] = statuses.get(str(s[1]), 0) + 1
    queries = [s[3] for s in samples if s[3] is not None]
    return {
        "path": path,
        "requests": len(samples),
        "seconds": round(wall, 3),
        "rps": round(len(samples) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "statuses": statuses,
        "queries": max(queries) if queries else None,
        "bytes": round(statistics.fmean(s[2] for s in samples)) if samples else 0,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200, help="per page, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="per page, at most")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--serial-requests", type=int, default=30, help="then one at a time")
    parser.add_argument("--page", action="append", default=[], help="name=/path?query")
    args = parser.parse_args(argv)
    for spec in args.page:
        name, _, path = spec.partition("=")
        if not path.startswith("/"):
            parser.error(f"--page {spec!r}: the path must start with /")
        figures = drive(
            args.port,
            path,
            concurrency=args.concurrency,
            requests=args.requests,
            seconds=args.seconds,
            warmup=args.warmup,
        )
        # One client at a time: the page's own cost, without queueing behind other requests.
        serial = drive(
            args.port,
            path,
            concurrency=1,
            requests=args.serial_requests,
            seconds=args.seconds / 2,
            warmup=0,
        )
        figures["serial_p50_ms"] = serial["p50_ms"]
        figures["serial_p95_ms"] = serial["p95_ms"]
        sys.stdout.write(json.dumps({"page": name, **figures}) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
