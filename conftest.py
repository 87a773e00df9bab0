"""Project-wide pytest set-up: tests run against real PostgreSQL (embedded or DATABASE_URL)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached aggregates: pages must not show another test's counts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """For tests of what lies under the page cache (aggregate caches, a view's own queries):
    every request renders its page, as the first request of a URL after a change does."""
    settings.SITREP_PAGE_CACHE_SECONDS = 0
