"""timeline.curation: the events authoring file is checked, then applied idempotently."""

import json
from datetime import date

import pytest

from corpus.choices import PlaceKind
from tests.factories import ActorFactory, ArticleFactory, PlaceFactory, WeaponFactory
from timeline.curation import CurationError, load_curated_events
from timeline.models import Citation, Event, EventActor, EventWeapon

pytestmark = pytest.mark.django_db

BODY = (
    "Biden authorised Ukraine to use ATACMS missiles in Kursk Oblast. "
    "Russia said ATACMS strikes would escalate the war."
)


@pytest.fixture
def world():
    return {
        "biden": ActorFactory(name="Joe Biden", slug="joe-biden"),
        "ukraine": ActorFactory(name="Ukraine", slug="ukraine", kind="government"),
        "atacms": WeaponFactory(name="ATACMS", slug="atacms"),
        "kursk": PlaceFactory(name="Kursk Oblast", slug="kursk-oblast", kind=PlaceKind.REGION),
        "article": ArticleFactory(source_file="001_a.txt", body=BODY),
        "other": ArticleFactory(source_file="002_b.txt", body="Le Figaro said ATACMS were used."),
    }


def event_spec(**changes):
    spec = {
        "slug": "biden-authorises-atacms",
        "title": "Biden authorises ATACMS strikes in Kursk",
        "summary": "Reported by unnamed officials.",
        "date": "2024-11-17",
        "date_precision": "day",
        "event_type": "decision",
        "status": "reported",
        "place": "kursk-oblast",
        "actors": [
            {"actor": "joe-biden", "role": "initiator"},
            {"actor": "ukraine", "role": "participant"},
        ],
        "weapons": ["atacms"],
        "citations": [{"source_file": "001_a.txt", "quote": "use ATACMS missiles in Kursk Oblast"}],
    }
    spec.update(changes)
    return spec


@pytest.fixture
def load(tmp_path):
    def load(*specs, **kwargs):
        path = tmp_path / "events.json"
        path.write_text(json.dumps(list(specs)), encoding="utf-8")
        return load_curated_events(spec_path=path, **kwargs)

    return load


def test_creates_event_with_actors_weapons_place_and_citation(world, load):
    result = load(event_spec())
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    event = Event.objects.get(slug="biden-authorises-atacms")
    assert event.date == date(2024, 11, 17)
    assert event.place == world["kursk"]
    assert {(a.actor.slug, a.role) for a in event.event_actors.all()} == {
        ("joe-biden", "initiator"),
        ("ukraine", "participant"),
    }
    assert [w.weapon.slug for w in event.event_weapons.all()] == ["atacms"]


def test_citation_offsets_slice_the_quote_out_of_the_body(world, load):
    load(event_spec())
    citation = Citation.objects.get()
    assert citation.start == BODY.index("use ATACMS missiles")
    assert world["article"].body[citation.start : citation.end] == citation.quote


def test_occurrence_picks_the_nth_match(world, load):
    quote = {"source_file": "001_a.txt", "quote": "ATACMS", "occurrence": 2}
    load(event_spec(citations=[quote]))
    citation = Citation.objects.get()
    assert citation.start == BODY.index("ATACMS strikes")
    assert citation.end == citation.start + len("ATACMS")


def test_loading_twice_changes_nothing(world, load):
    load(event_spec())
    before = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (Event, EventActor, EventWeapon, Citation)
    }
    result = load(event_spec())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    after = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (Event, EventActor, EventWeapon, Citation)
    }
    assert after == before


def test_changes_in_the_file_update_the_event(world, load):
    load(event_spec())
    result = load(
        event_spec(
            title="Biden authorises ATACMS",
            date="2024-11-01",
            date_precision="month",
            actors=[{"actor": "joe-biden", "role": "speaker"}],
            weapons=[],
            place=None,
            citations=[{"source_file": "002_b.txt", "quote": "ATACMS were used"}],
        )
    )
    assert result.updated == 1
    event = Event.objects.get()
    assert (event.title, event.date, event.date_precision) == (
        "Biden authorises ATACMS",
        date(2024, 11, 1),
        "month",
    )
    assert event.place is None
    assert list(EventActor.objects.values_list("actor__slug", "role")) == [("joe-biden", "speaker")]
    assert not EventWeapon.objects.exists()
    citation = Citation.objects.get()
    assert (citation.article, citation.start) == (world["other"], len("Le Figaro said "))


def test_a_changed_quote_moves_the_offsets(world, load):
    load(event_spec())
    load(event_spec(citations=[{"source_file": "001_a.txt", "quote": "Kursk Oblast"}]))
    citation = Citation.objects.get()
    assert (citation.quote, citation.start) == ("Kursk Oblast", BODY.index("Kursk Oblast"))


def test_removing_an_actor_removes_its_row_only(world, load):
    load(event_spec())
    kept = EventActor.objects.get(actor__slug="joe-biden")
    load(event_spec(actors=[{"actor": "joe-biden", "role": "initiator"}]))
    assert list(EventActor.objects.all()) == [kept]


