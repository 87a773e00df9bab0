"""Paginators whose total comes from somewhere cheaper than a ``COUNT(*)`` per request."""

from django.core.paginator import Paginator

from config.cache import cached_facets

# Parameters that choose a page of a result, or its format, not the result itself.
NOT_FILTERS = frozenset({"page", "after", "before", "format"})


def filter_state(request) -> list:
    """The GET parameters that change a list's result, in a canonical order."""
    return sorted(
        (key, sorted(values)) for key, values in request.GET.lists() if key not in NOT_FILTERS
    )


class KnownCountPaginator(Paginator):
    """A paginator told its total by the caller (``count=None``: it counts as usual)."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property


class CachedCountMixin:
    """For a paginated list whose total depends only on its GET filters and the corpus.

    Counting every matching row (100,000 articles: ~45 ms) is cached like facet counts, once
    per filter state and corpus version; every page of one result shares it.
    """

    count_cache_name = ""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        count = cached_facets([self.count_cache_name, filter_state(self.request)], queryset.count)
        return KnownCountPaginator(
            queryset, per_page, orphans, allow_empty_first_page, count=count, **kwargs
        )
