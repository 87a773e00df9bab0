"""Near-duplicate detection: the same story in two files, one shorter or re-formatted.

Bodies are compared by word shingles (runs of ``SHINGLE_WORDS`` words). Two bodies are
near-duplicates when most of the shorter one's shingles also occur in the longer one
(containment, not Jaccard: a short copy of a long article shares most of its own text but a
small share of the long one's). Shingles are hashed with CRC-32, which is stable across
processes, and only hashes divisible by ``SAMPLE_MODULUS`` are kept, so the index stays small
while the estimate stays fair; the same subset is kept for every article.

Which article of a group is canonical does not depend on ingest order: ``canonical_rank``
orders the members, the best one is canonical and every other links to it. Writing the links
is in ``corpus/duplicate_links.py``.
"""

import math
import re
import sys
import zlib
from array import array
from collections import ChainMap, Counter, defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, filterfalse, repeat

SHINGLE_WORDS = 5
SAMPLE_MODULUS = 4
CONTAINMENT_THRESHOLD = 0.5
# Below this many sampled shingles (roughly 40 words) a body is too short to judge.
MIN_SHINGLES = 8

WORD = re.compile(r"\w+")
# ASCII bytes that are not regex word characters (\w), and a table turning them to spaces.
NON_WORD_ASCII = bytes(byte for byte in range(128) if not re.match(r"\w", chr(byte)))
NON_WORD_TO_SPACE = bytes.maketrans(NON_WORD_ASCII, b" " * len(NON_WORD_ASCII))


def words(body: str) -> list[bytes]:
    """``WORD.findall(body.lower())``, each word as UTF-8: the words of a shingle.

    Faster than the regex, which matters once per ingested article: the few distinct
    non-ASCII characters that are not word characters (curly quotes, dashes) become spaces,
    then the bytes are split in C with the ASCII ones."""
    text = body.lower()
    if not text.isascii():
        for char in set(text):
            if char > "\x7f" and not WORD.match(char):
                text = text.replace(char, " ")
    return text.encode().translate(NON_WORD_TO_SPACE).split()


def shingles(body: str) -> frozenset[int]:
    """The sampled shingle hashes of a body: case, punctuation and quote styles ignored."""
    tokens = words(body)
    # map() chains keep the per-shingle work in C: this runs once per ingested article.
    runs = zip(*(tokens[start:] for start in range(SHINGLE_WORDS)), strict=False)
    hashes = map(zlib.crc32, map(b" ".join, runs))
    return frozenset(filterfalse(SAMPLE_MODULUS.__rmod__, hashes))  # value % MODULUS == 0


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set's shingles found in the other set."""
    smaller = min(len(a), len(b))
    if smaller < MIN_SHINGLES:
        return 0.0
    return len(a & b) / smaller


def shared_needed(size: int) -> int:
    """How many shingles a signature of ``size`` must share to reach the threshold."""
    return math.ceil(size * CONTAINMENT_THRESHOLD)


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


# A shingle most articles share (a stock phrase, or a template of generated text) would make
# every look-up walk every article one by one. Once a shingle has this many members (and at
# least 1/DENSE_SHARE of the index, so the packed form is no bigger than the set it replaces)
# its members are one integer with a LANE_BITS-bit counter per article, and adding such
# integers up counts thousands of articles in a few big-integer additions.
DENSE_MIN = 16
DENSE_SHARE = 64
LANE_TYPE = "H"  # array type code of an unsigned 16-bit lane
LANE_BITS = 8 * array(LANE_TYPE).itemsize
LANE_HIGH = 1 << (LANE_BITS - 1)  # lanes hold counts below this, so additions never carry over
LANE_BYTES = LANE_BITS // 8
TOP_BYTE = (LANE_HIGH >> (LANE_BITS - 8)).to_bytes()  # a lane's last byte with its top bit set


