"""Corpus models: constraints, natural keys and protected deletes."""

import io
import json

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from corpus.choices import EntityType
from corpus.models import Actor, Alias, Article, Entity, Mention, Outlet, Place, WeaponSystem
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    EventWeaponFactory,
    MentionFactory,
    OutletFactory,
    PlaceFactory,
    WeaponFactory,
)
from timeline.choices import ActorRole

pytestmark = pytest.mark.django_db


def test_duplicate_checksum_is_refused():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(checksum=article.checksum)


def test_duplicate_source_file_is_refused():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(source_file=article.source_file)


def test_checksum_must_be_a_sha256_hex_digest():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(checksum="not-a-checksum")


def test_article_cannot_duplicate_itself():
    article = ArticleFactory()
    article.duplicate_of = article
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


def test_search_vector_is_generated_from_title_and_body():
    ArticleFactory(title="Storm Shadow clarification", body="France kept SCALP restricted.")
    ArticleFactory(title="Other", body="Nothing relevant here.")
    assert [a.title for a in Article.objects.search("scalp")] == ["Storm Shadow clarification"]
    assert [a.title for a in Article.objects.search("storm shadow")] == [
        "Storm Shadow clarification"
    ]


def test_entity_kind_must_match_its_type():
    with pytest.raises(IntegrityError), transaction.atomic():
        Entity.objects.create(entity_type=EntityType.PLACE, kind="person", name="X", slug="x")


def test_only_weapons_have_a_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory(range_km=100)


def test_within_gives_places_and_every_place_inside_them_at_any_depth():
    russia = PlaceFactory(kind="country")
    kursk = PlaceFactory(parent=russia)
    sudzha = PlaceFactory(kind="city", parent=kursk)
    moscow = PlaceFactory(kind="city", parent=russia)
    ukraine = PlaceFactory(kind="country")
    kyiv = PlaceFactory(kind="city", parent=ukraine)
    assert set(Entity.objects.within([russia])) == {russia, kursk, sudzha, moscow}
    assert set(Entity.objects.within([kursk.pk])) == {kursk, sudzha}  # not its country
    assert set(Entity.objects.within([sudzha, kyiv])) == {sudzha, kyiv}
    assert not Entity.objects.within([])


def test_within_ends_on_a_loop_in_the_places():
    a = PlaceFactory()
    b = PlaceFactory(parent=a)
    Entity.objects.filter(pk=a.pk).update(parent=b)  # a loop no form would let through
    assert set(Entity.objects.within([a])) == {a, b}


def test_a_place_cannot_be_put_inside_a_place_inside_it():
    russia = PlaceFactory(kind="country")
    kursk = PlaceFactory(parent=russia)
    sudzha = PlaceFactory(kind="city", parent=kursk)
    russia.parent = sudzha
    with pytest.raises(ValidationError) as error:
        russia.full_clean()
    assert "cannot lie inside itself" in str(error.value.message_dict["parent"])
    sudzha.parent = russia  # moving a town up to its country is fine
    sudzha.full_clean()


def test_a_places_event_count_includes_the_places_inside_it():
    russia = PlaceFactory(kind="country")
    kursk = PlaceFactory(parent=russia)
    sudzha = PlaceFactory(kind="city", parent=kursk)
    EventFactory(place=russia)
    EventFactory(place=kursk)
    EventFactory.create_batch(2, place=sudzha)
    counts = dict(Entity.objects.with_counts().values_list("pk", "event_count"))
    assert (counts[russia.pk], counts[kursk.pk], counts[sudzha.pk]) == (4, 3, 2)


