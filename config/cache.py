"""Caching of expensive aggregates (facet counts) in the shared cache.

``cached_facets(key_parts, compute)`` returns ``compute()``'s value, computed at most once per
``SITREP_CACHE_SECONDS`` for the same key parts (e.g. the view name and its sorted filter
parameters) across every app server sharing the Redis cache (``REDIS_URL``). Loaders bump a
corpus version (``bump_corpus_version()``) so a new load is never hidden by old counts;
``corpus_changed()`` is the same for single edits: the models whose rows feed cached
aggregates call it on save and delete (``connect_invalidation``), and write functions that
bypass signals (``bulk_create``, ``update()``, raw SQL) call it when they finish.
"""

import hashlib
import json
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from config.release import release

VERSION_KEY = "sitrep:corpus-version"


# The version read once per request, in the thread serving it: a timeline page builds four
# keys (page, aggregates, cards, fragments), each a Redis round trip (~0.3 ms) for the same
# number. A bump in this thread forgets it; one in another process during the request is
# seen by the next request, as if this one had started a moment earlier.
_request = threading.local()


def corpus_version() -> int:
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    if getattr(_request, "active", False):
        _request.version = version
    return version


@receiver(request_started, dispatch_uid="sitrep-corpus-version-start")
def _remember_version_for_request(**kwargs) -> None:
    _request.active, _request.version = True, None


@receiver(request_finished, dispatch_uid="sitrep-corpus-version-finish")
def _forget_version_after_request(**kwargs) -> None:
    _request.active, _request.version = False, None


def bump_corpus_version() -> None:
    """Call after writing many rows at once: every cached aggregate is recomputed."""
    _request.version = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates old keys
        cache.set(VERSION_KEY, corpus_version() + 1, timeout=None)
    _request.version = None


def corpus_changed(*, using: str | None = None, **signal_kwargs) -> None:
    """Invalidate every cached aggregate now, and again when the transaction commits.

    The first bump keeps this transaction's own later reads fresh; the second drops anything
    another request cached from the pre-commit snapshot under the first bump's version.
    """
    bump_corpus_version()
    transaction.on_commit(bump_corpus_version, using=using)


def connect_invalidation(*models) -> None:
    """Bump the corpus version whenever a row of one of ``models`` is saved or deleted.

    Not for bulk tables such as mentions: a delete receiver makes Django fetch every row it
    deletes instead of one fast DELETE; their write functions call ``corpus_changed`` once.
    """
    for model in models:
        uid = f"sitrep-cache-{model._meta.label_lower}"
        post_save.connect(corpus_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(corpus_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(corpus_changed, sender=model, dispatch_uid=uid)


def cache_key(key_parts: Iterable) -> str:
    text = json.dumps(list(key_parts), sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:32]
    return f"sitrep:facets:{release()}:{corpus_version()}:{digest}"


def cached_facets[T](
    key_parts: Iterable, compute: Callable[[], T], timeout: int | None = None
) -> T:
    key = cache_key(key_parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.SITREP_CACHE_SECONDS if timeout is None else timeout)
    return value
