"""What an entity page shows: its events, statements, articles, companions and activity.

Read-only queries, one per section whatever the corpus size; the entity page's view just
calls ``entity_dossier``.
"""

from collections import defaultdict, namedtuple
from dataclasses import dataclass
from datetime import date
from functools import cache, partial

from django.db.models import CharField, Exists, F, OuterRef, StringAgg, Subquery, Value
from django.utils.html import format_html
from django.utils.safestring import SafeString

from config.cache import cached_facets
from config.compiled import PLACEHOLDERS, CompiledQuery
from config.links import SlugRoute
from corpus.choices import EntityType
from corpus.models import Article, Entity, Mention
from corpus.models.entities import URL_NAMES
from corpus.snippets import keyword_in_context
from corpus.sparkline import Bucket, buckets, describe, sparkline_svg
from corpus.templatetags.corpus_pages import dated
from timeline.choices import EventStatus, EventType

EVENT_LIMIT = 100
STATEMENT_LIMIT = 50
ARTICLE_LIMIT = 20
SNIPPETS = 3  # per article
EVENT_TYPES = dict(EventType.choices)
EVENT_STATUSES = dict(EventStatus.choices)
EventRow = namedtuple(
    "EventRow",
    "title slug date date_precision end_date event_type status place_id place_name roles",
)
ArticleRow = namedtuple("ArticleRow", "pk title slug outlet_name published_on published_precision")
StatementRow = namedtuple(
    "StatementRow",
    "pk quote event__date event__date_precision event__slug event__title article__slug "
    "article__title article__outlet__name",
)


@dataclass(frozen=True, slots=True)
class EventLine:
    """One line of an entity page's list of events."""

    title: str
    url: str
    when: SafeString
    facts: str


def events_of(entity_type: str, entity_id: int):
    """The events the entity took part in (actor), was used in (weapon) or happened at
    (place, or a place inside it), each with the entity's roles in it ("speaker, target"), as
    line rows.

    An entity is of one type only, so only its own relation is asked: with all three ORed,
    PostgreSQL could not estimate how many events match, guessed three in four, and walked
    all 20,000 events by date for an actor named in 79 (15 ms instead of 0.5).
    """
    from timeline.models import Event, EventActor, EventWeapon

    no_roles = Value(None, output_field=CharField())
    if entity_type == EntityType.ACTOR:
        roles = (
            EventActor.objects.filter(event=OuterRef("pk"), actor=entity_id)
            .order_by()
            .values("event")
            .annotate(names=StringAgg("role", delimiter=Value(", "), order_by="role"))
            .values("names")
        )
        events = Event.objects.filter(
            pk__in=EventActor.objects.filter(actor=entity_id).values("event")
        ).annotate(roles=Subquery(roles), place_name=F("place__name"))
    elif entity_type == EntityType.WEAPON:
        events = Event.objects.filter(
            pk__in=EventWeapon.objects.filter(weapon=entity_id).values("event")
        ).annotate(roles=no_roles, place_name=F("place__name"))
    else:
        # As the timeline's place filter: the place's events and those of places inside it.
        # Their places' names by subquery, not a join: PostgreSQL then looks them up for the
        # hundred events kept, not for every event of a busy country before sorting them.
        place_name = Entity.objects.filter(pk=OuterRef("place")).values("name")
        events = Event.objects.at_places([entity_id]).annotate(
            roles=no_roles, place_name=Subquery(place_name)
        )
    return events.chronological().values_list(*EventRow._fields)[:EVENT_LIMIT]


@cache
def _event_rows(entity_type: str) -> CompiledQuery:
    from timeline.models import Event

    return CompiledQuery(Event, partial(events_of, entity_type))


def events_involving(entity: Entity):
    """The entity's events (``events_of``), each as what its line on the page says.

    Put together here from plain rows: a hundred lines of template lookups, filters and tags
    cost ~17 ms of the page, a hundred events with their places as model instances ~2 ms,
    and Django compiling the query ~2 ms on every request (``config.compiled``).
    """
    from timeline.choices import ActorRole

    labels = dict(ActorRole.choices)
    event_url = SlugRoute("timeline:event-detail")
    for row in map(EventRow._make, _event_rows(entity.entity_type)(entity.pk)):
        role_labels = [labels.get(r, r) for r in (row.roles or "").split(", ") if r]
        yield EventLine(
            title=row.title,
            url=event_url(row.slug),
            when=event_dates(row),
            facts=event_facts(row, role_labels, entity),
        )


