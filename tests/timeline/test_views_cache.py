"""The timeline's facet counts and histogram come from the cache until the corpus changes.

These counts sit under the page cache (config/pagecache.py): they serve the first request of
each URL (every page of one filter state shares them), so these tests render every request.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.cache import corpus_version
from corpus.merge import merge_entities
from tests.factories import ActorFactory, EventActorFactory, EventFactory
from timeline.choices import EventType

TIMELINE = reverse("timeline:timeline")

pytestmark = pytest.mark.usefixtures("no_page_cache")


def get(client, query=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(TIMELINE, query or {})
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def counts(response, facet_name) -> dict[str, int]:
    facet = next(f for f in response.context["facets"] if f.name == facet_name)
    return {option.value: option.count for option in facet.options}


def test_second_request_reads_facets_and_histogram_from_the_cache(client, scenario):
    first, cold = get(client, {"type": "decision"})
    second, warm = get(client, {"type": "decision"})
    assert warm <= cold - 7  # six facet GROUP BYs and the histogram
    assert second.context["facets"] == first.context["facets"]
    assert second.context["histogram"] == first.context["histogram"]


def test_filter_order_and_page_number_share_one_cache_entry(client, scenario):
    _, cold = get(client, {"actor": "joe-biden", "type": "decision"})
    _, warm = get(client, {"type": "decision", "actor": "joe-biden", "page": "1"})
    assert warm <= cold - 7


def test_other_filters_are_not_served_from_another_filters_entry(client, scenario):
    decisions, _ = get(client, {"type": "decision"})
    strikes, _ = get(client, {"type": "strike"})
    assert strikes.context["histogram"] != decisions.context["histogram"]


def test_cold_timeline_with_two_filters_makes_at_most_12_queries(
    client, scenario, django_assert_max_num_queries
):
    """Actor look-up, page, 3 prefetches, 6 facets, histogram: the histogram's total is the
    paginator's count, so there is no COUNT(*) of its own."""
    query = {"actor": "joe-biden", "type": "decision"}
    with django_assert_max_num_queries(12):
        response = client.get(TIMELINE, query)
    assert response.context["paginator"].count == len(response.context["object_list"]) == 1


def test_page_count_comes_from_the_cached_histogram(client, db, django_assert_num_queries):
    from tests.timeline.conftest import build_many_events

    build_many_events(60)
    get(client)
    with django_assert_num_queries(4):  # the page of events and its cards' three queries
        response = client.get(TIMELINE, {"page": "2"})
    assert response.context["paginator"].count == 60
    assert len(response.context["object_list"]) == 10


def test_warm_timeline_with_two_filters_makes_at_most_12_queries(
    client, scenario, django_assert_max_num_queries
):
    query = {"actor": "joe-biden", "date_from": "2024-01-01", "date_to": "2024-12-31"}
    get(client, query)
    with django_assert_max_num_queries(12):
        response = client.get(TIMELINE, query)
    assert response.status_code == 200
    assert response.context["object_list"]


def test_saving_an_event_shows_fresh_counts_on_the_next_request(client, scenario):
    before, _ = get(client)
    version = corpus_version()
    scenario.warning.event_type = EventType.DECISION
    scenario.warning.save()
    assert corpus_version() > version
    after, _ = get(client)
    assert counts(after, "type")["decision"] == counts(before, "type")["decision"] + 1


def test_adding_and_removing_an_actor_shows_fresh_counts(client, scenario):
    get(client)
    newcomer = ActorFactory(name="Olaf Scholz", slug="olaf-scholz")
    link = EventActorFactory(event=scenario.warning, actor=newcomer)
    assert counts(get(client)[0], "actor")["olaf-scholz"] == 1
    link.delete()
    assert "olaf-scholz" not in counts(get(client)[0], "actor")


def test_a_merge_shows_fresh_counts(client, scenario):
    double = ActorFactory(name="J. Biden", slug="j-biden")
    EventActorFactory(event=scenario.sanctions, actor=double)
    assert "j-biden" in counts(get(client)[0], "actor")
    merge_entities(survivor=scenario.biden, merged=[double])
    assert "j-biden" not in counts(get(client)[0], "actor")


def facet_count_html(response, name, value) -> int:
    """The count printed beside one facet option."""
    html = response.content.decode()
    pattern = rf'name="{name}" value="{value}"[^>]*>[^<]*<span class="facet-count">(\d+)<'
    return int(re.search(pattern, html).group(1))


def test_rendered_filter_form_and_histogram_show_an_edit_on_the_next_request(client, scenario):
    before, _ = get(client)
    assert facet_count_html(before, "type", "decision") == 1
    scenario.warning.event_type = EventType.DECISION
    scenario.warning.save()
    after, _ = get(client, {"page": "1"})
    assert facet_count_html(after, "type", "decision") == 2


def test_rendered_filter_form_is_not_shared_between_filters(client, scenario):
    get(client, {"type": "decision"})
    html = get(client, {"type": "strike"})[0].content.decode()
    assert 'name="type" value="strike" checked' in html
    assert 'name="type" value="decision" checked' not in html


def test_rendered_histogram_follows_the_corpus(client, scenario):
    get(client, {"type": "decision"})
    EventFactory(title="Second decision", date="2024-11-18", event_type=EventType.DECISION)
    html = get(client, {"type": "decision"})[0].content.decode()
    assert "2 events, counted by day" in html
