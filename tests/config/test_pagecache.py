"""Whole analyst pages come from the page cache until the corpus changes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from config.pagecache import CACHED_HEADER
from corpus.extract import extract_mentions
from corpus.merge import merge_entities
from tests.curation import make_user
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
)

pytestmark = pytest.mark.django_db

TIMELINE = reverse("timeline:timeline")


def fetch(client, url, data=None):
    response = client.get(url, data or {})
    return response, response.get(CACHED_HEADER)


@pytest.fixture
def event():
    event = EventFactory(title="Biden authorises ATACMS strikes")
    EventActorFactory(event=event)
    CitationFactory(event=event)
    return event


@pytest.mark.parametrize(
    "url",
    [
        "/",
        TIMELINE,
        f"{TIMELINE}?type=decision",
        reverse("corpus:article-list"),
        reverse("corpus:actor-list"),
        f"{reverse('corpus:search')}?q=ATACMS",
    ],
)
def test_second_request_is_served_without_queries(client, event, url, django_assert_num_queries):
    first, state = fetch(client, url)
    assert (first.status_code, state) == (200, "miss")
    with django_assert_num_queries(0):
        second, state = fetch(client, url)
    assert (second.status_code, state) == (200, "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_detail_pages_are_cached_too(client, event):
    actor = event.event_actors.get().actor
    article = event.citations.get().article
    for url in (event.get_absolute_url(), actor.get_absolute_url(), article.get_absolute_url()):
        assert fetch(client, url)[1] == "miss"
        assert fetch(client, url)[1] == "hit"


def test_each_url_has_its_own_entry(client, event):
    fetch(client, TIMELINE, {"type": "decision"})
    assert fetch(client, TIMELINE, {"type": "strike"})[1] == "miss"
    assert fetch(client, TIMELINE, {"type": "decision", "page": "1"})[1] == "miss"


def test_an_edit_shows_on_the_next_request(client, event):
    fetch(client, event.get_absolute_url())
    event.title = "Biden lifts the ATACMS restrictions"
    event.save()
    response, state = fetch(client, event.get_absolute_url())
    assert state == "miss"
    assert "Biden lifts the ATACMS restrictions" in response.text


def test_new_mentions_from_extraction_show_on_the_next_request(client):
    actor = ActorFactory(name="Lloyd Austin", slug="lloyd-austin")
    article = ArticleFactory(body="Defence Secretary Lloyd Austin spoke on Tuesday.")
    fetch(client, actor.get_absolute_url())
    AliasFactory(entity=actor, name="Austin")
    extract_mentions(articles=[article])
    response, state = fetch(client, actor.get_absolute_url())
    assert state == "miss"
    assert article.title in response.text


def test_a_merge_redirects_the_merged_entitys_cached_page(client, event):
    survivor = event.event_actors.get().actor
    double = ActorFactory(name="J. Biden", slug="j-biden")
    assert fetch(client, double.get_absolute_url())[0].status_code == 200
    merge_entities(survivor=survivor, merged=[double])
    response = client.get(double.get_absolute_url())
    assert response.status_code == 301


def test_staff_and_the_public_have_their_own_copies(client, event):
    page = event.get_absolute_url()
    assert "Edit this event in the admin" not in fetch(client, page)[0].text
    client.force_login(make_user("analyst"))
    response, state = fetch(client, page)
    assert state == "miss"
    assert "Edit this event in the admin" in response.text
    assert fetch(client, page)[1] == "hit"
    client.logout()
    response, state = fetch(client, page)
    assert state == "hit"
    assert "Edit this event in the admin" not in response.text


def test_a_page_that_sets_a_cookie_is_not_stored(rf, event):
    from django.http import HttpResponse
    from django.views import View

    from config.pagecache import CorpusPageCacheMixin

    class Greeting(CorpusPageCacheMixin, View):
        def get(self, request):
            response = HttpResponse("hello")
            response.set_cookie("seen", "1")
            return response

    for _ in range(2):
        request = rf.get("/greeting/")
        request.user = AnonymousUser()
        assert CACHED_HEADER not in Greeting.as_view()(request)


def test_errors_are_not_cached(client, event):
    missing = reverse("timeline:event-detail", kwargs={"slug": "nope"})
    past_the_end = {"page": "99"}
    for _ in range(2):
        assert client.get(missing).status_code == 404
        response, state = fetch(client, TIMELINE, past_the_end)
        assert (response.status_code, state) == (404, None)


def test_streamed_exports_are_not_cached(client, event):
    for _ in range(2):
        response = client.get(TIMELINE, {"format": "csv"})
        assert response.streaming
        assert CACHED_HEADER not in response


def test_can_be_turned_off(client, event, settings):
    settings.SITREP_PAGE_CACHE_SECONDS = 0
    assert fetch(client, TIMELINE)[1] is None
    assert fetch(client, TIMELINE)[1] is None
