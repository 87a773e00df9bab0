"""Load natural-key JSON fixtures fast: stream them, COPY into staging tables, upsert by key.

``loaddata`` saves one object at a time (a lookup and a save per object). This reads the same
files (``dumpdata --natural-primary --natural-foreign`` format) with ``ijson`` so memory stays
flat, COPYs each run of same-model objects into a temporary staging table, then writes them
with one ``INSERT … SELECT … ON CONFLICT (natural key) DO UPDATE`` that resolves foreign
natural keys to ids by joining on slugs and source files. The result is the same as
``loaddata``: an object whose natural key exists is updated, others are inserted, fields
missing from the fixture get their defaults. Everything runs in one transaction.

Like ``loaddata``, it takes the files, and the objects in them, in any order: a run whose
references name rows still to come waits for them (``RunWriter``).
"""

import itertools
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import ijson
import psycopg
from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.management.base import OutputWrapper
from django.db import connections, models, transaction

# Natural keys as model fields, in natural_key() order; a foreign key in a natural key
# stands for the natural key of the row it points to. tests/corpus/test_bulk_load.py
# checks these against each model's natural_key().
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "corpus.outlet": ("slug",),
    "corpus.entity": ("slug",),
    "corpus.alias": ("entity", "name"),
    "corpus.article": ("source_file",),
    "corpus.mention": ("article", "entity", "start"),
    "timeline.event": ("slug",),
    "timeline.eventactor": ("event", "actor", "role"),
    "timeline.eventweapon": ("event", "weapon"),
    "timeline.citation": ("event", "article"),
}


class BulkLoadError(Exception):
    """The fixture cannot be loaded; nothing was written."""


@dataclass
class BulkLoadResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # Per model: seconds reading and COPYing, and seconds upserting from the staging table.
    timings: dict[str, list[float]] = field(default_factory=dict)

    def summary(self) -> str:
        objects = sum(self.counts.values())
        parts = ", ".join(f"{n:,} {label}" for label, n in self.counts.items())
        return f"{objects:,} objects ({parts}) in {self.seconds:.1f}s"


