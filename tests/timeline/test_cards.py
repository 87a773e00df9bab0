"""Event cards of the timeline: their markup, their links, and their cache."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.choices import DatePrecision
from tests.factories import CitationFactory, EventFactory, PlaceFactory
from timeline.cards import EventCards, period_time
from timeline.models import Event

TIMELINE = reverse("timeline:timeline")

pytestmark = pytest.mark.usefixtures("no_page_cache")


def card_of(event) -> str:
    event = Event.objects.select_related("place").get(pk=event.pk)
    return EventCards.load([event])(event)


def test_card_markup_with_badges_actors_weapons_and_citations(scenario):
    event = scenario.authorisation
    citation = event.citations.get()
    article = citation.article
    assert card_of(event) == (
        f'<li class="event" id="event-{event.slug}">\n'
        f'<article aria-labelledby="event-title-{event.pk}">\n'
        f'<h4 id="event-title-{event.pk}"><a href="/events/{event.slug}/">'
        "Biden authorises ATACMS strikes</a></h4>\n"
        '<p class="event-meta">\n<span class="event-type">Decision / authorisation</span>\n'
        '<span class="status status-confirmed"><span class="visually-hidden">Status: </span>'
        "Confirmed</span>\n"
        '<span class="event-place"><span class="label">Place:</span> '
        '<a href="/places/kursk-oblast/">Kursk Oblast</a></span>\n</p>\n'
        '<p class="event-summary">The United States lets Ukraine use ATACMS inside Russia.</p>'
        '<dl class="event-facts">\n<dt>Actors</dt>\n<dd><ul class="inline-list">'
        '<li><a href="/actors/joe-biden/">Joe Biden</a> <span class="role">(initiator)</span></li>'
        '<li><a href="/actors/volodymyr-zelensky/">Volodymyr Zelensky</a> '
        '<span class="role">(participant)</span></li></ul></dd>\n'
        '<dt>Weapon systems</dt>\n<dd><ul class="inline-list">'
        '<li><a href="/weapons/atacms/">ATACMS</a></li></ul></dd>\n</dl>\n'
        '<p class="citations-heading">Reported by 1 article:</p>\n<ul class="citations">\n'
        '<li class="citation">\n<blockquote class="quote"><p>authorised Ukraine</p></blockquote>\n'
        '<p class="citation-source">\n'
        f'<a href="/articles/{article.slug}/?cite={citation.pk}#cite-{citation.pk}">'
        "Biden lets Ukraine strike Russia with US missiles</a>, "
        '<a class="outlet" href="/outlets/reuters/">Reuters</a>, '
        f"{period_time(article.published_on, article.published_precision)}\n</p>\n</li>\n"
        "</ul>\n</article>\n</li>\n"
    )


def test_a_place_inside_another_is_named_with_it_when_its_parent_was_selected(
    db, django_assert_num_queries
):
    russia = PlaceFactory(name="Russia", slug="russia-country", kind="country")
    sudzha = PlaceFactory(name="Sudzha", slug="sudzha", kind="city", parent=russia)
    event = EventFactory(place=sudzha)
    loaded = Event.objects.select_related("place", "place__parent").get(pk=event.pk)
    assert (
        '<span class="label">Place:</span> <a href="/places/sudzha/">Sudzha</a>, '
        '<a href="/places/russia-country/">Russia</a></span>'
    ) in EventCards.load([loaded])(loaded)
    # Without the parent selected, the card names the place alone rather than query for it.
    cache.clear()  # cards are cached per event
    plain = Event.objects.select_related("place").get(pk=event.pk)
    cards = EventCards.load([plain])
    with django_assert_num_queries(0):
        assert '<a href="/places/sudzha/">Sudzha</a></span>' in cards(plain)


def test_the_timeline_names_a_towns_region(client, db):
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    EventFactory(title="Sudzha taken", place=PlaceFactory(name="Sudzha", kind="city", parent=kursk))
    text = client.get(TIMELINE).content.decode()
    assert 'Sudzha</a>, <a href="/places/kursk-oblast/">Kursk Oblast</a>' in text


def test_event_with_no_links_or_citations_says_so(scenario):
    html = card_of(scenario.sanctions)
    assert "event-facts" not in html
    assert '<p class="citations-heading">No article cites this event yet.</p>' in html


def test_event_with_an_end_date_shows_its_period(scenario):
    html = card_of(scenario.debate)
    assert (
        '<span class="event-period"><time datetime="2024-06-01">1 Jun 2024</time> to '
        '<time datetime="2024-11-20">20 Nov 2024</time></span>'
    ) in html


def test_citations_are_counted_and_in_publication_order(scenario):
    html = card_of(scenario.warning)
    assert "Reported by 2 articles:" in html
    sources = re.findall(r'<a href="/articles/[^"]+">([^<]+)</a>', html)
    by_date = scenario.warning.citations.order_by("article__published_on", "article__title", "pk")
    assert sources == [citation.article.title for citation in by_date]


def test_every_value_is_escaped(db):
    event = EventFactory(title="<script>alert(1)</script>", summary="Tom & Jerry")
    CitationFactory(event=event, quote='He said "<b>no</b>"', article__title="A & B")
    html = card_of(event)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tom &amp; Jerry" in html and "A &amp; B" in html
    assert "He said &quot;&lt;b&gt;no&lt;/b&gt;&quot;" in html


def test_period_time_shows_only_what_is_known():
    assert period_time(date(2024, 8, 1), DatePrecision.MONTH) == (
        '<time datetime="2024-08">Aug 2024</time>'
    )
    assert period_time(date(2023, 1, 1), DatePrecision.YEAR) == (
        '<time datetime="2023">2023</time>'
    )
    assert period_time(None, DatePrecision.DAY) == ""


def card_queries(captured) -> list[str]:
    quote = '"timeline_citation"."quote"'
    return [query["sql"] for query in captured.captured_queries if quote in query["sql"]]


def test_cards_rendered_for_one_filter_serve_another(client, scenario):
    client.get(TIMELINE)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TIMELINE, {"actor": "joe-biden"})
    assert "Putin warns the West" in response.content.decode()
    assert card_queries(captured) == []


def test_a_page_whose_cards_are_cached_runs_only_its_page_query(
    client, scenario, django_assert_num_queries
):
    client.get(TIMELINE)
    with django_assert_num_queries(1):
        response = client.get(TIMELINE)
    assert "Biden authorises ATACMS strikes" in response.content.decode()


def test_an_edit_shows_on_the_next_request(client, scenario):
    client.get(TIMELINE)
    citation = scenario.authorisation.citations.get()
    citation.article.title = "A corrected headline"
    citation.article.save()
    scenario.biden.name = "Joseph R. Biden"
    scenario.biden.save()
    html = client.get(TIMELINE).content.decode()
    assert "A corrected headline" in html
    assert "Biden lets Ukraine strike" not in html
    assert '">Joseph R. Biden</a> <span class="role">(initiator)</span>' in html
