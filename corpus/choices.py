"""Controlled vocabularies shared by the corpus and the timeline."""

from django.db import models


class DatePrecision(models.TextChoices):
    """How much of a stored date is known; the date is the first day of the period."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class EntityType(models.TextChoices):
    ACTOR = "actor", "Actor"
    WEAPON = "weapon", "Weapon system"
    PLACE = "place", "Place"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    GOVERNMENT = "government", "Government / state"
    ORGANISATION = "organisation", "Organisation"
    ARMED_FORCE = "armed_force", "Armed force"
    MEDIA = "media", "Media outlet"


class WeaponCategory(models.TextChoices):
    BALLISTIC_MISSILE = "ballistic_missile", "Ballistic missile"
    CRUISE_MISSILE = "cruise_missile", "Cruise missile"
    SURFACE_TO_AIR_MISSILE = "surface_to_air_missile", "Surface-to-air missile"
    DRONE = "drone", "Drone"
    AIR_DEFENCE = "air_defence", "Air defence system"
    AIRCRAFT = "aircraft", "Aircraft"
    ARMOURED_VEHICLE = "armoured_vehicle", "Armoured vehicle / tank"
    ARTILLERY = "artillery", "Artillery / rocket artillery"
    NUCLEAR = "nuclear", "Nuclear weapon"
    OTHER_WEAPON = "other_weapon", "Other weapon"


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"
    CITY = "city", "City / settlement"
    BODY_OF_WATER = "body_of_water", "Sea / body of water"
    OTHER_PLACE = "other_place", "Other place"


KINDS_BY_TYPE = {
    EntityType.ACTOR: ActorKind,
    EntityType.WEAPON: WeaponCategory,
    EntityType.PLACE: PlaceKind,
}

# Each type's kind labels by value: `kind_label` runs once per row of a list.
KIND_LABELS = {entity_type: dict(kinds.choices) for entity_type, kinds in KINDS_BY_TYPE.items()}

# Grouped choices: the admin shows kinds under their entity type.
ENTITY_KIND_CHOICES = [
    (entity_type.label, kinds.choices) for entity_type, kinds in KINDS_BY_TYPE.items()
]
