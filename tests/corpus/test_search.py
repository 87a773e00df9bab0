"""Search: web-search syntax, alias expansion, misspellings, odd input, safe snippets."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus import search as search_module
from corpus.choices import EntityType, WeaponCategory
from corpus.models import Alias, Article, Entity
from corpus.search import (
    MAX_QUERY_LENGTH,
    alias_expansions,
    event_candidates,
    parse_query,
    plan_search,
    search_articles,
    search_entities,
    search_events,
)
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventFactory,
    PlaceFactory,
    WeaponFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("corpus:search")
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def atacms():
    weapon = WeaponFactory(name="ATACMS", slug="atacms")
    for name in ("ATACMS", "ATACMs", "Army Tactical Missile System"):
        AliasFactory(entity=weapon, name=name)
    return weapon


@pytest.fixture
def zelensky():
    person = ActorFactory(name="Volodymyr Zelensky", slug="volodymyr-zelensky")
    AliasFactory(entity=person, name="Zelenskyy")
    return person


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response, response.content.decode()


# --- parsing -------------------------------------------------------------------------


def test_parse_strips_nul_and_control_characters():
    parsed = parse_query("Kursk\x00 \x07strikes")
    assert parsed.text == "Kursk strikes"
    assert [t.text for t in parsed.tokens] == ["Kursk", "strikes"]


def test_parse_shortens_long_queries_and_says_so():
    parsed = parse_query("missile " * 200)
    assert len(parsed.text) <= MAX_QUERY_LENGTH
    assert any("shortened" in m for m in parsed.messages)


def test_parse_reads_phrases_negations_and_or():
    parsed = parse_query('"long range" -Crimea or Kursk "open')
    assert [(t.text, t.phrase, t.negated) for t in parsed.tokens] == [
        ("long range", True, False),
        ("Crimea", False, True),
        ("or", False, False),
        ("Kursk", False, False),
        ("open", True, False),
    ]
    assert parsed.terms == ["long range", "Kursk", "open"]
    assert any("quote" in m for m in parsed.messages)


# --- alias expansion -----------------------------------------------------------------


def test_an_alias_in_the_query_adds_the_entity_other_spellings(atacms):
    texts, named = alias_expansions(parse_query("ATACMs Kursk"))
    assert named == [Entity.objects.get(pk=atacms.pk)]
    assert texts[0] == "ATACMs Kursk"
    assert '"Army Tactical Missile System" Kursk' in texts
    assert '"ATACMS" Kursk' not in texts  # the same spelling, whatever its case


def test_an_excluded_alias_excludes_every_spelling(atacms):
    texts, _ = alias_expansions(parse_query("Kursk -ATACMS"))
    assert texts == ['Kursk -ATACMS -"Army Tactical Missile System"']


def test_a_spelling_with_a_double_quote_cannot_break_the_phrase():
    weapon = WeaponFactory(name="Storm Shadow")
    AliasFactory(entity=weapon, name='The "Storm" missile')
    texts, _ = alias_expansions(parse_query("Storm Shadow"))
    assert texts == ["Storm Shadow", '"The  Storm  missile"']
    assert list(search_articles(plan_search("Storm Shadow").query)) == []


def test_short_capital_aliases_only_match_their_case():
    us = ActorFactory(name="United States", kind="government")
    AliasFactory(entity=us, name="US")
    assert alias_expansions(parse_query("tell us more"))[1] == []
    assert alias_expansions(parse_query("US missiles"))[1] == [Entity.objects.get(pk=us.pk)]


def test_searching_an_alias_finds_articles_using_another_spelling(atacms):
    spelled_out = ArticleFactory(
        title="Long-range strikes", body="The Army Tactical Missile System was approved."
    )
    ArticleFactory(title="Unrelated", body="Talks in Geneva.")
    plan = plan_search("ATACMs")
    assert list(search_articles(plan.query)) == [spelled_out]


def test_the_search_page_says_which_spellings_it_added(client, atacms):
    _, text = search(client, q="ATACMs")
    assert "Also searched for other spellings" in text
    assert "Army Tactical Missile System" in text


# --- web-search syntax, ranking, snippets ----------------------------------------------


def test_web_search_syntax_phrase_or_and_minus():
    a = ArticleFactory(title="A", body="Strikes in Kursk Oblast with long range missiles.")
    b = ArticleFactory(title="B", body="Crimea bridge attacked; range of missiles long.")
    c = ArticleFactory(title="C", body="Kursk and Crimea both mentioned.")

    def found(q):
        return set(search_articles(plan_search(q).query))

    assert found('"long range"') == {a}
    assert found("Crimea -Kursk") == {b}
    assert found("Oblast or bridge") == {a, b}
    assert found("Kursk Crimea") == {c}


def test_articles_are_ranked_title_matches_first():
    body_only = ArticleFactory(title="Weekly digest", body="A word on Pyongyang at the end.")
    in_title = ArticleFactory(title="Pyongyang sends troops", body="Pyongyang troops.")
    assert list(search_articles(plan_search("Pyongyang").query)) == [in_title, body_only]


def test_near_duplicates_are_folded_in_search_results():
    canonical = ArticleFactory(title="Biden authorises ATACMS", body="Biden authorises it.")
    ArticleFactory(title="Copy", body="Biden authorises it.", duplicate_of=canonical)
    assert list(search_articles(plan_search("authorises").query)) == [canonical]


def test_events_are_found_by_title_summary_and_cited_quote():
    article = ArticleFactory(body="Peskov said it would add fuel to the fire.")
    by_quote = EventFactory(title="Kremlin warns", summary="A warning.")
    CitationFactory(event=by_quote, article=article, quote="add fuel to the fire", start=19)
    by_summary = EventFactory(title="Talks", summary="The fire at the depot.")
    EventFactory(title="Other", summary="Nothing here.")
    found = list(search_events(plan_search("fire").query))
    assert set(found) == {by_quote, by_summary}


def test_snippets_are_html_safe_even_with_markup_in_the_source(client):
    ArticleFactory(
        title="<script>alert(1)</script> Kursk",
        body='Before <script>alert("x")</script> the Kursk offensive <img src=x onerror=y>.',
    )
    EventFactory(title="Kursk <b>bold</b>", summary="<script>s()</script> Kursk summary")
    _, text = search(client, q="Kursk")
    assert "<script>" not in text.split("</header>", 1)[1]
    assert "<img" not in text and "<b>bold" not in text
    assert "&lt;script&gt;" in text
    assert "<mark>Kursk</mark>" in text


# --- entities and misspellings ---------------------------------------------------------


def test_a_misspelt_name_finds_the_entity(client, zelensky):
    ActorFactory(name="Joe Biden")
    plan = plan_search("Zelenskiy")
    assert [e.pk for e in search_entities(plan)] == [zelensky.pk]
    _, text = search(client, q="Zelenskiy")
    assert zelensky.get_absolute_url() in text


def test_an_exact_alias_ranks_its_entity_first(atacms):
    WeaponFactory(name="ATACMS launcher pod", kind=WeaponCategory.OTHER_WEAPON)
    found = list(search_entities(plan_search("Army Tactical Missile System")))
    assert found[0].pk == atacms.pk


def test_entity_search_on_places_and_types():
    kursk = PlaceFactory(name="Kursk Oblast")
    found = list(search_entities(plan_search("Kursk")))
    assert [e.pk for e in found] == [kursk.pk]
    assert found[0].entity_type == EntityType.PLACE


def test_name_filter_can_use_the_trigram_indexes():
    """The ``%``/``%>`` operators on lower(name) are what the GIN trigram indexes serve."""
    # Enough aliases that scanning a whole index (alias_unique_per_entity) costs more than a
    # trigram lookup: PostgreSQL 15 rightly prefers the former on near-empty tables.
    actors = ActorFactory.create_batch(100)
    Alias.objects.bulk_create(
        Alias(entity=actor, name=f"{actor.name} spelling {n}")
        for actor in actors
        for n in range(100)
    )
    sql, params = Entity.objects.name_resembles("zelenskiy").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # Compact indexes and fresh statistics: otherwise the plan depends on what earlier
        # tests left behind (rolled-back rows bloat the GIN indexes and their pending lists).
        cursor.execute("REINDEX TABLE corpus_entity")
        cursor.execute("REINDEX TABLE corpus_alias")
        cursor.execute("ANALYZE corpus_entity, corpus_alias")
        # Tiny test tables: forbid the plain scans so the plan shows what indexes can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "entity_name_trgm" in plan and "alias_name_trgm" in plan


# --- odd input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("!!! ??? ...", "Nothing to search for"),
        ("the and of", "Nothing to search for"),
        ('"unbalanced quote', "no closing quote"),
        ("x" * 600, "shortened"),
        ("Kursk\x00", ""),
        ("-", "Nothing to search for"),
        ("or or or", "Nothing to search for"),
        ("'; DROP TABLE corpus_article; --", ""),
        ("(((", "Nothing to search for"),
        ("&|!<->", "Nothing to search for"),
    ],
)
def test_odd_input_gives_a_page_with_a_message_never_an_error(client, q, message):
    ArticleFactory(title="Kursk strikes", body="Kursk Oblast strikes.")
    _, text = search(client, q=q)
    if message:
        assert message in text
    assert "Server error" not in text


def test_nul_byte_in_the_url_is_harmless(client):
    ArticleFactory(title="Kursk strikes", body="Kursk Oblast strikes.")
    response = client.get(SEARCH + "?q=Kursk%00")
    assert response.status_code == 200
    assert "Kursk strikes" in response.content.decode()


def test_empty_query_invites_typing(client):
    _, text = search(client, q="   ")
    assert "Type words to find" in text


# --- grouping, paging, queries ---------------------------------------------------------


def test_results_are_grouped_by_type_with_counts_and_more_links(client):
    for i in range(14):
        ArticleFactory(title=f"Kursk report {i}", body="Kursk.", published_on=date(2024, 11, 1))
    PlaceFactory(name="Kursk")
    response, text = search(client, q="Kursk")
    groups = {g["kind"]: g for g in response.context["groups"]}
    assert groups["article"]["count"] == 14 and len(groups["article"]["results"]) == 10
    assert groups["entity"]["count"] == 1 and groups["event"]["count"] == 0
    assert "All 14 articles" in text and "type=article" in text


def test_one_type_pages_and_bad_pages_are_404(client):
    for i in range(30):
        ArticleFactory(title=f"Kursk report {i}", body="Kursk.")
    response, _ = search(client, q="Kursk", type="article", page=2)
    assert len(response.context["groups"][0]["results"]) == 5
    assert client.get(SEARCH, {"q": "Kursk", "type": "article", "page": "abc"}).status_code == 404
    assert client.get(SEARCH, {"q": "Kursk", "type": "article", "page": 9999}).status_code == 404


def test_unknown_type_says_so_and_shows_all(client):
    ArticleFactory(title="Kursk strikes", body="Kursk.")
    response, text = search(client, q="Kursk", type="bogus")
    assert "Unknown result type" in text
    assert len(response.context["groups"]) == 3


def test_search_page_makes_a_fixed_number_of_queries_with_many_rows(
    client, atacms, zelensky, django_assert_max_num_queries
):
    for i in range(60):
        article = ArticleFactory(title=f"ATACMS strike {i}", body="ATACMS and Zelensky.")
        CitationFactory(article=article, event=EventFactory(title=f"ATACMS event {i}"))
        WeaponFactory(name=f"ATACMS variant {i}")
    # numnode check, alias lookup; names: results and count; articles and events: ranked ids
    # (their count), then the rows shown.
    with django_assert_max_num_queries(8):
        response = client.get(SEARCH, {"q": "ATACMs Zelenskiy"})
    assert response.status_code == 200
    with django_assert_max_num_queries(4):
        client.get(SEARCH, {"q": "ATACMS", "type": "event", "page": 2})


@pytest.mark.skipif(not (FIXTURES / "30_articles.json").exists(), reason="no curated corpus yet")
def test_curated_corpus_searches(client, django_assert_max_num_queries):
    call_command("loaddata", *map(str, sorted(FIXTURES.glob("*.json"))), verbosity=0)
    with django_assert_max_num_queries(8):
        response, text = search(client, q="ATACMs")
    assert response.context["groups"][1]["count"] >= 3
    _, text = search(client, q="Zelenskiy")
    assert reverse("corpus:actor-detail", kwargs={"slug": "volodymyr-zelensky"}) in text


def test_event_search_can_use_the_search_indexes():
    """search_events filters on the very expressions timeline's GIN indexes are built on."""
    EventFactory.create_batch(3)
    sql, params = event_candidates(plan_search("missile").query).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_search_vector_gin" in plan and "citation_quote_search_gin" in plan


