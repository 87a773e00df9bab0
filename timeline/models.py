"""Events reported by the corpus, who and what took part, and the articles that cite them."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, StringAgg, Subquery, Value
from django.urls import reverse

from corpus.choices import DatePrecision, EntityType
from timeline.choices import ActorRole, EventStatus, EventType


def cited_quotes(delimiter: str) -> Subquery:
    """An event's supporting quotes joined into one text, as a correlated subquery."""
    quotes = (
        Citation.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(text=StringAgg("quote", delimiter=Value(delimiter)))
        .values("text")
    )
    return Subquery(quotes, output_field=models.TextField())


class EventQuerySet(models.QuerySet):
    def in_period(self, start=None, end=None):
        """Events whose period overlaps [start, end]; either bound may be omitted.

        An event known only to the month (or year) lasts the whole month (or year): "Nov 2024"
        overlaps a range starting on 15 Nov. Its stored date is the period's first day, so it
        overlaps iff that date is on or after the first day of the start's month (or year).
        An end date is an exact day, whatever the precision of the start.
        """
        qs = self
        if start is not None:
            qs = qs.filter(
                Q(end_date__gte=start)
                | (
                    Q(end_date__isnull=True)
                    & (
                        Q(date_precision=DatePrecision.DAY, date__gte=start)
                        | Q(date_precision=DatePrecision.MONTH, date__gte=start.replace(day=1))
                        | Q(
                            date_precision=DatePrecision.YEAR,
                            date__gte=start.replace(month=1, day=1),
                        )
                    )
                )
            )
        if end is not None:
            qs = qs.filter(date__lte=end)
        return qs

    CHRONOLOGICAL = ("date", "-date_precision", "title", "pk")

    def chronological(self):
        # Coarser periods first on the same date ("year" > "month" > "day"), so "Nov 2024"
        # heads the month before its days; pk makes pagination stable.
        return self.order_by(*self.CHRONOLOGICAL)

    def involving(self, actors):
        """Events in which any of the given actors takes part, in any role."""
        return self.filter(
            Exists(EventActor.objects.filter(event=OuterRef("pk"), actor__in=actors))
        )

    def using_weapons(self, weapons):
        """Events involving any of the given weapon systems."""
        return self.filter(
            Exists(EventWeapon.objects.filter(event=OuterRef("pk"), weapon__in=weapons))
        )

    def at_places(self, places):
        """Events at any of the given places or at a place inside one of them: Russia's
        events include those in Kursk Oblast and in its towns."""
        from corpus.models.entities import PlacesWithin

        inside = PlacesWithin.of(places)
        return self.filter(place__any=inside) if inside is not None else self.none()

    def cited_by_outlets(self, outlets):
        """Events that an article of any of the given outlets cites."""
        return self.filter(
            Exists(Citation.objects.filter(event=OuterRef("pk"), article__outlet__in=outlets))
        )

    def matching_text(self, text: str):
        """Full-text match (web-search syntax) on title, summary and supporting quotes.

        One document per event, so "-word" excludes an event whose quotes say it even when
        its title does not.
        """
        document = SearchVector("title", "summary", cited_quotes(" "), config="english")
        query = SearchQuery(text, config="english", search_type="websearch")
        return self.annotate(text_document=document).filter(text_document=query)

    def with_people_and_weapons(self):
        return self.prefetch_related(
            models.Prefetch(
                "event_actors",
                queryset=EventActor.objects.select_related("actor").order_by("role", "actor__name"),
            ),
            models.Prefetch(
                "event_weapons",
                queryset=EventWeapon.objects.select_related("weapon").order_by("weapon__name"),
            ),
        )

    def with_citations(self):
        # Pages and exports show a cited article's title, date and outlet: its texts (~9 kB a
        # citation) stay in the database.
        return self.prefetch_related(
            models.Prefetch(
                "citations",
                queryset=Citation.objects.select_related("article__outlet")
                .defer("article__body", "article__raw_text", "article__search_vector")
                .order_by("article__published_on", "article__title"),
            )
        )


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class EventActorManager(models.Manager):
    def get_by_natural_key(self, event_slug, actor_slug, role):
        return self.get(event__slug=event_slug, actor__slug=actor_slug, role=role)


