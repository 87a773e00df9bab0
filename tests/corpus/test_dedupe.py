"""Near-duplicate detection: shingle containment, the index, and the canonical-article rule."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

import itertools
import random

import pytest

from corpus.dedupe import (
    WORD,
    Candidate,
    DuplicateIndex,
    choose_canonical,
    containment,
    shingles,
    words,
)
from corpus.parse import parse_source
from tests.corpus.sources import ALL_FILES, F003, F004, source_text


@pytest.fixture(scope="module")
def signatures():
    return {name: shingles(parse_source(source_text(name)).body) for name in ALL_FILES}


def test_the_two_epoch_times_copies_are_near_duplicates(signatures):
    assert containment(signatures[F003], signatures[F004]) > 0.8


def test_the_other_sample_articles_are_not(signatures):
    for a, b in itertools.combinations(ALL_FILES, 2):
        if {a, b} != {F003, F004}:
            assert containment(signatures[a], signatures[b]) < 0.1, (a, b)


def test_shingles_ignore_case_punctuation_and_quote_style():
    a = "Ukraine’s forces “launched” a cross-border operation into Russia's Kursk region " * 5
    b = 'UKRAINE\'S forces "launched" a cross border operation into Russia’s Kursk region ' * 5
    assert shingles(a) == shingles(b)
    assert shingles(a)  # stable hashes: the same in every process


def test_short_texts_are_never_judged_duplicates():
    short = "Kyiv was shelled overnight, officials said on Monday."
    assert containment(shingles(short), shingles(short)) == 0.0
    index = DuplicateIndex.from_bodies([(1, short)])
    assert index.similar(shingles(short)) == []


def test_index_finds_similar_articles_and_forgets_discarded_ones(signatures):
    bodies = {n: parse_source(source_text(n)).body for n in ALL_FILES}
    index = DuplicateIndex.from_bodies((number, bodies[n]) for number, n in enumerate(ALL_FILES))
    assert index.similar(signatures[F003]) == [3, 4]
    assert index.similar(signatures[F003], exclude=3) == [4]
    index.discard(4)
    assert index.similar(signatures[F003], exclude=3) == []
    assert 4 not in {pk for members in index.postings.values() for pk in members}


@pytest.mark.parametrize(
    ("candidates", "canonical"),
    [
        # The most complete clean body wins, even with poorer metadata.
        ([Candidate(1, "b.txt", 900, 0), Candidate(2, "a.txt", 400, 4)], 1),
        # Equal bodies: richer metadata wins.
        ([Candidate(1, "a.txt", 500, 1), Candidate(2, "b.txt", 500, 3)], 2),
        # All equal: the first source name, whatever the primary keys.
        ([Candidate(9, "b.txt", 500, 1), Candidate(3, "a.txt", 500, 1)], 3),
    ],
)
def test_canonical_rule(candidates, canonical):
    assert choose_canonical(candidates).pk == canonical
    assert choose_canonical(reversed(candidates)).pk == canonical


SENTENCES = [
    f"Officials in region {n} said the convoy reached the bridge before dawn on day {n}."
    for n in range(12)
]


def templated_bodies(count: int, seed: int) -> dict[int, str]:
    """Bodies made of a few stock sentences, so most shingles are shared by many articles."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    return {
        pk: " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 12)))
        for pk in range(1, count + 1)
    }


def near_by_comparison(signatures: dict[int, frozenset[int]], probe: int) -> list[int]:
    return sorted(
        pk
        for pk, signature in signatures.items()
        if pk != probe and containment(signatures[probe], signature) >= 0.5
    )


def test_common_shingles_are_packed_and_counted_exactly():
    """Shingles most articles share are counted in packed lanes; the answers are those of
    comparing every pair, through adds, discards and changes."""
    bodies = templated_bodies(300, seed=1)
    signatures = {pk: shingles(body) for pk, body in bodies.items()}
    built = DuplicateIndex.from_bodies(bodies.items())
    grown = DuplicateIndex()
    for pk, signature in signatures.items():
        grown.add(pk, signature)
    assert built.dense and grown.dense  # the packed path is what is tested here
    for index in (built, grown):
        for pk in signatures:
            assert index.similar(signatures[pk], exclude=pk) == near_by_comparison(signatures, pk)

    changed = templated_bodies(60, seed=2)
    for pk in range(1, 61):
        grown.discard(pk)
        signatures[pk] = shingles(changed[pk])
        grown.add(pk, signatures[pk])
    for pk in range(61, 100):
        grown.discard(pk)
        del signatures[pk]
    for pk in signatures:
        assert grown.similar(signatures[pk], exclude=pk) == near_by_comparison(signatures, pk)


@pytest.mark.parametrize(
    "body",
    [
        "Ukraine’s “forces” – crossed; the border… at 5:40 a.m. (UTC) near Sudzha_2",
        "İstanbul ﬁnal x²y ٣٤ ǅemal Łódź naïve café\u00a0nbsp\u2003em\u200bzero-width",
        "日本語のテキスト 中文 tab\tseparated\x1cfs\x1fus\x0bvt",
    ],
)
def test_words_are_the_regex_words_of_the_lower_case(body):
    assert words(body) == [word.encode() for word in WORD.findall(body.lower())]
