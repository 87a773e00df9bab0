"""A seeded synthetic corpus at any size, written as natural-key fixtures that loaddata reads.

``generate_corpus(out_dir=…, size=…, seed=…)`` writes five fixture files, streamed object by
object so memory stays flat however many articles are asked for:

    01_entities.json   places, actors, weapon systems, then their aliases
    02_outlets.json    outlets, each tied to its media actor
    03_articles.json   articles (bodies built from sentence templates)
    04_mentions.json   every entity named in a body, with its exact offsets
    05_events.json     events, their actors and weapon systems, then citations

Popularity is skewed (Zipf): a few actors, places and weapons are named everywhere, most
rarely. Events are reported by one to four articles published within a week of them; each
citation's quote is the sentence of the article that reports the event. The same seed gives
byte-identical files (one ``random.Random``; no set or hash ordering reaches the output).
"""

import bisect
import hashlib
import itertools
import json
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.utils.text import slugify

from corpus import generate_entities as ents
from corpus import generate_text as text

START = date(2022, 1, 1)
SPAN_DAYS = 5 * 365
EVENT_TYPES = list(text.EVENT_SENTENCES)
EVENT_TYPE_WEIGHTS = [8, 10, 9, 8, 9, 22, 12, 8, 8, 6]
NEEDS_WEAPON = {"decision", "warning", "deployment", "supply", "strike", "report"}
NEEDS_TARGET = {"supply", "strike", "combat", "diplomacy"}
STATUSES = ["confirmed", "reported", "claimed", "denied", "disputed"]
STATUS_WEIGHTS = [30, 40, 15, 7, 8]
FILES = ["01_entities", "02_outlets", "03_articles", "04_mentions", "05_events"]


@dataclass(frozen=True)
class CorpusSize:
    articles: int = 100_000
    mentions: int = 1_000_000
    events: int = 20_000
    actors: int = 5_000
    weapons: int = 1_000
    places: int = 2_500
    outlets: int = 150


@dataclass
class GenerateResult:
    files: list[Path]
    counts: dict[str, int] = field(default_factory=dict)


class Popularity:
    """Zipf-distributed picks: the item of rank r is chosen with weight 1 / r ** exponent."""

    def __init__(self, items: list, rng: random.Random, exponent: float = 1.0):
        self.items = list(items)
        rng.shuffle(self.items)  # rank is random, not the order entities were built in
        self.cumulative = list(
            itertools.accumulate(1 / (rank**exponent) for rank in range(1, len(self.items) + 1))
        )

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class FixtureWriter:
    """A JSON array written one object at a time, in the format ``loaddata`` reads."""

    def __init__(self, path: Path):
        self.file = path.open("w", encoding="utf-8", newline="\n")
        self.count = 0
        self.file.write("[")

    def write(self, obj: dict) -> None:
        self.file.write(",\n" if self.count else "\n")
        self.file.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        self.count += 1

    def close(self) -> None:
        self.file.write("\n]\n")
        self.file.close()


@dataclass(slots=True)
class PlannedEvent:
    slug: str
    event_type: str
    day: int  # days after START the event happened (the stored date may be coarser)
    initiator: int  # entity indexes
    target: int | None
    place: int
    weapon: int | None