def event_dates(event) -> SafeString:
    """The event's date, or its first and last dates, each as precise as it is known."""
    start = dated(event.date, event.date_precision)
    if not event.end_date:
        return start
    return format_html("{}\N{EN DASH}{}", start, dated(event.end_date, event.date_precision))


def event_facts(event, role_labels: list[str], entity: Entity) -> str:
    """ "Strike · Confirmed · as speaker, subject · Kursk": its type, status, the entity's roles
    in it, and where it happened unless that is the entity itself."""
    # The choices' labels by dict, as get_FOO_display() does, without its per-call set-up.
    facts = [
        str(EVENT_TYPES.get(event.event_type, event.event_type)),
        str(EVENT_STATUSES.get(event.status, event.status)),
    ]
    if role_labels:
        facts.append("as " + ", ".join(role_labels).lower())
    if event.place_id and event.place_id != entity.pk:
        facts.append(event.place_name)
    return " · ".join(facts)


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One quote of an entity page's statements, with the event and the article it is from."""

    pk: int
    quote: str
    when: SafeString
    event_title: str
    event_url: str
    article_title: str
    article_url: str
    outlet_name: str | None


@cache
def _statement_rows() -> CompiledQuery:
    from timeline.models import Citation

    return CompiledQuery(
        Citation, lambda entity_id: statements_by(entity_id).values_list(*StatementRow._fields)
    )


def statement_lines(entity: Entity) -> list[StatementLine]:
    """``statements_by`` as plain rows, each with its links (``event_url``, ``article_url``)."""
    event_url = SlugRoute("timeline:event-detail")
    article_url = SlugRoute("corpus:article-detail")
    return [
        StatementLine(
            pk=row.pk,
            quote=row.quote,
            when=dated(row.event__date, row.event__date_precision),
            event_title=row.event__title,
            event_url=event_url(row.event__slug),
            article_title=row.article__title,
            article_url=article_url(row.article__slug),
            outlet_name=row.article__outlet__name,
        )
        for row in map(StatementRow._make, _statement_rows()(entity.pk))
    ]


def statements_by(entity: Entity):
    """Quotes from the articles citing the events where the entity is the speaker."""
    from timeline.choices import ActorRole
    from timeline.models import Citation, EventActor

    speaking = EventActor.objects.filter(actor=entity, role=ActorRole.SPEAKER).values("event")
    return (
        # ANY(ARRAY(...)), not a join: joined, the planner walked every event by date to fill
        # the LIMIT, 30 ms for an actor with no statements (corpus/lookups.py).
        Citation.objects.filter(event__any=speaking)
        .select_related("event", "article__outlet")
        .defer("article__body", "article__raw_text", "article__search_vector")
        .order_by("event__date", "event__title", "article__published_on", "pk")[:STATEMENT_LIMIT]
    )


def articles_naming(entity: Entity):
    """Articles naming the entity, near-duplicates left out when their canonical one names it.

    ``mentioning(entity).fold_duplicates()`` with the fold spelled for one entity: "the
    canonical article names it too" is one index probe per row, where ``duplicate_of IN
    (articles naming it)`` hashed all of them first (27,536 ids, ~20 ms, for the most
    named actor) even to show twenty.
    """
    canonical_names_it = Mention.objects.filter(article=OuterRef("duplicate_of"), entity=entity)
    return Article.objects.mentioning(entity).exclude(Exists(canonical_names_it))


@dataclass(frozen=True, slots=True)
class ArticleLine:
    """One article of an entity page's list: where it is, and the entity in its words."""

    title: str
    url: str
    outlet_name: str | None
    published_on: date | None
    published_precision: str
    mention_count: int
    snippets: list[SafeString]


