"""Facet counts: per option, the events it would match under the other filters."""

from django.http import QueryDict

from corpus.choices import PlaceKind
from corpus.models import Place
from tests.factories import ActorFactory, EventActorFactory, EventFactory, PlaceFactory
from timeline.choices import EventStatus
from timeline.facets import ENTITY_FACET_LIMIT, compute_facets
from timeline.filters import EventFilter
from timeline.models import Event


def facets_for(query: str) -> dict[str, dict[str, int]]:
    filterset = EventFilter(QueryDict(query), queryset=Event.objects.all())
    filterset.is_valid()
    return {
        facet.name: {option.value: option.count for option in facet.options}
        for facet in compute_facets(filterset)
    }


def test_counts_with_no_filter_include_many_to_many_once_per_event(scenario):
    facets = facets_for("")
    # Biden: authorisation, warning, debate. Zelensky has two roles in the offensive: once.
    assert facets["actor"] == {"joe-biden": 3, "volodymyr-zelensky": 2, "vladimir-putin": 1}
    assert facets["weapon"] == {"atacms": 2, "storm-shadow": 1}
    assert facets["place"] == {"kursk-oblast": 2, "kyiv": 1}
    assert facets["outlet"] == {"reuters": 2, "tass": 2}
    assert facets["status"] == {
        "confirmed": 1,
        "reported": 2,
        "claimed": 1,
        "denied": 0,
        "disputed": 1,
    }
    assert facets["type"]["decision"] == 1
    assert facets["type"]["statement"] == 0
    assert sum(facets["type"].values()) == 5


def test_a_facet_ignores_its_own_filter_but_applies_the_others(scenario):
    facets = facets_for("actor=joe-biden")
    # Own facet: unchanged, so ticking Putin too would add exactly what it shows.
    assert facets["actor"] == {"joe-biden": 3, "volodymyr-zelensky": 2, "vladimir-putin": 1}
    # Other facets count only Biden's events (authorisation, warning, debate).
    assert facets["weapon"] == {"atacms": 1}
    assert facets["outlet"] == {"reuters": 2, "tass": 1}
    assert facets["status"]["reported"] == 1
    assert facets["status"]["disputed"] == 0


def test_many_to_many_counts_under_other_filters(scenario):
    facets = facets_for("weapon=storm-shadow&status=disputed")
    assert facets["actor"] == {"volodymyr-zelensky": 1}
    assert facets["weapon"] == {"atacms": 1, "storm-shadow": 1}
    assert facets["status"]["disputed"] == 1
    assert facets["status"]["confirmed"] == 0


def test_a_selected_option_with_no_match_stays_listed_to_be_unticked(scenario):
    filterset = EventFilter(
        QueryDict("actor=vladimir-putin&place=kyiv"), queryset=Event.objects.all()
    )
    filterset.is_valid()
    actor = next(f for f in compute_facets(filterset) if f.name == "actor")
    putin = next(o for o in actor.options if o.value == "vladimir-putin")
    assert putin.count == 0
    assert putin.selected
    assert [o.value for o in actor.selected] == ["vladimir-putin"]


def test_a_place_counts_the_events_in_the_places_inside_it(scenario):
    russia = PlaceFactory(name="Russia", slug="russia", kind=PlaceKind.COUNTRY)
    Place.objects.filter(pk=scenario.kursk.pk).update(parent=russia)
    sudzha = PlaceFactory(name="Sudzha", slug="sudzha", kind=PlaceKind.CITY, parent=scenario.kursk)
    EventFactory(place=sudzha, status=EventStatus.CLAIMED)
    EventFactory(place=russia, status=EventStatus.CLAIMED)
    facets = facets_for("")
    # As the place filter matches: Russia has its own event, Kursk's two and Sudzha's.
    assert facets["place"] == {"russia": 4, "kursk-oblast": 3, "sudzha": 1, "kyiv": 1}
    # Under another filter: only the claimed ones (Sudzha's, in Kursk, and Russia's own).
    claimed = facets_for("status=claimed")["place"]
    assert claimed == {"russia": 2, "kursk-oblast": 1, "sudzha": 1}


def test_the_place_facet_says_a_place_includes_those_inside_it(scenario):
    filterset = EventFilter(QueryDict(""), queryset=Event.objects.all())
    facets = {facet.name: facet for facet in compute_facets(filterset)}
    assert facets["place"].help == "A place includes the places inside it."
    assert facets["actor"].help == ""


def test_facets_use_a_fixed_number_of_queries(scenario, django_assert_num_queries):
    filterset = EventFilter(
        QueryDict("actor=joe-biden&actor=vladimir-putin&weapon=atacms&outlet=reuters&q=missiles"),
        queryset=Event.objects.all(),
    )
    filterset.is_valid()  # validation looks the slugs up: one query per model filter
    with django_assert_num_queries(6):
        compute_facets(filterset)


def test_invalid_values_leave_the_valid_filters_in_the_counts(scenario):
    facets = facets_for("actor=nobody&status=claimed")
    assert facets["actor"] == {"joe-biden": 1, "vladimir-putin": 1}


def test_long_entity_facets_are_cut_and_say_how_many_are_hidden(db):
    event = EventFactory()
    for _ in range(ENTITY_FACET_LIMIT + 3):
        EventActorFactory(event=event, actor=ActorFactory())
    filterset = EventFilter(QueryDict(""), queryset=Event.objects.all())
    actor = next(f for f in compute_facets(filterset) if f.name == "actor")
    assert len(actor.options) == ENTITY_FACET_LIMIT
    assert actor.hidden == 3
