"""The timeline's event cards (title, badges, actors, weapons, citations), built in Python.

A timeline page shows 50 events with ~110 citations: ~3,000 values and ~450 links. Django's
template engine spent ~3.5 µs on each value (lookup, escaping, localisation), plus an include
and a context push per event and per citation and a ``reverse()`` per link: 55-65 ms of a page
whose SQL takes 10. ``format_html`` escapes the same values in a fraction of that, each route
is reversed once per page (``config.links.SlugRoute``) and each date label formatted once.

The actors, weapons and citations come as plain rows (``timeline/link_rows.py``): the same
three queries as ``prefetch_related``, without the ~700 model instances it built for 50 events
(~15 ms). tests/timeline/test_cards.py pins the markup.

A rendered card is a function of its event's rows and the code, so it is cached under the
corpus version and the release (``config.cache.cache_key``), like the aggregates: any write to
an event, its links, its articles or their outlets bumps the version, so a card is never
served stale. Every filter combination and page showing an event shares its card; a page
whose cards are all cached runs no query for them.
"""

from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from config.cache import cache_key
from config.links import SlugRoute
from corpus.choices import DatePrecision
from corpus.models.entities import URL_NAMES, Entity
from timeline.choices import ActorRole, EventStatus, EventType
from timeline.link_rows import EventLinkRows
from timeline.periods import period_datetime, period_label

TYPE_LABELS = dict(EventType.choices)
STATUS_LABELS = dict(EventStatus.choices)
ROLE_LABELS = {value: label.lower() for value, label in ActorRole.choices}


def period_time(day, precision: str) -> SafeString:
    """`<time datetime="2024-11">Nov 2024</time>`: a month-precision date never shows a day."""
    if day is None:
        return mark_safe("")
    return _period_time(day, precision, translation.get_language())


@lru_cache(maxsize=4096)
def _period_time(day, precision: str, language: str | None) -> SafeString:
    # Month names are translated: the active language is part of the key.
    label = period_label(day, precision)
    return format_html('<time datetime="{}">{}</time>', period_datetime(day, precision), label)


def _join(parts) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


