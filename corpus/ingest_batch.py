"""Ingest a chunk of files with a fixed number of queries: the batched path of ``ingest_paths``.

Planning a chunk (``plan_chunk``) is the Python work: one query finds the stored articles the
chunk's files name or copy; the new and changed files are parsed, their mentions found and
their near-duplicates looked up and linked in memory, file after file, so each file sees the
ones before it exactly as it would if they were ingested one by one with ``ingest_file``.
Writing it (``write_chunk``) is one transaction: changed articles in one UPDATE, new ones with
COPY, their mentions and near-duplicate signatures with COPY, the duplicate links in one
UPDATE. A chunk whose planning or writing fails is undone (``abandon_chunk``) and the caller
ingests it again file by file.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Now

from corpus.copy_rows import copy_rows
from corpus.decode import SourceError, SourceText, read_source
from corpus.dedupe import RunIndex, shingles
from corpus.duplicate_links import DuplicateGroups, candidate
from corpus.extract import Match
from corpus.ingest_context import (
    IngestContext,
    IngestResult,
    Status,
    article_fields,
    describe,
    first_free_slug,
    relax_commit,
    slug_base,
    taken_slugs,
)
from corpus.models import Article, Mention
from corpus.parse import parse_source
from corpus.planner_stats import ArticleGrowth
from corpus.signatures import insert_signatures, write_signatures

# A chunk's Python work and its writing overlap (corpus/ingest_writer.py): a few hundred
# files keep the per-chunk queries rare while the run's first parse and last write, which
# overlap nothing, stay short.
CHUNK_FILES = 250
FIRST_CHUNK_FILES = 50
# The fields article_fields() and prepare_file() give, by attribute name, in COPY order.
FIELDS = (
    "title",
    "outlet_id",
    "authors",
    "published_on",
    "published_precision",
    "url",
    "source_file",
    "checksum",
    "raw_text",
    "body",
    "word_count",
    "language",
)
# ingested_at and search_vector are left to the database, as for a row the ORM saves.
ARTICLE_COLUMNS = ("id", "slug", *FIELDS, "duplicate_of_id")
MENTION_COLUMNS = ("article", "entity", "start", "end", "text")


class ChunkFailed(Exception):
    """The chunk could not be planned; nothing of it was kept."""


@dataclass
class SourceFile:
    """One file of a chunk on its way to the database."""

    path: Path
    result: IngestResult
    source: SourceText | None = None
    # What parsing gave; kept aside until the file is known to be written, since an unchanged
    # file or a copy is reported without warnings, as ingest_file reports it.
    prepared: bool = False
    error: str = ""
    fields: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    signature: frozenset[int] = frozenset()
    existing: dict | None = None  # the stored article this file changes
    similar: list[int] = field(default_factory=list)

    @property
    def pk(self) -> int | None:
        return self.result.article_id


@dataclass
class ChunkPlan:
    """A chunk ready to write: its rows, its duplicate links, and how to undo its indexing."""

    files: list[SourceFile]  # the files decided, in order
    to_write: list[SourceFile]
    rest: list[SourceFile]  # files left for the next chunk (see _resolve)
    groups: DuplicateGroups = field(default_factory=DuplicateGroups)
    undo: list[tuple[int, frozenset[int] | None]] = field(default_factory=list)

    @property
    def new(self) -> list[SourceFile]:
        return [file for file in self.to_write if not file.existing]

    @property
    def changed(self) -> list[SourceFile]:
        return [file for file in self.to_write if file.existing]


def read_files(paths: list[Path], context: IngestContext, *, prepare: bool) -> list[SourceFile]:
    """Read (and with ``prepare`` already parse) files; unreadable ones come back failed."""
    return [read_file(path, context, prepare=prepare) for path in paths]


def read_file(path: Path, context: IngestContext, *, prepare: bool) -> SourceFile:
    file = SourceFile(path, IngestResult(str(path), context.source_name(path), Status.FAILED))
    try:
        file.source = read_source(path, max_bytes=context.max_bytes)
    except SourceError as error:
        file.result.error = str(error)
    except Exception as error:  # one bad file must not stop the chunk
        file.result.fail(path, error)
    if prepare and file.source:
        prepare_file(file, context)
    return file


def plan_chunk(
    files: list[SourceFile], context: IngestContext, *, pending: ChunkPlan | None = None
) -> ChunkPlan:
    """Everything but the writing; raises ``ChunkFailed`` with nothing changed.

    ``pending`` is a chunk being written meanwhile, not committed yet: the plan sees its rows
    as they will be, so it must be written after it, and only if it succeeds.
    """
    plan = ChunkPlan([], [], [])
    try:
        plan.to_write, decided = _resolve(files, context, pending)
        plan.files, plan.rest = files[:decided], files[decided:]
        if plan.to_write:
            _assign_ids(plan.new)
            _compare(plan, context.index)
            plan.groups = _link(plan.to_write, pending and pending.groups)
            _assign_slugs(plan.new, pending)
    except Exception as error:
        abandon_chunk(plan, context)
        raise ChunkFailed(f"{type(error).__name__}: {error}") from error
    return plan


def write_chunk(plan: ChunkPlan, growth: ArticleGrowth | None = None) -> None:
    """One transaction; if it raises, nothing of the chunk is in the database.

    ``growth`` follows a run's new articles across its chunks (corpus/planner_stats.py)."""
    if not plan.to_write:
        return
    with transaction.atomic():
        relax_commit()
        # Changed articles first: a new file may reuse the bytes (checksum) one of them drops.
        _update_articles(plan.changed)
        _insert_articles(plan.new, plan.groups)
        _replace_mentions(plan.to_write)
        # A new article has no signature row to replace.
        insert_signatures((file.pk, file.fields["body"], file.signature) for file in plan.new)
        write_signatures((file.pk, file.fields["body"], file.signature) for file in plan.changed)
        plan.groups.write_changes()
    if growth:
        growth.inserted(len(plan.new))


