"""A CompiledQuery gives the QuerySet's own rows, compiling its SQL once."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.compiled import PLACEHOLDERS, CompiledQuery
from corpus.models import Article, Mention
from tests.factories import ActorFactory, ArticleFactory, MentionFactory

pytestmark = pytest.mark.django_db


def naming(entity_id):
    return (
        Article.objects.mentioning(entity_id)
        .order_by("-published_on", "title")
        .values_list("pk", "title", "published_on")
    )


def spans(entity_id, article_ids):
    return (
        Mention.objects.filter(entity=entity_id, article__any=article_ids)
        .order_by("article", "start")
        .values_list("article", "start", "text")
    )


@pytest.fixture
def two_actors():
    biden, putin = ActorFactory(), ActorFactory()
    for day in (3, 1, 2):
        article = ArticleFactory(body="Biden and Putin.", published_on=date(2024, 11, day))
        MentionFactory(article=article, entity=biden, start=0, text="Biden")
        if day != 2:
            MentionFactory(article=article, entity=putin, start=10, text="Putin")
    return biden, putin


def test_rows_are_the_querysets_rows_for_every_argument(two_actors):
    query = CompiledQuery(Article, naming)
    for actor in (*two_actors, ActorFactory()):
        assert query(actor.pk) == list(naming(actor.pk))
    assert len(query(two_actors[0].pk)) == 3 and len(query(two_actors[1].pk)) == 2


def test_a_list_argument_goes_in_as_one_array(two_actors):
    biden, _putin = two_actors
    query = CompiledQuery(Mention, spans, placeholders=(PLACEHOLDERS[0], [PLACEHOLDERS[1]]))
    ids = list(Article.objects.values_list("pk", flat=True)[:2])
    assert query(biden.pk, ids) == list(spans(biden.pk, ids))
    assert query(biden.pk, []) == []


def test_the_queryset_is_built_and_compiled_once(two_actors):
    built = []

    def build(entity_id):
        built.append(entity_id)
        return naming(entity_id)

    query = CompiledQuery(Article, build)
    for actor in two_actors:
        with CaptureQueriesContext(connection) as captured:
            query(actor.pk)
        assert len(captured.captured_queries) == 1
    assert built == [PLACEHOLDERS[0]]


def test_an_argument_that_is_not_a_parameter_is_refused():
    # The entity id folded into the SQL (here: not used at all) cannot be replaced later.
    query = CompiledQuery(Article, lambda entity_id: Article.objects.values_list("pk"))
    with pytest.raises(ValueError, match="not parameters"):
        query(1)
