"""Timeline pages: Next and Previous seek by (date, precision, title, id), no OFFSET."""

import html
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.choices import DatePrecision
from tests.factories import EventFactory
from timeline.models import Event

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

TIMELINE = reverse("timeline:timeline")


@pytest.fixture
def events():
    """120 events sharing dates, precisions and titles: every tie-breaker is needed."""
    dated = [
        lambda k: (date(2024, 1, 1), DatePrecision.YEAR),
        lambda k: (date(2024, 1 + k % 2, 1), DatePrecision.MONTH),
        lambda k: (date(2024, 1, 1 + k % 2), DatePrecision.DAY),
    ]
    for n in range(120):
        day, precision = dated[n % 3](n // 3)
        EventFactory(
            date=day,
            date_precision=precision,
            title="Same title" if n % 2 else f"Event {n:03d}",
            slug=f"event-{n}",
            status="claimed",
        )
    return [e.pk for e in Event.objects.chronological()]


def next_link(response) -> str | None:
    found = re.search(r'rel="next" href="([^"]*)"', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def test_next_links_visit_every_event_once_in_chronological_order(client, events):
    seen, url, pages = [], "", 0
    while url is not None:
        response = client.get(TIMELINE + url, {} if url else {"status": "claimed"})
        assert response.status_code == 200
        shown = len(response.context["object_list"])
        assert f"Showing {len(seen) + 1}\N{EN DASH}{len(seen) + shown}." in response.text
        seen += [event.pk for event in response.context["object_list"]]
        pages += 1
        url = next_link(response)
        if url:
            assert "status=claimed" in url and "after=" in url
    assert seen == events
    assert pages == 3


def test_a_keyset_page_makes_no_offset_query(client, events):
    second = next_link(client.get(TIMELINE))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TIMELINE + second)
    assert response.context["page_obj"].number == 2
    assert not any("OFFSET" in query["sql"] for query in captured.captured_queries)


def test_a_broken_link_says_so_with_a_404(client, events):
    response = client.get(TIMELINE, {"after": "not-a-key", "page": "2"})
    assert response.status_code == 404
    assert "This link to a page of results is broken or out of date" in response.text
