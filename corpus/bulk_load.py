"""Load natural-key JSON fixtures fast: stream them, COPY into staging tables, upsert by key.

``loaddata`` saves one object at a time (a lookup and a save per object). This reads the same
files (``dumpdata --natural-primary --natural-foreign`` format) with ``ijson`` so memory stays
flat, COPYs each run of same-model objects into a temporary staging table, then writes them
with one ``INSERT … SELECT … ON CONFLICT (natural key) DO UPDATE`` that resolves foreign
natural keys to ids by joining on slugs and source files. The result is the same as
``loaddata``: an object whose natural key exists is updated, others are inserted, fields
missing from the fixture get their defaults. Everything runs in one transaction.
"""

import itertools
import time
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
        self.path: Path | None = None  # the file being read

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
        self.stage = f"_bulk_stage_{self.table}"
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

    def create_stage(self, cursor, columns) -> None:
        specs = [
            f"{self.qn(f.column)} {'text' if f.is_relation else f.db_type(self.connection)}"
            for f in columns
        ]
        cursor.execute(f"DROP TABLE IF EXISTS {self.qn(self.stage)}")
        cursor.execute(
            f"CREATE TEMP TABLE {self.qn(self.stage)} ({', '.join(specs)}, _seq bigint) "
            "ON COMMIT DROP"
        )

    def copy_sql(self, columns) -> str:
        names = ", ".join(self.qn(f.column) for f in columns)
        return f"COPY {self.qn(self.stage)} ({names}, _seq) FROM STDIN"

    def flush(self, cursor, columns) -> int:
        """Upsert the staged rows; returns how many rows were written."""
        from corpus.bulk_load_sql import check_references, has_repeated_keys, upsert_sql

        check_references(self, cursor, columns, self_references=False)
        cursor.execute(upsert_sql(self, columns, repeated=has_repeated_keys(self, cursor)))
        written = cursor.rowcount
        check_references(self, cursor, columns, self_references=True)
        cursor.execute(f"DROP TABLE {self.qn(self.stage)}")
        return written


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
    progress.path = path
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


def bulk_load(
    *, paths: Iterable[Path], using: str = "default", show_progress: bool = False, stream=None
) -> BulkLoadResult:
    """Load the fixture files in order, all or nothing; raises BulkLoadError on bad input."""
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
    objects = itertools.chain.from_iterable(iter_objects(path, progress) for path in paths)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        plans: dict[str, ModelPlan] = {}
        seq = itertools.count()
        for label, group in itertools.groupby(objects, key=lambda obj: obj["model"]):
            plan = plans.get(label) or plans.setdefault(label, ModelPlan(label, connection))
            run = iter(group)
            first = next(run)
            columns = plan.columns_for(first.get("fields", {}))
            plan.create_stage(cursor, columns)
            started_copy, source = time.monotonic(), progress.path
            try:
                with cursor.copy(plan.copy_sql(columns)) as copy:
                    copy.write_row(plan.row(first, columns, next(seq)))
                    for obj in run:
                        copy.write_row(plan.row(obj, columns, next(seq)))
            except psycopg.errors.DataError as exc:
                # PostgreSQL names the column and the run's row ("COPY …, line 3, column …").
                raise BulkLoadError(
                    f"{source}: a {plan.label} value does not fit its column "
                    f"({exc.diag.message_primary}; {exc.diag.context})."
                ) from exc
            started_flush = time.monotonic()
            written = plan.flush(cursor, columns)
            result.counts[plan.label] = result.counts.get(plan.label, 0) + written
            timing = result.timings.setdefault(plan.label, [0.0, 0.0])
            timing[0] += started_flush - started_copy
            timing[1] += time.monotonic() - started_flush
        # Fresh statistics: the planner must not plan page queries for the empty tables it
        # saw before the load (autovacuum would get there, minutes later).
        for plan in plans.values():
            cursor.execute(f"ANALYZE {plan.qn(plan.table)}")
    progress.finish()
    from config.cache import bump_corpus_version

    bump_corpus_version()  # cached facet counts describe the old corpus
    result.seconds = time.monotonic() - started
    return result
