"""What hangs on an entity: the counts a merge moves and a delete must not orphan."""

from dataclasses import dataclass, fields

from django.db.models import Count

from corpus.counts import related_count
from corpus.models import Alias, Entity, EntityRedirect, Mention
from timeline.models import Citation, Event, EventActor, EventWeapon


@dataclass(frozen=True)
class Usage:
    aliases: int = 0
    mentions: int = 0
    mention_articles: int = 0
    event_roles: int = 0
    weapon_uses: int = 0
    event_places: int = 0
    child_places: int = 0
    citations: int = 0
    redirects: int = 0
    outlet: int = 0

    LABELS = {
        "aliases": "aliases",
        "mentions": "mentions",
        "mention_articles": "articles mentioning it",
        "event_roles": "event roles",
        "weapon_uses": "weapon uses in events",
        "event_places": "events placed here",
        "child_places": "places inside it",
        "citations": "citations of its events",
        "redirects": "old slugs redirecting here",
        "outlet": "outlet link",
    }

    def items(self):
        return [(self.LABELS[f.name], getattr(self, f.name)) for f in fields(self)]

    @property
    def blocking(self) -> list[str]:
        """What a delete would orphan, in words: these rows protect the entity."""
        parts = []
        if self.mentions:
            parts.append(
                f"{counted(self.mentions, 'mention')} in "
                f"{counted(self.mention_articles, 'article')}"
            )
        for count, noun in [
            (self.event_roles, "event role"),
            (self.weapon_uses, "weapon use in an event|weapon uses in events"),
            (self.event_places, "event placed here|events placed here"),
            (self.child_places, "place inside it|places inside it"),
        ]:
            if count:
                parts.append(counted(count, noun))
        return parts


def counted(count: int, noun: str) -> str:
    """ "1 mention", "2 mentions"; "singular|plural" where an "s" will not do."""
    singular, _, plural = noun.partition("|")
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def with_usage(queryset):
    """Annotate entities with usage counts, one subquery per relation (no row fan-out)."""
    return queryset.annotate(
        usage_aliases=related_count(Alias, "entity"),
        usage_mentions=related_count(Mention, "entity"),
        usage_event_roles=related_count(EventActor, "actor"),
        usage_weapon_uses=related_count(EventWeapon, "weapon"),
        usage_event_places=related_count(Event, "place"),
        usage_child_places=related_count(Entity, "parent"),
        usage_redirects=related_count(EntityRedirect, "entity"),
    )


def entity_usage(*, entities) -> dict[int, Usage]:
    """Usage of each entity by pk, in a fixed number of queries whatever the count."""
    pks = [entity.pk for entity in entities]
    annotated = with_usage(Entity.objects.filter(pk__in=pks)).values(
        "pk",
        "usage_aliases",
        "usage_mentions",
        "usage_event_roles",
        "usage_weapon_uses",
        "usage_event_places",
        "usage_child_places",
        "usage_redirects",
        "outlet",
    )
    articles = dict(
        Mention.objects.filter(entity__in=pks)
        .order_by()
        .values("entity")
        .annotate(n=Count("article", distinct=True))
        .values_list("entity", "n")
    )
    citations = _citations_by_entity(pks)
    return {
        row["pk"]: Usage(
            aliases=row["usage_aliases"],
            mentions=row["usage_mentions"],
            mention_articles=articles.get(row["pk"], 0),
            event_roles=row["usage_event_roles"],
            weapon_uses=row["usage_weapon_uses"],
            event_places=row["usage_event_places"],
            child_places=row["usage_child_places"],
            citations=citations.get(row["pk"], 0),
            redirects=row["usage_redirects"],
            outlet=1 if row["outlet"] else 0,
        )
        for row in annotated
    }


def _citations_by_entity(pks: list[int]) -> dict[int, int]:
    """Distinct citations of the events each entity takes part in (actor, weapon or place)."""
    links: dict[int, set[int]] = {}
    for entity_field in [
        "event__event_actors__actor",
        "event__event_weapons__weapon",
        "event__place",
    ]:
        rows = Citation.objects.filter(**{f"{entity_field}__in": pks}).values_list(
            entity_field, "pk"
        )
        for entity_pk, citation_pk in rows:
            links.setdefault(entity_pk, set()).add(citation_pk)
    return {pk: len(citations) for pk, citations in links.items()}


def blocking_descriptions(*, entities, examples: int = 3) -> dict[int, str]:
    """For each entity still in use, one line saying what uses it (for refused deletes)."""
    usage = entity_usage(entities=entities)
    names = {entity.pk: entity.name for entity in entities}
    blocked = {pk: u.blocking for pk, u in usage.items() if u.blocking}
    if not blocked:
        return {}
    event_titles = _event_titles(list(blocked), examples)
    lines = {}
    for pk, parts in blocked.items():
        titles = event_titles.get(pk, [])
        events = f" — events: {', '.join(titles)}" if titles else ""
        lines[pk] = f"{names[pk]}: used by {', '.join(parts)}{events}"
    return lines


def _event_titles(pks: list[int], limit: int) -> dict[int, list[str]]:
    titles: dict[int, list[str]] = {}
    for entity_field in ["event_actors__actor", "event_weapons__weapon", "place"]:
        rows = (
            Event.objects.filter(**{f"{entity_field}__in": pks})
            .order_by("date", "title")
            .values_list(entity_field, "title")
            .distinct()
        )
        for entity_pk, title in rows:
            found = titles.setdefault(entity_pk, [])
            if title not in found and len(found) < limit:
                found.append(title)
    return titles
