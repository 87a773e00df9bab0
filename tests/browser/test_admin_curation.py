"""Curation in a real browser, logged in as a curator: merge two actors from the changelist,
and turn an unknown name into an entity from the review queue."""

import pytest
from django.urls import reverse

from corpus.models import Entity, EntityRedirect, Mention, ReviewStatus, UnknownName
from corpus.review import detect_unknown_names
from tests.curation import PASSWORD, make_user, row_counts
from tests.factories import ActorFactory, AliasFactory, ArticleFactory, MentionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def curator_page(page, live_server, transactional_db):
    make_user("curator", username="cora")
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + reverse("admin:index"))
    return page


def test_curator_merges_two_actors_in_the_browser(curator_page, live_server):
    page = curator_page
    survivor = ActorFactory(name="Joe Biden")
    merged = ActorFactory(name="Biden")
    MentionFactory(entity=merged)
    before = row_counts()

    page.goto(live_server.url + reverse("admin:corpus_actor_changelist"))
    for name in ["Joe Biden", "Biden"]:
        page.get_by_role("row", name=name, exact=False).first.get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("merge_selected")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("What each entity holds now").wait_for()
    page.get_by_label("Joe Biden").check()
    page.get_by_role("button", name="Merge into the selected entity").click()

    page.get_by_text("Merged Biden into Joe Biden").wait_for()
    after = row_counts()
    assert after["Entity"] == before["Entity"] - 1
    assert after["Mention"] == before["Mention"] == Mention.objects.filter(entity=survivor).count()
    assert EntityRedirect.objects.get(old_slug=merged.slug).entity_id == survivor.pk


def test_curator_creates_an_entity_from_the_review_queue(curator_page, live_server):
    page = curator_page
    ArticleFactory(body="French Foreign Minister Jean-Noël Barrot spoke to NATO allies.")
    AliasFactory(entity=ActorFactory(name="NATO"), name="NATO")
    detect_unknown_names()
    before = row_counts()

    page.goto(live_server.url + reverse("admin:corpus_unknownname_changelist"))
    row = page.get_by_role("row", name="Jean-Noël Barrot", exact=False)
    assert "French Foreign Minister" in row.inner_text()
    row.get_by_role("link", name="create entity").click()
    assert page.get_by_label("Role").input_value() == "French Foreign Minister"
    page.get_by_role("button", name="Create entity and re-extract").click()

    page.get_by_text("Created").first.wait_for()
    entity = Entity.objects.get(slug="jean-noel-barrot")
    assert row_counts()["Entity"] == before["Entity"] + 1
    assert Mention.objects.filter(entity=entity).count() == 1
    name = UnknownName.objects.get(normalised="jean-noël barrot")
    assert name.status == ReviewStatus.RESOLVED