def test_prune_deletes_events_missing_from_the_file(world, load):
    load(event_spec(), event_spec(slug="old-event"))
    assert load(event_spec()).unchanged == 1
    assert Event.objects.count() == 2  # without prune, other events are left alone
    result = load(event_spec(), prune=True)
    assert result.pruned == 1
    assert list(Event.objects.values_list("slug", flat=True)) == ["biden-authorises-atacms"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"actors": [{"actor": "nobody", "role": "initiator"}]}, "unknown actor 'nobody'"),
        ({"actors": [{"actor": "atacms", "role": "initiator"}]}, "'atacms' is a weapon, not"),
        ({"actors": [{"actor": "joe-biden", "role": "hero"}]}, "role 'hero' is not one of"),
        (
            {"actors": [{"actor": "joe-biden", "role": "initiator"}] * 2},
            "'joe-biden' is listed twice as initiator",
        ),
        ({"weapons": ["kursk-oblast"]}, "weapon 'kursk-oblast' is a place, not a weapon"),
        ({"place": "atlantis"}, "unknown place 'atlantis'"),
        ({"place": ["kursk-oblast"]}, "unknown place ['kursk-oblast']"),
        ({"weapons": "atacms"}, "weapons must be a list"),
        ({"actors": {"joe-biden": "initiator"}}, "actors must be a list"),
        ({"date": "2024-11-31"}, "date '2024-11-31' is not a date"),
        ({"date": "17 November 2024"}, "is not a date (YYYY-MM-DD)"),
        ({"date_precision": "week"}, "date_precision 'week' is not one of day, month, year"),
        ({"date_precision": "month"}, "month-precision date is the month's first day"),
        ({"date": "2024-11-01", "date_precision": "year"}, "year-precision date is 1 January"),
        ({"end_date": "2024-11-16"}, "end_date 2024-11-16 is before date 2024-11-17"),
        ({"event_type": "battle"}, "event_type 'battle' is not one of"),
        ({"status": "rumoured"}, "status 'rumoured' is not one of"),
        ({"status": "disputed"}, "a disputed event needs citations of both sides"),
        ({"citations": []}, "an event needs at least one citation"),
        ({"weapon": ["atacms"]}, "unknown keys weapon"),
        ({"title": ""}, "title must be a non-empty text"),
        ({"slug": "Not a slug!"}, "slug must be letters, digits"),
    ],
)
def test_invalid_events_are_refused_with_a_clear_message(world, load, changes, message):
    with pytest.raises(CurationError) as raised:
        load(event_spec(**changes))
    assert message in str(raised.value)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        (
            {"source_file": "001_a.txt", "quote": "ATACMS rockets"},
            "event 'biden-authorises-atacms', 001_a.txt: quote not found in the article body",
        ),
        (
            {"source_file": "001_a.txt", "quote": "Kursk Oblast", "occurrence": 2},
            "001_a.txt: quote not found in the article body (occurrence 2)",
        ),
        (
            {"source_file": "009_missing.txt", "quote": "ATACMS"},
            "event 'biden-authorises-atacms', 009_missing.txt: the article is not in the database",
        ),
        ({"source_file": "001_a.txt", "quote": " "}, "001_a.txt: the quote is empty"),
        ({"source_file": "001_a.txt"}, "a citation needs source_file and quote"),
        ({"source_file": ["001_a.txt"], "quote": "ATACMS"}, "a citation needs source_file"),
        ({"source_file": "001_a.txt", "quote": "ATACMS", "page": 2}, "a citation needs"),
    ],
)
def test_bad_citations_name_the_event_and_the_source_file(world, load, citation, message):
    with pytest.raises(CurationError) as raised:
        load(event_spec(citations=[citation]))
    assert message in str(raised.value)


def test_the_same_article_cited_twice_is_refused(world, load):
    quote = {"source_file": "001_a.txt", "quote": "Kursk Oblast"}
    with pytest.raises(CurationError, match=r"001_a\.txt: the article is cited twice"):
        load(event_spec(citations=[quote, quote]))


def test_duplicate_slugs_are_refused(world, load):
    with pytest.raises(
        CurationError, match="'biden-authorises-atacms': the slug is used by another"
    ):
        load(event_spec(), event_spec(title="Another"))


def test_every_problem_is_listed_and_nothing_is_written(world, load):
    good = event_spec(slug="good-event")
    bad = event_spec(slug="bad-event", place="atlantis", event_type="battle")
    with pytest.raises(CurationError) as raised:
        load(good, bad)
    assert raised.value.problems == [
        "event 'bad-event': event_type 'battle' is not one of decision, statement, warning, "
        "deployment, supply, strike, combat, diplomacy, report, other",
        "event 'bad-event': unknown place 'atlantis'",
    ]
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "not valid JSON"),
        ('{"slug": "x"}', "must be a JSON list of event objects"),
        (b"\xff\xfe[]", "not valid JSON"),
    ],
)
def test_an_unreadable_file_is_refused(tmp_path, content, message):
    path = tmp_path / "events.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CurationError, match=message):
        load_curated_events(spec_path=path)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CurationError, match="cannot be read"):
        load_curated_events(spec_path=tmp_path / "nope.json")
