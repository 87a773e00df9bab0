"""Caching of expensive aggregates (facet counts) in the shared cache.

``cached_facets(key_parts, compute)`` returns ``compute()``'s value, computed at most once per
``SITREP_CACHE_SECONDS`` for the same key parts (e.g. the view name and its sorted filter
parameters) across every app server sharing the Redis cache (``REDIS_URL``). Loaders bump a
corpus version (``bump_corpus_version()``) so a new load is never hidden by old counts;
curators' single edits show up within ``SITREP_CACHE_SECONDS``.
"""

import hashlib
import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "sitrep:corpus-version"


def corpus_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_corpus_version() -> None:
    """Call after writing many rows at once: every cached aggregate is recomputed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(VERSION_KEY, corpus_version() + 1, timeout=None)


def cache_key(key_parts: Iterable) -> str:
    text = json.dumps(list(key_parts), sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"sitrep:facets:{corpus_version()}:{digest}"


def cached_facets[T](
    key_parts: Iterable, compute: Callable[[], T], timeout: int | None = None
) -> T:
    key = cache_key(key_parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.SITREP_CACHE_SECONDS if timeout is None else timeout)
    return value
