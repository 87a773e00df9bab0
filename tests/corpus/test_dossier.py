"""The entity page's costliest sections (co-mentions, activity, article count) are cached per
entity."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.extract import extract_mentions
from tests.factories import ActorFactory, ArticleFactory, MentionFactory

pytestmark = pytest.mark.django_db


def get(client, entity):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(entity.get_absolute_url())
    assert response.status_code == 200
    return response, len(captured.captured_queries)


@pytest.fixture
def zelensky():
    person = ActorFactory(name="Volodymyr Zelensky", slug="volodymyr-zelensky")
    article = ArticleFactory(body="Volodymyr Zelensky met Emmanuel Macron in Paris.")
    MentionFactory(article=article, entity=person, text="Volodymyr Zelensky")
    return person


@pytest.mark.usefixtures("no_page_cache")
def test_second_entity_page_reads_its_aggregates_from_the_cache(client, zelensky):
    first, cold = get(client, zelensky)
    second, warm = get(client, zelensky)
    assert warm <= cold - 3  # co-mentions, activity by day, article count
    assert second.context["activity"] == first.context["activity"]
    assert second.context["article_count"] == first.context["article_count"] == 1
    assert second.context["activity"].text


def test_entities_do_not_share_an_entry(client, zelensky):
    get(client, zelensky)
    other = ActorFactory(name="Joe Biden", slug="joe-biden")
    assert get(client, other)[0].context["activity"].bars == []


def test_extraction_shows_fresh_co_mentions_on_the_next_request(client, zelensky):
    """Mentions are written with raw SQL (no signals), so extract_mentions bumps the version."""
    ActorFactory(name="Emmanuel Macron", slug="emmanuel-macron")
    assert get(client, zelensky)[0].context["co_mentions"] == []
    extract_mentions()
    co_mentions = get(client, zelensky)[0].context["co_mentions"]
    assert [(e.name, e.shared_articles) for e in co_mentions] == [("Emmanuel Macron", 1)]
