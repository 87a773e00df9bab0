"""Whole rendered analyst pages, shared between requests until the corpus changes.

Every analyst page is a function of its URL and the corpus, and the corpus changes only when
something is ingested, loaded or curated, each of which bumps the corpus version
(``config.cache.corpus_changed``). So a page rendered once is served from the shared cache
(Redis with ``REDIS_URL``) to every later visitor of the same URL until the next change, which
makes a new key: edits show on the next request, never after a timeout.

A page differs between users only in its links to the admin, shown to staff, so there are two
copies of each page: one for staff and one for everyone else. A page that set a cookie (a CSRF
token, a session) belongs to one browser and is never stored, nor is any response other than
a complete 200 (errors, redirects, streamed exports). Keys also carry the release
(``config/release.py``), so a deploy never serves pages rendered by the previous code.
``SITREP_PAGE_CACHE_SECONDS=0`` turns the cache off; it is off by default with debug on, where
templates change under a running server.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from config.cache import corpus_version
from config.release import release

CACHED_HEADER = "X-Sitrep-Page-Cache"


def page_cache_seconds() -> int:
    return getattr(settings, "SITREP_PAGE_CACHE_SECONDS", settings.SITREP_CACHE_SECONDS)


def page_key(request) -> str:
    # The host is part of the key: pages may carry absolute links built from it. Reading
    # request.user costs no query for a visitor without a session cookie.
    audience = "staff" if request.user.is_staff else "public"
    url = request.build_absolute_uri()
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"sitrep:page:{release()}:{corpus_version()}:{audience}:{digest}"


def is_cacheable_request(request) -> bool:
    return page_cache_seconds() > 0 and request.method in ("GET", "HEAD")


def is_cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # The page used a CSRF token: the middleware will set a cookie that matches it.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def freeze(response) -> tuple:
    return response.status_code, response.content, list(response.items())


def thaw(frozen: tuple) -> HttpResponse:
    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[CACHED_HEADER] = "hit"
    return response


class CorpusPageCacheMixin:
    """Serve a view's GET responses from the page cache (see the module docstring)."""

    def dispatch(self, request, *args, **kwargs):
        if not is_cacheable_request(request):
            return super().dispatch(request, *args, **kwargs)
        key = page_key(request)
        frozen = cache.get(key)
        if frozen is not None:
            return thaw(frozen)
        response = super().dispatch(request, *args, **kwargs)

        def store(rendered):
            if is_cacheable_response(request, rendered):
                cache.set(key, freeze(rendered), page_cache_seconds())
                rendered[CACHED_HEADER] = "miss"

        # A TemplateResponse is rendered after dispatch returns: store it once it is.
        if getattr(response, "is_rendered", True) is False:
            response.add_post_render_callback(store)
        else:
            store(response)
        return response
