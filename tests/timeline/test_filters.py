"""EventFilter: each URL parameter narrows the events as documented; bad values are errors."""

from datetime import date

import pytest
from django.http import QueryDict

from corpus.choices import PlaceKind
from corpus.models import Place
from tests.factories import EventFactory, PlaceFactory
from timeline.filters import EventFilter
from timeline.models import Event


def run(query: str) -> EventFilter:
    return EventFilter(QueryDict(query), queryset=Event.objects.chronological())


def titles(query: str) -> set[str]:
    filterset = run(query)
    assert filterset.is_valid(), filterset.errors
    return {event.title for event in filterset.qs}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("actor=vladimir-putin", {"Putin warns the West"}),
        (
            "actor=vladimir-putin&actor=volodymyr-zelensky",
            {
                "Putin warns the West",
                "Biden authorises ATACMS strikes",
                "Ukrainian offensive in Kursk",
            },
        ),
        ("weapon=storm-shadow", {"Ukrainian offensive in Kursk"}),
        ("weapon=atacms", {"Biden authorises ATACMS strikes", "Ukrainian offensive in Kursk"}),
        ("place=kyiv", {"New sanctions"}),
        ("type=warning&type=other", {"Putin warns the West", "New sanctions"}),
        ("status=reported", {"New sanctions", "Debate over long-range weapons"}),
        ("outlet=tass", {"Putin warns the West", "Ukrainian offensive in Kursk"}),
        ("outlet=reuters&status=confirmed", {"Biden authorises ATACMS strikes"}),
    ],
)
def test_each_filter_selects_its_events(scenario, query, expected):
    assert titles(query) == expected


def test_a_place_includes_the_places_inside_it(scenario):
    russia = PlaceFactory(name="Russia", slug="russia", kind=PlaceKind.COUNTRY)
    Place.objects.filter(pk=scenario.kursk.pk).update(parent=russia)
    sudzha = PlaceFactory(name="Sudzha", slug="sudzha", kind=PlaceKind.CITY, parent=scenario.kursk)
    EventFactory(title="Sudzha taken", place=sudzha)
    EventFactory(title="Moscow reacts", place=russia)
    kursk_events = {"Biden authorises ATACMS strikes", "Ukrainian offensive in Kursk"}
    assert titles("place=russia") == kursk_events | {"Sudzha taken", "Moscow reacts"}
    assert titles("place=kursk-oblast") == kursk_events | {"Sudzha taken"}
    assert titles("place=sudzha") == {"Sudzha taken"}
    assert titles("place=sudzha&place=kyiv") == {"Sudzha taken", "New sanctions"}


def test_many_to_many_filters_never_repeat_an_event(scenario):
    """Zelensky has two roles in the offensive; it is listed once."""
    events = list(run("actor=volodymyr-zelensky&weapon=atacms&weapon=storm-shadow").qs)
    assert len(events) == len(set(events)) == 2


def test_date_range_keeps_events_whose_period_overlaps(scenario):
    """A month-precision event covers its whole month; a long event covers its whole span."""
    assert titles("date_from=2024-08-15&date_to=2024-08-31") == {
        "Ukrainian offensive in Kursk",
        "Debate over long-range weapons",
    }
    assert titles("date_from=2024-11-19") == {
        "Putin warns the West",
        "Debate over long-range weapons",
    }
    assert titles("date_to=2023-06-30") == {"New sanctions"}
    assert titles("date_from=2023-12-31&date_to=2023-12-31") == {"New sanctions"}


def test_in_period_honours_month_precision(scenario):
    assert scenario.offensive in Event.objects.in_period(start=date(2024, 8, 31))
    assert scenario.offensive not in Event.objects.in_period(start=date(2024, 9, 1))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ATACMS", {"Biden authorises ATACMS strikes"}),
        ("q=sanction", {"New sanctions"}),  # stemmed: "sanction" finds "Sanctions"
        ("q=Kremlin", {"Putin warns the West"}),  # only in a quote
        ('q="western missiles"', {"Ukrainian offensive in Kursk"}),
        ("q=missiles", {"Ukrainian offensive in Kursk"}),
        ("q=Putin -Kremlin", set()),  # the title has Putin, a quote has Kremlin: excluded
        ("q=Putin -Biden", set()),
        ("q=Putin -Zelensky", {"Putin warns the West"}),
        ("q=debate or sanctions", {"Debate over long-range weapons", "New sanctions"}),
        ("q=zzzunknownword", set()),
    ],
)
def test_free_text_searches_titles_summaries_and_quotes(scenario, query, expected):
    assert titles(query) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2024-13-01", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("actor=nobody", "actor"),
        ("actor=atacms", "actor"),  # a weapon's slug is not an actor
        ("weapon=joe-biden", "weapon"),
        ("place=atlantis", "place"),
        ("type=picnic", "type"),
        ("status=maybe", "status"),
        ("outlet=nobody", "outlet"),
        ("q=" + "x" * 201, "q"),
        ("q=nul%00byte", "q"),
    ],
)
def test_invalid_values_are_form_errors(scenario, query, field):
    filterset = run(query)
    assert not filterset.is_valid()
    assert field in filterset.errors


def test_reversed_date_range_is_an_error(scenario):
    filterset = run("date_from=2024-12-01&date_to=2024-11-01")
    assert not filterset.is_valid()
    assert "after the end date" in str(filterset.errors["__all__"])


def test_queryset_without_drops_only_the_named_filter(scenario):
    filterset = run("actor=vladimir-putin&status=confirmed")
    assert filterset.is_valid()
    assert list(filterset.qs) == []
    assert {e.title for e in filterset.queryset_without("status")} == {"Putin warns the West"}
    assert {e.title for e in filterset.queryset_without("actor")} == {
        "Biden authorises ATACMS strikes"
    }


@pytest.mark.parametrize(
    "text", ["!!!", '"unbalanced', "the", "-", "or or or", "a & b | c", "ü" * 200, "()<>:*"]
)
def test_odd_text_gives_a_result_never_an_error(scenario, text):
    query = QueryDict(mutable=True)
    query["q"] = text
    filterset = run(query.urlencode())
    assert filterset.is_valid(), filterset.errors
    list(filterset.qs)  # runs the query


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31"])
def test_extreme_dates_are_accepted(scenario, query):
    assert len(titles(query)) == 5
