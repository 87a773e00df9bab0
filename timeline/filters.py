"""The timeline's filters: one FilterSet, reused by the page, its facets, histogram and exports.

Every filter reads one URL parameter (README "Timeline" lists them). Multi-valued filters
(actor, weapon, place, type, status, outlet) repeat their parameter and match events with ANY
of the values, so that facet counts can show what adding one more value would match.
"""

import django_filters
from django import forms

from corpus.models import Entity, Outlet
from timeline.choices import EventStatus, EventType
from timeline.models import Event

TEXT_MAX_LENGTH = 200


class EventFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                "The start date (%(start)s) is after the end date (%(end)s).",
                code="date_order",
                params={"start": start.isoformat(), "end": end.isoformat()},
            )
        return cleaned


def _slug_choices(queryset, **kwargs):
    return django_filters.ModelMultipleChoiceFilter(
        queryset=queryset,
        to_field_name="slug",
        # Validation reads only the submitted slugs; the page lists options from the facets.
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
        **kwargs,
    )


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title",
        lookup_expr="search",
        method="filter_text",
        label="Words",
        max_length=TEXT_MAX_LENGTH,
        help_text='In titles, summaries and quotes. "exact phrase", or, -exclude.',
    )
    # Both bounds compare the event's whole period (month/year precision, end date) with the
    # range: an event counts when the two overlap. See EventQuerySet.in_period.
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        method="filter_date_from",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        method="filter_date_to",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # The many-to-many and outlet filters go through Exists() subqueries (EventQuerySet), so a
    # matching event is never repeated and no DISTINCT is needed.
    actor = _slug_choices(
        Entity.objects.actors(),
        field_name="actors",
        lookup_expr="in",
        method="filter_actors",
        label="Actors",
    )
    weapon = _slug_choices(
        Entity.objects.weapons(),
        field_name="weapons",
        lookup_expr="in",
        method="filter_weapons",
        label="Weapon systems",
    )
    place = _slug_choices(
        Entity.objects.places(),
        field_name="place",
        lookup_expr="in",
        method="filter_places",
        label="Places",
        help_text="A place includes the places inside it.",
    )
    type = django_filters.MultipleChoiceFilter(
        field_name="event_type",
        lookup_expr="exact",
        choices=EventType.choices,
        label="Event types",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="status",
        lookup_expr="exact",
        choices=EventStatus.choices,
        label="Statuses",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    outlet = _slug_choices(
        Outlet.objects.all(),
        field_name="citations__article__outlet",
        lookup_expr="in",
        method="filter_outlets",
        label="Outlets",
    )

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def filter_text(self, queryset, name, value):
        return queryset.matching_text(value) if value else queryset

    def filter_date_from(self, queryset, name, value):
        return queryset.in_period(start=value) if value else queryset

    def filter_date_to(self, queryset, name, value):
        return queryset.in_period(end=value) if value else queryset

    def filter_actors(self, queryset, name, value):
        return queryset.involving(value) if value else queryset

    def filter_weapons(self, queryset, name, value):
        return queryset.using_weapons(value) if value else queryset

    def filter_places(self, queryset, name, value):
        return queryset.at_places(value) if value else queryset

    def filter_outlets(self, queryset, name, value):
        return queryset.cited_by_outlets(value) if value else queryset

    @property
    def cleaned_data(self) -> dict:
        """The valid part of the submitted filters (all of it when the form is valid)."""
        self.errors  # noqa: B018 -- validates the form once, filling cleaned_data
        return getattr(self.form, "cleaned_data", {})

    def queryset_without(self, *names: str):
        """The base queryset under every valid filter except ``names`` (for facet counts).

        Invalid fields are left out of cleaned_data by the form, so facets still reflect the
        valid part of a query while the page itself shows the errors and no events.
        """
        queryset = self.queryset.all()
        for name, value in self.cleaned_data.items():
            if name not in names:
                queryset = self.filters[name].filter(queryset, value)
        return queryset