def finish_chunk(plan: ChunkPlan) -> list[IngestResult]:
    """The results of a written chunk, in file order."""
    for file in plan.to_write:
        file.result.mentions = len(file.matches)
    return [file.result for file in plan.files]


def abandon_chunk(plan: ChunkPlan, context: IngestContext) -> None:
    """Undo the chunk's changes to the near-duplicate index, latest first."""
    for pk, signature in reversed(plan.undo):
        if signature is None:
            context.index.discard(pk)
        else:
            context.index.add(pk, signature)
    plan.undo.clear()


class _Stored:
    """The stored articles a chunk's files name or copy, as each file in turn will find them."""

    def __init__(self, files: list[SourceFile], pending: ChunkPlan | None):
        names = [file.result.source_file for file in files]
        checksums = [file.source.checksum for file in files]
        rows = Article.objects.filter(Q(source_file__in=names) | Q(checksum__in=checksums))
        self.by_name = {
            row["source_file"]: row for row in rows.values("pk", "source_file", "checksum", "slug")
        }
        # The pending chunk's rows as they will be: whether or not its commit came before the
        # query, the result is the same.
        wanted, checksums = {*names, *self.by_name}, set(checksums)
        for file in pending.to_write if pending else ():
            name, checksum = file.result.source_file, file.source.checksum
            if name in wanted or checksum in checksums:
                self.by_name[name] = {
                    "pk": file.pk,
                    "source_file": name,
                    "checksum": checksum,
                    "slug": file.result.slug,
                }
        self.name_by_checksum = {row["checksum"]: name for name, row in self.by_name.items()}

    def copy_of(self, name: str, checksum: str) -> str | None:
        """The other source file stored with these exact bytes, if any."""
        other = self.name_by_checksum.get(checksum)
        return other if other != name else None

    def replace_checksum(self, name: str, checksum: str) -> None:
        """A file of the chunk stores ``checksum`` under ``name``: later files see it."""
        row = self.by_name.get(name)
        if row:
            self.name_by_checksum.pop(row["checksum"], None)
        self.name_by_checksum[checksum] = name


def _resolve(
    files: list[SourceFile], context: IngestContext, pending: ChunkPlan | None
) -> tuple[list[SourceFile], int]:
    """Decide each readable file's fate as ``ingest_file`` would, and prepare the ones to
    write. Returns them and how many files were decided: a file naming an article that an
    earlier file of the chunk writes waits for the next chunk, when that row exists."""
    readable = [file for file in files if file.source]
    stored = _Stored(readable, pending) if readable else None
    written: set[str] = set()
    to_write = []
    for position, file in enumerate(files):
        if file.source is None:
            continue
        name, checksum, result = file.result.source_file, file.source.checksum, file.result
        if name in written:
            return to_write, position
        existing = stored.by_name.get(name)
        if existing and existing["checksum"] == checksum and not context.force:
            result.status, result.article_id = Status.UNCHANGED, existing["pk"]
            result.slug = existing["slug"]
        elif copy_of := stored.copy_of(name, checksum):
            result.status, result.duplicate_of = Status.COPY, copy_of
        elif _accept(file, existing, context):
            stored.replace_checksum(name, checksum)
            written.add(name)
            to_write.append(file)
    return to_write, len(files)


