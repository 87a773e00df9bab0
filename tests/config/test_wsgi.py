"""The WSGI module gunicorn loads leaves the loaded application out of full collections."""

from tests.config.test_settings import UNUSED_DB, _import_settings


def test_the_loaded_application_is_frozen_for_the_garbage_collector():
    result = _import_settings(
        "import gc, config.wsgi; print(gc.get_freeze_count())",
        DATABASE_URL=UNUSED_DB,
        DJANGO_SECRET_KEY="test-only",
    )
    assert result.returncode == 0, result.stderr
    # Django, the project and their imports: tens of thousands of objects, not a handful.
    assert int(result.stdout) > 20_000
