"""Settings come from the environment and refuse unsafe combinations."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(
    script="import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)", **env_overrides
):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SITREP_"))}
    env.pop("DATABASE_URL", None)
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# A URL that is parsed but never connected to keeps these tests off the embedded server.
UNUSED_DB = "postgres://nobody@127.0.0.1:1/none"


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = _import_settings(DATABASE_URL=UNUSED_DB)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set():
    result = _import_settings(DATABASE_URL=UNUSED_DB, DJANGO_SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_debug_runs_without_a_secret_key():
    result = _import_settings(DATABASE_URL=UNUSED_DB, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("True")


def test_allowed_hosts_come_from_the_environment():
    result = _import_settings(
        DATABASE_URL=UNUSED_DB, DJANGO_SECRET_KEY="k", DJANGO_ALLOWED_HOSTS="a.example, b.example"
    )
    assert "['a.example', 'b.example']" in result.stdout


def test_non_postgres_database_url_is_refused():
    result = _import_settings(DATABASE_URL="sqlite:///db.sqlite3", DJANGO_SECRET_KEY="k")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_whitenoise_sits_directly_after_security_middleware(settings):
    assert settings.MIDDLEWARE[:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert settings.TIME_ZONE == "UTC"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_sessions_run_without_jit_unless_asked(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_jit_option_joins_options_from_the_url_and_can_be_left_to_the_server():
    script = (
        "import config.settings as s; print(repr(s.DATABASES['default']['OPTIONS'].get('options')))"
    )
    url = UNUSED_DB + "?options=-c%20statement_timeout%3D5000"
    result = _import_settings(script, DATABASE_URL=url, DJANGO_SECRET_KEY="k")
    assert result.stdout.strip() == "'-c statement_timeout=5000 -c jit=off'", result.stderr
    result = _import_settings(
        script, DATABASE_URL=UNUSED_DB, DJANGO_SECRET_KEY="k", DJANGO_DB_JIT="1"
    )
    assert result.stdout.strip() == "None", result.stderr
