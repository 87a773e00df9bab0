"""Near-duplicate detection: shingle containment, the index, and the canonical-article rule."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

import itertools
import math
import random
from array import array

import pytest

from corpus.dedupe import (
    MIN_SHINGLES,
    WORD,
    Candidate,
    DuplicateIndex,
    RunIndex,
    ScanIndex,
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


def all_pairs(signatures: dict[int, frozenset[int]], probe: frozenset[int], exclude=None):
    """What the index must answer: every indexed signature compared with the probe."""
    return sorted(
        pk
        for pk, signature in signatures.items()
        if pk != exclude and containment(probe, signature) >= 0.5
    )


def random_signatures(seed: int, count: int) -> dict[int, frozenset[int]]:
    """Signatures that overlap a lot, of sizes around MIN_SHINGLES and far above it.

    Half of each is drawn from a few values every signature uses (the common shingles a
    wrong filter would leave out), half from a wider range; some are copies of an earlier
    one with exactly as many, or one fewer, shingles kept as the threshold needs, padded
    to a random size, so pairs sit on both sides of the threshold."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    common = list(range(12))
    signatures: dict[int, frozenset[int]] = {}
    for pk in range(1, count + 1):
        size = rng.choice([MIN_SHINGLES - 1, MIN_SHINGLES, MIN_SHINGLES + 1, 9, 12, 16, 40])
        if signatures and rng.random() < 0.5:
            other = sorted(signatures[rng.choice(list(signatures))])
            rng.shuffle(other)
            keep = math.ceil(min(size, len(other)) / 2) - rng.choice([0, 0, 1])
            picked = set(other[: max(keep, 0)])
        else:
            picked = set(rng.sample(common, rng.randint(0, min(size, len(common)))))
        while len(picked) < size:
            picked.add(rng.randrange(12, 12 + 40 * count))
        signatures[pk] = frozenset(picked)
    return signatures


def run_index(signatures, stored=DuplicateIndex) -> RunIndex:
    """The stored articles' index with the first half of ``signatures``, the rest added."""
    items = list(signatures)
    index = RunIndex(stored.from_signatures(items[: len(items) // 2]))
    for pk, signature in items[len(items) // 2 :]:
        index.add(pk, signature)
    return index


@pytest.mark.parametrize("seed", range(8))
def test_look_ups_answer_what_comparing_every_pair_answers(seed):
    """Random and adversarial signatures, indexed in one go, one by one, or half stored (in
    the inverted index or scanned) and half added by a run, then changed and discarded: every
    look-up finds exactly the near-duplicates that all pairs find."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    signatures = random_signatures(seed, 150)
    order = list(signatures.items())
    rng.shuffle(order)
    built = DuplicateIndex.from_signatures(order)
    grown = DuplicateIndex()
    for pk, signature in order:
        grown.add(pk, signature)
    indexes = (built, grown, run_index(order), run_index(order, stored=ScanIndex))
    probes = random_signatures(seed + 100, 40)
    for index in indexes:
        for pk, signature in signatures.items():
            assert index.similar(signature, exclude=pk) == all_pairs(signatures, signature, pk)
        for probe in probes.values():
            assert index.similar(probe) == all_pairs(signatures, probe)

    replacements = random_signatures(seed + 200, 150)
    for pk in rng.sample(list(signatures), 50):
        signatures[pk] = replacements[pk]
        for index in indexes:
            index.add(pk, replacements[pk])  # a changed body replaces the old signature
    for pk in rng.sample(list(signatures), 40):
        del signatures[pk]
        for index in indexes:
            index.discard(pk)
            assert pk not in index.signatures
    for index in indexes:
        assert dict(index.signatures) == signatures
        for pk, signature in signatures.items():
            assert index.similar(signature, exclude=pk) == all_pairs(signatures, signature, pk)


def test_a_run_adds_its_articles_beside_the_stored_index():
    """Articles a run adds never touch the stored index's packed integers (copying them per
    article is what made ingest into a large corpus slow); a changed one leaves it."""
    bodies = templated_bodies(300, seed=3)
    stored = DuplicateIndex.from_bodies(bodies.items())
    packed = dict(stored.dense)
    index = RunIndex(stored)
    new = shingles(bodies[1])
    index.add(1000, new)
    assert stored.dense == packed
    assert 1000 not in stored.signatures
    assert 1 in index.similar(new, exclude=1000)
    index.add(1, shingles(bodies[2]))  # article 1 changed by the run
    assert 1 not in stored.signatures
    assert index.signatures[1] == shingles(bodies[2])


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


def test_the_bulk_build_leaves_the_state_adding_one_by_one_leaves():
    """``from_signatures`` fills the postings and lanes in bulk; a later signature of the same
    pk replaces the earlier one, as adding it again would."""
    signatures = list(random_signatures(5, 400).items())
    signatures += [(7, signatures[20][1]), (9, frozenset(range(3)))]  # changed, and too short
    built = DuplicateIndex.from_signatures(signatures)
    one_by_one = DuplicateIndex()
    for pk, signature in signatures:
        one_by_one._add(pk, signature)
    common = one_by_one._common_size()
    for value in [v for v, members in one_by_one.postings.items() if len(members) >= common]:
        one_by_one._pack_posting(value)
    assert built.dense  # the packed lanes are compared too
    for name in ("postings", "dense", "signatures", "_slots", "_pks", "_judged", "_own_offsets"):
        assert getattr(built, name) == getattr(one_by_one, name), name


def test_a_scanned_index_keeps_compact_arrays_and_lends_frozensets():
    """A few-file run keeps the stored signatures as arrays of hashes (tens of MB at 100,000
    articles, where the inverted index took 1.8 GB), yet reads like the inverted index."""
    stored = {pk: shingles(body) for pk, body in templated_bodies(40, seed=5).items()}
    scanned = ScanIndex.from_signatures(
        (pk, array("I", sorted(sig)) if pk % 2 else sig) for pk, sig in stored.items()
    )
    assert all(type(values) is array for values in scanned._arrays.values())
    assert dict(scanned.signatures) == stored
    assert 3 in scanned.signatures and 999 not in scanned.signatures
    built = DuplicateIndex.from_signatures(stored.items())
    assert any(built.similar(signature, exclude=pk) for pk, signature in stored.items())
    for pk, signature in stored.items():
        assert scanned.similar(signature, exclude=pk) == built.similar(signature, exclude=pk)
    scanned.discard(3)
    scanned.discard(999)  # not indexed: nothing to do
    assert 3 not in scanned.signatures and len(scanned.signatures) == 39
    assert 3 not in scanned.similar(stored[3])
