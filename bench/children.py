"""Child processes of the benchmark: each timed, with its own peak memory (ru_maxrss).

Everything heavy (generate, loaddata, bulk load, ingest, the server, the load generator)
runs in a child, so the figures are per task and the orchestrator's own memory is not
counted. ``os.wait4`` gives the resource usage of exactly that child.
"""

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ChildRun:
    command: list[str]
    seconds: float
    peak_mb: float
    stdout: str


class ChildFailed(RuntimeError):
    pass


def env_for(db_name: str, **extra: str) -> dict[str, str]:
    """The environment of a child that uses database ``db_name`` on the same server."""
    env = dict(os.environ)
    env["SITREP_DB_NAME"] = db_name
    if env.get("DATABASE_URL"):
        parts = urlsplit(env["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
    env.setdefault("DJANGO_DEBUG", "0")
    env.setdefault("DJANGO_SECRET_KEY", "sitrep-bench-only-key")
    env.update(extra)
    return env


def manage(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *args]


def run(command: list[str], env: dict[str, str], *, timeout: float | None = None) -> ChildRun:
    """Run to completion; stderr (progress bars) passes through, stdout is captured."""
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out)
        deadline = None if timeout is None else started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise ChildFailed(f"{' '.join(command)} took over {timeout:.0f}s")
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
    if proc.returncode != 0:
        raise ChildFailed(f"{' '.join(command)} exited {proc.returncode}:\n{stdout[-2000:]}")
    # ru_maxrss is in kilobytes on Linux.
    return ChildRun(command, seconds, usage.ru_maxrss / 1024, stdout)


def fresh_database(db_name: str) -> None:
    """Drop, recreate and migrate ``db_name`` (never the app's own database)."""
    if not db_name.startswith("sitrep_bench"):
        raise ChildFailed(f"Refusing to reset {db_name!r}: bench databases start with sitrep_bench")
    run(manage("reset_db", "--noinput", "--verbosity", "0"), env_for(db_name))
