"""A small, fully known timeline shared by the filter, facet, histogram, export and view tests."""

from dataclasses import dataclass
from datetime import date

import pytest

from corpus.choices import DatePrecision
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    EventWeaponFactory,
    OutletFactory,
    PlaceFactory,
    WeaponFactory,
)
from timeline.choices import ActorRole, EventStatus, EventType


@dataclass
class Scenario:
    biden: object
    putin: object
    zelensky: object
    atacms: object
    storm_shadow: object
    kursk: object
    kyiv: object
    reuters: object
    tass: object
    authorisation: object  # 17 Nov 2024, day
    warning: object  # 21 Nov 2024, day
    offensive: object  # Aug 2024, month
    sanctions: object  # 2023, year
    debate: object  # 1 Jun - 20 Nov 2024


@pytest.fixture
def scenario(db) -> Scenario:
    """Five events; each filter and facet has a known answer on them (see the comments)."""
    return build_scenario()


def build_scenario() -> Scenario:
    """The scenario's rows, for tests that need them outside the ``db`` fixture (browser)."""
    biden = ActorFactory(name="Joe Biden", slug="joe-biden")
    putin = ActorFactory(name="Vladimir Putin", slug="vladimir-putin")
    zelensky = ActorFactory(name="Volodymyr Zelensky", slug="volodymyr-zelensky")
    atacms = WeaponFactory(name="ATACMS", slug="atacms")
    storm_shadow = WeaponFactory(name="Storm Shadow", slug="storm-shadow")
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    kyiv = PlaceFactory(name="Kyiv", slug="kyiv")
    reuters = OutletFactory(name="Reuters", slug="reuters")
    tass = OutletFactory(name="TASS", slug="tass")
    reuters_article = ArticleFactory(
        title="Biden lets Ukraine strike Russia with US missiles",
        outlet=reuters,
        body="President Joe Biden authorised Ukraine to fire long-range missiles into Kursk.",
        url="https://example.org/reuters/atacms",
    )
    tass_article = ArticleFactory(
        title="Kremlin warns of response",
        outlet=tass,
        body="The Kremlin warned that Western missiles would mean direct participation.",
    )

    authorisation = EventFactory(
        title="Biden authorises ATACMS strikes",
        summary="The United States lets Ukraine use ATACMS inside Russia.",
        date=date(2024, 11, 17),
        event_type=EventType.DECISION,
        status=EventStatus.CONFIRMED,
        place=kursk,
    )
    EventActorFactory(event=authorisation, actor=biden, role=ActorRole.INITIATOR)
    EventActorFactory(event=authorisation, actor=zelensky, role=ActorRole.PARTICIPANT)
    EventWeaponFactory(event=authorisation, weapon=atacms)
    CitationFactory(
        event=authorisation, article=reuters_article, quote="authorised Ukraine", start=20
    )

    warning = EventFactory(
        title="Putin warns the West",
        date=date(2024, 11, 21),
        event_type=EventType.WARNING,
        status=EventStatus.CLAIMED,
    )
    EventActorFactory(event=warning, actor=putin, role=ActorRole.SPEAKER)
    EventActorFactory(event=warning, actor=biden, role=ActorRole.TARGET)
    CitationFactory(event=warning, article=tass_article, quote="The Kremlin warned")
    CitationFactory(event=warning, article=reuters_article, quote="President Joe Biden")

    offensive = EventFactory(
        title="Ukrainian offensive in Kursk",
        date=date(2024, 8, 1),
        date_precision=DatePrecision.MONTH,
        event_type=EventType.COMBAT,
        status=EventStatus.DISPUTED,
        place=kursk,
    )
    # Two roles for one actor: facets must still count the event once.
    EventActorFactory(event=offensive, actor=zelensky, role=ActorRole.INITIATOR)
    EventActorFactory(event=offensive, actor=zelensky, role=ActorRole.SPEAKER)
    EventWeaponFactory(event=offensive, weapon=atacms)
    EventWeaponFactory(event=offensive, weapon=storm_shadow)
    CitationFactory(event=offensive, article=tass_article, quote="Western missiles", start=27)

    sanctions = EventFactory(
        title="New sanctions",
        summary="Sanctions on Russian banks.",
        date=date(2023, 1, 1),
        date_precision=DatePrecision.YEAR,
        event_type=EventType.OTHER,
        status=EventStatus.REPORTED,
        place=kyiv,
    )

    debate = EventFactory(
        title="Debate over long-range weapons",
        date=date(2024, 6, 1),
        end_date=date(2024, 11, 20),
        event_type=EventType.DIPLOMACY,
        status=EventStatus.REPORTED,
    )
    EventActorFactory(event=debate, actor=biden, role=ActorRole.SUBJECT)

    return Scenario(
        biden=biden,
        putin=putin,
        zelensky=zelensky,
        atacms=atacms,
        storm_shadow=storm_shadow,
        kursk=kursk,
        kyiv=kyiv,
        reuters=reuters,
        tass=tass,
        authorisation=authorisation,
        warning=warning,
        offensive=offensive,
        sanctions=sanctions,
        debate=debate,
    )


def build_many_events(count: int = 60):
    """``count`` events, each with 3 actors, 2 weapon systems and 3 citations."""
    actors = [ActorFactory() for _ in range(3)]
    weapons = [WeaponFactory() for _ in range(2)]
    articles = [ArticleFactory(outlet=OutletFactory()) for _ in range(3)]
    place = PlaceFactory()
    for index in range(count):
        event = EventFactory(date=date(2024, 1 + index % 12, 1 + index % 28), place=place)
        for actor in actors:
            EventActorFactory(event=event, actor=actor)
        for weapon in weapons:
            EventWeaponFactory(event=event, weapon=weapon)
        for article in articles:
            CitationFactory(event=event, article=article)
