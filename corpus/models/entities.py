"""Entities the articles name: actors, weapon systems and places, with their spellings."""

from collections.abc import Iterable

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Greatest, Lower
from django.urls import reverse

from corpus.choices import (
    ENTITY_KIND_CHOICES,
    KIND_LABELS,
    KINDS_BY_TYPE,
    ActorKind,
    EntityType,
    PlaceKind,
    WeaponCategory,
)
from corpus.countries import country_choices, country_name
from corpus.counts import count_of
from corpus.models.mentions import Mention

URL_NAMES = {
    EntityType.ACTOR: "corpus:actor-detail",
    EntityType.WEAPON: "corpus:weapon-detail",
    EntityType.PLACE: "corpus:place-detail",
}


class PlacesWithin(models.Func):
    """The ids of the given places and of every place inside them, at any depth: a subquery
    for ``__in`` or ``__any``, down the ``parent`` links however deep the hierarchy goes.

    To match rows of another table, ``place__any`` (corpus/lookups.py): the ids are found once
    and probe that table's index. Correlated with an outer query, ``__in`` made PostgreSQL
    scan every event for each row of a page of places (~250 ms instead of ~10).

    The places may be values or a column of the outer query (``OuterRef``). UNION, not UNION
    ALL, so that a loop in curated data ends instead of recursing forever.
    """

    template = (
        "(WITH RECURSIVE inside(id) AS (SELECT unnest(ARRAY[%(expressions)s]::bigint[])"
        " UNION SELECT child.id FROM %(table)s AS child JOIN inside ON child.parent_id = inside.id)"
        " SELECT id FROM inside)"
    )
    output_field = models.BigIntegerField()

    @classmethod
    def of(cls, places) -> "PlacesWithin | None":
        """For places given as entities or pks; None for no places at all."""
        pks = [getattr(place, "pk", place) for place in places]
        return cls(*(models.Value(pk) for pk in pks)) if pks else None

    def as_sql(self, compiler, connection, **extra_context):
        extra_context["table"] = connection.ops.quote_name(Entity._meta.db_table)
        return super().as_sql(compiler, connection, **extra_context)


