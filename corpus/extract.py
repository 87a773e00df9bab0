"""Mention extraction: every alias of every known entity found in an article body, with offsets.

One Aho-Corasick automaton per run holds all aliases, so a body is scanned once whatever the
number of aliases. Aliases written in capitals only (US, NATO, ATACMS, U.S.) match exactly
that case, so "us" and "Nato" in running text are not the United States or the alliance;
every other alias matches in any case. A match must start and end at a word boundary, and
where matches overlap the longest wins ("North Korean troops" over "North Korea").
"""

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick
from django.db import connection, transaction

from config.cache import corpus_changed
from corpus.models import Alias, Article, Entity, Mention


@dataclass(frozen=True, order=True)
class Match:
    start: int
    end: int
    entity_id: int
    text: str


def is_exact_case(alias: str) -> bool:
    """All-capital aliases (acronyms) keep their case; "ATACMs" or "Kursk" do not."""
    return alias == alias.upper() and any(map(str.isalpha, alias))


def lower_same_length(text: str) -> str:
    """Lower-case text without moving offsets: the few characters whose lower case is longer
    (Turkish dotted İ) are left as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class MentionExtractor:
    """The aliases of a run, compiled once; ``find`` then scans a body in one pass per case."""

    def __init__(self, aliases: Iterable[tuple[int, str]]):
        exact: dict[str, set[int]] = {}
        folded: dict[str, set[int]] = {}
        for entity_id, name in aliases:
            name = " ".join(name.split())
            if not name:
                continue
            if is_exact_case(name):
                exact.setdefault(name, set()).add(entity_id)
            else:
                folded.setdefault(lower_same_length(name), set()).add(entity_id)
        self.alias_count = len(exact) + len(folded)
        self._exact = self._automaton(exact)
        self._folded = self._automaton(folded)

    @classmethod
    def from_db(cls) -> "MentionExtractor":
        """Every alias and every entity's own name (an entity is always found by its name).

        Read with one plain query: every ingest run starts here, and fetching the bench
        corpus's ~26,000 names through ``values_list`` (sorted, a row at a time through the
        ORM) took 30-48 ms, against 10-12 ms. Their order does not matter: each name's entities
        are collected into a set before the automaton is built.
        """
        quote = connection.ops.quote_name
        alias, entity = Alias._meta, Entity._meta
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(alias.get_field('entity').column)}, "
                f"{quote(alias.get_field('name').column)} FROM {quote(alias.db_table)} "
                f"UNION ALL SELECT {quote(entity.pk.column)}, "
                f"{quote(entity.get_field('name').column)} FROM {quote(entity.db_table)}"
            )
            return cls(cursor.fetchall())

    @staticmethod
    def _automaton(words: dict[str, set[int]]):
        if not words:
            return None
        automaton = ahocorasick.Automaton()
        for word, entity_ids in words.items():
            automaton.add_word(word, (len(word), tuple(sorted(entity_ids))))
        automaton.make_automaton()
        return automaton

    def find(self, body: str) -> list[Match]:
        """Non-overlapping matches in body order; an alias shared by several entities yields
        one match per entity on the same span, since picking one would be a silent guess."""
        spans: dict[tuple[int, int], tuple[int, ...]] = {}
        for automaton, haystack in (
            (self._exact, body),
            (self._folded, lower_same_length(body) if self._folded else body),
        ):
            if automaton is None:
                continue
            for last, (length, entity_ids) in automaton.iter(haystack):
                start, end = last - length + 1, last + 1
                # Word boundaries as regex \b: only an alias edge that is a word character
                # needs a non-word neighbour ("Russia" not in "Russian"; "U.S." in "U.S.-led").
                if start > 0 and _is_word_char(body[start]) and _is_word_char(body[start - 1]):
                    continue
                if end < len(body) and _is_word_char(body[end - 1]) and _is_word_char(body[end]):
                    continue
                known = spans.get((start, end))
                # Each automaton's ids are sorted already; merge only when both found the span.
                spans[(start, end)] = (
                    entity_ids if known is None else tuple(sorted({*known, *entity_ids}))
                )
        return [
            Match(start, end, entity_id, body[start:end])
            for start, end in _longest_first(spans)
            for entity_id in spans[(start, end)]
        ]


def _longest_first(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the longest of overlapping spans (the earlier on a tie), in body order."""
    kept_starts: list[int] = []
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
        position = bisect.bisect_left(kept_starts, start)
        if position > 0 and kept[position - 1][1] > start:
            continue
        if position < len(kept) and kept[position][0] < end:
            continue
        kept_starts.insert(position, start)
        kept.insert(position, (start, end))
    return kept


def insert_mentions(article_id: int, matches: list[Match]) -> int:
    """Store an article's matches in one INSERT.

    Column arrays through ``unnest`` instead of ``bulk_create``: an article has dozens of
    mentions, and building a model instance for each was the slowest step of ingest.
    """
    if not matches:
        return 0
    fields = [Mention._meta.get_field(name) for name in ("article", "entity", "start", "end")]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    text_column = connection.ops.quote_name(Mention._meta.get_field("text").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Mention._meta.db_table)} "
            f"({columns}, {text_column}) "
            "SELECT %s, * FROM unnest(%s::bigint[], %s::integer[], %s::integer[], %s::text[])",
            [
                article_id,
                [m.entity_id for m in matches],
                [m.start for m in matches],
                [m.end for m in matches],
                [m.text for m in matches],
            ],
        )
    return len(matches)


@dataclass
class ExtractResult:
    articles: int = 0
    changed: int = 0
    created: int = 0
    deleted: int = 0


def extract_mentions(
    *, articles: Iterable[Article] | None = None, extractor: MentionExtractor | None = None
) -> ExtractResult:
    """Re-extract the mentions of ``articles`` (all articles when None) from the current aliases.

    Idempotent: an article whose mentions would not change is not written to.
    """
    extractor = extractor or MentionExtractor.from_db()
    if articles is None:
        articles = Article.objects.order_by("pk").only("pk", "body")
    result = ExtractResult()
    with transaction.atomic():
        for article in articles:
            result.articles += 1
            found = extractor.find(article.body)
            wanted = {(m.entity_id, m.start, m.end, m.text) for m in found}
            current = set(
                Mention.objects.filter(article=article).values_list(
                    "entity_id", "start", "end", "text"
                )
            )
            if wanted == current:
                continue
            result.changed += 1
            result.deleted += Mention.objects.filter(article=article).delete()[0]
            result.created += insert_mentions(article.pk, found)
        if result.changed:
            corpus_changed()  # mentions are written with raw SQL, without signals
    return result
