"""Merge duplicate entities into one survivor without losing any evidence.

Everything that hangs on a merged entity moves to the survivor: aliases (plus the merged
entity's own name as a new alias), mentions, event roles, weapon uses, events placed there,
child places, resolved review names and old-slug redirects. Where the survivor already has
the same row (same alias, same event role, same mention span) the two rows are one fact, so
the merged copy is dropped instead of failing on the unique constraint. Each merged entity
leaves an ``EntityRedirect`` so its public URL keeps working.
"""

import copy
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import transaction

from config.cache import corpus_changed
from corpus.choices import EntityType
from corpus.models import (
    Actor,
    Alias,
    Entity,
    EntityRedirect,
    Mention,
    Outlet,
    Place,
    UnknownName,
    WeaponSystem,
)
from timeline.models import Event, EventActor, EventWeapon

PROXIES = {EntityType.ACTOR: Actor, EntityType.WEAPON: WeaponSystem, EntityType.PLACE: Place}

# Survivor fields filled from a merged entity when the survivor has none.
FILLABLE_FIELDS = ["country", "role", "description", "range_km", "parent"]


class MergeError(ValueError):
    """The merge was refused; the message says why and nothing was changed."""


@dataclass
class MergeResult:
    survivor: Entity
    merged_names: list[str] = field(default_factory=list)
    moved: Counter = field(default_factory=Counter)
    collapsed: Counter = field(default_factory=Counter)
    aliases_added: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    fields_filled: list[str] = field(default_factory=list)

    def summary(self) -> str:
        moved = ", ".join(_counted(n, what) for what, n in sorted(self.moved.items()) if n)
        collapsed = ", ".join(_counted(n, what) for what, n in sorted(self.collapsed.items()) if n)
        parts = [f"Merged {', '.join(self.merged_names)} into {self.survivor.name}"]
        parts.append(f"moved {moved or 'nothing'}")
        if collapsed:
            parts.append(f"collapsed duplicates: {collapsed}")
        if self.aliases_added:
            parts.append(f"new aliases: {', '.join(self.aliases_added)}")
        if self.fields_filled:
            parts.append(f"filled in: {', '.join(self.fields_filled)}")
        return "; ".join(parts) + "."


SINGULAR = {"aliases": "alias", "events placed": "event placed"}


def _counted(count: int, plural: str) -> str:
    """The result's counters are keyed by plural labels; one row reads "1 mention"."""
    singular = SINGULAR.get(plural, plural.removesuffix("s"))
    return f"{count} {singular if count == 1 else plural}"


def check_mergeable(*, survivor: Entity, merged: list[Entity]) -> None:
    """Raise MergeError unless the entities can become one."""
    if not merged:
        raise MergeError("Choose at least one entity to merge into the survivor.")
    if any(entity.pk == survivor.pk for entity in merged):
        raise MergeError("The survivor cannot also be merged away.")
    types = {entity.entity_type for entity in [survivor, *merged]}
    if len(types) > 1:
        names = ", ".join(f"{e.name} ({e.get_entity_type_display()})" for e in [survivor, *merged])
        raise MergeError(
            f"Cannot merge entities of different types: {names}. "
            "An actor, a weapon system and a place are never the same thing."
        )
    outlets = list(Outlet.objects.filter(entity__in=[survivor, *merged]).select_related("entity"))
    if len(outlets) > 1:
        linked = ", ".join(f"{o.entity.name} ({o.name})" for o in outlets)
        raise MergeError(
            f"More than one of these actors is linked to an outlet: {linked}. "
            "Unlink all but one outlet first."
        )


def merge_entities(*, survivor: Entity, merged: list[Entity], user=None) -> MergeResult:
    """Move everything from ``merged`` to ``survivor`` and delete ``merged``, atomically."""
    with transaction.atomic():
        # Lock the rows so a concurrent edit or merge cannot slip in between the moves.
        pks = [survivor.pk, *(entity.pk for entity in merged)]
        locked = {e.pk: e for e in Entity.objects.select_for_update().filter(pk__in=pks)}
        if len(locked) != len(set(pks)):
            raise MergeError("One of the entities no longer exists; reload and try again.")
        survivor = locked[survivor.pk]
        merged = [locked[entity.pk] for entity in merged]
        check_mergeable(survivor=survivor, merged=merged)

        result = MergeResult(survivor=survivor)
        ancestors = _ancestors(survivor)  # before the merged places' children move
        for entity in merged:
            _merge_one(survivor=survivor, entity=entity, result=result)
        _reparent_survivor(survivor=survivor, merged=locked, ancestors=ancestors)
        survivor.save()
        if user is not None:
            _log(user=user, survivor=survivor, merged=merged, result=result)
        Entity.objects.filter(pk__in=[entity.pk for entity in merged]).delete()
        corpus_changed()  # the moves are update() calls, which send no signals
    return result