class EntityQuerySet(models.QuerySet):
    def actors(self):
        return self.filter(entity_type=EntityType.ACTOR)

    def weapons(self):
        return self.filter(entity_type=EntityType.WEAPON)

    def places(self):
        return self.filter(entity_type=EntityType.PLACE)

    def within(self, places):
        """``places`` (entities or pks) and every place inside them, at any depth."""
        inside = PlacesWithin.of(places)
        return self.filter(pk__in=inside) if inside is not None else self.none()

    def with_speaker_flag(self):
        """Annotate ``speaks``: whether the entity is the speaker of any event.

        One probe of ``event_actor_by_actor_role``, so the page of an entity that never
        speaks skips the search for its statements (a four-table query, ~2 ms).
        """
        from timeline.choices import ActorRole
        from timeline.models import EventActor

        speaking = EventActor.objects.filter(actor=models.OuterRef("pk"), role=ActorRole.SPEAKER)
        return self.annotate(speaks=models.Exists(speaking))

    def with_alias_names(self):
        """Annotate ``alias_names``, the entity's other spellings in order, in the same query."""
        from django.contrib.postgres.expressions import ArraySubquery

        names = Alias.objects.filter(entity=models.OuterRef("pk")).order_by("name").values("name")
        return self.annotate(alias_names=ArraySubquery(names))

    def named_exactly(self, text: str):
        """Entities whose name or one of whose aliases is ``text``, ignoring case."""
        aliased = Alias.objects.filter(name__iexact=text).values("entity")
        return self.filter(Q(name__iexact=text) | Q(pk__in=aliased)).order_by("name", "slug")

    def name_resembles(self, text: str):
        """Entities whose name or an alias resembles ``text``: a trigram filter only.

        The ``%`` and ``%>`` operators on ``lower(name)`` can use the trigram GIN indexes
        (``entity_name_trgm``, ``alias_name_trgm``), unlike a ``similarity(...) >= x``
        filter, which has to score every row. Thresholds are pg_trgm's settings
        (similarity 0.3, word similarity 0.6).
        """
        needle = text.lower()
        resembles = Q(lower_name__trigram_similar=needle) | Q(
            lower_name__trigram_word_similar=needle
        )
        # A UNION, not "name matches OR pk IN (aliases)": each branch can then use its own
        # index, where the OR would make the planner scan every entity.
        by_name = (
            Entity.objects.alias(lower_name=Lower("name")).filter(resembles).order_by().values("pk")
        )
        by_alias = (
            Alias.objects.alias(lower_name=Lower("name"))
            .filter(resembles)
            .order_by()
            .values("entity_id")
        )
        return self.filter(pk__in=by_name.union(by_alias))

    def fuzzy_named(self, text: str, threshold: float = 0.3):
        """Entities whose name or any alias resembles ``text``, best match first.

        Word similarity lets "Zelenskyy" find "Volodymyr Zelensky"; the best score over
        the entity's aliases is the entity's score. The index-backed ``name_resembles``
        narrows the rows first, so only the few candidates are scored.
        """
        needle = text.lower()
        alias_scores = (
            Alias.objects.filter(entity=models.OuterRef("pk"))
            .annotate(
                score=Greatest(
                    TrigramWordSimilarity(needle, Lower("name")),
                    TrigramSimilarity(Lower("name"), needle),
                )
            )
            .values("entity")
            .annotate(best=Max("score"))
            .values("best")
        )
        return (
            self.name_resembles(text)
            .annotate(
                name_score=Greatest(
                    TrigramWordSimilarity(needle, Lower("name")),
                    TrigramSimilarity(Lower("name"), needle),
                ),
                alias_score=models.Subquery(alias_scores, output_field=models.FloatField()),
            )
            .annotate(similarity=Greatest("name_score", "alias_score"))
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "name")
        )

    def with_counts(self):
        """Annotate ``mention_count`` and ``event_count`` with one correlated count each.

        Subqueries, not joins: counting two multi-valued relations in one GROUP BY would
        multiply the rows. An entity is one type, so only that type's event count runs: a
        typed queryset (``Actor.objects``) asks for it alone, an untyped one picks it with a
        CASE, whose other branches PostgreSQL never evaluates.

        Every row the query produces is counted, including those an OFFSET skips: a page of
        a long list wants ``counted()``.
        """
        from timeline.models import Event, EventActor, EventWeapon

        ref = models.OuterRef("pk")

        # An actor takes part in an event once per role, so its events are counted distinct;
        # a place's events include those of the places inside it, as on its page.
        event_counts = {
            EntityType.ACTOR: count_of(EventActor.objects.filter(actor=ref), distinct="event"),
            EntityType.WEAPON: count_of(EventWeapon.objects.filter(weapon=ref)),
            EntityType.PLACE: count_of(Event.objects.filter(place__any=PlacesWithin(ref))),
        }
        entity_type = getattr(self.model, "entity_type_value", None)
        if entity_type in event_counts:
            event_count = event_counts[entity_type]
        else:
            event_count = models.Case(
                *(models.When(entity_type=type_, then=n) for type_, n in event_counts.items()),
                default=0,
            )
        return self.annotate(
            mention_count=count_of(Mention.objects.filter(entity=ref)), event_count=event_count
        )

    def counted(self, pks: Iterable[int]) -> list:
        """The entities of ``pks`` in that order, with ``with_counts()``'s counts: one query.

        For a page of a list: paginate the uncounted list, then count its rows only.
        """
        pks = list(pks)
        if not pks:
            return []
        by_pk = self.with_counts().in_bulk(pks)
        return [by_pk[pk] for pk in pks if pk in by_pk]

    def co_mentioned_with(self, entity, limit: int = 12):
        """Other entities named in the articles that name ``entity``, most shared first.

        ``shared_articles`` counts articles, not mentions, so an article repeating a name does
        not inflate the count. Raw SQL for its shape: for each article naming ``entity``, the
        distinct others named in it come in order from the (article, entity, start) index, so
        only ~8,000 per-entity counters are kept. ``COUNT(DISTINCT article)`` over the joined
        mentions (what the ORM writes) sorted all 284,000 (entity, article) pairs of the most
        named actor, on disk: 300-900 ms against ~200 ms for this, on the first request of its
        page after each write.
        """
        mention, entity_table = Mention._meta.db_table, self.model._meta.db_table
        among, among_params = "", []
        if self.query.where:  # keep this queryset's filters (Actor.objects, .places(), ...)
            sql, among_params = self.order_by().values("pk").query.sql_with_params()
            among = f"WHERE e.id IN ({sql})"
        return self.raw(
            f"""
            SELECT e.id, e.entity_type, e.kind, e.name, e.slug, pairs.shared AS shared_articles
            FROM (
                SELECT named.entity_id, COUNT(*) AS shared
                FROM (SELECT DISTINCT article_id FROM {mention} WHERE entity_id = %s) AS its
                CROSS JOIN LATERAL (
                    SELECT DISTINCT m.entity_id FROM {mention} AS m
                    WHERE m.article_id = its.article_id AND m.entity_id <> %s
                ) AS named
                GROUP BY named.entity_id
            ) AS pairs
            JOIN {entity_table} AS e ON e.id = pairs.entity_id
            {among}
            ORDER BY pairs.shared DESC, e.name
            LIMIT %s
            """,
            [entity.pk, entity.pk, *among_params, limit],
        )


