"""Merging entities: everything moves to the survivor, duplicates collapse, nothing is lost."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from corpus.merge import MergeError, merge_entities
from corpus.models import Actor, Alias, Entity, EntityRedirect, Mention, Place, UnknownName
from tests.curation import make_user, row_counts
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
from timeline.models import EventActor, EventWeapon

pytestmark = pytest.mark.django_db


@pytest.fixture
def biden_twice():
    """Two actor records for one person, with overlapping evidence."""
    survivor = ActorFactory(name="Joe Biden", slug="joe-biden")
    merged = ActorFactory(name="Biden", slug="biden", role="US President", country="US")
    AliasFactory(entity=survivor, name="Joe Biden")
    AliasFactory(entity=survivor, name="President Biden")
    AliasFactory(entity=merged, name="President Biden")  # same alias on both: collapses
    AliasFactory(entity=merged, name="Biden")
    article = ArticleFactory(body="Joe Biden spoke. Biden said more.")
    MentionFactory(article=article, entity=survivor, start=0, text="Joe Biden")
    MentionFactory(article=article, entity=merged, start=17, text="Biden")
    MentionFactory(article=article, entity=merged, start=0, text="Joe Biden")  # same span
    event = EventFactory()
    EventActorFactory(event=event, actor=survivor, role=ActorRole.INITIATOR)
    EventActorFactory(event=event, actor=merged, role=ActorRole.INITIATOR)  # same role
    EventActorFactory(event=event, actor=merged, role=ActorRole.SPEAKER)
    CitationFactory(event=event, article=article)
    return survivor, merged


def test_merge_moves_everything_and_collapses_duplicates(biden_twice):
    survivor, merged = biden_twice
    before = row_counts()

    result = merge_entities(survivor=survivor, merged=[merged])

    after = row_counts()
    assert after["Entity"] == before["Entity"] - 1
    # Aliases: one duplicate dropped, the merged entity's name "Biden" was already an alias.
    assert after["Alias"] == before["Alias"] - 1
    assert set(survivor.aliases.values_list("name", flat=True)) == {
        "Joe Biden",
        "President Biden",
        "Biden",
    }
    assert after["Mention"] == before["Mention"] - 1
    assert Mention.objects.filter(entity=survivor).count() == 2
    assert after["EventActor"] == before["EventActor"] - 1
    assert set(EventActor.objects.filter(actor=survivor).values_list("role", flat=True)) == {
        ActorRole.INITIATOR,
        ActorRole.SPEAKER,
    }
    assert after["Citation"] == before["Citation"]
    assert after["EntityRedirect"] == before["EntityRedirect"] + 1
    assert EntityRedirect.objects.get(old_slug="biden").entity_id == survivor.pk
    assert not Entity.objects.filter(pk=merged.pk).exists()
    assert result.collapsed == {"aliases": 1, "mentions": 1, "event roles": 1}
    assert result.moved["mentions"] == 1 and result.moved["event roles"] == 1
    survivor.refresh_from_db()
    assert (survivor.role, survivor.country) == ("US President", "US")
    assert "Merged Biden into Joe Biden" in result.summary()


def test_merged_name_becomes_an_alias_of_the_survivor():
    survivor = ActorFactory(name="Volodymyr Zelensky")
    merged = ActorFactory(name="Zelenskyy")
    merge_entities(survivor=survivor, merged=[merged])
    assert Alias.objects.filter(entity=survivor, name="Zelenskyy").exists()


def test_merge_of_several_entities_at_once():
    survivor, *others = [ActorFactory() for _ in range(4)]
    for other in others:
        MentionFactory(entity=other)
    before = row_counts()
    merge_entities(survivor=survivor, merged=others)
    after = row_counts()
    assert after["Entity"] == before["Entity"] - 3
    assert after["Mention"] == before["Mention"] == Mention.objects.filter(entity=survivor).count()
    assert after["Alias"] == before["Alias"] + 3
    assert after["EntityRedirect"] == 3


def test_redirects_to_a_merged_entity_are_repointed():
    first, second, third = ActorFactory(), ActorFactory(), ActorFactory()
    merge_entities(survivor=second, merged=[first])
    merge_entities(survivor=third, merged=[second])
    assert dict(EntityRedirect.objects.values_list("old_slug", "entity")) == {
        first.slug: third.pk,
        second.slug: third.pk,
    }


def test_merge_across_entity_types_is_refused_and_changes_nothing():
    actor, place = ActorFactory(), PlaceFactory()
    MentionFactory(entity=place)
    before = row_counts()
    with pytest.raises(MergeError, match="different types"):
        merge_entities(survivor=actor, merged=[place])
    assert row_counts() == before


def test_survivor_cannot_be_merged_into_itself():
    actor = ActorFactory()
    with pytest.raises(MergeError, match="survivor cannot"):
        merge_entities(survivor=actor, merged=[actor])


def test_weapon_uses_move_and_collapse():
    survivor, merged = WeaponFactory(), WeaponFactory(range_km=None)
    shared, other = EventFactory(), EventFactory()
    EventWeaponFactory(event=shared, weapon=survivor)
    EventWeaponFactory(event=shared, weapon=merged)
    EventWeaponFactory(event=other, weapon=merged)
    before = row_counts()
    result = merge_entities(survivor=survivor, merged=[merged])
    assert row_counts()["EventWeapon"] == before["EventWeapon"] - 1
    assert EventWeapon.objects.filter(weapon=survivor).count() == 2
    assert result.collapsed["weapon uses"] == 1


def test_places_move_events_children_and_parent():
    country = PlaceFactory(name="Russia", kind="country")
    region = PlaceFactory(name="Kursk Oblast", parent=country)
    duplicate = PlaceFactory(name="Kursk region", parent=country)
    town = PlaceFactory(name="Sudzha", kind="city", parent=duplicate)
    event = EventFactory(place=duplicate)
    merge_entities(survivor=region, merged=[duplicate])
    town.refresh_from_db()
    event.refresh_from_db()
    assert town.parent_id == region.pk
    assert event.place_id == region.pk


def test_survivor_inside_a_merged_place_moves_up():
    country = PlaceFactory(name="Russia", kind="country")
    outer = PlaceFactory(name="Kursk", parent=country)
    inner = PlaceFactory(name="Kursk Oblast", parent=outer)
    merge_entities(survivor=inner, merged=[outer])
    inner.refresh_from_db()
    assert inner.parent_id == country.pk


def test_merging_a_place_into_one_inside_it_leaves_no_loop():
    world = PlaceFactory(name="Europe", kind="other_place")
    country = PlaceFactory(name="Russia", kind="country", parent=world)
    region = PlaceFactory(name="Kursk Oblast", parent=country)
    town = PlaceFactory(name="Sudzha", kind="city", parent=region)
    merge_entities(survivor=town, merged=[country])
    town.refresh_from_db()
    region.refresh_from_db()
    # Sudzha takes Russia's place; Russia's child Kursk Oblast now lies inside Sudzha.
    assert (town.parent_id, region.parent_id) == (world.pk, town.pk)
    assert set(Entity.objects.within([world])) == {world, town, region}


def test_a_parent_taken_from_a_merged_place_inside_the_survivor_is_dropped():
    country = PlaceFactory(name="Russia", kind="country")
    region = PlaceFactory(name="Kursk Oblast", parent=country)
    town = PlaceFactory(name="Sudzha", kind="city", parent=region)
    merge_entities(survivor=country, merged=[town])
    country.refresh_from_db()
    assert country.parent_id is None  # not Kursk Oblast, which lies inside Russia


def test_outlet_link_moves_and_two_outlet_links_are_refused():
    survivor = ActorFactory(kind="media", name="Associated Press")
    merged = ActorFactory(kind="media", name="AP")
    outlet = OutletFactory(name="AP News", entity=merged)
    merge_entities(survivor=survivor, merged=[merged])
    outlet.refresh_from_db()
    assert outlet.entity_id == survivor.pk

    other = ActorFactory(kind="media", name="Reuters agency")
    OutletFactory(name="Reuters", entity=other)
    with pytest.raises(MergeError, match="linked to an outlet"):
        merge_entities(survivor=survivor, merged=[other])


def test_resolved_review_names_follow_the_survivor():
    survivor, merged = ActorFactory(), ActorFactory()
    name = UnknownName.objects.create(
        name="Jean-Noël Barrot", normalised="jean-noël barrot", pattern="titled"
    )
    name.resolved_entity = merged
    name.save()
    merge_entities(survivor=survivor, merged=[merged])
    name.refresh_from_db()
    assert name.resolved_entity_id == survivor.pk


def test_merge_is_logged_for_each_object_under_the_typed_proxy(biden_twice):
    survivor, merged = biden_twice
    user = make_user("curator")
    merge_entities(survivor=survivor, merged=[merged], user=user)
    actor_type = ContentType.objects.get_for_model(Actor, for_concrete_model=False)
    entries = LogEntry.objects.filter(content_type=actor_type, user=user)
    assert entries.get(object_id=str(survivor.pk)).action_flag == CHANGE
    assert entries.get(object_id=str(merged.pk)).action_flag == DELETION
    assert "Merged into Joe Biden" in entries.get(object_id=str(merged.pk)).change_message


def test_old_entity_url_redirects_permanently_to_the_survivor(client):
    survivor, merged = ActorFactory(), ActorFactory()
    place = PlaceFactory()
    old_url = reverse("corpus:actor-detail", kwargs={"slug": merged.slug})
    merge_entities(survivor=survivor, merged=[merged])
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    missing = client.get(reverse("corpus:place-detail", kwargs={"slug": "nowhere"}))
    assert missing.status_code == 404
    assert client.get(place.get_absolute_url()).status_code == 200


def test_merging_in_place_admin_lists_typed_proxies():
    """Typed proxies (Place rows) merge like plain entities."""
    survivor, merged = Place.objects.get(pk=PlaceFactory().pk), PlaceFactory()
    merge_entities(survivor=survivor, merged=[Place.objects.get(pk=merged.pk)])
    assert not Entity.objects.filter(pk=merged.pk).exists()
