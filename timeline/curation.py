"""Hand-curated events: check the authoring file, then write its events to the database.

The authoring file (``fixtures/curation/events.json``, format in README "The curated corpus")
names entities by slug and articles by source file, and supports each event with quotes.
Everything is checked before anything is written, so a bad file changes nothing; a good one is
applied in one transaction and applying it again changes nothing.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from config.cache import corpus_changed
from corpus.choices import DatePrecision, EntityType
from corpus.models import Article, Entity
from timeline.choices import ActorRole, EventStatus, EventType
from timeline.models import Citation, Event, EventActor, EventWeapon

REQUIRED_KEYS = {"slug", "title", "date", "event_type", "citations"}
# "comment" is for the curator (why a date or status was chosen); it is not stored.
OPTIONAL_KEYS = {"summary", "date_precision", "end_date", "status", "place", "actors", "weapons"}
OPTIONAL_KEYS |= {"comment"}
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class CurationError(Exception):
    """The authoring file is unusable; ``problems`` lists every reason, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class CurationResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0


@dataclass
class _EventPlan:
    slug: str
    fields: dict
    actors: set[tuple[int, str]] = field(default_factory=set)
    weapons: set[int] = field(default_factory=set)
    citations: dict[int, tuple[str, int, int]] = field(default_factory=dict)