class EventWeaponManager(models.Manager):
    def get_by_natural_key(self, event_slug, weapon_slug):
        return self.get(event__slug=event_slug, weapon__slug=weapon_slug)


class CitationManager(models.Manager):
    def get_by_natural_key(self, event_slug, source_file):
        return self.get(event__slug=event_slug, article__source_file=source_file)


class Event(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    date = models.DateField(help_text="First day of the period when precision is month or year.")
    date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.REPORTED
    )
    place = models.ForeignKey(
        "corpus.Entity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_here",
        limit_choices_to={"entity_type": EntityType.PLACE},
    )
    actors = models.ManyToManyField(
        "corpus.Entity", through="EventActor", related_name="events", blank=True
    )
    weapons = models.ManyToManyField(
        "corpus.Entity",
        through="EventWeapon",
        related_name="weapon_events",
        blank=True,
        verbose_name="weapon systems",
    )

    # Stored, as on articles: site search ranks up to 2,000 matching events, and ranking an
    # expression index's vector means computing it again per row (~25 µs an event).
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("summary", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = EventManager()

    class Meta:
        ordering = ["date", "title"]
        indexes = [
            models.Index(fields=["date"], name="event_date_idx"),
            # Site search (corpus.search.event_candidates) filters and ranks on this column.
            GinIndex(fields=["search_vector"], name="event_search_vector_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="event_ends_after_start",
            ),
            # A month or year is stored as its first day, so sorting and ranges just work.
            models.CheckConstraint(
                condition=Q(date_precision=DatePrecision.DAY)
                | Q(date_precision=DatePrecision.MONTH, date__day=1)
                | Q(date_precision=DatePrecision.YEAR, date__day=1, date__month=1),
                name="event_date_matches_precision",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("timeline:event-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class EventActor(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors")
    actor = models.ForeignKey(
        "corpus.Entity",
        on_delete=models.PROTECT,
        related_name="event_roles",
        limit_choices_to={"entity_type": EntityType.ACTOR},
    )
    role = models.CharField(max_length=20, choices=ActorRole.choices)

    objects = EventActorManager()

    class Meta:
        ordering = ["event", "role", "actor__name"]
        verbose_name = "event actor"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="event_actor_unique_role"
            )
        ]
        indexes = [
            # An actor's events (entity page, timeline filter) as an index-only scan, and
            # "does it ever speak?" as one probe (corpus.models.EntityQuerySet.with_speaker_flag).
            models.Index(fields=["actor", "role", "event"], name="event_actor_by_actor_role"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"

    def natural_key(self):
        return (self.event.slug, self.actor.slug, self.role)

    natural_key.dependencies = ["timeline.event", "corpus.entity"]


class EventWeapon(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_weapons")
    weapon = models.ForeignKey(
        "corpus.Entity",
        on_delete=models.PROTECT,
        related_name="event_uses",
        limit_choices_to={"entity_type": EntityType.WEAPON},
    )

    objects = EventWeaponManager()

    class Meta:
        ordering = ["event", "weapon__name"]
        verbose_name = "event weapon system"
        constraints = [
            models.UniqueConstraint(fields=["event", "weapon"], name="event_weapon_unique")
        ]

    def __str__(self):
        return str(self.weapon)

    def natural_key(self):
        return (self.event.slug, self.weapon.slug)

    natural_key.dependencies = ["timeline.event", "corpus.entity"]


class Citation(models.Model):
    """An article that reports an event, with the words that support it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="citations")
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.PROTECT, related_name="citations"
    )
    quote = models.TextField(help_text="The supporting words, exactly as in the article body.")
    start = models.PositiveIntegerField(help_text="Offset of the quote in the article body.")
    end = models.PositiveIntegerField(help_text="Offset just past the quote.")

    objects = CitationManager()

    class Meta:
        ordering = ["event", "article"]
        indexes = [
            # Site search (corpus.search.search_events) matches quotes on exactly this.
            GinIndex(SearchVector("quote", config="english"), name="citation_quote_search_gin"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "article"], name="citation_unique_article"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="citation_span_not_empty"),
        ]

    def __str__(self):
        return f"{self.event} — {self.article}"

    def natural_key(self):
        return (self.event.slug, *self.article.natural_key())

    natural_key.dependencies = ["timeline.event", "corpus.article"]
