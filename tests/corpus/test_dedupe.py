"""Near-duplicate detection: shingle containment, the index, and the canonical-article rule."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

import itertools

import pytest

from corpus.dedupe import (
    Candidate,
    DuplicateIndex,
    choose_canonical,
    containment,
    shingles,
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