def test_counts_of_each_type_typed_or_not():
    """A typed queryset counts its own type's events only; the untyped one picks by type."""
    actor, weapon, place = ActorFactory(), WeaponFactory(), PlaceFactory()
    twice = EventFactory(place=place)
    EventActorFactory(event=twice, actor=actor, role=ActorRole.INITIATOR)
    EventActorFactory(event=twice, actor=actor, role=ActorRole.SPEAKER)  # one event, two roles
    EventActorFactory(actor=actor)
    EventWeaponFactory(event=twice, weapon=weapon)
    article = ArticleFactory(body="x y z")
    for start, entity in enumerate([actor, actor, weapon]):
        MentionFactory(article=article, entity=entity, start=start * 2, text="x")
    expected = {actor.pk: (2, 2), weapon.pk: (1, 1), place.pk: (0, 1)}
    untyped = Entity.objects.with_counts().values_list("pk", "mention_count", "event_count")
    assert {pk: counts for pk, *counts in untyped} == {k: list(v) for k, v in expected.items()}
    for model, entity in [(Actor, actor), (WeaponSystem, weapon), (Place, place)]:
        typed = model.objects.with_counts()
        assert [(e.mention_count, e.event_count) for e in typed] == [expected[entity.pk]]
    actor_sql = str(Actor.objects.with_counts().query)
    assert "timeline_eventweapon" not in actor_sql and "WITH RECURSIVE" not in actor_sql


def test_counted_gives_the_entities_in_the_order_asked_with_counts(django_assert_num_queries):
    first, second, third = ActorFactory(), ActorFactory(), ActorFactory()
    MentionFactory(article=ArticleFactory(body="x"), entity=second, start=0, text="x")
    with django_assert_num_queries(1):
        entities = Entity.objects.counted([third.pk, second.pk, first.pk])
    assert [(e.pk, e.mention_count) for e in entities] == [
        (third.pk, 0),
        (second.pk, 1),
        (first.pk, 0),
    ]
    with django_assert_num_queries(0):
        assert Entity.objects.counted([]) == []


def test_country_display_is_the_country_name_as_django_gives_it():
    for code in ["UA", "RU", "", "ZZ"]:
        entity, outlet = ActorFactory.build(country=code), Outlet(country=code)
        field = Entity._meta.get_field("country")
        assert entity.get_country_display() == entity._get_FIELD_display(field)
        assert outlet.get_country_display() == outlet._get_FIELD_display(field)


def test_typed_proxies_see_only_their_type_and_set_it_on_save():
    ActorFactory(name="Joe Biden")
    WeaponFactory(name="ATACMS")
    PlaceFactory(name="Kursk Oblast")
    assert [a.name for a in Actor.objects.all()] == ["Joe Biden"]
    assert [w.name for w in WeaponSystem.objects.all()] == ["ATACMS"]
    assert [p.name for p in Place.objects.all()] == ["Kursk Oblast"]
    weapon = WeaponSystem.objects.create(name="SCALP", slug="scalp", kind="cruise_missile")
    assert Entity.objects.get(pk=weapon.pk).entity_type == EntityType.WEAPON


def test_alias_is_unique_per_entity():
    alias = AliasFactory(name="Zelensky")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias.objects.create(entity=alias.entity, name="Zelensky")


def test_fuzzy_name_lookup_forgives_spelling_through_aliases():
    zelensky = ActorFactory(name="Volodymyr Zelensky")
    AliasFactory(entity=zelensky, name="Zelenskyy")
    ActorFactory(name="Joe Biden")
    found = list(Entity.objects.fuzzy_named("Zelenskiy"))
    assert found == [zelensky]


def test_mention_span_must_not_be_empty():
    with pytest.raises(IntegrityError), transaction.atomic():
        MentionFactory(start=5, end=5)


@pytest.mark.parametrize(
    "make_use",
    [
        pytest.param(lambda e: MentionFactory(entity=e), id="mention"),
        pytest.param(lambda e: EventActorFactory(actor=e), id="event-actor"),
    ],
)
def test_deleting_an_actor_in_use_is_refused(make_use):
    actor = ActorFactory()
    make_use(actor)
    with pytest.raises(ProtectedError):
        actor.delete()
    assert Entity.objects.filter(pk=actor.pk).exists()


def test_deleting_a_weapon_used_by_an_event_is_refused():
    use = EventWeaponFactory()
    with pytest.raises(ProtectedError):
        use.weapon.delete()


def test_deleting_a_place_of_an_event_or_a_parent_place_is_refused():
    region = PlaceFactory()
    EventFactory(place=region)
    with pytest.raises(ProtectedError):
        region.delete()
    country = PlaceFactory(kind="country")
    PlaceFactory(parent=country)
    with pytest.raises(ProtectedError):
        country.delete()


def test_deleting_a_cited_article_is_refused():
    citation = CitationFactory()
    with pytest.raises(ProtectedError):
        citation.article.delete()


