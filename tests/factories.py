"""factory_boy factories for every model the tests build."""

import hashlib
from datetime import date

import factory
from django.utils.text import slugify

from corpus.choices import ActorKind, DatePrecision, EntityType, PlaceKind, WeaponCategory
from corpus.models import Alias, Article, Entity, Mention, Outlet
from timeline.choices import ActorRole, EventStatus, EventType
from timeline.models import Citation, Event, EventActor, EventWeapon


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = "newspaper"
    country = "US"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article number {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    outlet = factory.SubFactory(OutletFactory)
    published_on = date(2024, 11, 18)
    published_precision = DatePrecision.DAY
    source_file = factory.Sequence(lambda n: f"test/{n:05d}.txt")
    body = "Ukraine was authorised to use ATACMS missiles in Kursk Oblast."
    raw_text = factory.LazyAttribute(lambda o: o.body)
    checksum = factory.LazyAttribute(
        lambda o: hashlib.sha256(f"{o.source_file}:{o.raw_text}".encode()).hexdigest()
    )
    word_count = factory.LazyAttribute(lambda o: len(o.body.split()))


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity
        django_get_or_create = ["slug"]

    entity_type = EntityType.ACTOR
    kind = ActorKind.PERSON
    name = factory.Sequence(lambda n: f"Entity {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ActorFactory(EntityFactory):
    entity_type = EntityType.ACTOR
    kind = ActorKind.PERSON
    name = factory.Sequence(lambda n: f"Person {n}")


class WeaponFactory(EntityFactory):
    entity_type = EntityType.WEAPON
    kind = WeaponCategory.BALLISTIC_MISSILE
    name = factory.Sequence(lambda n: f"Missile {n}")
    range_km = 300


class PlaceFactory(EntityFactory):
    entity_type = EntityType.PLACE
    kind = PlaceKind.REGION
    name = factory.Sequence(lambda n: f"Region {n}")


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    entity = factory.SubFactory(ActorFactory)
    name = factory.LazyAttribute(lambda o: o.entity.name)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mention

    article = factory.SubFactory(ArticleFactory)
    entity = factory.SubFactory(ActorFactory)
    start = 0
    end = factory.LazyAttribute(lambda o: o.start + len(o.text))
    text = "Ukraine"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    date = date(2024, 11, 17)
    date_precision = DatePrecision.DAY
    event_type = EventType.DECISION
    status = EventStatus.REPORTED


class EventActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventActor

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = ActorRole.INITIATOR


class EventWeaponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventWeapon

    event = factory.SubFactory(EventFactory)
    weapon = factory.SubFactory(WeaponFactory)


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    event = factory.SubFactory(EventFactory)
    article = factory.SubFactory(ArticleFactory)
    start = 0
    quote = factory.LazyAttribute(lambda o: o.article.body[:20])
    end = factory.LazyAttribute(lambda o: o.start + len(o.quote))
