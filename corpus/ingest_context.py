"""What every file of an ingest run shares, and what each file becomes.

The run's ``IngestContext`` (manifest, alias automaton, near-duplicate index, outlet names,
built once), the per-file ``IngestResult``, and the rules that turn a parsed text into article
fields and a slug. Both ingest paths use them: file by file (``corpus/ingest.py``) and chunk by
chunk (``corpus/ingest_batch.py``).
"""

import enum
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.text import slugify

from corpus.choices import DatePrecision
from corpus.decode import DEFAULT_MAX_BYTES
from corpus.dedupe import DuplicateIndex, RunIndex, ScanIndex
from corpus.extract import MentionExtractor
from corpus.manifest import Manifest, ManifestEntry
from corpus.models import Article, Outlet
from corpus.parse import ParsedSource
from corpus.signatures import stored_signatures, unpack_array

TITLE_MAX = Article._meta.get_field("title").max_length
SLUG_MAX = Article._meta.get_field("slug").max_length
GENERATED_TITLE_WORDS = 14
# A run of at most this many files compares each new body with every stored signature
# (``ScanIndex``, ~0.5 s a file at 100,000 articles) instead of first building the inverted
# index (~15 s and 1.8 GB there); both grow with the corpus alike, so the break-even does not
# depend on its size. Measured in docs/performance.md.
SCAN_MAX_FILES = 16


class Status(enum.StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    COPY = "copy"  # the same bytes as another source file: not stored twice
    FAILED = "failed"


@dataclass
class IngestResult:
    path: str
    source_file: str
    status: Status
    article_id: int | None = None
    slug: str = ""
    duplicate_of: str = ""  # source file of the canonical article, when this is a copy
    mentions: int = 0
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    def fail(self, path: Path, error: Exception | str) -> "IngestResult":
        """Mark this file failed by an unexpected error (or its ``describe``), named with the
        file."""
        self.status, self.article_id, self.slug = Status.FAILED, None, ""
        self.error = f"{path}: {error if isinstance(error, str) else describe(error)}"
        return self


def describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    dry_run: bool = False
    workers: int = 0  # processes that read and parsed the files, besides this one

    def count(self, status: Status) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def duplicates(self) -> int:
        """Files stored as near-duplicates of another article, plus exact copies skipped."""
        return sum(1 for result in self.results if result.duplicate_of)

    @property
    def failed(self) -> list[IngestResult]:
        return [result for result in self.results if result.status == Status.FAILED]


@dataclass
class IngestContext:
    """What every file of a run shares; the heavy parts are built on first use."""

    sources_dir: Path
    manifest: Manifest
    max_bytes: int = DEFAULT_MAX_BYTES
    force: bool = False
    # How many files the run holds (``ingest_paths`` says): few files, no inverted index.
    expected_files: int | None = None
    _extractor: MentionExtractor | None = None
    _index: RunIndex | None = None
    _outlets: dict[str, int] | None = None

    @classmethod
    def build(
        cls,
        *,
        sources_dir: Path | None = None,
        manifest_path: Path | None = None,
        max_bytes: int | None = None,
        force: bool = False,
        expected_files: int | None = None,
    ) -> "IngestContext":
        """Raises ``ManifestError`` when the manifest cannot be trusted."""
        sources_dir = Path(sources_dir or settings.SITREP_SOURCES_DIR)
        manifest = (
            Manifest.load(manifest_path) if manifest_path else Manifest.for_sources(sources_dir)
        )
        limit = max_bytes or getattr(settings, "SITREP_MAX_SOURCE_BYTES", DEFAULT_MAX_BYTES)
        return cls(
            sources_dir=sources_dir,
            manifest=manifest,
            max_bytes=limit,
            force=force,
            expected_files=expected_files,
        )

    @property
    def extractor(self) -> MentionExtractor:
        if self._extractor is None:
            self._extractor = MentionExtractor.from_db()
        return self._extractor

    @property
    def index(self) -> RunIndex:
        if self._index is None:
            # Built before the run writes anything (the first file to compare builds it).
            if self.expected_files is not None and self.expected_files <= SCAN_MAX_FILES:
                stored = ScanIndex.from_signatures(stored_signatures(decode=unpack_array))
            else:
                stored = DuplicateIndex.from_signatures(stored_signatures())
            self._index = RunIndex(stored)
        return self._index

    def outlet_id(self, name_or_slug: str) -> int | None:
        if self._outlets is None:
            self._outlets = {}
            for pk, slug, name in Outlet.objects.values_list("pk", "slug", "name"):
                self._outlets[slug] = pk
                self._outlets[name.casefold()] = pk
                self._outlets[slugify(name)] = pk
        key = name_or_slug.strip()
        return self._outlets.get(key) or self._outlets.get(key.casefold())

    def source_name(self, path: Path) -> str:
        """The natural key: the path relative to the sources folder, else the file name."""
        resolved = self._real_path(path)
        if resolved.startswith(self._sources_prefix):
            return resolved.removeprefix(self._sources_prefix).replace(os.sep, "/")
        return path.name

    def _real_path(self, path: Path) -> str:
        """``os.path.realpath(path)``, each folder resolved once per run: resolving every
        file's whole path cost a system call per path component."""
        if path.is_symlink():  # its target decides where it lies
            return os.path.realpath(path)
        # Folders keyed by their text: building and hashing a ``Path.parent`` for every file
        # cost ~8 µs a file.
        parent, name = os.path.split(path)
        folder = self._real_folders.get(parent)
        if folder is None:
            folder = self._real_folders[parent] = os.path.realpath(parent)
        return os.path.join(folder, name)

    @cached_property
    def _sources_prefix(self) -> str:
        return os.path.join(os.path.realpath(self.sources_dir), "")

    @cached_property
    def _real_folders(self) -> dict[str, str]:
        return {}


def relax_commit() -> None:
    """Let this transaction's commit return before its WAL reaches the disk, and compress its
    long texts with LZ4 where the server has it.

    A crash may lose the last files ingested, never corrupt or half-write one (each chunk, or
    file, is one transaction), and ingest is idempotent, so rerunning it restores them;
    waiting for one disk flush per commit would cap a run at a few dozen commits a second.
    An article's raw text, body and search vector are compressed as it is stored; the default
    method (pglz) cost PostgreSQL ~0.1 ms per article, a tenth of its share of ingest, and
    LZ4 about a third of that. Reading either back is transparent: each value records its
    method. Servers built without LZ4 (the embedded one) keep their default.
    """
    if connection.in_atomic_block and not connection.savepoint_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', 'off', true), CASE WHEN EXISTS ("
                "SELECT FROM pg_settings WHERE name = 'default_toast_compression' "
                "AND 'lz4' = ANY(enumvals)) "
                "THEN set_config('default_toast_compression', 'lz4', true) END"
            )