def _merge_one(*, survivor: Entity, entity: Entity, result: MergeResult) -> None:
    result.merged_names.append(entity.name)
    _move_aliases(survivor=survivor, entity=entity, result=result)
    _move_unique(Mention, "entity", ["article", "start"], survivor, entity, "mentions", result)
    _move_unique(EventActor, "actor", ["event", "role"], survivor, entity, "event roles", result)
    _move_unique(EventWeapon, "weapon", ["event"], survivor, entity, "weapon uses", result)
    result.moved["events placed"] += Event.objects.filter(place=entity).update(place=survivor)
    result.moved["child places"] += (
        Entity.objects.filter(parent=entity).exclude(pk=survivor.pk).update(parent=survivor)
    )
    result.moved["review names"] += UnknownName.objects.filter(resolved_entity=entity).update(
        resolved_entity=survivor
    )
    result.moved["redirects"] += EntityRedirect.objects.filter(entity=entity).update(
        entity=survivor
    )
    EntityRedirect.objects.update_or_create(old_slug=entity.slug, defaults={"entity": survivor})
    result.redirects.append(entity.slug)
    # check_mergeable allows one outlet link at most, so the survivor's one-to-one is free.
    result.moved["outlet links"] += Outlet.objects.filter(entity=entity).update(entity=survivor)
    _fill_fields(survivor=survivor, entity=entity, result=result)


def _move_aliases(*, survivor: Entity, entity: Entity, result: MergeResult) -> None:
    existing = set(survivor.aliases.values_list("name", flat=True))
    duplicates = Alias.objects.filter(entity=entity, name__in=existing)
    result.collapsed["aliases"] += duplicates.delete()[0]
    result.moved["aliases"] += Alias.objects.filter(entity=entity).update(entity=survivor)
    existing |= set(survivor.aliases.values_list("name", flat=True))
    if entity.name not in existing:
        Alias.objects.create(entity=survivor, name=entity.name)
        result.aliases_added.append(entity.name)


def _move_unique(model, fk: str, keys: list[str], survivor, entity, label: str, result) -> None:
    """Re-point ``model.fk`` rows; rows the survivor already has under ``keys`` are dropped."""
    taken = set(model.objects.filter(**{fk: survivor}).values_list(*keys))
    rows = model.objects.filter(**{fk: entity}).values_list("pk", *keys)
    duplicate_pks = [row[0] for row in rows if tuple(row[1:]) in taken]
    if duplicate_pks:
        result.collapsed[label] += model.objects.filter(pk__in=duplicate_pks).delete()[0]
    result.moved[label] += model.objects.filter(**{fk: entity}).update(**{fk: survivor})


def _fill_fields(*, survivor: Entity, entity: Entity, result: MergeResult) -> None:
    for name in FILLABLE_FIELDS:
        attname = Entity._meta.get_field(name).attname
        value = getattr(entity, attname)
        if value in (None, "") or getattr(survivor, attname) not in (None, ""):
            continue
        if name == "parent" and value == survivor.pk:
            continue
        setattr(survivor, attname, value)
        result.fields_filled.append(name)


def _ancestors(place: Entity) -> list[int]:
    """The places ``place`` lies in, nearest first (a loop in curated data ends the walk)."""
    chain, parent_id = [], place.parent_id
    while parent_id is not None and parent_id not in chain and parent_id != place.pk:
        chain.append(parent_id)
        parent_id = Entity.objects.filter(pk=parent_id).values_list("parent", flat=True).first()
    return chain


def _reparent_survivor(*, survivor: Entity, merged: dict[int, Entity], ancestors: list[int]):
    """Keep the survivor out of its own inside.

    If it lay inside a merged place, however deep, it now lies where the outermost such place
    lay: merging Russia into Sudzha, Kursk Oblast (Russia's child, Sudzha's parent) moves
    inside Sudzha, so Sudzha cannot stay inside it. A parent filled in from a merged place
    that lies inside the survivor (Sudzha's Kursk Oblast, merging Sudzha into Russia) is
    dropped.
    """
    outermost = max((i for i, pk in enumerate(ancestors) if pk in merged), default=None)
    if outermost is not None:
        above = ancestors[outermost + 1 :]
        survivor.parent_id = above[0] if above else None
    if survivor.parent_id is not None and survivor.encloses(survivor.parent_id):
        survivor.parent_id = None


def typed(entity: Entity) -> Entity:
    """The entity as its typed proxy (Actor, WeaponSystem, Place), whose admin shows history."""
    proxy = copy.copy(entity)
    proxy.__class__ = PROXIES[entity.entity_type]
    return proxy


def _log(*, user, survivor: Entity, merged: list[Entity], result: MergeResult) -> None:
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[typed(survivor)],
        action_flag=CHANGE,
        change_message=result.summary(),
        single_object=True,
    )
    for entity in merged:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[typed(entity)],
            action_flag=DELETION,
            change_message=f"Merged into {survivor.name} (pk {survivor.pk}); "
            f"/{entity.slug}/ now redirects there.",
            single_object=True,
        )
