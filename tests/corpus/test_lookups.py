"""``__any``: an id list as one array parameter, with the same rows as ``__in``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_any_matches_the_same_rows_as_in():
    articles = ArticleFactory.create_batch(4)
    copy = ArticleFactory(duplicate_of=articles[0])
    ids = [articles[0].pk, articles[2].pk, copy.pk]
    assert set(Article.objects.filter(pk__any=ids)) == set(Article.objects.filter(pk__in=ids))
    assert list(Article.objects.filter(duplicate_of__any=ids)) == [copy]
    assert not Article.objects.filter(pk__any=[]).exists()


def test_any_sends_one_parameter_however_many_ids():
    ArticleFactory()
    with CaptureQueriesContext(connection) as captured:
        list(Article.objects.filter(pk__any=list(range(2000))).values_list("pk"))
    assert captured.captured_queries[0]["sql"].count("ANY(") == 1
    _sql, params = Article.objects.filter(pk__any=list(range(2000))).query.sql_with_params()
    assert len(params) == 1


def test_any_of_a_subquery_matches_the_same_rows_as_in():
    """``__any=<queryset>`` is ``= ANY(ARRAY(SELECT ...))``: an init plan, not a semi-join."""
    articles = ArticleFactory.create_batch(3)
    copy = ArticleFactory(duplicate_of=articles[1])
    chosen = Article.objects.filter(pk__in=[articles[1].pk, copy.pk]).values("pk")
    assert set(Article.objects.filter(pk__any=chosen)) == {articles[1], copy}
    assert list(Article.objects.filter(duplicate_of__any=chosen)) == [copy]
    assert not Article.objects.filter(pk__any=Article.objects.none().values("pk")).exists()
    assert "= ANY(ARRAY(SELECT" in str(Article.objects.filter(pk__any=chosen).query)
