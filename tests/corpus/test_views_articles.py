"""Article list (filters, folded near-duplicates), the reader and the outlet page."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from corpus.models import Article, Entity
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventFactory,
    MentionFactory,
    OutletFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db
ARTICLES = reverse("corpus:article-list")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def titles(response):
    return [a.title for a in response.context["articles"]]


# --- the list --------------------------------------------------------------------------


@pytest.fixture
def shelf():
    tass = OutletFactory(name="TASS")
    ap = OutletFactory(name="AP")
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    early = ArticleFactory(title="Early", outlet=tass, published_on=date(2024, 11, 1))
    late = ArticleFactory(title="Late", outlet=ap, published_on=date(2024, 11, 20))
    copy = ArticleFactory(
        title="Late (syndicated)", outlet=tass, published_on=date(2024, 11, 21), duplicate_of=late
    )
    MentionFactory(article=late, entity=kursk, start=49, text="Kursk")
    MentionFactory(article=late, entity=kursk, start=0, text="Ukrai")
    return {"tass": tass, "ap": ap, "early": early, "late": late, "copy": copy}


def test_list_folds_near_duplicates_under_their_canonical_article(client, shelf):
    response = client.get(ARTICLES)
    assert titles(response) == ["Late", "Early"]
    text = response.content.decode()
    assert "Also published as" in text and shelf["copy"].get_absolute_url() in text


def test_a_copy_stays_listed_when_its_canonical_is_filtered_out(client, shelf):
    response = client.get(ARTICLES, {"outlet": "tass"})
    assert titles(response) == ["Late (syndicated)", "Early"]


def test_filter_by_dates_and_entity(client, shelf):
    assert titles(client.get(ARTICLES, {"published_after": "2024-11-15"})) == ["Late"]
    assert titles(client.get(ARTICLES, {"published_before": "2024-11-15"})) == ["Early"]
    response = client.get(ARTICLES, {"entity": "kursk-oblast"})
    assert titles(response) == ["Late"]  # one row although it names Kursk twice
    assert "naming" in response.content.decode()


@pytest.mark.parametrize("typed", ["Kursk Oblast", "kursk oblast", "  KURSK OBLAST ", "Kursk"])
def test_entity_filter_takes_a_name_or_an_alias_in_any_case(client, shelf, typed):
    AliasFactory(entity=Entity.objects.get(slug="kursk-oblast"), name="Kursk")
    response = client.get(ARTICLES, {"entity": typed})
    assert titles(response) == ["Late"]
    assert 'naming <a href="/places/kursk-oblast/">Kursk Oblast</a>' in response.content.decode()


def test_a_name_several_entities_have_lists_them_with_their_slugs(client, shelf):
    ActorFactory(name="Russia", slug="russia", kind="government")
    PlaceFactory(name="Russia", slug="russia-country", kind="country")
    response = client.get(ARTICLES, {"entity": "russia "})  # the slug wins over the name
    assert response.context["filter"].form.cleaned_data["entity"].slug == "russia"
    text = client.get(ARTICLES, {"entity": "RUSSIA"}).content.decode()
    assert (
        "Several entities have this name: Russia, Government / state (russia); "
        "Russia, Country (russia-country). Enter the slug of the one you mean."
    ) in text


def test_an_unknown_name_suggests_the_closest_entities(client, shelf):
    ActorFactory(name="Joe Biden", slug="joe-biden")
    text = client.get(ARTICLES, {"entity": "Joe Bidden"}).content.decode()
    assert "No entity has this name or slug. Closest: Joe Biden, Person (joe-biden)." in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"published_after": "2024-13-45"}, "(“2024-13-45”): Enter a valid date"),
        ({"published_before": "yesterday"}, "Enter a valid date"),
        ({"entity": "no-such-entity"}, "(“no-such-entity”): No entity has this name or slug."),
        ({"entity": "x" * 201}, "a name or slug of at most 200 characters"),
        ({"outlet": "no-such-outlet"}, "No outlet has this slug."),
        (
            {"published_after": "2024-11-20", "published_before": "2024-11-01"},
            "is after the",
        ),
    ],
)
def test_invalid_filters_say_so_and_list_nothing(client, shelf, params, message):
    response = client.get(ARTICLES, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert titles(response) == []


@pytest.mark.parametrize("page", ["abc", "999999"])
def test_bad_pages_are_404(client, shelf, page):
    assert client.get(ARTICLES, {"page": page}).status_code == 404


def test_pagination_keeps_filters(client):
    outlet = OutletFactory(name="Reuters")
    ArticleFactory.create_batch(30, outlet=outlet)
    text = client.get(ARTICLES, {"outlet": "reuters"}).content.decode()
    assert "?outlet=reuters&amp;page=2" in text


def test_list_query_count_is_fixed_with_many_rows(client, django_assert_max_num_queries):
    outlets = OutletFactory.create_batch(5)
    kursk = PlaceFactory(name="Kursk", slug="kursk")
    for i in range(60):
        article = ArticleFactory(outlet=outlets[i % 5])
        ArticleFactory(outlet=outlets[(i + 1) % 5], duplicate_of=article)
        MentionFactory(article=article, entity=kursk, start=49, text="Kursk")
    # outlet choices, count, page, copies
    with django_assert_max_num_queries(4):
        response = client.get(ARTICLES)
    assert len(response.context["articles"]) == 25
    with django_assert_max_num_queries(6):
        client.get(ARTICLES, {"entity": "kursk", "outlet": outlets[0].slug, "page": 2})


@pytest.mark.usefixtures("no_page_cache")
def test_warm_list_runs_only_its_page_and_copies_queries(client, django_assert_num_queries):
    """The total and the rendered filter form (its outlet choices) are cached."""
    ArticleFactory.create_batch(3, outlet=OutletFactory())
    client.get(ARTICLES)
    with django_assert_num_queries(2):
        response = client.get(ARTICLES)
    assert len(response.context["articles"]) == 3


@pytest.mark.usefixtures("no_page_cache")
def test_cached_filter_form_shows_a_new_outlet_on_the_next_request(client, shelf):
    client.get(ARTICLES)
    OutletFactory(name="Kyiv Independent", slug="kyiv-independent")
    assert '<option value="kyiv-independent">Kyiv Independent</option>' in (
        client.get(ARTICLES).content.decode()
    )


@pytest.mark.usefixtures("no_page_cache")
def test_cached_filter_form_offers_clear_only_on_a_url_with_parameters(client):
    ArticleFactory.create_batch(30, outlet=OutletFactory())
    clear = f'<a href="{ARTICLES}">Clear</a>'
    assert clear not in client.get(ARTICLES).content.decode()
    assert clear in client.get(ARTICLES, {"page": "2"}).content.decode()
    assert clear not in client.get(ARTICLES).content.decode()


# --- the reader ------------------------------------------------------------------------


@pytest.fixture
def reader():
    body = (
        "Biden allowed Ukraine to use ATACMS in Kursk Oblast.\n"
        'Peskov said it would <script>alert("x")</script> add fuel to the fire.'
    )
    article = ArticleFactory(
        title="Biden allows ATACMS", body=body, raw_text="RAW HEADER\n" + body, authors=["A. B."]
    )
    biden = ActorFactory(name="Joe Biden", slug="joe-biden")
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    kursk_city = PlaceFactory(name="Kursk", slug="kursk")
    MentionFactory(article=article, entity=biden, start=0, text="Biden")
    MentionFactory(article=article, entity=kursk, start=body.index("Kursk"), text="Kursk Oblast")
    MentionFactory(article=article, entity=kursk_city, start=body.index("Kursk"), text="Kursk")
    quote = "add fuel to the fire"
    event = EventFactory(title="Kremlin warns")
    citation = CitationFactory(event=event, article=article, quote=quote, start=body.index(quote))
    first = CitationFactory(
        event=EventFactory(title="Biden decides"), article=article, quote="Biden allowed Ukraine"
    )
    return {"article": article, "citation": citation, "first": first, "event": event}


def test_reader_links_every_mention_and_splits_paragraphs(client, reader):
    text = client.get(reader["article"].get_absolute_url()).content.decode()
    assert '<a class="mention" href="/actors/joe-biden/" title="Joe Biden">Biden</a>' in text
    assert 'href="/places/kursk-oblast/" title="Kursk Oblast">Kursk Oblast</a>' in text
    assert 'href="/places/kursk/"' not in text.split('class="article-body"')[1].split("</div>")[0]
    assert "A. B." in text


def test_reader_escapes_markup_in_the_body(client, reader):
    text = client.get(reader["article"].get_absolute_url()).content.decode()
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text


def test_reader_highlights_cited_quotes_and_the_requested_one(client, reader):
    citation = reader["citation"]
    url = reader["article"].get_absolute_url()
    text = client.get(url, {"cite": citation.pk}).content.decode()
    assert (
        f'<mark class="cite cite-active" id="cite-{citation.pk}">add fuel to the fire</mark>'
        in (text)
    )
    assert f'<mark class="cite" id="cite-{reader["first"].pk}">' in text
    assert reader["event"].get_absolute_url() in text and "Kremlin warns" in text


@pytest.mark.parametrize("cite", ["abc", "999999", "-1"])
def test_unknown_citation_is_a_notice_not_an_error(client, reader, cite):
    response = client.get(reader["article"].get_absolute_url(), {"cite": cite})
    assert response.status_code == 200
    assert "not one of this article" in response.content.decode()
    assert "cite-active" not in response.content.decode()


def test_raw_text_is_available_without_javascript(client, reader):
    url = reader["article"].get_absolute_url()
    text = client.get(url).content.decode()
    assert "<details" in text and "RAW HEADER" in text and "open>" not in text
    assert '<details class="raw-text" open>' in client.get(url, {"raw": 1}).content.decode()


def test_reader_links_canonical_and_copies(client, reader):
    canonical = reader["article"]
    copy = ArticleFactory(title="Syndicated copy", duplicate_of=canonical)
    text = client.get(canonical.get_absolute_url()).content.decode()
    assert "Also published as" in text and copy.get_absolute_url() in text
    text = client.get(copy.get_absolute_url()).content.decode()
    assert "A near-duplicate of" in text and canonical.get_absolute_url() in text


def test_reader_query_count_is_fixed_with_many_mentions(
    client, reader, django_assert_max_num_queries
):
    article = reader["article"]
    for i in range(50):
        MentionFactory(article=article, entity=ActorFactory(), start=60 + i, text="x")
        CitationFactory(event=EventFactory(), article=article, start=i, quote=article.body[i:70])
    # article, mentions, citations, copies
    with django_assert_max_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_unknown_article_is_404(client):
    assert client.get(reverse("corpus:article-detail", kwargs={"slug": "nope"})).status_code == 404


# --- outlets ---------------------------------------------------------------------------


def test_outlet_page_lists_its_articles(client, shelf, django_assert_max_num_queries):
    for _ in range(20):
        ArticleFactory(outlet=shelf["tass"])
    with django_assert_max_num_queries(3):
        response = client.get(shelf["tass"].get_absolute_url())
    text = response.content.decode()
    assert "Early" in text and "Late (syndicated)" in text and "near-duplicate of" in text
    assert response.context["paginator"].count == 22


@pytest.mark.skipif(not (FIXTURES / "30_articles.json").exists(), reason="no curated corpus yet")
def test_curated_corpus_article_pages(client, django_assert_max_num_queries):
    call_command("loaddata", *map(str, sorted(FIXTURES.glob("*.json"))), verbosity=0)
    with django_assert_max_num_queries(4):
        assert client.get(ARTICLES).status_code == 200
    for article in Article.objects.all():
        with django_assert_max_num_queries(4):
            response = client.get(article.get_absolute_url())
        text = response.content.decode()
        assert text.count('class="mention"') >= article.mentions.count() // 2


@pytest.mark.parametrize("field", ["entity", "outlet", "published_after"])
def test_nul_bytes_in_filters_are_a_form_error(client, shelf, field):
    response = client.get(ARTICLES, {field: "a\x00b"})
    assert response.status_code == 200
    assert "Some filter values could not be used" in response.content.decode()
    assert titles(response) == []
