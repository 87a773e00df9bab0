"""Project-wide pytest set-up: tests run against real PostgreSQL (embedded or DATABASE_URL)."""

import pytest
from django.core.cache import cache


def pytest_collection_modifyitems(config, items):
    """Browser tests last: their live server and Playwright keep threads running until the
    session ends, and ingest forks worker processes only from a single-threaded process
    (corpus/ingest_reader.py), so worker tests after them would read in process instead."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


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
