"""Full-text search across articles, events and entities.

Queries use PostgreSQL's web-search syntax (``websearch_to_tsquery``): ``"exact phrase"``,
``or`` between alternatives, ``-word`` to exclude. Before searching, a query naming an alias
of an entity is widened with the entity's other spellings ("ATACMs" also finds "Army Tactical
Missile System"), and names are matched by trigram so misspellings still find entities.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Lower

from config.cache import cached_facets
from corpus.models import Alias, Article, Entity
from corpus.ranked import RankedResults
from corpus.snippets import HIGHLIGHT_START, HIGHLIGHT_STOP

MAX_QUERY_LENGTH = 500
MAX_TOKENS = 40
MAX_VARIANTS = 24
MAX_NGRAM = 4
CONFIG = "english"
# A term found in almost every article must not make the page count and rank every match (at
# 100,000 articles that took ~5 s): counts stop at COUNT_CAP ("more than 1,000"), and only the
# newest ARTICLE_CANDIDATES matching articles (EVENT_CANDIDATES events) are ranked. Trade-off:
# for such a term an older item that would rank higher is not shown; a term with fewer
# matches than that is ranked in full, exactly as before.
COUNT_CAP = 1000
ARTICLE_CANDIDATES = 2000
EVENT_CANDIDATES = 2000

TOKEN_RE = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
# A word made only of punctuation searches for nothing, and the fuzzy name match skips it.
HAS_LETTER = re.compile(r"\w")


@dataclass(frozen=True)
class Token:
    text: str
    phrase: bool = False
    negated: bool = False

    @property
    def is_or(self) -> bool:
        return not self.phrase and not self.negated and self.text.lower() == "or"

    def render(self) -> str:
        body = f'"{self.text}"' if self.phrase else self.text
        return f"-{body}" if self.negated else body


@dataclass
class ParsedQuery:
    """The query as typed, cleaned, split into tokens, and what the user should be told."""

    raw: str
    text: str
    tokens: list[Token]
    messages: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """Words and phrases to look for (not the excluded ones, not ``or``)."""
        return [
            t.text
            for t in self.tokens
            if not t.negated and not t.is_or and HAS_LETTER.search(t.text)
        ]


def parse_query(raw: str | None) -> ParsedQuery:
    """Clean what the user typed: no NUL or control characters, at most 500 characters."""
    raw = raw or ""
    messages = []
    text = "".join(ch if ch.isprintable() else " " for ch in raw.replace("\x00", ""))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
        messages.append(f"Your query was shortened to its first {MAX_QUERY_LENGTH} characters.")
    tokens = [
        Token(
            text=(m["phrase"] if m["phrase"] is not None else m["word"]).strip(),
            phrase=m["phrase"] is not None,
            negated=bool(m["neg"]),
        )
        for m in TOKEN_RE.finditer(text)
    ]
    tokens = [t for t in tokens if t.text][:MAX_TOKENS]
    if text.count('"') % 2:
        messages.append("An opening quote had no closing quote; the phrase runs to the end.")
    return ParsedQuery(raw=raw, text=text, tokens=tokens, messages=messages)


def render(tokens: list[Token]) -> str:
    return " ".join(t.render() for t in tokens)


def has_lexemes(text: str) -> bool:
    """Whether the text-search parser finds any word to search for (not only stop words)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT numnode(websearch_to_tsquery(%s::regconfig, %s))", [CONFIG, text])
        return cursor.fetchone()[0] > 0


def _spans(tokens: list[Token]):
    """``(i, j, text)`` for each phrase and each run of up to four plain words."""
    for i, token in enumerate(tokens):
        if token.is_or:
            continue
        if token.phrase or token.negated:
            yield i, i + 1, token.text
            continue
        words = []
        for j in range(i, min(i + MAX_NGRAM, len(tokens))):
            if tokens[j].phrase or tokens[j].negated or tokens[j].is_or:
                break
            words.append(tokens[j].text)
            yield i, j + 1, " ".join(words)


def _spelling_matches(spelling: str, typed: str) -> bool:
    # Short all-capital aliases (US, UK) match their case exactly, as in mention extraction:
    # otherwise the word "us" would drag in every article about the United States.
    if spelling.isupper() and len(spelling) <= 3:
        return spelling == typed
    return spelling.lower() == typed.lower()


