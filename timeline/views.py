"""Timeline pages: the filterable list of events (with facets, histogram and exports) and one
event with its evidence."""

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.views.generic import DetailView
from django_filters.views import FilterView

from config.cache import cache_key, cached_facets
from config.keyset import KeysetPaginationMixin
from config.pagecache import CorpusPageCacheMixin
from config.pagination import NOT_FILTERS, KnownCountPaginator, filter_state
from timeline import exports
from timeline.cards import EventCards
from timeline.facets import compute_facets
from timeline.filters import EventFilter
from timeline.histogram import build_histogram
from timeline.models import Event, EventQuerySet
from timeline.periods import group_by_period

EXPORT_FORMATS = ("csv", "json")


class TimelineView(CorpusPageCacheMixin, KeysetPaginationMixin, FilterView):
    """`/timeline/`: events in date order, filtered by the GET parameters of EventFilter.

    An invalid filter value shows the form's errors and no events (FilterView's strict mode),
    never the unfiltered list. `?format=csv|json` exports the whole filtered result instead.
    """

    filterset_class = EventFilter
    template_name = "timeline/timeline.html"
    paginate_by = 50
    strict = True
    # Next and Previous seek past the last (first) event shown: deep pages cost no OFFSET.
    keyset_ordering = EventQuerySet.CHRONOLOGICAL

    def get_queryset(self):
        # A page's actors, weapons and citations come as plain rows (EventCards.load), an
        # export's too (exports.EVENT_FIELDS). The search vector is for site search only.
        # The place's parent names the region or country of a town on its card.
        return (
            Event.objects.chronological()
            .select_related("place", "place__parent")
            .defer("search_vector")
        )

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("format")
        if export_format is None:
            return super().get(request, *args, **kwargs)
        if export_format not in EXPORT_FORMATS:
            return HttpResponseBadRequest(
                "Unknown export format. Use format=csv or format=json.",
                content_type="text/plain; charset=utf-8",
            )
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_valid():
            # An export must never silently widen to the whole corpus.
            return HttpResponseBadRequest(
                filterset.form.errors.as_text(), content_type="text/plain; charset=utf-8"
            )
        return self.export(export_format, filterset.qs)

    def export(self, export_format, events):
        if export_format == "csv":
            return exports.csv_response(events, request=self.request, filename="sitrep-events")
        query = {key: values for key, values in self.request.GET.lists() if key not in NOT_FILTERS}
        return exports.json_response(events, request=self.request, query=query)

    page_error = False

    def paginate_queryset(self, queryset, page_size):
        """A page that is not a number or past the end: the page says so, with status 404."""
        try:
            return super().paginate_queryset(queryset, page_size)
        except Http404:
            self.page_error = True
            return self.get_paginator(queryset, page_size), None, queryset.none(), False

    def render_to_response(self, context, **response_kwargs):
        if self.page_error:
            response_kwargs["status"] = 404
        return super().render_to_response(context, **response_kwargs)

    def aggregates(self) -> tuple:
        """Facet counts and the histogram of the current filter state, shared between requests.

        The seven aggregate queries depend only on the filter state and the corpus, so they are
        cached (with every page of one result) until the corpus changes.
        """
        if not hasattr(self, "_aggregates"):
            filterset = self.filterset
            valid = self.filters_valid()
            self._aggregates = cached_facets(
                ["timeline", filter_state(self.request)],
                lambda: (
                    compute_facets(filterset),
                    build_histogram(filterset.qs) if valid else None,
                ),
            )
        return self._aggregates

    def filters_valid(self) -> bool:
        return not self.filterset.is_bound or self.filterset.is_valid()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # The histogram counts every matching event, so the page needs no COUNT(*) of its own.
        _facets, histogram = self.aggregates()
        known = histogram.total if histogram else 0 if self.filters_valid() else None
        return KnownCountPaginator(
            queryset, per_page, orphans, allow_empty_first_page, count=known, **kwargs
        )

    def get_context_data(self, **kwargs):
        facets, histogram = self.aggregates()
        context = super().get_context_data(**kwargs)
        context.update(
            groups=group_by_period(context["object_list"]),
            event_cards=EventCards.load(context["object_list"]),
            facets=facets,
            histogram=histogram,
            filters_valid=self.filters_valid(),
            page_error=self.page_error,
            has_filters=any(any(values) for _, values in filter_state(self.request)),
            # The filter form and the histogram, rendered, are shared like the aggregates
            # they show (every page of one result, until the corpus or the code changes).
            fragment_key=cache_key(["timeline-fragments", filter_state(self.request)]),
            fragment_seconds=settings.SITREP_CACHE_SECONDS,
        )
        return context


class EventDetailView(CorpusPageCacheMixin, DetailView):
    """`/events/<slug>/`: everything known about one event, each fact with its citations."""

    template_name = "timeline/event_detail.html"

    def get_queryset(self):
        return (
            Event.objects.select_related("place", "place__parent")
            .with_people_and_weapons()
            .with_citations()
        )
