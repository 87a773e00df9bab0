"""The synthetic corpus's entities (places, actors, weapon systems) and outlets.

Built in memory: even at ten times the default size they are a few tens of thousands of
small records, and the article pass needs them at hand to name them in text.
"""

import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from corpus import generate_vocab as vocab

COUNTRY_ALIASES = {"United States": ["US", "USA"], "United Kingdom": ["UK", "Britain"]}


@dataclass(slots=True)
class SynthEntity:
    entity_type: str
    kind: str
    name: str
    slug: str
    country: str = ""
    role: str = ""
    range_km: int | None = None
    parent: str | None = None
    aliases: list[str] = field(default_factory=list)
    # The spelling a second mention in the same article uses (surname, acronym …).
    short: str = ""

    def fixture(self) -> dict:
        return {
            "model": "corpus.entity",
            "fields": {
                "entity_type": self.entity_type,
                "kind": self.kind,
                "name": self.name,
                "slug": self.slug,
                "country": self.country,
                "role": self.role,
                "description": "",
                "range_km": self.range_km,
                "parent": [self.parent] if self.parent else None,
            },
        }


@dataclass(slots=True)
class SynthOutlet:
    name: str
    slug: str
    kind: str
    country: str
    entity: str

    def fixture(self) -> dict:
        return {
            "model": "corpus.outlet",
            "fields": {
                "name": self.name,
                "slug": self.slug,
                "kind": self.kind,
                "country": self.country,
                "homepage": f"https://{self.slug}.example/",
                "entity": [self.entity],
            },
        }


class Registry:
    """Entities in fixture order, with unique slugs and names."""

    def __init__(self):
        self.entities: list[SynthEntity] = []
        self.slugs: set[str] = set()
        self.names: set[str] = set()

    def add(self, entity_type, kind, name, aliases=(), short="", **extra) -> SynthEntity:
        base = slugify(name)[:180] or entity_type
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        self.names.add(name)
        unique_aliases = list(dict.fromkeys(a for a in (name, *aliases) if a))
        entity = SynthEntity(
            entity_type, kind, name, slug, aliases=unique_aliases, short=short or name, **extra
        )
        self.entities.append(entity)
        return entity


def build_places(rng: random.Random, reg: Registry, count: int) -> dict[str, list[SynthEntity]]:
    countries = [
        reg.add("place", "country", name, COUNTRY_ALIASES.get(name, []), country=code)
        for code, name, _adj in vocab.COUNTRIES[: max(1, min(len(vocab.COUNTRIES), count // 10))]
    ]
    regions_wanted = max(1, (count - len(countries)) // 8)
    roots = vocab.unique_names(rng, max(0, count - len(countries)), vocab.toponym, reg.names)
    regions, cities = [], []
    for i, root in enumerate(roots):
        if i < regions_wanted:
            parent = rng.choice(countries)
            suffix = rng.choice(vocab.REGION_SUFFIXES)
            name = f"{root} {suffix}"
            regions.append(
                reg.add(
                    "place",
                    "region",
                    name,
                    [f"{root} region"],
                    country=parent.country,
                    parent=parent.slug,
                )
            )
        else:
            parent = rng.choice(regions)
            cities.append(
                reg.add("place", "city", root, country=parent.country, parent=parent.slug)
            )
    return {"country": countries, "local": regions + cities}


def build_outlets(rng: random.Random, reg: Registry, count: int) -> list[SynthOutlet]:
    kinds = ["newspaper", "wire", "broadcaster", "online", "magazine"]
    roots = vocab.unique_names(rng, count, vocab.toponym, set(reg.names))
    outlets = []
    for root in roots:
        code, _name, _adj = rng.choice(vocab.COUNTRIES)
        name = rng.choice(vocab.MEDIA_PATTERNS).format(root=root)
        actor = reg.add("actor", "media", name, country=code)
        outlets.append(SynthOutlet(name, actor.slug, rng.choice(kinds), code, actor.slug))
    return outlets


def build_actors(rng: random.Random, reg: Registry, count: int, places) -> list[SynthEntity]:
    """Governments, armed forces, organisations and (mostly) people, ``count`` in all."""
    actors = []
    for code, name, adj in vocab.COUNTRIES[: min(len(vocab.COUNTRIES), max(1, count // 50))]:
        actors.append(
            reg.add(
                "actor",
                "government",
                f"Government of {name}",
                [f"{adj} government"],
                short=f"{adj} government",
                country=code,
            )
        )
    forces_end = min(count, len(actors) + max(1, count // 10))
    while len(actors) < forces_end:
        code, _name, adj = rng.choice(vocab.COUNTRIES)
        name = f"{vocab.ordinal(rng.randrange(1, 250))} {adj} {rng.choice(vocab.ARMED_UNITS)}"
        if name not in reg.names:
            actors.append(reg.add("actor", "armed_force", name, country=code))
    organisations = max(1, count // 12)
    acronyms = set()
    for root in vocab.unique_names(rng, organisations, vocab.toponym, set(reg.names)):
        pattern, _letters = rng.choice(vocab.ORG_PATTERNS)
        name = pattern.format(root=root)
        short = vocab.acronym(name)
        aliases = [short] if short not in acronyms and len(short) > 2 else []
        acronyms.add(short)
        code = rng.choice(vocab.COUNTRIES)[0]
        actors.append(
            reg.add(
                "actor",
                "organisation",
                name,
                aliases,
                short=aliases[0] if aliases else "",
                country=code,
            )
        )
    people = max(0, count - len(actors))
    pairs = [(first, last) for first in vocab.FIRST_NAMES for last in vocab.LAST_NAMES]
    rng.shuffle(pairs)
    # Past the name space (ten times the default size), people get a second surname.
    while len(pairs) < people:
        extra = rng.choice(vocab.LAST_NAMES)
        pairs += [(first, f"{last}-{extra}") for first, last in pairs[: people - len(pairs)]]
    for first, last in pairs[:people]:
        code, country, adj = rng.choice(vocab.COUNTRIES)
        local = rng.choice(places["local"])
        role = rng.choice(vocab.ROLES_PERSON).format(
            country=country, adj=adj, region=local.name, city=local.name
        )
        name = f"{first} {last}"
        initial = f"{first[0]}. {last}"
        actors.append(
            reg.add("actor", "person", name, [initial, last], short=last, country=code, role=role)
        )
    return actors


def build_weapons(rng: random.Random, reg: Registry, count: int) -> list[SynthEntity]:
    weapons = []
    designations = set()
    for category, share, ranges, _noun in vocab.WEAPON_CATEGORIES:
        for _ in range(max(1, round(count * share))):
            if len(weapons) >= count:
                break
            designation = vocab.weapon_designation(rng)
            while designation in designations:
                designation = vocab.weapon_designation(rng)
            designations.add(designation)
            name = f"{designation} {rng.choice(vocab.WEAPON_NICKNAMES)}"
            range_km = rng.randrange(*ranges) if ranges else None
            code = rng.choice(vocab.COUNTRIES)[0]
            weapons.append(
                reg.add(
                    "weapon",
                    category,
                    name,
                    [designation],
                    short=designation,
                    country=code,
                    range_km=range_km,
                )
            )
    return weapons