class DuplicateIndex:
    """Inverted index from shingle hash to the articles that contain it.

    Built once per ingest run; ``similar`` then costs a dictionary lookup per shingle of the
    new body, plus a few big-integer additions for the common shingles, instead of a
    comparison with every article.
    """

    def __init__(self) -> None:
        self.postings: dict[int, set[int]] = {}  # shingle -> pks, for the rarer shingles
        self.dense: dict[int, int] = {}  # shingle -> 1 in the lane of each member's slot
        self.signatures: dict[int, frozenset[int]] = {}
        self._slots: dict[int, int] = {}  # pk -> lane number, kept when the pk is discarded
        self._pks: list[int] = []  # lane number -> pk
        self._judged = 0  # 1 in the lane of every indexed article long enough to judge
        self._own_offsets = 0  # per judged lane: LANE_HIGH - shingles that article must share

    @classmethod
    def from_bodies(cls, bodies: Iterable[tuple[int, str]]) -> "DuplicateIndex":
        return cls.from_signatures((pk, shingles(body)) for pk, body in bodies)

    @classmethod
    def from_signatures(cls, signatures: Iterable[tuple[int, frozenset[int]]]) -> "DuplicateIndex":
        """The index of these articles (a later signature of a pk replaces an earlier one).

        Built in bulk, in the state ``_add`` one by one would leave: at 100,000 articles
        adding each shingle in a Python loop and each article's lane to two growing integers
        cost ~15 s; here the shingles go into their postings in C (``map``) and the lanes are
        packed once.
        """
        index = cls()
        index.signatures = dict(signatures)
        postings = defaultdict(set)
        judged, offsets = array(LANE_TYPE), array(LANE_TYPE)
        for slot, (pk, signature) in enumerate(index.signatures.items()):
            index._slots[pk] = slot
            index._pks.append(pk)
            deque(map(set.add, map(postings.__getitem__, signature), repeat(pk)), maxlen=0)
            long_enough = len(signature) >= MIN_SHINGLES
            judged.append(long_enough)
            offsets.append(LANE_HIGH - shared_needed(len(signature)) if long_enough else 0)
        index.postings = dict(postings)
        index._judged, index._own_offsets = _packed(judged), _packed(offsets)
        # Packed once at the end: packing while adding would copy each packed integer once
        # per member.
        common = index._common_size()
        for value in [v for v, members in index.postings.items() if len(members) >= common]:
            index._pack_posting(value)
        return index

    def add(self, pk: int, signature: frozenset[int]) -> None:
        self._add(pk, signature)
        common = self._common_size()
        for value in [v for v in signature if len(self.postings.get(v, ())) >= common]:
            self._pack_posting(value)

    def _add(self, pk: int, signature: frozenset[int]) -> None:
        self.discard(pk)
        self.signatures[pk] = signature
        lane = self._lane_bit(pk)
        for value in signature:
            if value in self.dense:
                self.dense[value] += lane
            else:
                self.postings.setdefault(value, set()).add(pk)
        if len(signature) >= MIN_SHINGLES:
            self._judged += lane
            self._own_offsets += (LANE_HIGH - shared_needed(len(signature))) * lane

    def discard(self, pk: int) -> None:
        signature = self.signatures.pop(pk, None)
        if signature is None:
            return
        lane = self._lane_bit(pk)
        for value in signature:
            if value in self.dense:
                self.dense[value] -= lane
                if not self.dense[value]:
                    del self.dense[value]
                continue
            members = self.postings[value]
            members.discard(pk)
            if not members:
                del self.postings[value]
        if len(signature) >= MIN_SHINGLES:
            self._judged -= lane
            self._own_offsets -= (LANE_HIGH - shared_needed(len(signature))) * lane

    def similar(self, signature: frozenset[int], *, exclude: int | None = None) -> list[int]:
        """Primary keys of indexed articles that are near-duplicates of ``signature``."""
        if len(signature) < MIN_SHINGLES:
            return []
        if len(signature) >= LANE_HIGH:  # a count could overflow its lane: compare directly
            return self._similar_by_sets(signature, exclude)
        counts = sum(self.dense[value] for value in signature if value in self.dense)
        shared = Counter(chain.from_iterable(map(self.postings.get, signature, repeat(()))))
        if shared:
            lanes = self._zero_lanes()
            for pk, count in shared.items():
                lanes[self._slots[pk]] = count
            counts += _packed(lanes)
        found = self._packed_matches(counts, shared_needed(len(signature)))
        return sorted(pk for pk in found if pk != exclude)

    def _packed_matches(self, counts: int, needed: int) -> Iterable[int]:
        """Articles whose lane count reaches what the probe or what they themselves need.

        Adding ``LANE_HIGH - needed`` to a lane sets its top bit exactly when the count
        reaches ``needed``; lanes of articles too short to judge get nothing added.
        """
        over = (counts + self._own_offsets) | (counts + (LANE_HIGH - needed) * self._judged)
        hits = over & (self._judged * LANE_HIGH)
        # Only lanes' top bits are set, so each hit is a byte 0x80 and every other byte is 0:
        # searching the bytes finds them in C. Clearing the lowest bit until none was left
        # copied the whole integer per hit, 23 ms a look-up at 100,000 articles.
        data = hits.to_bytes(len(self._pks) * LANE_BYTES, "little")
        position = data.find(TOP_BYTE)
        while position >= 0:
            yield self._pks[position // LANE_BYTES]
            position = data.find(TOP_BYTE, position + 1)

    def _similar_by_sets(self, signature: frozenset[int], exclude: int | None) -> list[int]:
        return sorted(
            pk
            for pk, other in self.signatures.items()
            if pk != exclude and containment(signature, other) >= CONTAINMENT_THRESHOLD
        )

    def _common_size(self) -> int:
        return max(DENSE_MIN, len(self._pks) // DENSE_SHARE)

    def _pack_posting(self, value: int) -> None:
        lanes = self._zero_lanes()
        for pk in self.postings.pop(value):
            lanes[self._slots[pk]] = 1
        self.dense[value] = _packed(lanes)

    def _zero_lanes(self) -> array:
        return array(LANE_TYPE, bytes(len(self._pks) * LANE_BITS // 8))

    def _lane_bit(self, pk: int) -> int:
        slot = self._slots.get(pk)
        if slot is None:
            slot = self._slots[pk] = len(self._pks)
            self._pks.append(pk)
        return 1 << (LANE_BITS * slot)


def _packed(lanes: array) -> int:
    """Counts, lane 0 first, as one integer with a lane of LANE_BITS bits each."""
    if sys.byteorder == "big":
        lanes.byteswap()
    return int.from_bytes(lanes.tobytes(), "little")


class ScanIndex:
    """The stored articles' signatures, each compared with every probe: for runs of a few files.

    Building a ``DuplicateIndex`` of a 100,000-article corpus took ~15 s and 1.8 GB (postings
    of every shingle, packed lanes of the common ones) before the first file of a run could
    be compared; a run of one file (an upload) paid all of it. Kept as arrays of hashes, the
    same signatures take ~60 MB, and a look-up intersects the probe with each of them in C,
    ~0.5 s at 100,000 articles: cheaper than the build for runs of up to a few dozen files
    (``corpus.ingest_context.SCAN_MAX_FILES``). Answers exactly what ``DuplicateIndex``
    answers (tests/corpus/test_dedupe.py).
    """

    def __init__(self, signatures: dict[int, array]) -> None:
        self._arrays = signatures
        self.signatures = _FrozenSignatures(signatures)

    @classmethod
    def from_signatures(cls, signatures: Iterable[tuple[int, Collection[int]]]) -> "ScanIndex":
        """The index of these signatures (arrays of hashes are kept as they are)."""
        return cls(
            {
                pk: signature if isinstance(signature, array) else array("I", signature)
                for pk, signature in signatures
            }
        )

    def discard(self, pk: int) -> None:
        self._arrays.pop(pk, None)

    def similar(self, signature: frozenset[int], *, exclude: int | None = None) -> list[int]:
        """Primary keys of indexed articles that are near-duplicates of ``signature``."""
        size = len(signature)
        if size < MIN_SHINGLES:
            return []
        shared_with = signature.intersection
        found = []
        for pk, stored in self._arrays.items():
            smaller = min(size, len(stored))
            # Containment (see ``containment``) without building a set of the stored hashes.
            if smaller >= MIN_SHINGLES and len(shared_with(stored)) >= shared_needed(smaller):
                found.append(pk)
        return sorted(pk for pk in found if pk != exclude)


class _FrozenSignatures(Mapping):
    """``ScanIndex.signatures``: the stored arrays, read as the frozensets an index holds."""

    def __init__(self, arrays: dict[int, array]) -> None:
        self._arrays = arrays

    def __getitem__(self, pk: int) -> frozenset[int]:
        return frozenset(self._arrays[pk])

    def __contains__(self, pk: object) -> bool:
        return pk in self._arrays

    def __iter__(self) -> Iterator[int]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)


class RunIndex:
    """The near-duplicate index of an ingest run: the stored articles' index, built once and
    left as it is, and a small one of the articles this run adds.

    Adding an article to an index of the whole corpus adds its lane to ~100 packed integers
    of a lane per stored article (200 kB each at 100,000 articles), 3 ms an article; the
    run's own index packs only the run's articles. An article is in one of the two: one
    that the run changes leaves the stored index. Look-ups ask both.
    """

    def __init__(self, stored: DuplicateIndex | ScanIndex) -> None:
        self.stored = stored
        self.added = DuplicateIndex()
        self.signatures = ChainMap(self.added.signatures, stored.signatures)

    def add(self, pk: int, signature: frozenset[int]) -> None:
        self.stored.discard(pk)
        self.added.add(pk, signature)

    def discard(self, pk: int) -> None:
        self.stored.discard(pk)
        self.added.discard(pk)

    def similar(self, signature: frozenset[int], *, exclude: int | None = None) -> list[int]:
        """Primary keys of indexed articles that are near-duplicates of ``signature``."""
        found = self.stored.similar(signature, exclude=exclude)
        return sorted(found + self.added.similar(signature, exclude=exclude))