def alias_expansions(parsed: ParsedQuery) -> tuple[list[str], list[Entity]]:
    """Other spellings of the entities the query names, as extra web-search queries.

    Each variant replaces one named span by another spelling of the same entity, quoted
    as a phrase; an excluded name (``-ATACMS``) excludes every spelling. One query.
    """
    spans = list(_spans(parsed.tokens))
    if not spans:
        return [], []
    keys = {text.lower() for _, _, text in spans}
    lowered = Alias.objects.alias(lower_name=Lower("name"))
    # A UNION, not "name matches OR pk IN (aliases)": each branch uses its name index; the
    # OR scanned every entity (4 ms of each search).
    named = (
        Entity.objects.alias(lower_name=Lower("name"))
        .filter(lower_name__in=keys)
        .values("pk")
        .union(lowered.filter(lower_name__in=keys).values("entity"))
    )
    spellings: dict[int, set[str]] = {}
    entities: dict[int, Entity] = {}
    for alias in Alias.objects.filter(entity__in=named).select_related("entity"):
        entities[alias.entity_id] = alias.entity
        spellings.setdefault(alias.entity_id, {alias.entity.name}).add(alias.name)

    base = list(parsed.tokens)
    replacements = []
    matched: dict[int, Entity] = {}
    for i, j, text in spans:
        for pk, names in spellings.items():
            if not any(_spelling_matches(name, text) for name in names):
                continue
            matched[pk] = entities[pk]
            # A double quote inside a spelling would end the phrase it is quoted in.
            others = sorted(n.replace('"', " ") for n in names if n.lower() != text.lower())
            if parsed.tokens[i].negated:
                base.extend(Token(text=n, phrase=True, negated=True) for n in others)
            else:
                replacements.extend((i, j, n) for n in others)
    variants = [
        render([*base[:i], Token(text=name, phrase=True), *base[j:]])
        for i, j, name in replacements[:MAX_VARIANTS]
    ]
    return [render(base), *variants], list(matched.values())


@dataclass
class SearchPlan:
    parsed: ParsedQuery
    query: SearchQuery | None
    expansions: list[str]
    named_entities: list[Entity]
    # The texts ``query`` searches for, which decide its results (with the corpus).
    searched: tuple[str, ...] = ()

    @property
    def searchable(self) -> bool:
        return self.query is not None


def plan_search(raw: str | None) -> SearchPlan:
    """Parse, check and widen a query; ``query`` is None when there is nothing to search."""
    parsed = parse_query(raw)
    if not parsed.tokens:
        return SearchPlan(parsed, None, [], [])
    if not has_lexemes(parsed.text):
        parsed.messages.append(
            "Nothing to search for: the query has only punctuation or very common words."
        )
        return SearchPlan(parsed, None, [], [])
    queries, named = alias_expansions(parsed)
    texts = queries or [parsed.text]
    query = SearchQuery(texts[0], search_type="websearch", config=CONFIG)
    for text in texts[1:]:
        query |= SearchQuery(text, search_type="websearch", config=CONFIG)
    return SearchPlan(parsed, query, texts[1:], named, tuple(texts))


