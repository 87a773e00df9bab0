"""Build the generated fixtures: source files to ``30_articles.json``, curated events to
``40_events.json``.

The build runs inside one transaction that is rolled back at the end: it empties the corpus
and timeline tables, loads the hand-made fixtures that come before the generated ones
(``10_outlets.json``, ``20_entities.json``), ingests the sources, loads the curated events
and serializes the result. The output therefore depends only on the files in the checkout,
never on what the database held, and the database is left as it was.

Output is deterministic: natural keys instead of primary keys, a fixed order for every
model, no volatile fields (timestamps set on save, database-generated columns), and
``json.dumps`` with sorted settings. Two builds give byte-identical files.
"""

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from corpus.ingest import IngestContext, IngestReport, ingest_paths
from corpus.models import Article, Mention

ARTICLES_FIXTURE = "30_articles.json"
EVENTS_FIXTURE = "40_events.json"
EVENTS_SPEC = Path("curation") / "events.json"
# Hand-made fixtures the build loads first: every fixture named before the generated ones.
INPUT_FIXTURE_GLOBS = ("0[0-9]_*.json", "1[0-9]_*.json", "2[0-9]_*.json")
WIPED_APPS = ("corpus", "timeline")


class BuildError(Exception):
    """The sources could not all be ingested; no fixture was written."""


@dataclass
class BuildResult:
    ingest: IngestReport
    articles: int = 0
    mentions: int = 0
    events: int | None = None  # None: events were not built
    events_skipped: str = ""  # why events were not built, when they were not
    events_error: str = ""  # a curation error; the articles fixture is still written
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)  # check mode: files that would change


def build_fixtures(*, sources_dir: Path, fixtures_dir: Path, check: bool = False) -> BuildResult:
    """Regenerate the articles (and events) fixtures; with ``check`` only compare them."""
    with transaction.atomic():
        try:
            return _build(sources_dir=sources_dir, fixtures_dir=fixtures_dir, check=check)
        finally:
            transaction.set_rollback(True)


def _build(*, sources_dir: Path, fixtures_dir: Path, check: bool) -> BuildResult:
    _wipe_tables()
    inputs = sorted({p for glob in INPUT_FIXTURE_GLOBS for p in fixtures_dir.glob(glob)})
    if inputs:
        call_command("loaddata", *map(str, inputs), verbosity=0)
    report = ingest_paths(paths=[sources_dir], context=IngestContext.build(sources_dir=sources_dir))
    if report.failed:
        errors = "; ".join(result.error for result in report.failed)
        raise BuildError(f"{len(report.failed)} source file(s) failed, nothing written: {errors}")

    result = BuildResult(ingest=report)
    articles, mentions = Article.objects.all(), Mention.objects.all()
    result.articles, result.mentions = articles.count(), mentions.count()
    _emit(
        fixtures_dir / ARTICLES_FIXTURE,
        [
            # Canonical articles first, so a duplicate's link points back to a loaded row.
            (articles, lambda f: (f["duplicate_of"] is not None, f["source_file"])),
            (mentions, lambda f: (f["article"], f["start"], f["entity"])),
        ],
        check,
        result,
    )

    loader = _events_loader()
    spec = fixtures_dir / EVENTS_SPEC
    if loader is None:
        result.events_skipped = "timeline.curation is not there yet"
    elif not spec.exists():
        result.events_skipped = f"{spec} does not exist"
    else:
        load, curation_error = loader
        try:
            with transaction.atomic():
                load(spec_path=spec)
        except curation_error as error:
            result.events_error = str(error)
            return result
        event_sets = _event_querysets()
        result.events = event_sets[0][0].count()
        _emit(fixtures_dir / EVENTS_FIXTURE, event_sets, check, result)
    return result


def _wipe_tables() -> None:
    """Empty the corpus and timeline tables (inside the build's transaction, so only for it)."""
    tables = [
        model._meta.db_table
        for app in WIPED_APPS
        for model in apps.get_app_config(app).get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        # TRUNCATE refuses to run while deferred foreign-key checks are pending (rows written
        # earlier in the same transaction, as in tests): run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {quoted} CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _events_loader():
    """``(load_curated_events, CurationError)`` when the curation module exists, else None."""
    try:
        module = importlib.import_module("timeline.curation")
    except ModuleNotFoundError as error:
        if error.name != "timeline.curation":
            raise
        return None
    return module.load_curated_events, module.CurationError


def _event_querysets():
    """Event models with the sort key of each, from its serialized natural-key fields."""
    return [
        (apps.get_model("timeline", "Event").objects.all(), lambda f: (f["slug"],)),
        (
            apps.get_model("timeline", "EventActor").objects.all(),
            lambda f: (f["event"], f["actor"], f["role"]),
        ),
        (
            apps.get_model("timeline", "EventWeapon").objects.all(),
            lambda f: (f["event"], f["weapon"]),
        ),
        (
            apps.get_model("timeline", "Citation").objects.all(),
            lambda f: (f["event"], f["article"]),
        ),
    ]


def stable_fields(model) -> list[str]:
    """Fields worth a fixture: not the primary key, not stamped on save, not generated by
    the database (Django would serialize a GeneratedField such as ``search_vector``)."""
    return [
        f.name
        for f in model._meta.local_fields
        if not f.primary_key
        and not getattr(f, "generated", False)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def serialize(querysets) -> str:
    """JSON of ``(queryset, sort key)`` pairs. Sorting happens here, in Python, not in SQL:
    the database's collation (which differs between servers) must not change the order."""
    objects = []
    for queryset, key in querysets:
        serialized = serializers.serialize(
            "python",
            queryset,
            fields=stable_fields(queryset.model),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        objects.extend(sorted(serialized, key=lambda obj: key(obj["fields"])))
    return json.dumps(objects, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False) + "\n"


def _emit(path: Path, querysets, check: bool, result: BuildResult) -> None:
    """Write ``path`` only when its content changes, so an unchanged build touches nothing."""
    text = serialize(querysets)
    current = path.read_text(encoding="utf-8") if path.exists() else None
    if current == text:
        result.unchanged.append(path)
    elif check:
        result.stale.append(path)
    else:
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
        result.written.append(path)