class _Checker:
    """Validates one event spec at a time against the entities and articles in the database."""

    def __init__(self, specs: list[dict]):
        self.problems: list[str] = []
        entity_slugs, source_files = [], []  # lists: a typo may put an unhashable value there
        for spec in specs:
            entity_slugs.append(spec.get("place"))
            entity_slugs.extend(a.get("actor") for a in _dicts(spec.get("actors")))
            entity_slugs.extend(_listed(spec.get("weapons")))
            source_files.extend(c.get("source_file") for c in _dicts(spec.get("citations")))
        entities = Entity.objects.filter(slug__in=_strings(entity_slugs))
        self.entities = {e.slug: e for e in entities.only("pk", "slug", "entity_type")}
        articles = Article.objects.filter(source_file__in=_strings(source_files))
        self.articles = {a.source_file: a for a in articles.only("pk", "source_file", "body")}

    def problem(self, slug: str, reason: str, source_file: str | None = None) -> None:
        where = f"event {slug!r}" + (f", {source_file}" if source_file else "")
        self.problems.append(f"{where}: {reason}")

    def entity(self, slug: str, value, entity_type: str, what: str) -> int | None:
        entity = self.entities.get(value) if isinstance(value, str) else None
        if entity is None:
            self.problem(slug, f"unknown {what} {value!r}")
        elif entity.entity_type != entity_type:
            self.problem(slug, f"{what} {value!r} is a {entity.entity_type}, not a {entity_type}")
        else:
            return entity.pk
        return None

    def choice(self, slug: str, spec: dict, key: str, choices, default=None) -> str | None:
        value = spec.get(key, default)
        if value not in choices.values:
            self.problem(slug, f"{key} {value!r} is not one of {', '.join(choices.values)}")
            return None
        return value

    def day(self, slug: str, value, key: str) -> date | None:
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(slug, f"{key} {value!r} is not a date (YYYY-MM-DD)")
            return None

    def listed(self, slug: str, spec: dict, key: str) -> list:
        value = spec.get(key) or []
        if not isinstance(value, list):
            self.problem(slug, f"{key} must be a list")
            return []
        return value

    def check(self, spec: dict) -> _EventPlan:
        slug = spec["slug"]
        unknown = set(spec) - REQUIRED_KEYS - OPTIONAL_KEYS
        if unknown:
            self.problem(slug, f"unknown keys {', '.join(sorted(unknown))}")
        missing = REQUIRED_KEYS - set(spec)
        if missing:
            self.problem(slug, f"missing keys {', '.join(sorted(missing))}")
        plan = _EventPlan(slug=slug, fields=self.event_fields(slug, spec))
        if spec.get("place") is not None:
            plan.fields["place_id"] = self.entity(slug, spec["place"], EntityType.PLACE, "place")
        else:
            plan.fields["place_id"] = None
        self.check_actors(plan, self.listed(slug, spec, "actors"))
        for weapon in self.listed(slug, spec, "weapons"):
            if (pk := self.entity(slug, weapon, EntityType.WEAPON, "weapon")) in plan.weapons:
                self.problem(slug, f"weapon {weapon!r} is listed twice")
            elif pk:
                plan.weapons.add(pk)
        self.check_citations(plan, self.listed(slug, spec, "citations"))
        if plan.fields.get("status") == EventStatus.DISPUTED and len(plan.citations) < 2:
            self.problem(slug, "a disputed event needs citations of both sides (at least two)")
        return plan

    def event_fields(self, slug: str, spec: dict) -> dict:
        title, summary = spec.get("title"), spec.get("summary", "")
        if not isinstance(title, str) or not title.strip() or len(title) > 300:
            self.problem(slug, "title must be a non-empty text of at most 300 characters")
        if not isinstance(summary, str):
            self.problem(slug, "summary must be a text")
        precision = self.choice(slug, spec, "date_precision", DatePrecision, DatePrecision.DAY)
        start = self.day(slug, spec.get("date"), "date")
        end = self.day(slug, spec["end_date"], "end_date") if spec.get("end_date") else None
        if start and precision == DatePrecision.MONTH and start.day != 1:
            self.problem(slug, f"a month-precision date is the month's first day, not {start}")
        if start and precision == DatePrecision.YEAR and (start.month, start.day) != (1, 1):
            self.problem(slug, f"a year-precision date is 1 January, not {start}")
        if start and end and end < start:
            self.problem(slug, f"end_date {end} is before date {start}")
        return {
            "title": title,
            "summary": summary,
            "date": start,
            "date_precision": precision,
            "end_date": end,
            "event_type": self.choice(slug, spec, "event_type", EventType),
            "status": self.choice(slug, spec, "status", EventStatus, EventStatus.REPORTED),
        }

    def check_actors(self, plan: _EventPlan, actors: list) -> None:
        for item in actors:
            if not isinstance(item, dict) or set(item) != {"actor", "role"}:
                self.problem(
                    plan.slug, f"an actor must be {{'actor': slug, 'role': role}}: {item!r}"
                )
                continue
            pk = self.entity(plan.slug, item["actor"], EntityType.ACTOR, "actor")
            role = self.choice(plan.slug, item, "role", ActorRole)
            if pk and role and (pk, role) in plan.actors:
                self.problem(plan.slug, f"actor {item['actor']!r} is listed twice as {role}")
            elif pk and role:
                plan.actors.add((pk, role))

    def check_citations(self, plan: _EventPlan, citations: list) -> None:
        if not citations:
            self.problem(plan.slug, "an event needs at least one citation")
        for item in citations:
            keys = set(item) if isinstance(item, dict) else set()
            if not {"source_file", "quote"} <= keys <= {"source_file", "quote", "occurrence"} or (
                not isinstance(item["source_file"], str)
            ):
                self.problem(plan.slug, f"a citation needs source_file and quote: {item!r}")
                continue
            source_file, quote = item["source_file"], item["quote"]
            occurrence = item.get("occurrence", 1)
            article = self.articles.get(source_file)
            if article is None:
                self.problem(plan.slug, "the article is not in the database", source_file)
            elif not isinstance(quote, str) or not quote.strip():
                self.problem(plan.slug, "the quote is empty", source_file)
            elif not isinstance(occurrence, int) or occurrence < 1:
                self.problem(plan.slug, f"occurrence {occurrence!r} is not 1, 2, …", source_file)
            elif article.pk in plan.citations:
                self.problem(plan.slug, "the article is cited twice", source_file)
            elif (start := _nth(article.body, quote, occurrence)) < 0:
                self.problem(
                    plan.slug,
                    f"quote not found in the article body (occurrence {occurrence}): {quote!r}",
                    source_file,
                )
            else:
                plan.citations[article.pk] = (quote, start, start + len(quote))


