"""The benchmark counts the CPU its connections' PostgreSQL backends use."""

import threading

import pytest
from django.db import connection, connections

from bench.backend_cpu import BackendCPU, backend_pid, backend_seconds

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = "SELECT count(*) FROM generate_series(1, 3000000)"


def busy(wrapper) -> None:
    with wrapper.cursor() as cursor:
        cursor.execute(BUSY)


def test_a_backends_cpu_is_read_from_proc():
    pid = backend_pid(connection)
    before = backend_seconds(pid)
    busy(connection)
    assert backend_seconds(pid) > before
    assert backend_seconds(2**22 + 1) == 0.0  # above the largest pid: gone


def test_backends_of_connections_opened_and_closed_inside_the_block_are_counted():
    connection.ensure_connection()

    def in_a_thread():
        busy(connections["default"])  # this thread's own connection, opened here
        connections.close_all()  # closed here, as the ingest writer thread closes its own

    with BackendCPU() as clock:
        worker = threading.Thread(target=in_a_thread)
        worker.start()
        worker.join()
        alone = clock.seconds
        busy(connection)
    assert clock.backends == 2
    assert alone > 0  # the thread's backend, counted when its connection closed
    assert clock.seconds > alone  # and this connection's, when the block ended
