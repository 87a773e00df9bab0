"""Project-wide pytest set-up: tests run against real PostgreSQL (embedded or DATABASE_URL)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached aggregates: pages must not show another test's counts."""
    cache.clear()
    yield
    cache.clear()
