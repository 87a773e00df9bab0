"""The cache: Redis when REDIS_URL is set, local memory otherwise; facet counts reuse it."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.test import override_settings
from django.urls import reverse

from config.cache import (
    VERSION_KEY,
    bump_corpus_version,
    cache_key,
    cached_facets,
    corpus_changed,
    corpus_version,
)

ROOT = Path(__file__).resolve().parents[2]


def settings_caches(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    base.update(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u@127.0.0.1:1/none", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s, json; print(json.dumps(s.CACHES))"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["default"]


def test_redis_backend_when_redis_url_is_set():
    caches = settings_caches(REDIS_URL="redis://127.0.0.1:6379/3")
    assert caches["BACKEND"] == "config.redis_cache.RedisCache"
    assert caches["LOCATION"] == "redis://127.0.0.1:6379/3"


def test_local_memory_backend_otherwise():
    assert settings_caches()["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_local_memory_cache_holds_more_than_a_page_of_event_cards():
    # Django's default (300) would evict a timeline page's own cards while rendering it.
    assert settings_caches()["OPTIONS"]["MAX_ENTRIES"] == 5000
    custom = settings_caches(SITREP_LOCMEM_CACHE_ENTRIES="500")
    assert custom["OPTIONS"]["MAX_ENTRIES"] == 500


def test_cached_facets_compute_once_per_key_until_the_corpus_changes():
    cache.clear()
    calls = []

    def compute():
        calls.append(1)
        return {"actor": [("putin", 3)]}

    assert cached_facets(["timeline", {"type": "strike"}], compute) == {"actor": [("putin", 3)]}
    assert cached_facets(["timeline", {"type": "strike"}], compute) == {"actor": [("putin", 3)]}
    assert len(calls) == 1
    cached_facets(["timeline", {"type": "combat"}], compute)
    assert len(calls) == 2
    bump_corpus_version()
    cached_facets(["timeline", {"type": "strike"}], compute)
    assert len(calls) == 3


def test_corpus_changed_bumps_now_and_again_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    """The second bump drops what a request cached from the pre-commit snapshot meanwhile."""
    start = corpus_version()
    with django_capture_on_commit_callbacks(execute=True):
        corpus_changed()
        assert corpus_version() == start + 1
    assert corpus_version() == start + 2


@pytest.fixture
def version_reads(monkeypatch):
    """How many times the corpus version was read from the cache."""
    reads = []
    get = cache.get

    def counting_get(key, *args, **kwargs):
        if key == VERSION_KEY:
            reads.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    return reads


def test_a_request_reads_the_corpus_version_once_and_sees_its_own_bumps(db, version_reads):
    # (request_started closes stale database connections: hence db.)
    start = corpus_version()
    version_reads.clear()
    request_started.send(sender=None)
    try:
        assert corpus_version() == start and corpus_version() == start
        cache_key(["a"]), cache_key(["b"])
        assert len(version_reads) == 1
        bump_corpus_version()  # a write in this request: its later reads see it
        assert corpus_version() == start + 1 and corpus_version() == start + 1
    finally:
        request_finished.send(sender=None)
    cache.incr(VERSION_KEY)  # another process's write, after the request
    assert corpus_version() == start + 2


def test_a_timeline_page_reads_the_corpus_version_once(client, db, version_reads):
    corpus_version()  # set, so that reading it is one get
    version_reads.clear()
    response = client.get(reverse("timeline:timeline"), {"type": "strike"})
    assert response.status_code == 200
    # The page, its aggregates, its cards and its fragments all key on it.
    assert len(version_reads) == 1


def _redis_cache_settings():
    return {
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"sitrep-test-{uuid.uuid4().hex}",
        }
    }


def test_cached_facets_round_trip_through_redis():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(CACHES=_redis_cache_settings()):
        from django.core.cache import caches

        calls = []
        value = cached_facets(["article-list"], lambda: calls.append(1) or [1, 2, 3])
        again = cached_facets(["article-list"], lambda: calls.append(1) or [9])
        assert value == again == [1, 2, 3]
        assert len(calls) == 1
        assert "RedisCache" in type(caches["default"]).__name__
        # One redis-py client for every call, not one built per call (config/redis_cache.py).
        client = caches["default"]._cache
        assert client.get_client() is client.get_client() is client.get_client(write=True)
        # Only our keys: clear() would empty the whole Redis database others may share.
        caches["default"].delete_many([cache_key(["article-list"]), VERSION_KEY])