def prepare_file(file: SourceFile, context: IngestContext) -> None:
    """Parse the text and find its mentions and shingles."""
    file.prepared = True
    name, text = file.result.source_file, file.source.text
    try:
        parsed = parse_source(text)
        file.fields = article_fields(parsed, context.manifest.get(name), context, file.warnings)
        file.signature = shingles(file.fields["body"])
        file.matches = context.extractor.find(file.fields["body"])
    except Exception as error:  # reported only if the file turns out to need writing
        file.error = describe(error)  # text, so it can come back from a worker process
        return
    file.fields.update(source_file=name, checksum=file.source.checksum, raw_text=text)


def _accept(file: SourceFile, existing: dict | None, context: IngestContext) -> bool:
    """Make ``file`` a new or changed article; False if its text could not be parsed."""
    if not file.prepared:
        prepare_file(file, context)
    result = file.result
    result.warnings.extend(file.warnings)
    if file.error:
        result.fail(file.path, file.error)
        return False
    file.existing = existing
    if existing:
        result.status, result.article_id, result.slug = (
            Status.UPDATED,
            existing["pk"],
            existing["slug"],
        )
    else:
        result.status = Status.NEW
    return True


def _assign_ids(files: list[SourceFile]) -> None:
    """Primary keys from the table's sequence, so the chunk's files can be compared and linked
    with each other before any row is written."""
    if not files:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Article._meta.db_table, Article._meta.pk.column, len(files)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for file, pk in zip(files, ids, strict=True):
        file.result.article_id = pk


def _compare(plan: ChunkPlan, index: RunIndex) -> None:
    """Each file's near-duplicates among the articles indexed before it, then the file itself
    indexed; the plan records what each file replaced, to undo it."""
    for file in plan.to_write:
        file.similar = index.similar(file.signature, exclude=file.existing and file.pk)
        plan.undo.append((file.pk, index.signatures.get(file.pk)))
        index.add(file.pk, file.signature)


def _link(files: list[SourceFile], pending: DuplicateGroups | None) -> DuplicateGroups:
    """Release changed articles from their groups and join each file to its near-duplicates'
    groups, in file order, as ``ingest_file`` does."""
    new = {file.pk for file in files if not file.existing}
    stored = {pk for file in files for pk in file.similar} - new
    changed = {file.pk for file in files if file.existing}
    groups = DuplicateGroups.load(stored | changed, pending=pending)
    for file in files:
        fields = file.fields
        groups.put(
            candidate(
                file.pk,
                fields["source_file"],
                fields["word_count"],
                fields["authors"],
                fields["published_on"],
                fields["outlet_id"],
                fields["url"],
            )
        )
        if file.existing:
            groups.release(file.pk)
        groups.link(file.pk, file.similar)
    return groups


def _assign_slugs(files: list[SourceFile], pending: ChunkPlan | None) -> None:
    """Unique slugs for the new articles, against the stored ones, the pending chunk's and
    each other (one query)."""
    if not files:
        return
    bases = [slug_base(file.fields["title"]) for file in files]
    taken = taken_slugs(set(bases))
    if pending:
        taken.update(file.result.slug for file in pending.new)
    for file, base in zip(files, bases, strict=True):
        file.result.slug = first_free_slug(base, taken)
        taken.add(file.result.slug)


def _update_articles(files: list[SourceFile]) -> None:
    """Changed files keep their article's id and slug (its URL); everything else is replaced."""
    if not files:
        return
    articles = [Article(pk=file.pk, ingested_at=Now(), **file.fields) for file in files]
    Article.objects.bulk_update(articles, [*FIELDS, "ingested_at"])


def _insert_articles(files: list[SourceFile], groups: DuplicateGroups) -> None:
    rows = [
        (
            file.pk,
            file.result.slug,
            *(file.fields[name] for name in FIELDS),
            groups.duplicate_of[file.pk],
        )
        for file in files
    ]
    copy_rows(Article, ARTICLE_COLUMNS, rows)


def _replace_mentions(files: list[SourceFile]) -> None:
    changed = [file.pk for file in files if file.existing]
    if changed:
        Mention.objects.filter(article__any=changed).delete()
    rows = [
        (file.pk, match.entity_id, match.start, match.end, match.text)
        for file in files
        for match in file.matches
    ]
    copy_rows(Mention, MENTION_COLUMNS, rows)
