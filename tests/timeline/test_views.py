"""The timeline page and the event page: grouping, filters in the URL, errors, query counts."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CitationFactory, EventFactory
from tests.timeline.conftest import build_many_events
from timeline.models import Event

TIMELINE = reverse("timeline:timeline")


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_events_are_grouped_by_their_date_precision(client, scenario):
    html = main_html(client.get(TIMELINE))
    headings = re.findall(r"<h3 id=\"period-\d+\">(.*?)</h3>", html)
    assert headings == [
        '<time datetime="2023">2023</time> <span class="precision">(year)</span>',
        '<time datetime="2024-06-01">1 Jun 2024</time>',
        '<time datetime="2024-08">Aug 2024</time> <span class="precision">(month)</span>',
        '<time datetime="2024-11-17">17 Nov 2024</time>',
        '<time datetime="2024-11-21">21 Nov 2024</time>',
    ]
    # A month-precision event is never shown under a made-up day.
    assert "1 Aug 2024" not in html


def test_month_heading_precedes_the_days_of_that_month(client, db):
    EventFactory(title="Early November", date="2024-11-01")
    EventFactory(title="November at large", date="2024-11-01", date_precision="month")
    html = main_html(client.get(TIMELINE))
    headings = re.findall(r"<h3 id=\"period-\d+\"><time datetime=\"([\d-]+)\"", html)
    assert headings == ["2024-11", "2024-11-01"]
    assert html.index("November at large") < html.index("Early November")


def test_each_event_shows_type_status_place_actors_weapons_and_citations(client, scenario):
    html = main_html(client.get(TIMELINE, {"actor": "joe-biden", "weapon": "atacms"}))
    assert "Biden authorises ATACMS strikes" in html
    assert "Decision / authorisation" in html
    status = '<span class="visually-hidden">Status: </span>Confirmed</span>'
    assert '<span class="status status-confirmed">' + status in html
    assert f'href="{scenario.kursk.get_absolute_url()}">Kursk Oblast</a>' in html
    biden = f'href="{scenario.biden.get_absolute_url()}">Joe Biden</a>'
    assert biden + ' <span class="role">(initiator)</span>' in html
    assert f'href="{scenario.atacms.get_absolute_url()}">ATACMS</a>' in html
    citation = scenario.authorisation.citations.get()
    article_url = reverse("corpus:article-detail", kwargs={"slug": citation.article.slug})
    assert f'href="{article_url}?cite={citation.pk}#cite-{citation.pk}"' in html
    assert "authorised Ukraine" in html
    assert f'href="{scenario.reuters.get_absolute_url()}">Reuters</a>' in html


def test_filters_show_in_the_form_and_results(client, scenario):
    response = client.get(TIMELINE, {"actor": "vladimir-putin", "date_from": "2024-11-01"})
    html = main_html(response)
    assert "<strong>1</strong> event match these filters" in html
    assert 'name="actor" value="vladimir-putin" checked' in html
    assert 'value="2024-11-01"' in html
    assert "Putin warns the West" in html
    assert "Biden authorises" not in html.split("results-heading")[1]


def test_export_links_keep_the_filters_and_drop_the_page(client, db):
    for index in range(55):
        EventFactory(title=f"Bulk {index:02d}", status="claimed")
    html = main_html(client.get(TIMELINE, {"status": "claimed", "page": "2"}))
    assert 'href="?status=claimed&amp;format=csv"' in html
    assert 'href="?status=claimed&amp;format=json"' in html
    assert 'rel="prev" href="?status=claimed"' in html  # pagination keeps the filters


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2024-13-45"}, "From: Enter a valid date."),
        ({"actor": "nobody"}, "nobody is not one of the available choices"),
        ({"date_from": "2024-12-01", "date_to": "2024-11-01"}, "is after the end date"),
        ({"status": "maybe"}, "maybe is not one of the available choices"),
        ({"q": "nul\x00byte"}, "Null characters are not allowed"),
    ],
)
def test_invalid_filters_show_errors_and_no_events(client, scenario, query, message):
    response = client.get(TIMELINE, query)
    assert response.status_code == 200
    html = main_html(response)
    assert "These filters cannot be applied" in html
    assert message in html
    assert 'class="event"' not in html  # never the unfiltered list
    assert "\x00" not in html


@pytest.mark.parametrize("page", ["abc", "999999", "0", "-1"])
def test_bad_page_numbers_are_a_404_that_says_so(client, scenario, page):
    response = client.get(TIMELINE, {"page": page, "status": "reported"})
    assert response.status_code == 404
    html = main_html(response)
    assert "There is no page" in html
    assert 'href="?status=reported"' in html
    assert 'class="event"' not in html


def test_empty_result_says_so(client, scenario):
    html = main_html(client.get(TIMELINE, {"q": "zzzunknownword"}))
    assert "No events match these filters." in html
    assert "<svg" not in html


def test_page_has_facets_and_histogram(client, scenario):
    html = main_html(client.get(TIMELINE, {"actor": "joe-biden"}))
    assert '<summary>Actors <span class="facet-selected">(1 selected)</span></summary>' in html
    assert re.search(r'value="atacms"> ATACMS <span class="facet-count">1<', html)
    assert 'role="img" aria-labelledby="histogram-title histogram-desc"' in html
    assert "style=" not in html


def queries_for_timeline(client, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TIMELINE, query or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.usefixtures("no_page_cache")
def test_timeline_query_count_does_not_grow_with_rows(client, db, django_assert_max_num_queries):
    """60 events x (3 actors, 2 weapons, 3 citations) cost the same queries as one event."""
    CitationFactory()
    few = queries_for_timeline(client)
    build_many_events(60)
    many = queries_for_timeline(client)
    assert many == few
    with django_assert_max_num_queries(12):
        response = client.get(TIMELINE)
    assert len(response.context["object_list"]) == 50


def test_filtered_timeline_query_count_is_bounded(client, scenario, django_assert_max_num_queries):
    query = {
        "actor": ["joe-biden", "vladimir-putin"],
        "weapon": "atacms",
        "place": "kursk-oblast",
        "outlet": "reuters",
        "type": "decision",
        "status": "confirmed",
        "q": "ATACMS",
        "date_from": "2024-01-01",
    }
    # 4 slug look-ups, count, page, 3 prefetches, 6 facets, histogram.
    with django_assert_max_num_queries(16):
        response = client.get(TIMELINE, query)
    assert [e.title for e in response.context["object_list"]] == ["Biden authorises ATACMS strikes"]


def test_event_page_shows_everything_with_its_citations(client, scenario):
    response = client.get(scenario.warning.get_absolute_url())
    assert response.status_code == 200
    html = main_html(response)
    assert '<h1 id="event-heading">Putin warns the West</h1>' in html
    assert '<time datetime="2024-11-21">21 Nov 2024</time>' in html
    assert "Warning / threat" in html
    assert "Claimed" in html
    putin = f'href="{scenario.putin.get_absolute_url()}">Vladimir Putin</a>'
    assert putin + ' <span class="role">(speaker)</span>' in html
    for citation in scenario.warning.citations.all():
        article_url = reverse("corpus:article-detail", kwargs={"slug": citation.article.slug})
        assert f'href="{article_url}?cite={citation.pk}#cite-{citation.pk}"' in html
        assert citation.quote in html
    assert 'Sources <span class="meta">(2)</span>' in html


def test_event_page_shows_month_precision_without_a_day(client, scenario):
    html = main_html(client.get(scenario.offensive.get_absolute_url()))
    known = '<span class="precision">(known to the month)</span>'
    assert '<time datetime="2024-08">Aug 2024</time> ' + known in html


def test_event_page_query_count_does_not_grow(client, db, django_assert_max_num_queries):
    build_many_events(1)
    event = EventFactory()
    for _ in range(10):
        CitationFactory(event=event)
    with django_assert_max_num_queries(4):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200


def test_unknown_event_is_404(client, db):
    assert client.get(reverse("timeline:event-detail", kwargs={"slug": "nope"})).status_code == 404


def test_timeline_with_the_curated_corpus_loaded(client, db, django_assert_max_num_queries):
    """Every fixtures/*.json loaded: the page renders within the same query budget."""
    paths = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
    if not paths:
        pytest.skip("no fixtures/*.json yet")
    call_command("loaddata", *map(str, paths), verbosity=0)
    with django_assert_max_num_queries(12):
        response = client.get(TIMELINE)
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(Event.objects.count(), 50)
    for event in Event.objects.all()[:5]:
        assert client.get(event.get_absolute_url()).status_code == 200