def _headline(expression, query):
    return SearchHeadline(
        expression,
        query,
        config=CONFIG,
        start_sel=HIGHLIGHT_START,
        stop_sel=HIGHLIGHT_STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def capped_count(results, cap: int | None = None) -> tuple[int, bool]:
    """``(count, capped)``: at most ``cap`` rows counted, ``capped`` when there are more.

    Ranked results know their number (at most their candidates); a queryset's count stops
    after ``cap + 1`` rows (a ``LIMIT`` in the counted subquery), so a term in every article
    costs as much as one in a thousand.
    """
    cap = COUNT_CAP if cap is None else cap
    if isinstance(results, RankedResults):
        found = results.count()
    else:
        found = results.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


def _newest_first(published_on):
    # ORDER BY published_on DESC puts undated articles first (PostgreSQL's NULLS FIRST).
    return (published_on is not None, -published_on.toordinal() if published_on else 0)


def cached_ranking(
    kind: str, key: Sequence[str], rank: Callable[[], list[tuple[int, float]]]
) -> list[tuple[int, float]]:
    """``rank()``, shared under ``key`` (a plan's ``searched``) until the corpus changes.

    Ranking the candidates is most of a common term's cost (~35 ms of SQL at 100,000
    articles); with it cached, the overview, each type's pages and every other visitor with
    the same query fetch only the rows they show. Without a key, ranked afresh.
    """
    if not key:
        return rank()
    return cached_facets(("search-ranking", kind, *key), rank)


def search_articles(query: SearchQuery, *, key: Sequence[str] = ()) -> RankedResults:
    """Matching articles, best first; near-duplicates folded under their canonical one.

    Only the newest ``ARTICLE_CANDIDATES`` matches are ranked: the candidates come from the GIN
    index (few matches) or from walking the date index newest first (many matches), so neither
    the count nor ``ts_rank`` ever reads more than that many stored vectors. One query finds
    and ranks them (cached with ``key``: ``cached_ranking``); headlines are made for the page
    shown only (``RankedResults``).
    """

    def rank_candidates() -> list[tuple[int, float]]:
        candidates = list(
            Article.objects.filter(search_vector=query)
            .order_by("-published_on", "-pk")
            .annotate(rank=SearchRank(F("search_vector"), query))
            .values_list("pk", "duplicate_of_id", "published_on", "rank")[:ARTICLE_CANDIDATES]
        )
        ids = {pk for pk, *_ in candidates}
        # fold_duplicates() within the candidates: a copy goes when its canonical one is there.
        kept = [row for row in candidates if row[1] not in ids]
        kept.sort(key=lambda row: (-row[3], *_newest_first(row[2]), row[0]))
        return [(pk, rank) for pk, _, _, rank in kept]

    def rows(page_ids: list[int]):
        return (
            Article.objects.filter(pk__any=page_ids)
            .select_related("outlet")
            .without_texts()
            .annotate(headline=_headline("body", query))
        )

    return RankedResults(cached_ranking("article", key, rank_candidates), rows)


def event_candidates(query: SearchQuery):
    """``(pk, rank, date)`` of the newest ``EVENT_CANDIDATES`` events matching ``query``.

    Title and summary match and rank on the event's stored ``search_vector`` (GIN-indexed);
    quotes are matched in their own table, so no per-event aggregate is built for the filter.
    Only the newest candidates are ranked; PostgreSQL ranks them after the ``LIMIT``.
    """
    from timeline.models import Citation, Event

    quoted = (
        Citation.objects.alias(vector=SearchVector("quote", config=CONFIG))
        .filter(vector=query)
        .order_by()
        .values("event")
    )
    # A UNION rather than "vector matches OR pk IN (quotes)": each branch can use its GIN
    # index (event_search_vector_gin, citation_quote_search_gin); the OR cannot.
    by_text = Event.objects.filter(search_vector=query).order_by().values("pk")
    return (
        Event.objects.filter(pk__in=by_text.union(quoted))
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-date", "-pk")
        .values_list("pk", "rank", "date")[:EVENT_CANDIDATES]
    )


def search_events(query: SearchQuery, *, key: Sequence[str] = ()) -> RankedResults:
    """Events whose title, summary or cited quotes match, best first (the ranking cached
    with ``key``: ``cached_ranking``).

    The quotes are gathered only for the snippet of the rows shown.
    """
    from timeline.models import Event, cited_quotes

    def rank_candidates() -> list[tuple[int, float]]:
        ranked = sorted(event_candidates(query), key=lambda row: (-row[1], row[2], row[0]))
        return [(pk, rank) for pk, rank, _ in ranked]

    document = Concat(
        "summary",
        Value(" "),
        Coalesce(cited_quotes(" … "), Value(""), output_field=TextField()),
        output_field=TextField(),
    )

    def rows(page_ids: list[int]):
        return (
            Event.objects.filter(pk__any=page_ids)
            .select_related("place")
            .annotate(headline=_headline(document, query))
        )

    return RankedResults(cached_ranking("event", key, rank_candidates), rows)


def search_entities(plan: SearchPlan):
    """Entities the query names: exact spellings first, then names resembling a term.

    Each term's trigram filter can use the name indexes; only the candidates are scored.
    """
    terms = [t.lower() for t in plan.parsed.terms if len(t) >= 3][:8]
    exact = [e.pk for e in plan.named_entities]
    condition = Q(pk__in=exact)
    for term in terms:
        condition |= Q(pk__in=Entity.objects.name_resembles(term).values("pk"))
    scores = [Case(When(pk__in=exact, then=Value(2.0)), default=Value(0.0))]
    for term in terms:
        scores.append(TrigramWordSimilarity(term, Lower("name")))
        scores.append(TrigramSimilarity(Lower("name"), term))
    return (
        Entity.objects.filter(condition)
        .annotate(similarity=Greatest(*scores, Value(0.0)))
        .order_by("-similarity", "name")
    )
