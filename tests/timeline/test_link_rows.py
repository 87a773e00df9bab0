"""An event list's actors, weapons and citations as plain rows (timeline/link_rows.py)."""

from datetime import date

from tests.factories import (
    ActorFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    EventWeaponFactory,
    OutletFactory,
    WeaponFactory,
)
from tests.timeline.conftest import build_many_events
from timeline.link_rows import EventLinkRows
from timeline.models import Event


def test_rows_are_grouped_by_event_in_display_order(db):
    event, other, bare = EventFactory(), EventFactory(), EventFactory()
    zed, abe = ActorFactory(name="Zed"), ActorFactory(name="Abe")
    EventActorFactory(event=event, actor=zed, role="initiator")
    EventActorFactory(event=event, actor=abe, role="target")
    EventActorFactory(event=event, actor=abe, role="initiator")
    EventActorFactory(event=other, actor=zed, role="speaker")
    EventWeaponFactory(event=event, weapon=WeaponFactory(name="Tochka"))
    EventWeaponFactory(event=event, weapon=WeaponFactory(name="ATACMS"))
    outlet = OutletFactory()
    late = ArticleFactory(title="Later", published_on=date(2024, 11, 20), outlet=outlet)
    early = ArticleFactory(title="Earlier", published_on=date(2024, 11, 18), outlet=None)
    CitationFactory(event=event, article=late, quote="later words")
    CitationFactory(event=event, article=early, quote="earlier words")

    rows = EventLinkRows.of([event.pk, other.pk, bare.pk])

    assert [(a.role, a.actor__name) for a in rows.actors[event.pk]] == [
        ("initiator", "Abe"),
        ("initiator", "Zed"),
        ("target", "Abe"),
    ]
    assert [(a.role, a.actor__slug) for a in rows.actors[other.pk]] == [("speaker", zed.slug)]
    assert [w.weapon__name for w in rows.weapons[event.pk]] == ["ATACMS", "Tochka"]
    first, second = rows.citations[event.pk]
    assert (first.quote, first.article__slug, first.article__outlet__slug) == (
        "earlier words",
        early.slug,
        None,
    )
    assert (second.article__title, second.article__outlet__slug) == ("Later", outlet.slug)
    assert second.article__url == late.url
    # An event without links has no key: callers use .get(pk, ()).
    assert bare.pk not in rows.actors and bare.pk not in rows.citations
    assert other.pk not in rows.weapons


def test_ties_keep_the_order_the_links_were_made_in(db):
    """Same date and title (a wire story printed twice): the order must not depend on the plan."""
    event = EventFactory()
    day = date(2024, 11, 18)
    articles = [
        ArticleFactory(title="Same wire story", slug=f"same-wire-story-{n}", published_on=day)
        for n in range(4)
    ]
    made = [CitationFactory(event=event, article=article) for article in reversed(articles)]
    rows = EventLinkRows.of([event.pk])
    assert [c.pk for c in rows.citations[event.pk]] == [c.pk for c in made]


def test_three_queries_whatever_the_number_of_events(db, django_assert_num_queries):
    build_many_events(30)
    ids = list(Event.objects.values_list("pk", flat=True))
    with django_assert_num_queries(3):
        rows = EventLinkRows.of(ids)
    assert sum(map(len, rows.citations.values())) == 90
    assert all(len(rows.actors[pk]) == 3 and len(rows.weapons[pk]) == 2 for pk in ids)
