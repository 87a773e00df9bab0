"""What the corpus holds, for the home page: counts and the span of dates."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q

from corpus.choices import EntityType
from corpus.models import Article, Entity, Outlet


@dataclass(frozen=True)
class CorpusSummary:
    articles: int
    duplicates: int
    outlets: int
    events: int
    actors: int
    weapons: int
    places: int
    first_date: date | None
    last_date: date | None

    @property
    def is_empty(self) -> bool:
        return self.articles == 0 and self.events == 0


def corpus_summary() -> CorpusSummary:
    """Four queries whatever the corpus size: one aggregate per table."""
    from timeline.models import Event

    articles = Article.objects.aggregate(
        total=Count("pk"),
        duplicates=Count("pk", filter=Q(duplicate_of__isnull=False)),
        first=Min("published_on"),
        last=Max("published_on"),
    )
    entities = Entity.objects.aggregate(
        actors=Count("pk", filter=Q(entity_type=EntityType.ACTOR)),
        weapons=Count("pk", filter=Q(entity_type=EntityType.WEAPON)),
        places=Count("pk", filter=Q(entity_type=EntityType.PLACE)),
    )
    events = Event.objects.aggregate(
        total=Count("pk"), first=Min("date"), last=Max("date"), last_end=Max("end_date")
    )
    dates = [d for d in (articles["first"], events["first"]) if d]
    ends = [d for d in (articles["last"], events["last"], events["last_end"]) if d]
    return CorpusSummary(
        articles=articles["total"],
        duplicates=articles["duplicates"],
        outlets=Outlet.objects.count(),
        events=events["total"],
        actors=entities["actors"],
        weapons=entities["weapons"],
        places=entities["places"],
        first_date=min(dates) if dates else None,
        last_date=max(ends) if ends else None,
    )
