"""Near-duplicate detection: the same story in two files, one shorter or re-formatted.

Bodies are compared by word shingles (runs of ``SHINGLE_WORDS`` words). Two bodies are
near-duplicates when most of the shorter one's shingles also occur in the longer one
(containment, not Jaccard: a short copy of a long article shares most of its own text but a
small share of the long one's). Shingles are hashed with CRC-32, which is stable across
processes, and only hashes divisible by ``SAMPLE_MODULUS`` are kept, so the index stays small
while the estimate stays fair; the same subset is kept for every article.

Which article of a group is canonical does not depend on ingest order: ``canonical_rank``
orders the members, the best one is canonical and every other links to it.
"""

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from corpus.models import Article

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 4
CONTAINMENT_THRESHOLD = 0.5
# Below this many sampled shingles (roughly 40 words) a body is too short to judge.
MIN_SHINGLES = 8

WORD = re.compile(r"\w+")


def shingles(body: str) -> frozenset[int]:
    """The sampled shingle hashes of a body: case, punctuation and quote styles ignored."""
    words = WORD.findall(body.lower())
    hashes = set()
    for index in range(len(words) - SHINGLE_WORDS + 1):
        value = zlib.crc32(" ".join(words[index : index + SHINGLE_WORDS]).encode())
        if value % SAMPLE_MODULUS == 0:
            hashes.add(value)
    return frozenset(hashes)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set's shingles found in the other set."""
    smaller = min(len(a), len(b))
    if smaller < MIN_SHINGLES:
        return 0.0
    return len(a & b) / smaller


@dataclass(frozen=True)
class Candidate:
    """What decides which copy of a story is canonical."""

    pk: int
    source_file: str
    word_count: int
    metadata_score: int  # how many of headline, byline, dateline, outlet the text states


def canonical_rank(candidate: Candidate) -> tuple:
    """Sort key, best first: the most complete clean body, then the richer metadata, then the
    first source file by name, so the choice never depends on which file came first."""
    return (-candidate.word_count, -candidate.metadata_score, candidate.source_file)


def choose_canonical(candidates: Iterable[Candidate]) -> Candidate:
    return min(candidates, key=canonical_rank)


class DuplicateIndex:
    """Inverted index from shingle hash to the articles that contain it.

    Built once per ingest run; ``similar`` then costs one dictionary lookup per shingle of
    the new body instead of a comparison with every article.
    """

    def __init__(self) -> None:
        self.postings: dict[int, set[int]] = {}
        self.signatures: dict[int, frozenset[int]] = {}

    @classmethod
    def from_bodies(cls, bodies: Iterable[tuple[int, str]]) -> "DuplicateIndex":
        index = cls()
        for pk, body in bodies:
            index.add(pk, shingles(body))
        return index

    def add(self, pk: int, signature: frozenset[int]) -> None:
        self.discard(pk)
        self.signatures[pk] = signature
        for value in signature:
            self.postings.setdefault(value, set()).add(pk)

    def discard(self, pk: int) -> None:
        for value in self.signatures.pop(pk, ()):
            members = self.postings.get(value)
            if members is not None:
                members.discard(pk)
                if not members:
                    del self.postings[value]

    def similar(self, signature: frozenset[int], *, exclude: int | None = None) -> list[int]:
        """Primary keys of indexed articles that are near-duplicates of ``signature``."""
        if len(signature) < MIN_SHINGLES:
            return []
        shared = Counter(pk for value in signature for pk in self.postings.get(value, ()))
        return sorted(
            pk
            for pk, count in shared.items()
            if pk != exclude
            and count / min(len(signature), len(self.signatures[pk])) >= CONTAINMENT_THRESHOLD
            and len(self.signatures[pk]) >= MIN_SHINGLES
        )


# --- linking in the database ------------------------------------------------------------


def _candidates(query) -> list[Candidate]:
    rows = query.values_list(
        "pk", "source_file", "word_count", "authors", "published_on", "outlet_id", "url"
    )
    return [
        Candidate(pk, source_file, words, sum(map(bool, (authors, published, outlet, url))))
        for pk, source_file, words, authors, published, outlet, url in rows
    ]


def _make_canonical(canonical: int, members: Iterable[int]) -> None:
    others = [pk for pk in members if pk != canonical]
    Article.objects.filter(pk__in=others).exclude(duplicate_of=canonical).update(
        duplicate_of=canonical
    )
    Article.objects.filter(pk=canonical, duplicate_of__isnull=False).update(duplicate_of=None)


def link_near_duplicates(article_id: int, similar: Iterable[int]) -> int | None:
    """Join ``article_id`` and its near-duplicates (with their groups) into one group under
    the best-ranked member. Returns the canonical article's pk, or None without duplicates."""
    similar = list(similar)
    if not similar:
        return None
    heads = {
        dup_of or pk
        for pk, dup_of in Article.objects.filter(pk__in=similar).values_list("pk", "duplicate_of")
    }
    group = _candidates(
        Article.objects.filter(Q(pk__in=heads) | Q(duplicate_of__in=heads) | Q(pk=article_id))
    )
    canonical = choose_canonical(group).pk
    _make_canonical(canonical, (candidate.pk for candidate in group))
    return canonical


def release_from_group(article_id: int) -> None:
    """Take a changed article out of its group before it is compared again: it stops being a
    duplicate, and if it was canonical the best of its duplicates takes its place."""
    Article.objects.filter(pk=article_id, duplicate_of__isnull=False).update(duplicate_of=None)
    rest = _candidates(Article.objects.filter(duplicate_of=article_id))
    if rest:
        _make_canonical(choose_canonical(rest).pk, (candidate.pk for candidate in rest))
