"""What an entity page shows: its events, statements, articles, companions and activity.

Read-only queries, one per section whatever the corpus size; the entity page's view just
calls ``entity_dossier``.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, StringAgg, Subquery, Value
from django.utils.html import format_html
from django.utils.safestring import SafeString

from config.cache import cached_facets
from corpus.models import Article, Entity, Mention
from corpus.snippets import keyword_in_context
from corpus.sparkline import Bucket, buckets, describe, sparkline_svg
from corpus.templatetags.corpus_pages import dated
from timeline.choices import EventStatus, EventType

EVENT_LIMIT = 100
STATEMENT_LIMIT = 50
ARTICLE_LIMIT = 20
SNIPPETS_PER_ARTICLE = 3
EVENT_TYPES = dict(EventType.choices)
EVENT_STATUSES = dict(EventStatus.choices)


def events_involving(entity: Entity):
    """Events the entity took part in (actor), was used in (weapon) or happened at (place).

    Each comes with what its line on the page says, put together here (``when``, ``url``,
    ``facts``): a hundred lines of template lookups, filters and tags cost ~17 ms of the
    page, more than all of its SQL.
    """
    from timeline.choices import ActorRole
    from timeline.models import Event, EventActor, EventWeapon

    roles = (
        EventActor.objects.filter(event=OuterRef("pk"), actor=entity)
        .order_by()
        .values("event")
        .annotate(names=StringAgg("role", delimiter=Value(", "), order_by="role"))
        .values("names")
    )
    involved = (
        Q(pk__in=EventActor.objects.filter(actor=entity).values("event"))
        | Q(pk__in=EventWeapon.objects.filter(weapon=entity).values("event"))
        | Q(place=entity)
    )
    events = (
        Event.objects.filter(involved)
        .select_related("place")
        .annotate(roles=Subquery(roles))
        .chronological()
    )
    labels = dict(ActorRole.choices)
    for event in events[:EVENT_LIMIT]:
        event.role_labels = [labels.get(r, r) for r in (event.roles or "").split(", ") if r]
        event.when = event_dates(event)
        event.url = event.get_absolute_url()
        event.facts = event_facts(event, entity)
        yield event


def event_dates(event) -> SafeString:
    """The event's date, or its first and last dates, each as precise as it is known."""
    start = dated(event.date, event.date_precision)
    if not event.end_date:
        return start
    return format_html("{}\N{EN DASH}{}", start, dated(event.end_date, event.date_precision))


def event_facts(event, entity: Entity) -> str:
    """ "Strike · Confirmed · as speaker, subject · Kursk": its type, status, the entity's roles
    in it, and where it happened unless that is the entity itself."""
    # The choices' labels by dict, as get_FOO_display() does, without its per-call set-up.
    facts = [
        str(EVENT_TYPES.get(event.event_type, event.event_type)),
        str(EVENT_STATUSES.get(event.status, event.status)),
    ]
    if event.role_labels:
        facts.append("as " + ", ".join(event.role_labels).lower())
    if event.place and event.place_id != entity.pk:
        facts.append(event.place.name)
    return " · ".join(facts)


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


def articles_mentioning(entity: Entity):
    """The latest articles naming the entity, each with up to three snippets of context.

    Near-duplicates are left out when their canonical article is listed: the same words
    twice tell the reader nothing new.
    """
    snippets = Mention.objects.filter(entity=entity).with_context().order_by("start")
    articles = list(
        articles_naming(entity)
        .select_related("outlet")
        .without_texts()
        .annotate(
            mention_count=Subquery(
                Mention.objects.filter(article=OuterRef("pk"), entity=entity)
                .order_by()
                .values("article")
                .annotate(n=Count("pk"))
                .values("n")
            )
        )
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=snippets[:SNIPPETS_PER_ARTICLE],
                to_attr="entity_mentions",
            )
        )[:ARTICLE_LIMIT]
    )
    for article in articles:
        article.snippets = [
            keyword_in_context(m.context, m.start, m.end, offset=m.context_start)
            for m in article.entity_mentions
        ]
    return articles


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


def entity_dossier(entity: Entity) -> dict:
    """Context for the entity page; each value is one query, three of them cached."""
    co_mentions, activity, article_count = aggregate_sections(entity)
    return {
        "events": list(events_involving(entity)),
        "event_limit": EVENT_LIMIT,
        "statements": statements_by(entity),
        "articles": articles_mentioning(entity),
        "article_count": article_count,
        "co_mentions": co_mentions,
        "activity": activity,
    }
