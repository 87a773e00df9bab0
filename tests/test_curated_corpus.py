"""The curated corpus as shipped: fixtures/*.json loaded in order, checked fact by fact."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from corpus.choices import DatePrecision, EntityType
from corpus.models import Alias, Article, Entity, Outlet
from timeline.choices import EventStatus
from timeline.curation import load_curated_events
from timeline.models import Citation, Event

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ARTICLES = FIXTURES / "30_articles.json"
EVENTS = FIXTURES / "40_events.json"
SPEC = FIXTURES / "curation" / "events.json"
needs_articles = pytest.mark.skipif(not ARTICLES.exists(), reason="30_articles.json not built")
needs_events = pytest.mark.skipif(not EVENTS.exists(), reason="40_events.json not built")

# Events whose articles disagree (a figure, or an approval one outlet reports and another denies).
DISAGREEMENTS = {"north-korean-troops-deployed-to-kursk", "le-figaro-reports-france-uk-approval"}


def load_fixtures():
    call_command("loaddata", *map(str, sorted(FIXTURES.glob("*.json"))), verbosity=0)


@pytest.fixture(scope="module")
def loaded_corpus(django_db_setup, django_db_blocker):
    """Load the fixtures once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_fixtures()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def corpus(loaded_corpus, db):
    """Each test runs in a savepoint inside the module's transaction."""


def alias_pattern(name: str) -> re.Pattern[str]:
    """All-capital aliases (US, NATO) match exactly; others ignore case. Whole words only."""
    flags = 0 if name.isupper() else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags)


def test_the_fixtures_load_twice_without_duplicates(corpus):
    models = (Outlet, Entity, Alias, Article, Event, Citation)
    counts = [model.objects.count() for model in models]
    load_fixtures()
    assert [model.objects.count() for model in models] == counts


def test_every_entity_has_an_alias(corpus):
    assert not Entity.objects.annotate(n=Count("aliases")).filter(n=0).exists()


def test_outlets_of_the_articles_exist_and_link_to_their_actor(corpus):
    assert set(Outlet.objects.values_list("slug", flat=True)) >= {
        "tampa-free-press",
        "euromaidan-press",
        "the-epoch-times",
    }
    epoch = Outlet.objects.get(slug="the-epoch-times").entity
    assert (epoch.entity_type, epoch.kind) == (EntityType.ACTOR, "media")
    assert all(o.entity.kind == "media" for o in Outlet.objects.filter(entity__isnull=False)), (
        "an outlet may only link to a media actor"
    )


def test_places_sit_in_their_parent(corpus):
    assert Entity.objects.get(slug="kursk-oblast").parent.slug == "russia-country"
    assert Entity.objects.get(slug="crimea").parent.slug == "ukraine-country"


def test_weapon_ranges_are_those_the_articles_state(corpus):
    ranges = dict(Entity.objects.weapons().values_list("slug", "range_km"))
    assert ranges["atacms"] == 300  # "up to 300 kilometers" (001); "about 190 miles" (003/004)
    assert ranges["storm-shadow"] == ranges["scalp"] == 250  # "about 155 miles" (004)


@needs_articles
def test_every_alias_occurs_in_an_article_body(corpus):
    bodies = list(Article.objects.values_list("body", flat=True))
    assert len(bodies) == 5
    unused = [
        f"{alias.entity.slug}: {alias.name}"
        for alias in Alias.objects.select_related("entity")
        if not any(alias_pattern(alias.name).search(body) for body in bodies)
    ]
    assert unused == []


@needs_articles
def test_every_entity_is_mentioned(corpus):
    assert not Entity.objects.annotate(n=Count("mentions")).filter(n=0).exists()


@needs_events
def test_every_quote_is_the_body_slice_its_offsets_name(corpus):
    citations = Citation.objects.select_related("article", "event")
    assert citations.count() > 0
    for citation in citations:
        assert citation.article.body[citation.start : citation.end] == citation.quote, (
            citation.event.slug,
            citation.article.source_file,
        )


@needs_events
def test_every_event_is_cited(corpus):
    assert Event.objects.count() > 30
    assert not Event.objects.annotate(n=Count("citations")).filter(n=0).exists()


@needs_events
def test_disagreements_are_disputed_with_both_sides_cited(corpus):
    disputed = Event.objects.filter(status=EventStatus.DISPUTED).annotate(n=Count("citations"))
    assert set(disputed.values_list("slug", flat=True)) == DISAGREEMENTS
    assert all(event.n >= 2 for event in disputed)
    figures = Event.objects.get(slug="north-korean-troops-deployed-to-kursk").citations.all()
    quotes = " ".join(c.quote for c in figures)
    assert "10,000" in quotes and "11,000" in quotes


@needs_events
def test_month_and_year_events_are_stored_on_the_first_day(corpus):
    for event in Event.objects.exclude(date_precision=DatePrecision.DAY):
        assert event.date.day == 1, event.slug
        if event.date_precision == DatePrecision.YEAR:
            assert event.date.month == 1, event.slug


@needs_events
def test_the_atacms_authorisation(corpus):
    event = Event.objects.get(slug="biden-authorizes-atacms-strikes-in-kursk")
    assert (event.date, event.date_precision) == (date(2024, 11, 17), DatePrecision.DAY)
    assert event.citations.count() >= 3
    assert event.event_actors.filter(actor__slug="joe-biden", role="initiator").exists()
    assert list(event.weapons.values_list("slug", flat=True)) == ["atacms"]
    assert event.place.slug == "kursk-oblast"


@needs_events
@pytest.mark.parametrize(
    ("slug", "day", "precision"),
    [
        ("zelensky-says-missiles-will-speak", date(2024, 11, 17), "day"),  # "on Sunday"
        ("zelensky-hopes-for-diplomatic-end-to-war", date(2024, 11, 15), "day"),  # "on Friday"
        ("peskov-warns-atacms-add-fuel-to-fire", date(2024, 11, 18), "day"),
        ("north-korean-troops-deployed-to-kursk", date(2024, 10, 1), "month"),  # "in October"
        ("us-allows-atacms-strikes-in-crimea", date(2023, 1, 1), "year"),  # "last year"
        ("ukraine-launches-kursk-incursion", date(2024, 1, 1), "year"),  # "earlier this year"
        ("russia-invades-ukraine", date(2022, 2, 1), "month"),  # "in February 2022"
    ],
)
def test_relative_dates_are_resolved_honestly(corpus, slug, day, precision):
    event = Event.objects.get(slug=slug)
    assert (event.date, event.date_precision) == (day, precision)


@needs_events
def test_the_events_fixture_matches_the_authoring_file(corpus):
    """40_events.json is rebuilt whenever curation/events.json changes."""
    result = load_curated_events(spec_path=SPEC)
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Event.objects.count()