def latest_naming(entity_id: int):
    """The latest articles naming the entity (``articles_naming``), as line rows."""
    return (
        articles_naming(entity_id)
        .annotate(outlet_name=F("outlet__name"))
        .values_list(*ArticleRow._fields)[:ARTICLE_LIMIT]
    )


def mentions_in(entity_id: int, article_ids: list[int]):
    """Every mention of the entity in these articles, in order, with the words around it."""
    return (
        Mention.objects.filter(entity=entity_id, article__any=article_ids)
        .with_context()
        .order_by("article", "start")
        .values_list("article", "start", "end", "context_start", "context")
    )


@cache
def _article_rows() -> tuple[CompiledQuery, CompiledQuery]:
    return (
        CompiledQuery(Article, latest_naming),
        CompiledQuery(Mention, mentions_in, placeholders=(PLACEHOLDERS[0], [PLACEHOLDERS[1]])),
    )


def articles_mentioning(entity: Entity) -> list[ArticleLine]:
    """The latest articles naming the entity, each with up to three snippets of context.

    Near-duplicates are left out when their canonical article is listed: the same words
    twice tell the reader nothing new. Two queries of plain rows, each compiled once
    (``config.compiled``): the articles, then every mention of the entity in them (which
    counts them too); a ``Prefetch`` slice of model instances took twice as long, most of it
    Django compiling its window query.
    """
    latest, mentions_of = _article_rows()
    articles = [ArticleRow._make(row) for row in latest(entity.pk)]
    mentions = defaultdict(list)
    if articles:
        for article_id, *mention in mentions_of(entity.pk, [article.pk for article in articles]):
            mentions[article_id].append(mention)
    article_url = SlugRoute("corpus:article-detail")
    return [
        ArticleLine(
            title=article.title,
            url=article_url(article.slug),
            outlet_name=article.outlet_name,
            published_on=article.published_on,
            published_precision=article.published_precision,
            mention_count=len(mentions[article.pk]),
            snippets=[
                keyword_in_context(context, start, end, offset=context_start)
                for start, end, context_start, context in mentions[article.pk][:SNIPPETS]
            ],
        )
        for article in articles
    ]


@dataclass
class Activity:
    bars: list[Bucket]
    svg: str
    text: str


def mention_activity(entity: Entity) -> Activity:
    bars = buckets(Mention.objects.of(entity).daily_counts())
    title = f"Mentions of {entity.name} over time"
    return Activity(
        bars=bars,
        svg=sparkline_svg(bars, title=title, chart_id=f"spark-{entity.pk}"),
        text=describe(bars),
    )


def aggregate_sections(entity: Entity) -> tuple[list[Entity], Activity, int]:
    """Co-mentioned entities, activity by day and the number of articles naming the entity.

    The page's three costliest sections, each linear in the entity's mentions (most of the
    most named actor's page time), so they are cached per entity until the corpus changes
    (``config.cache``).
    """
    return cached_facets(
        ["entity-dossier", entity.pk],
        lambda: (
            list(Entity.objects.co_mentioned_with(entity)),
            mention_activity(entity),
            articles_naming(entity).count(),
        ),
    )


def may_speak(entity: Entity) -> bool:
    """Only actors speak (the other pages have no statements section); an actor fetched
    ``with_speaker_flag()`` says whether it ever does."""
    return entity.entity_type == EntityType.ACTOR and getattr(entity, "speaks", True)


def entity_dossier(entity: Entity) -> dict:
    """Context for the entity page; each value is one query, three of them cached.

    Links are made with ``SlugRoute`` (one ``reverse()`` per route, not ~150 per page, each
    ~30 µs: config/links.py).
    """
    co_mentions, activity, article_count = aggregate_sections(entity)
    entity_urls = {kind: SlugRoute(name) for kind, name in URL_NAMES.items()}
    for other in co_mentions:
        other.url = entity_urls[other.entity_type](other.slug)
    return {
        "events": list(events_involving(entity)),
        "event_limit": EVENT_LIMIT,
        "statements": statement_lines(entity) if may_speak(entity) else [],
        "articles": articles_mentioning(entity),
        "article_count": article_count,
        "co_mentions": co_mentions,
        "activity": activity,
    }