def test_events_are_ranked_on_their_stored_vector_not_recomputed_per_row():
    sql = str(event_candidates(plan_search("missile").query).query)
    rank = sql[sql.index("ts_rank") : sql.index(' AS "rank"')]
    assert '"timeline_event"."search_vector"' in rank
    assert "to_tsvector" not in rank


# --- bounded counts and ranking for common terms ---------------------------------------


def test_a_common_term_counts_at_most_the_cap_and_says_more_than(client, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    for i in range(12):
        ArticleFactory(title=f"Kursk report {i}", body="Kursk.")
    with CaptureQueriesContext(connection) as queries:
        response, text = search(client, q="Kursk")
    groups = {g["kind"]: g for g in response.context["groups"]}
    assert groups["article"]["count"] == 3 and groups["article"]["capped"]
    assert "(more than 3)" in text and "More than 3 articles" in text
    assert "More than 3 results" in text
    # Articles and events are counted from their ranked candidates, with no query of their own.
    counts = [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert all("LIMIT 4" in sql and "corpus_article" not in sql for sql in counts)


def test_a_count_under_the_cap_is_exact(client, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 20)
    for i in range(12):
        ArticleFactory(title=f"Kursk report {i}", body="Kursk.")
    response, text = search(client, q="Kursk")
    assert response.context["groups"][1]["count"] == 12
    assert "All 12 articles" in text and "more than" not in text.lower()


def test_one_type_pages_show_the_capped_count(client, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 3)
    for i in range(5):
        ArticleFactory(title=f"Kursk report {i}", body="Kursk.")
    response, text = search(client, q="Kursk", type="article")
    assert len(response.context["groups"][0]["results"]) == 5
    assert "More than 3 results" in text


def test_only_the_newest_candidates_are_ranked(monkeypatch):
    monkeypatch.setattr(search_module, "ARTICLE_CANDIDATES", 2)
    best = ArticleFactory(title="Kursk", body="Kursk Kursk.", published_on=date(2020, 1, 1))
    newer = [
        ArticleFactory(title=f"Report {d}", body="Kursk.", published_on=date(2024, 1, d))
        for d in (1, 2)
    ]
    found = list(search_articles(plan_search("Kursk").query))
    assert best not in found and set(found) == set(newer)


def test_a_rare_term_is_still_ranked_best_first(monkeypatch):
    monkeypatch.setattr(search_module, "ARTICLE_CANDIDATES", 3)
    best = ArticleFactory(
        title="Hydroacoustic", body="Hydroacoustic.", published_on=date(2020, 1, 1)
    )
    ArticleFactory(title="Report 1", body="Hydroacoustic.", published_on=date(2024, 1, 1))
    ArticleFactory(title="Report 2", body="Hydroacoustic.", published_on=date(2024, 1, 2))
    # Fewer matches than candidates: all are ranked, and the title match beats newer ones.
    found = list(search_articles(plan_search("hydroacoustic").query))
    assert found[0] == best and len(found) == 3


def test_event_ranking_is_bounded_to_the_newest_candidates(monkeypatch):
    monkeypatch.setattr(search_module, "EVENT_CANDIDATES", 1)
    EventFactory(title="Kursk strike", date=date(2020, 1, 1))
    newest = EventFactory(title="Report", summary="Kursk.", date=date(2024, 1, 1))
    assert list(search_events(plan_search("Kursk").query)) == [newest]


# --- ranked once, headlines for the page shown -----------------------------------------


def test_articles_come_in_the_order_sql_ranks_them_undated_first_on_ties():
    """The ranking sorted in Python is ORDER BY rank DESC, published_on DESC, pk."""
    for i, day in enumerate((None, 3, 1, None, 2)):
        published = date(2024, 1, day) if day else None
        ArticleFactory(title=f"Report {i}", body="Kursk.", published_on=published)
    ArticleFactory(title="Kursk in the title", body="Kursk Kursk.", published_on=None)
    ArticleFactory(title="Kursk", body="Kursk.", published_on=date(2023, 1, 1))
    query = plan_search("Kursk").query
    from django.contrib.postgres.search import SearchRank
    from django.db.models import F

    expected = list(
        Article.objects.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_on", "pk")
    )
    assert list(search_articles(query)) == expected
    assert [a.rank for a in search_articles(query)] == [a.rank for a in expected]


def test_events_come_in_the_order_sql_ranks_them():
    for day in (3, 1, 2):
        EventFactory(title=f"Report {day}", summary="Kursk.", date=date(2024, 1, day))
    EventFactory(title="Kursk strike", summary="Kursk.", date=date(2024, 1, 5))
    query = plan_search("Kursk").query
    found = list(search_events(query))
    assert found[0].title == "Kursk strike"
    assert [e.date.day for e in found[1:]] == [1, 2, 3]


def test_headlines_are_made_only_for_the_results_shown(client):
    for i in range(30):
        ArticleFactory(title=f"Kursk report {i}", body="Fighting near Kursk.")
    with CaptureQueriesContext(connection) as queries:
        response, text = search(client, q="Kursk")
    assert "Fighting near <mark>Kursk</mark>" in text
    headlines = [q["sql"] for q in queries if "ts_headline" in q["sql"]]
    ranks = [q["sql"] for q in queries if "ts_rank" in q["sql"]]
    assert headlines and ranks and not set(headlines) & set(ranks)
    assert response.context["groups"][1]["count"] == 30
    page = client.get(SEARCH, {"q": "Kursk", "type": "article", "page": 2}).context
    assert len(page["groups"][0]["results"]) == 5
    assert all(r.snippet for r in page["groups"][0]["results"])


def test_a_query_is_ranked_once_for_its_pages_and_the_next_visitors(client, no_page_cache):
    for i in range(30):
        ArticleFactory(title=f"Kursk report {i}", body="Fighting near Kursk.")
    EventFactory(title="Kursk strike", summary="Kursk.")
    with CaptureQueriesContext(connection) as first:
        search(client, q="Kursk")
    assert [q for q in first if "ts_rank" in q["sql"]]  # articles and events ranked

    with CaptureQueriesContext(connection) as later:
        page = client.get(SEARCH, {"q": "Kursk", "type": "article", "page": 2}).context
        response, _ = search(client, q="Kursk")
    assert not [q for q in later if "ts_rank" in q["sql"]]
    assert len(page["groups"][0]["results"]) == 5 and all(
        r.snippet for r in page["groups"][0]["results"]
    )
    assert [g["count"] for g in response.context["groups"]][1:] == [30, 1]


def test_a_cached_ranking_ends_when_the_corpus_changes(client, no_page_cache):
    ArticleFactory(title="Kursk report", body="Kursk.")
    response, _ = search(client, q="Kursk", type="article")
    assert response.context["groups"][0]["count"] == 1

    ArticleFactory(title="Another Kursk report", body="Kursk.")
    response, _ = search(client, q="Kursk", type="article")
    assert response.context["groups"][0]["count"] == 2
    # Another query is ranked on its own.
    response, _ = search(client, q="Another", type="article")
    assert response.context["groups"][0]["count"] == 1
