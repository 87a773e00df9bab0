"""Entity lists (filters, forgiving name search, counts) and the entity page."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.choices import ActorKind, DatePrecision, PlaceKind, WeaponCategory
from corpus.models import Actor, Entity, EntityRedirect
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    EventWeaponFactory,
    MentionFactory,
    PlaceFactory,
    WeaponFactory,
)
from timeline.choices import ActorRole

pytestmark = pytest.mark.django_db
ACTORS = reverse("corpus:actor-list")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def mention(article, entity, words):
    start = article.body.index(words)
    return MentionFactory(article=article, entity=entity, start=start, text=words)


@pytest.fixture
def zelensky():
    person = ActorFactory(
        name="Volodymyr Zelensky", slug="volodymyr-zelensky", country="UA", role="President"
    )
    AliasFactory(entity=person, name="Zelenskyy")
    return person


# --- lists -----------------------------------------------------------------------------


def test_actor_list_shows_kind_country_role_and_counts(client, zelensky):
    article = ArticleFactory(body="Zelensky spoke. Zelensky again.")
    mention(article, zelensky, "Zelensky")
    MentionFactory(article=article, entity=zelensky, start=16, text="Zelensky")
    EventActorFactory(actor=zelensky, role=ActorRole.SPEAKER)
    WeaponFactory(name="ATACMS")
    response = client.get(ACTORS)
    text = response.content.decode()
    row = next(e for e in response.context["entities"] if e.pk == zelensky.pk)
    assert (row.mention_count, row.event_count) == (2, 1)
    assert "Ukraine" in text and "President" in text and "Person" in text
    assert "ATACMS" not in text  # weapons have their own list


def test_weapon_and_place_lists_show_range_and_parent(client):
    WeaponFactory(name="Storm Shadow", kind=WeaponCategory.CRUISE_MISSILE, range_km=250)
    russia = PlaceFactory(name="Russia", kind=PlaceKind.COUNTRY, country="RU")
    kursk = PlaceFactory(name="Kursk Oblast", parent=russia, country="RU")
    EventFactory(place=kursk)
    text = client.get(reverse("corpus:weapon-list")).content.decode()
    assert "Storm Shadow" in text and "250 km" in text and "Cruise missile" in text
    assert ">Category</th>" in text and ">Origin</th>" in text and "Any category" in text
    response = client.get(reverse("corpus:place-list"))
    row = next(e for e in response.context["entities"] if e.pk == kursk.pk)
    assert row.event_count == 1
    assert russia.get_absolute_url() in response.content.decode()


def test_filter_by_kind_and_country(client, zelensky):
    ActorFactory(name="Kremlin", kind=ActorKind.GOVERNMENT, country="RU")
    ActorFactory(name="Dmitry Peskov", country="RU")
    names = lambda r: [e.name for e in r.context["entities"]]  # noqa: E731
    assert names(client.get(ACTORS, {"kind": "government"})) == ["Kremlin"]
    assert names(client.get(ACTORS, {"country": "RU"})) == ["Dmitry Peskov", "Kremlin"]
    assert names(client.get(ACTORS, {"country": "RU", "kind": "person"})) == ["Dmitry Peskov"]


@pytest.mark.parametrize("spelling", ["Zelenskyy", "Zelenskiy", "zelensky", "Volodymyr"])
def test_name_search_forgives_spelling(client, zelensky, spelling):
    ActorFactory(name="Joe Biden")
    response = client.get(ACTORS, {"q": spelling})
    assert [e.pk for e in response.context["entities"]] == [zelensky.pk]


def test_name_search_finds_through_an_alias_only():
    weapon = WeaponFactory(name="ATACMS")
    AliasFactory(entity=weapon, name="Army Tactical Missile System")
    found = Entity.objects.weapons().fuzzy_named("Army Tactical Missle System")
    assert list(found) == [weapon]


@pytest.mark.parametrize(
    "params", [{"kind": "missile"}, {"country": "ZZ"}, {"kind": "ballistic_missile"}]
)
def test_invalid_filter_values_show_an_error_and_no_results(client, zelensky, params):
    response = client.get(ACTORS, params)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Some filter values could not be used" in text
    assert list(response.context["entities"]) == []


@pytest.mark.parametrize("page", ["abc", "999999", "0"])
def test_bad_page_numbers_are_404(client, zelensky, page):
    assert client.get(ACTORS, {"page": page}).status_code == 404


def test_pagination_keeps_the_filters(client):
    ActorFactory.create_batch(55, country="RU")
    text = client.get(ACTORS, {"country": "RU"}).content.decode()
    assert "?country=RU&amp;page=2" in text


def test_entity_list_query_count_is_fixed_with_many_rows(client, django_assert_max_num_queries):
    article = ArticleFactory(body="x " * 50)
    for i in range(60):
        actor = ActorFactory(country="UA", role=f"Role {i}")
        AliasFactory(entity=actor, name=f"Alias {i}")
        MentionFactory(article=article, entity=actor, start=i, text="x")
        EventActorFactory(actor=actor)
    # country choices, count, the page's ids, the page's rows with their counts
    with django_assert_max_num_queries(4):
        response = client.get(ACTORS)
    assert len(response.context["entities"]) == 50
    with django_assert_max_num_queries(4):
        client.get(ACTORS, {"q": "Person 1", "country": "UA"})
    with django_assert_max_num_queries(4):
        client.get(reverse("corpus:place-list"))


def test_a_list_page_counts_only_its_own_rows(client):
    """Counted in the paged query, every row an OFFSET skips would be counted too."""
    actors = [ActorFactory(name=f"Actor {i:02}") for i in range(55)]
    article = ArticleFactory(body="x " * 60)
    for start, actor in enumerate(actors):
        MentionFactory(article=article, entity=actor, start=start, text="x")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ACTORS, {"page": 2})
    assert [(e.name, e.mention_count) for e in response.context["entities"]] == [
        (f"Actor {i}", 1) for i in range(50, 55)
    ]
    counting = [q["sql"] for q in queries if "corpus_mention" in q["sql"]]
    assert len(counting) == 1 and "OFFSET" not in counting[0]


def test_the_name_search_keeps_its_closest_first_order_with_counts(client, zelensky):
    ActorFactory(name="Volodymyr Zelensky Foundation")
    mention(ArticleFactory(body="Zelensky said."), zelensky, "Zelensky")
    entities = client.get(ACTORS, {"q": "Volodymyr Zelensky"}).context["entities"]
    assert [(e.name, e.mention_count) for e in entities] == [
        ("Volodymyr Zelensky", 1),
        ("Volodymyr Zelensky Foundation", 0),
    ]


# --- the entity page -------------------------------------------------------------------


@pytest.fixture
def dossier(zelensky):
    """Zelensky named in two articles, speaker of one event, subject of another."""
    body = "Ukrainian President Zelensky said missiles will speak for themselves. Biden agreed."
    first = ArticleFactory(title="First", body=body, published_on=date(2024, 11, 17))
    second = ArticleFactory(
        title="Second", body="Zelensky and Biden met in Kursk.", published_on=date(2024, 11, 18)
    )
    biden = ActorFactory(name="Joe Biden")
    kursk = PlaceFactory(name="Kursk Oblast")
    for article in (first, second):
        mention(article, zelensky, "Zelensky")
        mention(article, biden, "Biden")
    mention(second, kursk, "Kursk")
    statement = EventFactory(
        title="Missiles will speak", date=date(2024, 11, 17), event_type="statement"
    )
    EventActorFactory(event=statement, actor=zelensky, role=ActorRole.SPEAKER)
    quote = "missiles will speak for themselves"
    citation = CitationFactory(event=statement, article=first, quote=quote, start=body.index(quote))
    monthly = EventFactory(
        title="Talks in November", date=date(2024, 11, 1), date_precision=DatePrecision.MONTH
    )
    EventActorFactory(event=monthly, actor=zelensky, role=ActorRole.SUBJECT)
    yearly = EventFactory(
        title="A year of war", date=date(2023, 1, 1), date_precision=DatePrecision.YEAR
    )
    EventActorFactory(event=yearly, actor=zelensky, role=ActorRole.PARTICIPANT)
    return {"entity": zelensky, "citation": citation, "biden": biden, "kursk": kursk}


def test_entity_page_shows_facts_aliases_and_precise_dates(client, dossier):
    text = client.get(dossier["entity"].get_absolute_url()).content.decode()
    assert "<h1>Volodymyr Zelensky</h1>" in text
    assert "President" in text and "Ukraine" in text and "Zelenskyy" in text
    assert '<time datetime="2024-11">Nov 2024</time>' in text
    assert '<time datetime="2023">2023</time>' in text
    assert '<time datetime="2024-11-17">17 Nov 2024</time>' in text
    assert text.index("A year of war") < text.index("Talks in November")
    assert "as speaker" in text


def test_entity_page_shows_statements_with_their_source(client, dossier):
    citation = dossier["citation"]
    text = client.get(dossier["entity"].get_absolute_url()).content.decode()
    assert "<p>missiles will speak for themselves</p>" in text
    link = reverse("corpus:article-detail", kwargs={"slug": citation.article.slug})
    assert f"{link}?cite={citation.pk}#cite-{citation.pk}" in text
    assert citation.article.outlet.name in text


def test_entity_page_shows_articles_with_marked_snippets_and_co_mentions(client, dossier):
    response = client.get(dossier["entity"].get_absolute_url())
    text = response.content.decode()
    assert "Ukrainian President <mark>Zelensky</mark> said" in text
    assert "<mark>Zelensky</mark> and Biden met" in text
    co = {e.name: e.shared_articles for e in response.context["co_mentions"]}
    assert co == {"Joe Biden": 2, "Kursk Oblast": 1}


def test_entity_page_draws_an_accessible_sparkline(client, dossier):
    text = client.get(dossier["entity"].get_absolute_url()).content.decode()
    assert '<svg class="sparkline" role="img"' in text
    assert "2 mentions, 17 Nov 2024 to 18 Nov 2024" in text
    assert "style=" not in text


def test_snippets_escape_markup_from_the_source(client, zelensky):
    article = ArticleFactory(body='<script>alert("x")</script> Zelensky <b>spoke</b>.')
    mention(article, zelensky, "Zelensky")
    text = client.get(zelensky.get_absolute_url()).content.decode()
    assert "<script>alert" not in text and "<b>spoke" not in text
    assert "&lt;script&gt;" in text


def test_admin_link_only_for_staff(client, admin_client, dossier):
    entity = dossier["entity"]
    admin_url = reverse("admin:corpus_actor_change", args=[entity.pk])
    assert admin_url not in client.get(entity.get_absolute_url()).content.decode()
    assert admin_url in admin_client.get(entity.get_absolute_url()).content.decode()


def test_weapon_page_shows_category_origin_range_and_events(client):
    weapon = WeaponFactory(name="Storm Shadow", kind="cruise_missile", country="GB", range_km=250)
    EventWeaponFactory(weapon=weapon, event=EventFactory(title="Storm Shadow strike"))
    text = client.get(weapon.get_absolute_url()).content.decode()
    assert "Cruise missile" in text and "United Kingdom" in text and "250 km" in text
    assert "Storm Shadow strike" in text and "Statements" not in text


def test_place_page_shows_parent_children_and_events_there(client):
    russia = PlaceFactory(name="Russia", kind=PlaceKind.COUNTRY)
    kursk = PlaceFactory(name="Kursk Oblast", parent=russia)
    PlaceFactory(name="Sudzha", kind=PlaceKind.CITY, parent=kursk)
    EventFactory(title="Fighting in Kursk", place=kursk)
    text = client.get(kursk.get_absolute_url()).content.decode()
    assert russia.get_absolute_url() in text and "Sudzha" in text
    assert "Fighting in Kursk" in text


def test_place_page_lists_the_events_of_the_places_inside_it_naming_their_place(client):
    russia = PlaceFactory(name="Russia", kind=PlaceKind.COUNTRY)
    kursk = PlaceFactory(name="Kursk Oblast", parent=russia)
    sudzha = PlaceFactory(name="Sudzha", kind=PlaceKind.CITY, parent=kursk)
    EventFactory(title="Moscow reacts", place=russia)
    EventFactory(title="Sudzha taken", place=sudzha)
    EventFactory(title="Kyiv statement", place=PlaceFactory(name="Kyiv"))
    response = client.get(russia.get_absolute_url())
    lines = {line.title: line.facts for line in response.context["events"]}
    assert set(lines) == {"Moscow reacts", "Sudzha taken"}
    assert lines["Sudzha taken"].endswith("· Sudzha") and "Russia" not in lines["Moscow reacts"]
    assert "Here and in the places inside Russia" in response.content.decode()
    # A place with nothing inside it has no such note.
    assert "places inside" not in client.get(sudzha.get_absolute_url()).content.decode()


def test_entity_page_queries_fold_aliases_in_and_only_places_look_up_children(
    client, django_assert_num_queries
):
    russia = PlaceFactory(name="Russia", kind=PlaceKind.COUNTRY)
    PlaceFactory(name="Kursk Oblast", parent=russia)
    actor = ActorFactory()
    for name in ("Zelenskyy", "Selenskyj", "Zelenskiy"):
        AliasFactory(entity=actor, name=name)
    # entity with its aliases (and whether it ever speaks: no, so no statements query),
    # events, articles, article count, co-mentions, daily counts
    with django_assert_num_queries(6):
        text = client.get(actor.get_absolute_url()).content.decode()
    assert "<dt>Also written</dt><dd>Selenskyj, Zelenskiy, Zelenskyy</dd>" in text
    assert "No statements recorded" in text
    with django_assert_num_queries(7):  # no statements on a place page, but its children
        text = client.get(russia.get_absolute_url()).content.decode()
    assert "Kursk Oblast" in text and "<dt>Also written</dt><dd>—</dd>" in text


def test_only_an_actor_that_speaks_has_its_statements_looked_up(client, django_assert_num_queries):
    speaker, subject = ActorFactory(), ActorFactory()
    event = EventFactory()
    EventActorFactory(event=event, actor=speaker, role=ActorRole.SPEAKER)
    EventActorFactory(event=event, actor=subject, role=ActorRole.TARGET)
    CitationFactory(event=event, quote="We will answer.")
    assert [(a.pk, a.speaks) for a in Actor.objects.with_speaker_flag().order_by("pk")] == [
        (speaker.pk, True),
        (subject.pk, False),
    ]
    with django_assert_num_queries(7):  # the statements query
        assert "<p>We will answer.</p>" in client.get(speaker.get_absolute_url()).content.decode()
    with django_assert_num_queries(6):
        assert "We will answer." not in client.get(subject.get_absolute_url()).content.decode()


def test_entity_page_links_its_events_on_the_timeline(client, dossier):
    text = client.get(dossier["entity"].get_absolute_url()).content.decode()
    assert reverse("timeline:timeline") + "?actor=volodymyr-zelensky" in text


def test_a_merged_entity_old_slug_redirects_permanently(client, zelensky):
    EntityRedirect.objects.create(old_slug="zelenskyy", entity=zelensky)
    response = client.get(reverse("corpus:actor-detail", kwargs={"slug": "zelenskyy"}))
    assert response.status_code == 301
    assert response["Location"] == zelensky.get_absolute_url()


def test_wrong_type_url_is_404(client, zelensky):
    url = reverse("corpus:weapon-detail", kwargs={"slug": zelensky.slug})
    assert client.get(url).status_code == 404


def test_entity_page_query_count_is_fixed_with_many_rows(
    client, dossier, django_assert_max_num_queries
):
    entity = dossier["entity"]
    for i in range(40):
        article = ArticleFactory(body="Zelensky met Biden. " * 3, published_on=date(2024, 10, 1))
        for start in (0, 20, 40):
            MentionFactory(article=article, entity=entity, start=start, text="Zelensky")
        other = ActorFactory()
        MentionFactory(article=article, entity=other, start=13, text="Biden")
        event = EventFactory(date=date(2024, 10, i % 28 + 1))
        EventActorFactory(event=event, actor=entity, role=ActorRole.SPEAKER)
        CitationFactory(event=event, article=article)
    # entity with its aliases, events, statements, articles, their snippets,
    # article count, co-mentions, daily counts (a place's page adds its children)
    with django_assert_max_num_queries(8):
        response = client.get(entity.get_absolute_url())
    assert len(response.context["articles"]) == 20
    assert all(len(a.snippets) <= 3 for a in response.context["articles"])
    assert response.context["article_count"] == 42


@pytest.mark.skipif(not (FIXTURES / "30_articles.json").exists(), reason="no curated corpus yet")
def test_curated_corpus_entity_pages(client, django_assert_max_num_queries):
    call_command("loaddata", *map(str, sorted(FIXTURES.glob("*.json"))), verbosity=0)
    for entity in Entity.objects.all():
        with django_assert_max_num_queries(10):
            response = client.get(entity.get_absolute_url())
        assert response.status_code == 200
    for name in ("actor", "weapon", "place"):
        with django_assert_max_num_queries(4):
            assert client.get(reverse(f"corpus:{name}-list")).status_code == 200


@pytest.mark.parametrize("params", [{"q": "Zel\x00"}, {"q": "x" * 300}, {"kind": "\x00"}])
def test_odd_name_search_input_is_a_form_error(client, zelensky, params):
    response = client.get(ACTORS, params)
    assert response.status_code == 200
    assert "Some filter values could not be used" in response.content.decode()
    assert list(response.context["entities"]) == []
