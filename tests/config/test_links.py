"""SlugRoute: reverse() once per route, the same URLs as reverse() for every slug."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config.links import SlugRoute

ROUTES = ["corpus:article-detail", "corpus:actor-detail", "timeline:event-detail"]


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("slug", ["kursk-oblast", "a", "x_1-2", "0slugplaceholder0-tail"])
def test_same_url_as_reverse(name, slug):
    assert SlugRoute(name)(slug) == reverse(name, kwargs={"slug": slug})


def test_reverses_once_per_route_not_per_slug(monkeypatch):
    route = SlugRoute("corpus:article-detail")
    calls = []
    monkeypatch.setattr("config.links.reverse", lambda *a, **k: calls.append(a))
    route("one")
    route("two")
    assert calls == []


def test_a_slug_the_route_refuses_fails_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        SlugRoute("corpus:article-detail")("not a slug/..")


def test_keeps_the_script_prefix_it_was_made_under():
    set_script_prefix("/sitrep/")
    try:
        route = SlugRoute("corpus:article-detail")
        assert (
            route("kursk")
            == "/sitrep/articles/kursk/"
            == reverse("corpus:article-detail", kwargs={"slug": "kursk"})
        )
    finally:
        set_script_prefix("/")