def article_fields(
    parsed: ParsedSource, entry: ManifestEntry, context: IngestContext, warnings: list[str]
) -> dict:
    """Article fields from the text, with the manifest filling only what the text leaves open;
    where the two disagree, a warning is added to ``warnings``."""
    warn = warnings.append
    outlet_id = None
    if parsed.outlet_name:
        outlet_id = context.outlet_id(parsed.outlet_name)
        if outlet_id is None:
            warn(f"the text names the outlet {parsed.outlet_name!r}, which is not in the database")
        elif entry.outlet and context.outlet_id(entry.outlet) != outlet_id:
            warn(f"manifest outlet {entry.outlet!r} ignored: the text names {parsed.outlet_name!r}")
    if outlet_id is None and entry.outlet:
        outlet_id = context.outlet_id(entry.outlet)
        if outlet_id is None:
            warn(f"manifest outlet {entry.outlet!r} is not in the database; left empty")

    published_on, precision = parsed.dateline, DatePrecision.DAY
    if published_on is None:
        published_on, precision = entry.published_on, entry.precision
    elif entry.published_on and entry.published_on != published_on:
        warn(f"manifest date {entry.published_on} ignored: the dateline says {published_on}")

    title = parsed.headline or entry.title
    if parsed.headline and entry.title and entry.title != parsed.headline:
        warn("manifest title ignored: the text has a headline")
    if not title:
        title = generated_title(parsed.body)
        warn("no headline and no manifest title: the title is the body's first words")

    body = parsed.body
    return {
        "title": title[:TITLE_MAX],
        "outlet_id": outlet_id,
        "authors": parsed.authors or list(entry.authors),
        "published_on": published_on,
        "published_precision": precision,
        "url": entry.url,
        "body": body,
        "word_count": len(body.split()),
        "language": entry.language or "en",
    }


def generated_title(body: str) -> str:
    words = body.split()
    if not words:
        return "Untitled article"
    title = " ".join(words[:GENERATED_TITLE_WORDS])
    return title if len(words) <= GENERATED_TITLE_WORDS else f"{title}…"


def slug_base(title: str) -> str:
    """The slug a title gives before any ``-2``, ``-3`` that keeps it unique."""
    return (slugify(title)[: SLUG_MAX - 4].strip("-")) or "article"


def taken_slugs(bases: set[str]) -> set[str]:
    """The stored slugs that start with any of ``bases``, in one query.

    The same rows as ``slug__startswith`` for each base ORed together, whose plan on a table
    without statistics for slugs (a fresh or bench database) was a sequential scan testing
    every pattern on every row: 6 ms for 250 bases at 2,000 articles, and ~5 ms of Python to
    build. Here each base is one range scan of the slug's pattern index (byte order):
    the slugs from ``base`` up to, not including, ``base`` with its last character
    incremented are exactly those that start with it (slugs are ASCII).
    """
    if not bases:
        return set()
    bases = sorted(bases)
    ends = [base[:-1] + chr(ord(base[-1]) + 1) for base in bases]
    table = connection.ops.quote_name(Article._meta.db_table)
    slug = connection.ops.quote_name(Article._meta.get_field("slug").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.{slug} FROM unnest(%s::text[], %s::text[]) AS b(low, high) "
            f"CROSS JOIN LATERAL (SELECT {slug} FROM {table} "
            f"WHERE {slug}::text ~>=~ b.low AND {slug}::text ~<~ b.high) AS a",
            [bases, ends],
        )
        return {row[0] for row in cursor.fetchall()}


def first_free_slug(base: str, taken: set[str]) -> str:
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
