"""Timeline admin: events edited with their actors, weapons and citations; quotes checked;
concurrent edits caught; changelists in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.corpus.test_admin import form_data
from tests.curation import make_user, row_counts
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    EventWeaponFactory,
    PlaceFactory,
)
from timeline.models import Citation, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = make_user("curator")
    client.force_login(user)
    return user


def build_events(n: int):
    for _ in range(n):
        event = EventFactory(place=PlaceFactory())
        EventActorFactory(event=event)
        EventWeaponFactory(event=event)
        CitationFactory(event=event)


@pytest.mark.parametrize(
    "name",
    ["timeline_event", "timeline_citation", "timeline_eventactor", "timeline_eventweapon"],
)
def test_changelist_queries_do_not_grow_with_rows(client, curator, name):
    url = reverse(f"admin:{name}_changelist")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    build_events(2)
    few = count()
    build_events(6)
    assert count() == few <= 12


def test_event_change_form_has_inlines_with_autocomplete(
    client, curator, django_assert_max_num_queries
):
    event = EventFactory()
    EventActorFactory(event=event)
    CitationFactory(event=event)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("admin:timeline_event_change", args=[event.pk]))
    content = response.content.decode()
    assert [f.opts.model.__name__ for f in response.context["inline_admin_formsets"]] == [
        "EventActor",
        "EventWeapon",
        "Citation",
    ]
    for field in ["actor", "weapon", "article", "place"]:
        assert f'data-field-name="{field}"' in content
    assert f'href="{event.get_absolute_url()}"' in content


def test_event_changelist_links_to_the_public_page(client, curator):
    event = EventFactory()
    response = client.get(reverse("admin:timeline_event_changelist"))
    assert f'href="{event.get_absolute_url()}"' in response.content.decode()


def test_citation_quote_must_be_in_the_article_and_offsets_are_found(client, curator):
    article = ArticleFactory(body="Peskov said the decision adds fuel to the fire.")
    event = EventFactory()
    url = reverse("admin:timeline_citation_add")
    before = row_counts()
    response = client.post(
        url,
        {"event": event.pk, "article": article.pk, "quote": "pours oil", "start": "", "end": ""},
    )
    assert response.status_code == 200
    assert "not in the body" in str(response.context["adminform"].form.errors["quote"])
    assert row_counts() == before

    response = client.post(
        url,
        {
            "event": event.pk,
            "article": article.pk,
            "quote": "fuel to the fire",
            "start": 0,
            "end": 1,
        },
    )
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert article.body[citation.start : citation.end] == "fuel to the fire"


def test_concurrent_event_edits_do_not_overwrite_each_other(client, curator):
    event = EventFactory(title="Biden authorises ATACMS")
    EventActorFactory(event=event, actor=ActorFactory())
    url = reverse("admin:timeline_event_change", args=[event.pk])
    first, second = form_data(client.get(url)), form_data(client.get(url))

    assert client.post(url, {**first, "title": "Biden authorises ATACMS use"}).status_code == 302
    response = client.post(url, {**second, "summary": "Overwrites?"})

    assert response.status_code == 200
    assert "changed by someone else" in str(response.context["adminform"].form.non_field_errors())
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Biden authorises ATACMS use", "")


def test_concurrent_citation_edit_in_the_event_inline_is_caught(client, curator):
    article = ArticleFactory(body="Axios reported the decision on Sunday.")
    citation = CitationFactory(article=article, quote="Axios reported", start=0)
    url = reverse("admin:timeline_event_change", args=[citation.event.pk])
    data = form_data(client.get(url))
    Citation.objects.filter(pk=citation.pk).update(quote="Axios", end=5)

    response = client.post(url, {**data, "title": "Edited"})

    assert response.status_code == 200
    citation.refresh_from_db()
    assert citation.quote == "Axios"
    assert Event.objects.get(pk=citation.event.pk).title != "Edited"
