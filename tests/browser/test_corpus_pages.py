"""Entity, article and search pages in a real browser: follow links, search, axe-core."""

import re
from datetime import date

import pytest
from django.urls import reverse

from corpus.models import Article, Entity
from tests.browser.conftest import assert_accessible, assert_stylesheet_loaded
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    MentionFactory,
    PlaceFactory,
)
from timeline.choices import ActorRole
from timeline.models import Citation

pytestmark = pytest.mark.browser

BODY = (
    "Ukrainian President Zelensky said the missiles will speak for themselves.\n"
    "Fighting continued in Kursk Oblast."
)


@pytest.fixture
def story(transactional_db):
    zelensky = ActorFactory(name="Volodymyr Zelensky", slug="volodymyr-zelensky", country="UA")
    AliasFactory(entity=zelensky, name="Zelenskyy")
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    article = ArticleFactory(
        title="Zelensky hints at strikes", body=BODY, published_on=date(2024, 11, 17)
    )
    MentionFactory(article=article, entity=zelensky, start=BODY.index("Zelensky"), text="Zelensky")
    MentionFactory(article=article, entity=kursk, start=BODY.index("Kursk"), text="Kursk Oblast")
    event = EventFactory(title="Missiles will speak", date=date(2024, 11, 17))
    EventActorFactory(event=event, actor=zelensky, role=ActorRole.SPEAKER)
    quote = "the missiles will speak for themselves"
    citation = CitationFactory(event=event, article=article, quote=quote, start=BODY.index(quote))
    return {"entity": zelensky, "article": article, "citation": citation}


def test_follow_a_mention_from_the_reader_to_the_entity_page(page, live_server, story):
    page.goto(live_server.url + story["article"].get_absolute_url())
    page.locator("a.mention", has_text="Zelensky").click()
    page.wait_for_url(re.compile(r"/actors/volodymyr-zelensky/$"))
    assert page.locator("h1").inner_text() == "Volodymyr Zelensky"
    # The entity page quotes the statement and links back to the words in the article.
    page.locator(".statements a", has_text="Zelensky hints at strikes").click()
    page.wait_for_url(re.compile(r"\?cite=\d+#cite-\d+$"))
    active = page.locator("mark.cite-active")
    assert active.first.inner_text() == "the missiles will speak for themselves"


def test_search_with_a_misspelling_reaches_the_entity(page, live_server, story):
    page.goto(live_server.url + reverse("home"))
    page.get_by_label("Search the corpus").fill("Zelenskiy")
    page.get_by_label("Search the corpus").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Zelenskiy"))
    page.get_by_role("link", name="Volodymyr Zelensky").click()
    page.wait_for_url(re.compile(r"/actors/volodymyr-zelensky/$"))
    assert page.locator("h1").inner_text() == "Volodymyr Zelensky"


def test_name_filter_on_the_actor_list_works_with_the_keyboard(page, live_server, story):
    ActorFactory(name="Joe Biden")
    page.goto(live_server.url + reverse("corpus:actor-list"))
    page.get_by_label("Name").fill("Zelenskyy")
    page.get_by_label("Name").press("Enter")
    page.wait_for_url(re.compile(r"q=Zelenskyy"))
    rows = page.locator("table.entity-table tbody tr th")
    assert rows.all_inner_texts() == ["Volodymyr Zelensky"]


def test_raw_text_opens_without_javascript(browser, live_server, story):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + story["article"].get_absolute_url())
    assert not page.locator("details.raw-text pre").is_visible()
    page.locator("details.raw-text summary").click()
    assert page.locator("details.raw-text pre").is_visible()
    context.close()


def corpus_urls() -> dict[str, str]:
    """One URL per page type, from the curated corpus."""
    entity = Entity.objects.actors().get(slug="volodymyr-zelensky")
    article = Article.objects.filter(citations__isnull=False).first()
    citation = Citation.objects.filter(article=article).first()
    return {
        "home": reverse("home"),
        "actors": reverse("corpus:actor-list"),
        "weapons": reverse("corpus:weapon-list") + "?q=atacms",
        "places": reverse("corpus:place-list"),
        "actor page": entity.get_absolute_url(),
        "weapon page": reverse("corpus:weapon-detail", kwargs={"slug": "atacms"}),
        "place page": reverse("corpus:place-detail", kwargs={"slug": "kursk-oblast"}),
        "articles": reverse("corpus:article-list"),
        "articles with errors": reverse("corpus:article-list") + "?published_after=bad",
        "reader": f"{article.get_absolute_url()}?cite={citation.pk}&raw=1",
        "outlet": article.outlet.get_absolute_url(),
        "search": reverse("corpus:search") + "?q=ATACMs",
        "search odd": reverse("corpus:search") + "?q=%22%21%21",
    }


@pytest.mark.parametrize("width", [1280, 390])
def test_every_corpus_page_passes_axe(browser, live_server, corpus_fixtures, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    for name, url in corpus_urls().items():
        response = page.goto(live_server.url + url)
        assert response.status == 200, name
        assert_stylesheet_loaded(page)
        assert_accessible(page)
        # Nothing wider than the screen at phone width.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} overflows by {overflow}px at {width}px"
    context.close()