class CorpusGenerator:
    def __init__(self, *, size: CorpusSize, seed: int):
        self.size = size
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not secrets
        reg = ents.Registry()
        places = ents.build_places(self.rng, reg, size.places)
        self.outlets = ents.build_outlets(self.rng, reg, size.outlets)
        actors = ents.build_actors(self.rng, reg, max(0, size.actors - size.outlets), places)
        weapons = ents.build_weapons(self.rng, reg, size.weapons)
        self.entities = reg.entities
        index = {id(e): i for i, e in enumerate(self.entities)}
        people = [index[id(a)] for a in actors if a.kind == "person"]
        self.pools = {
            "actor": Popularity([index[id(a)] for a in actors], self.rng),
            "person": Popularity(people or [index[id(actors[0])]], self.rng),
            "weapon": Popularity([index[id(w)] for w in weapons], self.rng),
            "place": Popularity([index[id(p)] for p in places["local"]], self.rng),
            "country": Popularity([index[id(p)] for p in places["country"]], self.rng),
        }
        self.outlet_pool = Popularity(self.outlets, self.rng, exponent=0.8)

    # --- plan --------------------------------------------------------------------------
    def day_of_article(self, i: int) -> int:
        return i * SPAN_DAYS // self.size.articles

    def plan_events(self) -> tuple[list[PlannedEvent], dict[int, list[int]]]:
        """Events, and for each citing article the events it reports."""
        n = self.size.articles
        duplicates = set(self.rng.sample(range(1, n), n // 100)) if n > 100 else set()
        self.duplicates = duplicates
        events, cites = [], {}
        for e in range(self.size.events):
            event_type = self.rng.choices(EVENT_TYPES, EVENT_TYPE_WEIGHTS)[0]
            speaker = "person" if event_type == "statement" else "actor"
            initiator = self.pools[speaker].pick(self.rng)
            target = self.pools["actor"].pick(self.rng) if event_type in NEEDS_TARGET else None
            if target == initiator:
                target = None if event_type not in NEEDS_TARGET else self.entities_other(target)
            weapon = self.pools["weapon"].pick(self.rng) if event_type in NEEDS_WEAPON else None
            event = PlannedEvent(
                "",
                event_type,
                self.rng.randrange(SPAN_DAYS - 7),
                initiator,
                target,
                self.pools["place"].pick(self.rng),
                weapon,
            )
            title = self.event_title(event)
            event.slug = f"{slugify(title)[:150].rstrip('-')}-{e + 1}"
            events.append(event)
            lo = -(-event.day * n // SPAN_DAYS)
            # Reported within a week, or by the next few articles when the corpus is sparse.
            hi = min(n, max(lo + 4, -(-(event.day + 7) * n // SPAN_DAYS)))
            candidates = [i for i in range(lo, hi) if i not in duplicates]
            k = min(len(candidates), self.rng.choices([1, 2, 3, 4], [35, 30, 20, 15])[0])
            for i in self.rng.sample(candidates, k):
                cites.setdefault(i, []).append(e)
        return events, cites

    def entities_other(self, entity: int) -> int:
        pool = self.pools["actor"].items
        return pool[(pool.index(entity) + 1) % len(pool)]

    def event_title(self, event: PlannedEvent) -> str:
        names = {
            "initiator": self.entities[event.initiator].name,
            "target": self.entities[event.target].name if event.target is not None else "",
            "place": self.entities[event.place].name,
            "weapon": self.entities[event.weapon].name if event.weapon is not None else "",
        }
        tpl = text.EVENT_TITLES[event.event_type]
        return tpl.format(**names)[:300]

    # --- write -------------------------------------------------------------------------
    def write(self, out_dir: Path, progress: Callable[[int], None] | None = None):
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = [out_dir / f"{name}.json" for name in FILES]
        writers = [FixtureWriter(path) for path in paths]
        w_entities, w_outlets, w_articles, w_mentions, w_events = writers
        try:
            for entity in self.entities:
                w_entities.write(entity.fixture())
            for entity in self.entities:
                for alias in entity.aliases:
                    w_entities.write(
                        {
                            "model": "corpus.alias",
                            "fields": {"entity": [entity.slug], "name": alias},
                        }
                    )
            for outlet in self.outlets:
                w_outlets.write(outlet.fixture())
            events, cites = self.plan_events()
            self.write_events(w_events, events)
            from corpus.generate_articles import ArticleBuilder

            builder = ArticleBuilder(self, events, cites)
            recent = deque(maxlen=20)
            for i in range(self.size.articles):
                builder.write_article(i, recent, w_articles, w_mentions, w_events)
                if progress and (i + 1) % 1000 == 0:
                    progress(i + 1)
        finally:
            for writer in writers:
                writer.close()
        counts = {
            "entities": len(self.entities),
            "outlets": len(self.outlets),
            "articles": w_articles.count,
            "mentions": w_mentions.count,
            "events": len(events),
            "citations": builder.citations,
        }
        return GenerateResult(files=paths, counts=counts)

    def write_events(self, writer: FixtureWriter, events: list[PlannedEvent]) -> None:
        for event in events:
            writer.write(self.event_fixture(event))
        for event in events:
            role = "speaker" if event.event_type == "statement" else "initiator"
            actors = [(event.initiator, role)]
            if event.target is not None:
                actors.append((event.target, "target"))
            for actor, actor_role in actors:
                fields = {
                    "event": [event.slug],
                    "actor": [self.entities[actor].slug],
                    "role": actor_role,
                }
                writer.write({"model": "timeline.eventactor", "fields": fields})
        for event in events:
            if event.weapon is not None:
                fields = {"event": [event.slug], "weapon": [self.entities[event.weapon].slug]}
                writer.write({"model": "timeline.eventweapon", "fields": fields})

    def event_fixture(self, event: PlannedEvent) -> dict:
        day = START + timedelta(days=event.day)
        precision = self.rng.choices(["day", "month", "year"], [85, 11, 4])[0]
        stored = {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1)}
        end = None
        if event.event_type == "combat" and self.rng.random() < 0.4:
            end = day + timedelta(days=self.rng.randrange(1, 45))
        return {
            "model": "timeline.event",
            "fields": {
                "title": self.event_title(event),
                "slug": event.slug,
                "summary": self.event_summary(event, day),
                "date": stored[precision].isoformat(),
                "date_precision": precision,
                "end_date": end.isoformat() if end else None,
                "event_type": event.event_type,
                "status": self.rng.choices(STATUSES, STATUS_WEIGHTS)[0],
                "place": [self.entities[event.place].slug],
            },
        }

    def event_summary(self, event: PlannedEvent, day: date) -> str:
        def fill(slot):
            if slot == "day":
                return text.WEEKDAYS[day.weekday()], None
            entity = getattr(event, slot)
            return self.entities[entity].name, None

        sentence, _spans = text.render(text.EVENT_SENTENCES_T[event.event_type], fill)
        return sentence


def generate_corpus(
    *,
    out_dir: Path,
    size: CorpusSize,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> GenerateResult:
    """Write the corpus for ``seed`` into ``out_dir``; returns the files and their counts."""
    if size.articles < 1 or min(size.actors, size.places, size.weapons, size.outlets) < 1:
        raise ValueError("Every size must be at least 1.")
    if size.actors <= size.outlets:
        raise ValueError("There must be more actors than outlets (each outlet is an actor).")
    return CorpusGenerator(size=size, seed=seed).write(out_dir, progress)


def checksum(raw_text: str) -> str:
    return hashlib.sha256(raw_text.encode()).hexdigest()
