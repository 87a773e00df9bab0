"""The embedded PostgreSQL 18 server starts from an empty folder and is reused afterwards."""

import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest

from config.embedded_db import database_settings, ensure_database, ensure_server, stop_server

# Under the checkout rather than pytest's tmp_path: as root the server runs as another
# user, which must traverse every parent folder, and pytest resets its own to mode 0700.
SCRATCH = Path(__file__).resolve().parents[2] / ".pgdata-tests"


@pytest.fixture
def pgdata():
    SCRATCH.mkdir(exist_ok=True)
    parent = Path(tempfile.mkdtemp(dir=SCRATCH))
    folder = parent / "pgdata"
    yield folder
    stop_server(folder)
    shutil.rmtree(parent, ignore_errors=True)


def test_embedded_server_starts_from_nothing_with_the_extensions(pgdata):
    assert not pgdata.exists()
    db = database_settings(pgdata, "sitrep_fresh")

    assert (pgdata / "PG_VERSION").read_text().strip() == "18"
    conninfo = psycopg.conninfo.make_conninfo(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="sitrep_fresh"
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        assert conn.info.server_version >= 180000
        available = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM pg_available_extensions WHERE name IN ('pg_trgm', 'unaccent')"
            )
        }
        assert available == {"pg_trgm", "unaccent"}


def test_second_start_reuses_the_running_server_and_keeps_data(pgdata):
    server = ensure_server(pgdata)
    ensure_database(server, "keep")
    with psycopg.connect(server.conninfo("keep"), autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (x int)")
        conn.execute("INSERT INTO kept VALUES (42)")

    again = ensure_server(pgdata)
    ensure_database(again, "keep")  # creating an existing database is a no-op
    assert again == server

    # A restart (stop, start again) keeps the data.
    assert stop_server(pgdata)
    restarted = ensure_server(pgdata)
    with psycopg.connect(restarted.conninfo("keep")) as conn:
        assert conn.execute("SELECT x FROM kept").fetchone() == (42,)


def test_stopping_a_server_that_is_not_running_says_so(pgdata):
    assert stop_server(pgdata) is False


def test_another_process_shares_the_running_server(pgdata):
    """runserver, a shell and the tests each start the server; all get the same one."""
    import subprocess
    import sys

    server = ensure_server(pgdata)
    ensure_database(server, "shared")
    with psycopg.connect(server.conninfo("shared"), autocommit=True) as conn:
        conn.execute("CREATE TABLE seen (who text)")
        code = (
            "import sys, psycopg\n"
            "from pathlib import Path\n"
            "from config.embedded_db import ensure_server\n"
            "s = ensure_server(Path(sys.argv[1]))\n"
            "with psycopg.connect(s.conninfo('shared'), autocommit=True) as c:\n"
            "    c.execute(\"INSERT INTO seen VALUES ('child')\")\n"
            "print(s.socket_dir, s.port)\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code, str(pgdata)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == [server.socket_dir, str(server.port)]
        assert conn.execute("SELECT who FROM seen").fetchall() == [("child",)]