def test_deleting_an_unused_entity_removes_its_aliases():
    alias = AliasFactory()
    alias.entity.delete()
    assert not Alias.objects.exists()


def _build_graph():
    outlet = OutletFactory(name="Kyiv Independent")
    article = ArticleFactory(outlet=outlet)
    actor = ActorFactory(name="Joe Biden")
    AliasFactory(entity=actor, name="Biden")
    weapon = WeaponFactory(name="ATACMS")
    place = PlaceFactory(name="Kursk Oblast")
    MentionFactory(article=article, entity=actor, start=0, text="Ukraine")
    event = EventFactory(title="Biden authorises ATACMS", place=place)
    EventActorFactory(event=event, actor=actor)
    EventWeaponFactory(event=event, weapon=weapon)
    CitationFactory(event=event, article=article)


MODELS = [
    "corpus.outlet",
    "corpus.entity",
    "corpus.alias",
    "corpus.article",
    "corpus.mention",
    "timeline.event",
    "timeline.eventactor",
    "timeline.eventweapon",
    "timeline.citation",
]


def _dump() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata", *MODELS, natural_foreign=True, natural_primary=True, indent=1, stdout=out
    )
    return out.getvalue()


def _counts():
    from django.apps import apps

    return {label: apps.get_model(label).objects.count() for label in MODELS}


def test_natural_keys_round_trip_and_loading_twice_adds_nothing(tmp_path):
    _build_graph()
    dumped = _dump()
    records = json.loads(dumped)
    assert all("pk" not in record for record in records), "fixtures must carry natural keys"
    before = _counts()
    fixture = tmp_path / "graph.json"
    fixture.write_text(dumped)

    call_command("loaddata", str(fixture), verbosity=0)
    call_command("loaddata", str(fixture), verbosity=0)
    assert _counts() == before
    assert _dump() == dumped


def test_natural_key_lookups_find_each_record():
    _build_graph()
    for label in MODELS:
        from django.apps import apps

        model = apps.get_model(label)
        for obj in model.objects.all():
            assert model._default_manager.get_by_natural_key(*obj.natural_key()) == obj


def test_deserialising_into_an_empty_database_rebuilds_everything():
    _build_graph()
    dumped = _dump()
    before = _counts()
    from timeline.models import Event

    Event.objects.all().delete()
    Mention.objects.all().delete()
    Article.objects.all().delete()
    Entity.objects.all().delete()
    Outlet.objects.all().delete()
    for obj in serializers.deserialize("json", dumped, handle_forward_references=True):
        obj.save()
    assert _counts() == before


def test_no_index_repeats_the_leading_column_of_another_or_serves_no_query():
    """Every index costs each ingested article and mention an insert (migration 0007)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes"
            " WHERE tablename IN ('corpus_article', 'corpus_mention')"
        )
        definitions = cursor.fetchall()
    mention = [d for table, d in definitions if table == "corpus_mention"]
    assert not [d for d in mention if d.endswith(("(article_id)", "(entity_id)"))]
    article = [d for table, d in definitions if table == "corpus_article"]
    assert not [d for d in article if "pattern_ops" in d and ("checksum" in d or "source" in d)]
    assert sum("UNIQUE" in d and "(source_file)" in d for d in article) == 1


def test_migrations_create_the_trigram_and_unaccent_extensions():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent')")
        assert {row[0] for row in cursor.fetchall()} == {"pg_trgm", "unaccent"}


def test_fold_duplicates_keeps_a_copy_only_when_its_canonical_article_is_filtered_out():
    reuters, tass = OutletFactory(), OutletFactory()
    canonical = ArticleFactory(outlet=reuters)
    copy = ArticleFactory(outlet=tass, duplicate_of=canonical)
    other = ArticleFactory(outlet=tass)
    assert set(Article.objects.fold_duplicates()) == {canonical, other}
    assert set(Article.objects.filter(outlet=tass).fold_duplicates()) == {copy, other}


def test_folding_every_article_needs_no_subquery():
    canonical = ArticleFactory()
    ArticleFactory(duplicate_of=canonical)
    sql = str(Article.objects.fold_duplicates().query)
    assert "IN (SELECT" not in sql  # "not a copy" is enough when nothing is filtered out
    assert "IN (SELECT" in str(Article.objects.filter(word_count__gt=0).fold_duplicates().query)
