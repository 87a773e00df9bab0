"""Keyset pagination: Next and Previous seek past a row's sort key instead of an OFFSET."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.keyset import decode_key, encode_key, seek
from corpus.models import Article
from tests.factories import ArticleFactory, OutletFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

ARTICLES = reverse("corpus:article-list")
ORDERING = ("-published_on", "title", "pk")


@pytest.fixture
def shelf():
    """70 articles over 4 days, with repeated titles on one day: every tie-breaker matters."""
    outlet = OutletFactory()
    for n in range(70):
        day = date(2024, 11, 18) - timedelta(days=n % 4)
        title = "Same title" if n % 4 == 0 else f"Report {n:02d}"
        ArticleFactory(outlet=outlet, published_on=day, title=title, slug=f"a-{n}")
    return list(Article.objects.order_by(*ORDERING))


def link(response, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]*)"', response.text)
    return html.unescape(found.group(1)) if found else None


def titles(response) -> list[str]:
    return [(a.published_on, a.title, a.pk) for a in response.context["articles"]]


def walk(client, rel: str, start: str) -> list:
    pages, url = [], start
    while url is not None:
        response = client.get(ARTICLES + url if url.startswith("?") else url)
        assert response.status_code == 200
        pages.append(response)
        url = link(response, rel)
    return pages


def test_next_visits_every_article_once_in_order_and_previous_walks_back(client, shelf):
    forward = walk(client, "next", ARTICLES)
    seen = [row for page in forward for row in titles(page)]
    assert seen == [(a.published_on, a.title, a.pk) for a in shelf]
    assert [page.context["page_obj"].number for page in forward] == [1, 2, 3]
    assert "Page 3 of 3" in forward[-1].text
    backward = walk(client, "prev", link(forward[-2], "next"))
    assert [titles(page) for page in backward] == [titles(page) for page in reversed(forward)]


def test_keyset_pages_use_no_offset_and_a_fixed_number_of_queries(client, shelf):
    second = link(client.get(ARTICLES), "next")
    assert "after=" in second
    with CaptureQueriesContext(connection) as captured:
        client.get(ARTICLES + second)
    assert not any("OFFSET" in query["sql"] for query in captured.captured_queries)
    assert len(captured) <= 4  # outlet choices, page, copies (the total is cached)


def test_a_page_number_alone_still_works_and_links_on_by_keyset(client, shelf):
    response = client.get(ARTICLES, {"page": "2"})
    assert titles(response) == [(a.published_on, a.title, a.pk) for a in shelf[25:50]]
    assert "after=" in link(response, "next")
    assert link(response, "prev") == "?"  # page 1 is the plain list


def test_filters_are_kept_across_pages(client, shelf):
    other = OutletFactory(slug="elsewhere")
    for n in range(30):
        ArticleFactory(outlet=other, title=f"Elsewhere {n:02d}", slug=f"e-{n}")
    second = link(client.get(ARTICLES, {"outlet": "elsewhere"}), "next")
    response = client.get(ARTICLES + second)
    assert "outlet=elsewhere" in second
    assert {a.outlet for a in response.context["articles"]} == {other}
    assert len(response.context["articles"]) == 5


@pytest.mark.parametrize("token", ["nonsense!", "W10", "WyJ4IiwiYSIsMV0", encode_key])
def test_a_broken_link_is_a_404_with_a_message(client, shelf, token):
    if callable(token):  # a well-formed key past the last article: that page has gone
        token = token(Article(published_on=date(2000, 1, 1), title="zzz", pk=10**9), ORDERING)
    response = client.get(ARTICLES, {"after": token, "page": "2"})
    assert response.status_code == 404


def test_seek_handles_mixed_directions(shelf):
    pivot = shelf[30]
    key = [pivot.published_on, pivot.title, pivot.pk]
    after = list(seek(Article.objects.all(), ORDERING, key, forward=True).order_by(*ORDERING))
    before = list(seek(Article.objects.all(), ORDERING, key, forward=False).order_by(*ORDERING))
    assert after == shelf[31:]
    assert before == shelf[:30]


def test_tokens_round_trip_typed_values(shelf):
    token = encode_key(shelf[5], ORDERING)
    assert decode_key(token, Article, ORDERING) == [
        shelf[5].published_on,
        shelf[5].title,
        shelf[5].pk,
    ]
