"""Home page, health check and error pages."""

from datetime import date
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    ArticleFactory,
    EventFactory,
    PlaceFactory,
    WeaponFactory,
)

pytestmark = pytest.mark.django_db


def test_home_page_shows_what_the_corpus_holds(client, django_assert_max_num_queries):
    canonical = ArticleFactory(published_on=date(2024, 11, 18))
    ArticleFactory(published_on=date(2024, 11, 19), duplicate_of=canonical)
    EventFactory(date=date(2023, 1, 1), date_precision="year")
    ActorFactory.create_batch(3)
    WeaponFactory.create_batch(2)
    PlaceFactory()

    with django_assert_max_num_queries(4):
        response = client.get(reverse("home"))

    assert response.status_code == 200
    text = response.content.decode()
    summary = response.context["summary"]
    assert (summary.articles, summary.duplicates, summary.events) == (2, 1, 1)
    assert (summary.actors, summary.weapons, summary.places) == (3, 2, 1)
    assert (summary.first_date, summary.last_date) == (date(2023, 1, 1), date(2024, 11, 19))
    assert "1 January 2023" in text and "19 November 2024" in text
    assert 'role="search"' in text


def test_home_page_on_an_empty_corpus_says_how_to_load_it(client):
    response = client.get(reverse("home"))
    assert "The corpus is empty" in response.content.decode()


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("config.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert "down" not in response.content.decode()


def test_404_page_is_custom_and_leaks_nothing(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Page not found" in text
    assert "urlpatterns" not in text and "config.urls" not in text


def test_unknown_entity_slug_is_404(client):
    response = client.get(reverse("corpus:actor-detail", kwargs={"slug": "nobody"}))
    assert response.status_code == 404


def test_500_page_is_custom_and_leaks_nothing(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with mock.patch("config.views.corpus_summary", side_effect=RuntimeError("secret detail")):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong" in text
    assert "secret detail" not in text and "Traceback" not in text


def test_pages_send_a_content_security_policy(client):
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