class Progress:
    """A progress line on a stream, redrawn at most twice a second."""

    def __init__(self, stream: TextIO | None, total_bytes: int):
        self.stream = stream
        self.total = max(1, total_bytes)
        self.done_before = 0  # bytes of the files already read
        self.objects = 0
        self.started = time.monotonic()
        self.last = 0.0

    def update(self, file_position: int, force: bool = False) -> None:
        now = time.monotonic()
        if self.stream is None or (not force and now - self.last < 0.5):
            return
        self.last = now
        done = self.done_before + file_position
        width = 30
        filled = int(width * done / self.total)
        rate = self.objects / max(now - self.started, 1e-6)
        self.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {100 * done / self.total:5.1f}% "
            f"{self.objects:,} objects ({rate:,.0f}/s)"
        )

    def write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):  # a command's stderr: no newline, no colour
            self.stream.write(text, style_func=str, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None:
            self.update(0, force=True)
            self.write("\n")


class ModelPlan:
    """How one model's rows go from fixture objects to a staging table to the real table."""

    def __init__(self, label: str, connection):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise BulkLoadError(f"Unknown model {label!r} in the fixture.") from exc
        self.model = model._meta.concrete_model
        self.label = self.model._meta.label_lower
        if self.label not in NATURAL_KEYS:
            raise BulkLoadError(
                f"{self.label} has no natural key known to the bulk loader; load it with loaddata."
            )
        self.qn = connection.ops.quote_name
        self.connection = connection
        self.table = self.model._meta.db_table
        self.fields = [
            f for f in self.model._meta.concrete_fields if not f.primary_key and not f.generated
        ]
        self.key = [self.model._meta.get_field(name) for name in NATURAL_KEYS[self.label]]
        # Django's serializer writes an array as a JSON string ('["A", "B"]'), which loaddata
        # parses with the field's to_python; a generated fixture writes a plain list. Both
        # must reach COPY as a list.
        self.arrays = {f.name for f in self.fields if isinstance(f, ArrayField)}

    def columns_for(self, first: dict) -> list[models.Field]:
        # A field with a database default that the fixture omits is left to the database,
        # as loaddata does (Article.ingested_at).
        return [f for f in self.fields if f.db_default is models.NOT_PROVIDED or f.name in first]

    def row(self, obj: dict, columns: list[models.Field], seq: int) -> list:
        values = obj.get("fields", {})
        if "pk" in obj and obj["pk"] is not None:
            raise BulkLoadError(
                f"{self.label} object with a primary key: the bulk loader reads natural-key "
                "fixtures (dumpdata --natural-primary --natural-foreign)."
            )
        row = []
        for f in columns:
            value = values[f.name] if f.name in values else f.get_default()
            if f.is_relation and value is not None:
                value = self.reference(f, value)
            elif f.name in self.arrays and isinstance(value, str):
                value = self.array(f, value)
            row.append(value)
        row.append(seq)
        return row

    def reference(self, f: models.Field, value) -> str:
        if not isinstance(value, list) or len(value) != 1:
            raise BulkLoadError(
                f"{self.label}.{f.name}: expected a one-part natural key such as "
                f'["slug"], got {value!r}.'
            )
        return str(value[0])

    def array(self, f: models.Field, value: str) -> list:
        try:
            return f.to_python(value)
        except (ValueError, TypeError, ValidationError) as exc:
            raise BulkLoadError(
                f"{self.label}.{f.name}: {value!r} is neither a list nor a JSON list."
            ) from exc

    def target_key(self, f: models.Field) -> str:
        """The column a foreign key's natural key names in the table it points to."""
        target = f.related_model._meta.concrete_model
        key = NATURAL_KEYS.get(target._meta.label_lower, ())
        if len(key) != 1 or target._meta.get_field(key[0]).is_relation:
            raise BulkLoadError(f"{self.label}.{f.name}: its target has no one-column natural key.")
        return target._meta.get_field(key[0]).column

    def create_stage(self, cursor, columns, number: int) -> str:
        """A temporary table for one run; its own name, as a run may wait behind later ones."""
        stage = f"_bulk_stage_{self.table}_{number}"
        specs = [
            f"{self.qn(f.column)} {'text' if f.is_relation else f.db_type(self.connection)}"
            for f in columns
        ]
        cursor.execute(f"DROP TABLE IF EXISTS {self.qn(stage)}")
        cursor.execute(
            f"CREATE TEMP TABLE {self.qn(stage)} ({', '.join(specs)}, _seq bigint) ON COMMIT DROP"
        )
        return stage

    def copy_sql(self, columns, stage: str) -> str:
        names = ", ".join(self.qn(f.column) for f in columns)
        return f"COPY {self.qn(stage)} ({names}, _seq) FROM STDIN"


@dataclass
class Run:
    """Consecutive objects of one model from one file, staged in their own table."""

    plan: ModelPlan
    columns: list[models.Field]
    stage: str
    source: Path
    number: int
    # From the last check: the first foreign key with natural keys that named no row, and
    # up to five of those keys (missing_references' answer), or None.
    missing: tuple | None = None

    @property
    def waits_for(self) -> str:
        return self.missing[0].related_model._meta.concrete_model._meta.label_lower


class RunWriter:
    """Upserts the staged runs in fixture order, holding back those that name rows to come.

    loaddata accepts references to objects later in the fixtures. Here a run whose foreign
    natural keys do not all resolve yet waits in its model's queue, every later run of that
    model behind it, so the last of two objects with one key still wins; the queue is tried
    again whenever a run of the model it waits for is written. A self-reference (a place's
    parent) that names a row still to come keeps its run's staging table, and is tried again
    after each later run of the model. Only what is unresolved at the end is an error. When
    the files come in dependency order nothing waits and no query is added.
    """

    def __init__(self, cursor, result: BulkLoadResult):
        self.cursor = cursor
        self.result = result
        self.queues: dict[str, deque[Run]] = {}
        self.unresolved_self: dict[str, list[Run]] = {}

    def add(self, run: Run) -> None:
        queue = self.queues.setdefault(run.plan.label, deque())
        queue.append(run)
        if len(queue) == 1:
            self.write_ready(run.plan.label)

    def write_ready(self, label: str) -> None:
        """Write the runs at the head of label's queue that resolve, then what that unblocks."""
        labels = [label]
        while labels:
            label = labels.pop()
            queue = self.queues[label]
            wrote = False
            while queue and self.resolves(queue[0]):
                self.write(queue.popleft())
                wrote = True
            if wrote:
                labels += [
                    other
                    for other, waiting in self.queues.items()
                    if waiting and waiting[0].waits_for == label and other not in labels
                ]

    def resolves(self, run: Run) -> bool:
        from corpus.bulk_load_sql import missing_references

        started = time.monotonic()
        run.missing = missing_references(
            run.plan, self.cursor, run.stage, run.columns, self_references=False
        )
        self.result.timings[run.plan.label][1] += time.monotonic() - started
        return run.missing is None

    def write(self, run: Run) -> None:
        from corpus.bulk_load_sql import drop_superseded, has_repeated_keys, upsert_sql

        plan, cursor, started = run.plan, self.cursor, time.monotonic()
        kept = self.unresolved_self.get(plan.label, [])
        for earlier in kept:
            drop_superseded(plan, cursor, earlier.stage, run.stage)
        repeated = has_repeated_keys(plan, cursor, run.stage)
        cursor.execute(upsert_sql(plan, run.columns, run.stage, repeated=repeated))
        self.result.counts[plan.label] = self.result.counts.get(plan.label, 0) + cursor.rowcount
        self.unresolved_self[plan.label] = [r for r in [*kept, run] if not self.settle_self(r)]
        self.result.timings[plan.label][1] += time.monotonic() - started

    def settle_self(self, run: Run) -> bool:
        """Fill the run's self-references; drop its table unless some name rows to come."""
        from corpus.bulk_load_sql import missing_references, resolve_self, self_references

        for f in self_references(run.plan, run.columns):
            resolve_self(run.plan, self.cursor, run.stage, f)
        run.missing = missing_references(
            run.plan, self.cursor, run.stage, run.columns, self_references=True
        )
        if run.missing is None:
            self.cursor.execute(f"DROP TABLE {run.plan.qn(run.stage)}")
        return run.missing is None

    def finish(self) -> None:
        """Every file is read: a reference that still names nothing fails the load."""
        from corpus.bulk_load_sql import reference_error

        unresolved = [queue[0] for queue in self.queues.values() if queue]
        unresolved += [run for runs in self.unresolved_self.values() for run in runs]
        if unresolved:
            run = min(unresolved, key=lambda r: r.number)
            raise reference_error(run.plan, run.source, *run.missing)


class CountingReader:
    """File wrapper that remembers how far ijson has read, for the progress bar."""

    def __init__(self, handle):
        self.handle = handle
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.position += len(data)
        return data


def iter_objects(path: Path, progress: Progress) -> Iterator[dict]:
    with path.open("rb") as handle:
        reader = CountingReader(handle)
        try:
            for obj in ijson.items(reader, "item"):
                if not isinstance(obj, dict) or "model" not in obj:
                    raise BulkLoadError(f"{path}: every item must be an object with a 'model'.")
                progress.objects += 1
                progress.update(reader.position)
                yield obj
        except ijson.JSONError as exc:
            raise BulkLoadError(f"{path}: not a valid JSON fixture ({exc}).") from exc
    progress.done_before += reader.position


def model_of(obj: dict) -> str:
    return obj["model"]


def stage_run(cursor, plan: ModelPlan, objects, source: Path, seq, number, result) -> Run:
    """COPY one run of objects into a new staging table."""
    started = time.monotonic()
    objects = iter(objects)
    first = next(objects)
    columns = plan.columns_for(first.get("fields", {}))
    stage = plan.create_stage(cursor, columns, number)
    try:
        with cursor.copy(plan.copy_sql(columns, stage)) as copy:
            copy.write_row(plan.row(first, columns, next(seq)))
            for obj in objects:
                copy.write_row(plan.row(obj, columns, next(seq)))
    except psycopg.errors.DataError as exc:
        # PostgreSQL names the column and the run's row ("COPY …, line 3, column …").
        raise BulkLoadError(
            f"{source}: a {plan.label} value does not fit its column "
            f"({exc.diag.message_primary}; {exc.diag.context})."
        ) from exc
    result.timings.setdefault(plan.label, [0.0, 0.0])[0] += time.monotonic() - started
    return Run(plan, columns, stage, source, number)


def bulk_load(
    *, paths: Iterable[Path], using: str = "default", show_progress: bool = False, stream=None
) -> BulkLoadResult:
    """Load the fixture files, in any order, all or nothing; BulkLoadError on bad input."""
    import sys

    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise BulkLoadError(f"No such fixture file: {path}")
    progress = Progress(
        (stream or sys.stderr) if show_progress else None, sum(p.stat().st_size for p in paths)
    )
    started = time.monotonic()
    result = BulkLoadResult()
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        plans: dict[str, ModelPlan] = {}
        writer = RunWriter(cursor, result)
        seq, numbers = itertools.count(), itertools.count()
        for path in paths:
            # Runs end at a file's end, so each has one file to name in its errors.
            for label, objects in itertools.groupby(iter_objects(path, progress), model_of):
                plan = plans.get(label) or plans.setdefault(label, ModelPlan(label, connection))
                writer.add(stage_run(cursor, plan, objects, path, seq, next(numbers), result))
        writer.finish()
        # Fresh statistics: the planner must not plan page queries for the empty tables it
        # saw before the load (autovacuum would get there, minutes later).
        for plan in plans.values():
            cursor.execute(f"ANALYZE {plan.qn(plan.table)}")
    progress.finish()
    from config.cache import bump_corpus_version

    bump_corpus_version()  # cached facet counts describe the old corpus
    result.seconds = time.monotonic() - started
    return result