def load_curated_events(*, spec_path: Path, prune: bool = False) -> CurationResult:
    """Create or update the events of the authoring file; with ``prune``, delete the others.

    Raises ``CurationError`` listing every problem (unknown slugs, bad dates, quotes missing
    from the cited article, …) before touching the database.
    """
    specs = _read(spec_path)
    checker = _Checker(specs)
    plans, seen = [], set()
    for spec in specs:
        slug = spec.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            checker.problems.append(f"event {slug!r}: slug must be letters, digits, - and _")
            continue
        if slug in seen:
            checker.problem(slug, "the slug is used by another event")
        seen.add(slug)
        plans.append(checker.check(spec))
    if checker.problems:
        raise CurationError(checker.problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "pruned": 0}
    with transaction.atomic():
        for plan in plans:
            counts[_apply(plan)] += 1
        if prune:
            _, deleted = Event.objects.exclude(slug__in=seen).delete()
            counts["pruned"] = deleted.get(Event._meta.label, 0)
        corpus_changed()  # actors, weapons and citations are added with bulk_create
    return CurationResult(**counts)


def _read(spec_path: Path) -> list[dict]:
    try:
        specs = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CurationError([f"{spec_path}: cannot be read ({error.strerror})"]) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CurationError([f"{spec_path}: not valid JSON ({error})"]) from error
    if not isinstance(specs, list) or not all(isinstance(spec, dict) for spec in specs):
        raise CurationError([f"{spec_path}: must be a JSON list of event objects"])
    return specs


def _listed(value) -> list:
    return value if isinstance(value, list) else []


def _dicts(value) -> list[dict]:
    return [item for item in _listed(value) if isinstance(item, dict)]


def _strings(values) -> list[str]:
    return sorted({value for value in values if isinstance(value, str)})


def _nth(body: str, quote: str, occurrence: int) -> int:
    """Offset of the n-th (1-based) occurrence of ``quote`` in ``body``, or -1."""
    start = -1
    for _ in range(occurrence):
        start = body.find(quote, start + 1)
        if start < 0:
            break
    return start


def _apply(plan: _EventPlan) -> str:
    """Make the database match one plan; return "created", "updated" or "unchanged"."""
    event = Event.objects.filter(slug=plan.slug).first()
    if event is None:
        event = Event.objects.create(slug=plan.slug, **plan.fields)
        outcome = "created"
    else:
        changed = {k: v for k, v in plan.fields.items() if getattr(event, k) != v}
        for name, value in changed.items():
            setattr(event, name, value)
        if changed:
            event.save(update_fields=[name.removesuffix("_id") for name in changed])
        outcome = "updated" if changed else "unchanged"
    links_changed = _sync_actors(event, plan) | _sync_weapons(event, plan)
    links_changed |= _sync_citations(event, plan)
    return "updated" if outcome == "unchanged" and links_changed else outcome


def _sync_actors(event: Event, plan: _EventPlan) -> bool:
    existing = {(row.actor_id, row.role): row.pk for row in event.event_actors.all()}
    stale = [pk for key, pk in existing.items() if key not in plan.actors]
    EventActor.objects.filter(pk__in=stale).delete()
    missing = plan.actors - existing.keys()
    EventActor.objects.bulk_create(
        EventActor(event=event, actor_id=actor, role=role) for actor, role in sorted(missing)
    )
    return bool(stale or missing)


def _sync_weapons(event: Event, plan: _EventPlan) -> bool:
    existing = {row.weapon_id: row.pk for row in event.event_weapons.all()}
    stale = [pk for weapon, pk in existing.items() if weapon not in plan.weapons]
    EventWeapon.objects.filter(pk__in=stale).delete()
    missing = plan.weapons - existing.keys()
    EventWeapon.objects.bulk_create(
        EventWeapon(event=event, weapon_id=pk) for pk in sorted(missing)
    )
    return bool(stale or missing)


def _sync_citations(event: Event, plan: _EventPlan) -> bool:
    existing = {row.article_id: row for row in event.citations.all()}
    stale = [row.pk for article, row in existing.items() if article not in plan.citations]
    Citation.objects.filter(pk__in=stale).delete()
    changed = bool(stale)
    for article, (quote, start, end) in sorted(plan.citations.items()):
        row = existing.get(article)
        if row is None:
            Citation.objects.create(
                event=event, article_id=article, quote=quote, start=start, end=end
            )
            changed = True
        elif (row.quote, row.start, row.end) != (quote, start, end):
            row.quote, row.start, row.end = quote, start, end
            row.save(update_fields=["quote", "start", "end"])
            changed = True
    return changed
