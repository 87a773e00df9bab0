"""Mention extraction: boundaries, acronym case, longest match, offsets, speed, re-extraction."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

import time

import pytest

from corpus.extract import MentionExtractor, extract_mentions, is_exact_case
from corpus.models import Mention
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    MentionFactory,
    PlaceFactory,
    WeaponFactory,
)


def found(extractor, body):
    return [(m.text, m.entity_id) for m in extractor.find(body)]


@pytest.mark.parametrize(
    ("alias", "exact"),
    [
        ("US", True),
        ("U.S.", True),
        ("ATACMS", True),
        ("F-16", True),
        ("ATACMs", False),
        ("Kursk", False),
        ("16", False),
    ],
)
def test_all_capital_aliases_keep_their_case(alias, exact):
    assert is_exact_case(alias) is exact


def test_acronyms_match_their_case_only_and_other_aliases_any_case():
    extractor = MentionExtractor([(1, "US"), (2, "NATO"), (3, "Kursk")])
    body = "Let us ask Nato and NATO about KURSK, kursk and the US."
    assert found(extractor, body) == [("NATO", 2), ("KURSK", 3), ("kursk", 3), ("US", 1)]


def test_matches_respect_word_boundaries():
    extractor = MentionExtractor([(1, "Russia"), (2, "US"), (3, "U.S."), (4, "Kyiv")])
    body = "Russian and USA troops; U.S.-provided arms; Russia’s war; (Kyiv) and Kyivan."
    assert found(extractor, body) == [("U.S.", 3), ("Russia", 1), ("Kyiv", 4)]


def test_longest_match_wins_on_overlap():
    extractor = MentionExtractor(
        [(1, "North Korea"), (2, "North Korean troops"), (3, "Korean"), (4, "troops")]
    )
    body = "North Korean troops arrived; North Korea denied it; Korean troops too."
    assert found(extractor, body) == [
        ("North Korean troops", 2),
        ("North Korea", 1),
        ("Korean", 3),
        ("troops", 4),
    ]


def test_an_alias_shared_by_two_entities_gives_a_mention_for_each():
    extractor = MentionExtractor([(7, "Russia"), (3, "Russia"), (3, "Russian Federation")])
    assert found(extractor, "Russia said.") == [("Russia", 3), ("Russia", 7)]


def test_offsets_slice_back_to_the_text_after_non_ascii_characters():
    extractor = MentionExtractor([(1, "Zelenskyy"), (2, "İstanbul talks"), (3, "Kyiv")])
    body = "“İstanbul talks” — Zelenskyy’s “victory plan” for KYIV and İSTANBUL TALKS."
    matches = extractor.find(body)
    assert {m.text for m in matches} == {"İstanbul talks", "Zelenskyy", "KYIV", "İSTANBUL TALKS"}
    for match in matches:
        assert body[match.start : match.end] == match.text


def test_aliases_with_odd_spacing_still_match():
    extractor = MentionExtractor([(1, "  Storm   Shadow ")])
    assert found(extractor, "its Storm Shadow missiles") == [("Storm Shadow", 1)]


def test_thousands_of_aliases_stay_fast():
    """5,000 aliases are compiled once; scanning 300 article-length bodies stays well under a
    second (one regex per alias would take minutes)."""
    aliases = [(n, f"Commander Number{n} Surname{n % 97}") for n in range(5000)]
    aliases += [(9000, "Kursk"), (9001, "ATACMS")]
    started = time.perf_counter()
    extractor = MentionExtractor(aliases)
    body = ("ATACMS strikes in Kursk were ordered by Commander Number1234 Surname70. " * 60) + (
        "Nothing else of note happened. " * 60
    )
    for _ in range(300):
        matches = extractor.find(body)
    elapsed = time.perf_counter() - started
    assert len(matches) == 180
    assert elapsed < 5, elapsed


@pytest.mark.django_db
def test_extractor_from_db_uses_entity_names_and_aliases(django_assert_num_queries):
    biden = ActorFactory(name="Joe Biden")
    AliasFactory(entity=biden, name="Biden")
    atacms = WeaponFactory(name="Army Tactical Missile System")
    AliasFactory(entity=atacms, name="ATACMS")
    with django_assert_num_queries(1):  # aliases and entity names together
        extractor = MentionExtractor.from_db()
    body = "Joe Biden let Ukraine fire the Army Tactical Missile System (ATACMS); Biden said so."
    assert found(extractor, body) == [
        ("Joe Biden", biden.pk),
        ("Army Tactical Missile System", atacms.pk),
        ("ATACMS", atacms.pk),
        ("Biden", biden.pk),
    ]


@pytest.mark.django_db
def test_extract_mentions_after_alias_edits_and_is_idempotent(django_assert_num_queries):
    kursk = PlaceFactory(name="Kursk Oblast")
    article = ArticleFactory(body="Strikes in Kursk Oblast and in Kursk itself.")
    other = ArticleFactory(body="Nothing to find.")
    stale = MentionFactory(article=article, entity=kursk, start=0, text="Strike")

    result = extract_mentions()
    assert (result.articles, result.changed, result.created, result.deleted) == (2, 1, 1, 1)
    assert not Mention.objects.filter(pk=stale.pk).exists()

    AliasFactory(entity=kursk, name="Kursk")
    result = extract_mentions()
    assert (result.changed, result.created, result.deleted) == (1, 2, 1)
    spans = list(article.mentions.order_by("start").values_list("start", "end", "text"))
    assert spans == [(11, 23, "Kursk Oblast"), (31, 36, "Kursk")]
    assert all(article.body[start:end] == text for start, end, text in spans)
    assert other.mentions.count() == 0

    # Nothing changed: one query for the aliases and names, one for the articles, one per
    # article for its current mentions, and no write at all.
    with django_assert_num_queries(1 + 1 + 2 + 2):
        result = extract_mentions()
    assert (result.changed, result.created, result.deleted) == (0, 0, 0)


@pytest.mark.django_db
def test_extract_mentions_for_some_articles_only():
    kursk = PlaceFactory(name="Kursk")
    first = ArticleFactory(body="Kursk again.")
    second = ArticleFactory(body="Kursk again.")
    result = extract_mentions(articles=[first])
    assert result.articles == 1
    assert first.mentions.get().entity == kursk
    assert second.mentions.count() == 0