class EntityManager(models.Manager.from_queryset(EntityQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Entity(models.Model):
    """One row per actor, weapon system or place; the typed proxies below narrow it."""

    entity_type = models.CharField(max_length=10, choices=EntityType.choices)
    kind = models.CharField(
        max_length=30,
        choices=ENTITY_KIND_CHOICES,
        help_text="Actor kind, weapon category or place kind, matching the entity type.",
    )
    name = models.CharField(max_length=200, help_text="The preferred display name.")
    slug = models.SlugField(max_length=200, unique=True)
    country = models.CharField(
        max_length=2,
        choices=country_choices,
        blank=True,
        help_text="Actor's country; weapon system's country of origin; place's country.",
    )
    role = models.CharField(
        max_length=300, blank=True, help_text="Actors: role or title as the articles give it."
    )
    description = models.TextField(blank=True)
    range_km = models.PositiveIntegerField(
        null=True, blank=True, verbose_name="range (km)", help_text="Weapon systems: range."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"entity_type": EntityType.PLACE},
        help_text="Places: the place this one lies in.",
    )

    objects = EntityManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"
        indexes = [
            models.Index(fields=["entity_type", "kind"], name="entity_type_kind_idx"),
            # The typed lists' order: a page deep in 5,000 actors without sorting them all.
            models.Index(fields=["entity_type", "name"], name="entity_type_name_idx"),
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="entity_name_trgm"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(entity_type=EntityType.ACTOR, kind__in=ActorKind.values)
                    | Q(entity_type=EntityType.WEAPON, kind__in=WeaponCategory.values)
                    | Q(entity_type=EntityType.PLACE, kind__in=PlaceKind.values)
                ),
                name="entity_kind_matches_type",
            ),
            models.CheckConstraint(
                condition=Q(range_km__isnull=True) | Q(entity_type=EntityType.WEAPON),
                name="entity_range_only_for_weapons",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(entity_type=EntityType.PLACE),
                name="entity_parent_only_for_places",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="entity_not_its_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(URL_NAMES[self.entity_type], kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        kinds = KINDS_BY_TYPE.get(self.entity_type)
        if kinds and self.kind not in kinds.values:
            raise ValidationError(
                {"kind": f"Choose a {EntityType(self.entity_type).label.lower()} kind."}
            )
        if self.range_km is not None and self.entity_type != EntityType.WEAPON:
            raise ValidationError({"range_km": "Only weapon systems have a range."})
        if self.parent_id and self.entity_type != EntityType.PLACE:
            raise ValidationError({"parent": "Only places lie inside another place."})
        if self.parent_id and self.pk and self.encloses(self.parent_id):
            raise ValidationError(
                {"parent": "That place lies inside this one: a place cannot lie inside itself."}
            )

    def encloses(self, place_id: int) -> bool:
        """Whether ``place_id`` is this place or lies inside it, at any depth."""
        return Entity.objects.within([self.pk]).filter(pk=place_id).exists()

    def get_country_display(self) -> str:
        # Django's own flattens all 250 country choices on every call: ~0.6 ms, which was
        # 30 ms of a 50-row entity list.
        return country_name(self.country)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.entity_type, {}).get(self.kind, self.kind)


class TypedEntityManager(EntityManager):
    entity_type: str

    def get_queryset(self):
        return super().get_queryset().filter(entity_type=self.entity_type)


class ActorManager(TypedEntityManager):
    entity_type = EntityType.ACTOR


class WeaponSystemManager(TypedEntityManager):
    entity_type = EntityType.WEAPON


class PlaceManager(TypedEntityManager):
    entity_type = EntityType.PLACE


class TypedEntity(Entity):
    """Base of the typed proxies; saving one fixes its entity type."""

    entity_type_value: str

    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        self.entity_type = self.entity_type_value
        super().save(*args, **kwargs)


class Actor(TypedEntity):
    entity_type_value = EntityType.ACTOR
    objects = ActorManager()

    class Meta:
        proxy = True
        ordering = ["name"]


class WeaponSystem(TypedEntity):
    entity_type_value = EntityType.WEAPON
    objects = WeaponSystemManager()

    class Meta:
        proxy = True
        ordering = ["name"]


class Place(TypedEntity):
    entity_type_value = EntityType.PLACE
    objects = PlaceManager()

    class Meta:
        proxy = True
        ordering = ["name"]


class AliasManager(models.Manager):
    def get_by_natural_key(self, entity_slug, name):
        return self.get(entity__slug=entity_slug, name=name)


class Alias(models.Model):
    """A spelling of an entity's name as articles write it (Zelensky, Zelenskyy …)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(
        max_length=200,
        help_text="As written in articles. All-capital aliases (US, ATACMS) match case exactly.",
    )

    objects = AliasManager()

    class Meta:
        ordering = ["entity__name", "name"]
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="alias_unique_per_entity"),
            models.CheckConstraint(condition=~Q(name=""), name="alias_not_empty"),
        ]
        indexes = [
            GinIndex(OpClass(Lower("name"), name="gin_trgm_ops"), name="alias_name_trgm"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.entity.get_absolute_url()

    def natural_key(self):
        return (*self.entity.natural_key(), self.name)

    natural_key.dependencies = ["corpus.entity"]