class EventCards:
    """``cards(event)``: one event's ``<li class="event">`` of the timeline list.

    Made once per page: it holds the reversed routes (they depend on the script prefix) and,
    from ``load()``, the actors, weapons and citations of the page's events.
    """

    def __init__(self):
        self.html = {}
        self.event_url = SlugRoute("timeline:event-detail")
        self.article_url = SlugRoute("corpus:article-detail")
        self.outlet_url = SlugRoute("corpus:outlet-detail")
        self.entity_urls = {kind: SlugRoute(name) for kind, name in URL_NAMES.items()}
        self.actors, self.weapons, self.citations = {}, {}, {}

    @classmethod
    def load(cls, events) -> "EventCards":
        """The cards of ``events``: from the cache, else rendered and cached (three queries)."""
        cards = cls()
        prefix = cache_key(["event-card"])
        keys = {event.pk: f"{prefix}:{event.pk}" for event in events}
        cached = cache.get_many(keys.values())
        missing = []
        for event in events:
            if keys[event.pk] in cached:
                cards.html[event.pk] = cached[keys[event.pk]]
            else:
                missing.append(event)
        if missing:
            cards.fetch_rows([event.pk for event in missing])
            rendered = {event.pk: cards.render(event) for event in missing}
            cards.html.update(rendered)
            cache.set_many(
                {keys[pk]: html for pk, html in rendered.items()}, settings.SITREP_CACHE_SECONDS
            )
        return cards

    def fetch_rows(self, ids: list[int]) -> None:
        """The actors, weapons and citations of the events ``ids``, as plain rows."""
        rows = EventLinkRows.of(ids)
        self.actors, self.weapons, self.citations = rows.actors, rows.weapons, rows.citations

    def entity_url(self, entity_type: str, slug: str) -> str:
        return self.entity_urls[entity_type](slug)

    def __call__(self, event) -> SafeString:
        return self.html[event.pk]

    def render(self, event) -> SafeString:
        summary = event.summary and format_html('<p class="event-summary">{}</p>', event.summary)
        return format_html(
            '<li class="event" id="event-{}">\n<article aria-labelledby="event-title-{}">\n'
            '<h4 id="event-title-{}"><a href="{}">{}</a></h4>\n{}\n{}{}{}</article>\n</li>\n',
            event.slug,
            event.pk,
            event.pk,
            self.event_url(event.slug),
            event.title,
            self.badges(event),
            summary,
            self.facts(event),
            self.citation_list(event),
        )

    def badges(self, event) -> SafeString:
        """Type, status, period and place: the line under an event's title (list and page)."""
        period = place = ""
        if event.end_date:
            period = format_html(
                '\n<span class="event-period">{} to {}</span>',
                period_time(event.date, event.date_precision),
                period_time(event.end_date, DatePrecision.DAY),
            )
        if event.place:
            place = format_html(
                '\n<span class="event-place"><span class="label">Place:</span> '
                '<a href="{}">{}</a>{}</span>',
                self.entity_url(event.place.entity_type, event.place.slug),
                event.place.name,
                self.lies_in(event.place),
            )
        return format_html(
            '<p class="event-meta">\n<span class="event-type">{}</span>\n'
            '<span class="status status-{}"><span class="visually-hidden">Status: </span>{}</span>'
            "{}{}\n</p>",
            TYPE_LABELS.get(event.event_type, event.event_type),
            event.status,
            STATUS_LABELS.get(event.status, event.status),
            period,
            place,
        )

    def lies_in(self, place) -> SafeString:
        """The place the event's place lies in, as ", Kursk Oblast", so that a reader knows
        where a town is. Only when the caller selected it (``place__parent``): a card never
        queries."""
        if not place.parent_id or not Entity.parent.is_cached(place):
            return mark_safe("")
        parent = place.parent
        return format_html(
            ', <a href="{}">{}</a>', self.entity_url(parent.entity_type, parent.slug), parent.name
        )

    def facts(self, event) -> SafeString:
        actors = self.actors.get(event.pk)
        weapons = self.weapons.get(event.pk)
        if not (actors or weapons):
            return mark_safe("")
        parts = []
        if actors:
            items = format_html_join(
                "",
                '<li><a href="{}">{}</a> <span class="role">({})</span></li>',
                (
                    (
                        self.entity_url(a.actor__entity_type, a.actor__slug),
                        a.actor__name,
                        ROLE_LABELS.get(a.role, a.role),
                    )
                    for a in actors
                ),
            )
            parts.append(
                format_html('<dt>Actors</dt>\n<dd><ul class="inline-list">{}</ul></dd>\n', items)
            )
        if weapons:
            items = format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                (
                    (self.entity_url(w.weapon__entity_type, w.weapon__slug), w.weapon__name)
                    for w in weapons
                ),
            )
            parts.append(
                format_html(
                    '<dt>Weapon systems</dt>\n<dd><ul class="inline-list">{}</ul></dd>\n', items
                )
            )
        return format_html('<dl class="event-facts">\n{}</dl>\n', _join(parts))

    def citation_list(self, event) -> SafeString:
        citations = self.citations.get(event.pk)
        if not citations:
            return mark_safe('<p class="citations-heading">No article cites this event yet.</p>\n')
        count = len(citations)
        return format_html(
            '<p class="citations-heading">Reported by {} article{}:</p>\n'
            '<ul class="citations">\n{}</ul>\n',
            count,
            "" if count == 1 else "s",
            _join(self.citation(citation) for citation in citations),
        )

    def citation(self, row) -> SafeString:
        outlet = published = ""
        if row.article__outlet__slug:
            outlet = format_html(
                ', <a class="outlet" href="{}">{}</a>',
                self.outlet_url(row.article__outlet__slug),
                row.article__outlet__name,
            )
        if row.article__published_on:
            published = format_html(
                ", {}", period_time(row.article__published_on, row.article__published_precision)
            )
        return format_html(
            '<li class="citation">\n<blockquote class="quote"><p>{}</p></blockquote>\n'
            '<p class="citation-source">\n<a href="{}?cite={}#cite-{}">{}</a>{}{}\n</p>\n</li>\n',
            row.quote,
            self.article_url(row.article__slug),
            row.pk,
            row.pk,
            row.article__title,
            outlet,
            published,
        )
