"""CPU seconds of the PostgreSQL backends that serve this process's connections.

Ingest spends about as much CPU in PostgreSQL (the search vector, indexes, constraint checks)
as in Python, in other processes that ``time.process_time()`` does not see. The server runs on
this machine, so each backend's CPU is read from ``/proc/<pid>/stat`` when its connection is
first seen and again just before it closes (the writer thread closes its own connection, and
a closed backend's counters are gone).
"""

import os
from pathlib import Path

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

TICKS = os.sysconf("SC_CLK_TCK")


def backend_seconds(pid: int) -> float:
    """User + system CPU seconds of a process, or 0.0 when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def backend_pid(connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class BackendCPU:
    """``with BackendCPU() as clock: ...`` then ``clock.seconds``: the CPU the backends of every
    connection open during the block (or opened in it, by any thread) used meanwhile."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.backends = 0
        self._started: dict[int, tuple[BaseDatabaseWrapper, int, float]] = {}

    def __enter__(self) -> "BackendCPU":
        connection_created.connect(self._created)
        self._close = BaseDatabaseWrapper.close
        clock = self

        def close(wrapper: BaseDatabaseWrapper) -> None:
            clock._stop(wrapper)
            clock._close(wrapper)

        BaseDatabaseWrapper.close = close
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                self._start(connection)
        return self

    def __exit__(self, *exc_info) -> None:
        BaseDatabaseWrapper.close = self._close
        connection_created.disconnect(self._created)
        for wrapper, _pid, _started in list(self._started.values()):
            self._stop(wrapper)

    def _created(self, sender, connection, **kwargs) -> None:
        self._start(connection)

    def _start(self, wrapper: BaseDatabaseWrapper) -> None:
        pid = backend_pid(wrapper)
        self._started[id(wrapper)] = (wrapper, pid, backend_seconds(pid))
        self.backends += 1

    def _stop(self, wrapper: BaseDatabaseWrapper) -> None:
        started = self._started.pop(id(wrapper), None)
        if started:
            _wrapper, pid, seconds = started
            self.seconds += backend_seconds(pid) - seconds
