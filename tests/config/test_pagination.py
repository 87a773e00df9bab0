"""List totals come from the cache (or the timeline's histogram), not a COUNT(*) per request."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.pagination import KnownCountPaginator, filter_state
from corpus.models import Article
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

ARTICLES = reverse("corpus:article-list")


def count_queries(sql: list[str]) -> int:
    return sum(1 for query in sql if query.lstrip().upper().startswith("SELECT COUNT(*)"))


def get(client, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ARTICLES, data or {})
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def test_article_list_counts_once_per_filter_state(client):
    ArticleFactory.create_batch(30)
    first, cold = get(client)
    assert count_queries(cold) == 1
    second, warm = get(client, {"page": "2"})
    assert count_queries(warm) == 0
    assert second.context["paginator"].count == first.context["paginator"].count == 30
    assert len(second.context["articles"]) == 5


def test_a_new_article_shows_in_the_next_total(client):
    ArticleFactory.create_batch(3)
    assert get(client)[0].context["paginator"].count == 3
    ArticleFactory()
    assert get(client)[0].context["paginator"].count == 4


def test_filters_have_their_own_total(client):
    article = ArticleFactory()
    ArticleFactory.create_batch(2)
    get(client)
    response, _ = get(client, {"outlet": article.outlet.slug})
    assert response.context["paginator"].count == 1


def test_known_count_paginator_uses_the_given_total(django_assert_num_queries):
    with django_assert_num_queries(0):
        paginator = KnownCountPaginator(Article.objects.all(), 10, count=95)
        assert (paginator.count, paginator.num_pages) == (95, 10)


def test_filter_state_ignores_order_page_and_format():
    one = RequestFactory().get("/", {"b": ["2", "1"], "a": "x", "page": "3", "after": "WzFd"})
    other = RequestFactory().get("/", {"a": "x", "b": ["1", "2"], "format": "csv"})
    assert filter_state(one) == filter_state(other) == [("a", ["x"]), ("b", ["1", "2"])]
