"""Ingest: source files become articles with their mentions, one transaction per file.

``ingest_paths`` walks files and folders and calls ``ingest_file`` for each; a file that
fails is reported and rolled back while the others go on. An unchanged file (same source
name, same SHA-256) costs one query and no write. The expensive shared state (the alias
automaton, the near-duplicate index, the outlet names) lives in an ``IngestContext`` built
once per run.
"""

import enum
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.text import slugify

from config.cache import corpus_changed
from corpus.choices import DatePrecision
from corpus.decode import DEFAULT_MAX_BYTES, SourceError, read_source
from corpus.dedupe import DuplicateIndex, link_near_duplicates, release_from_group, shingles
from corpus.extract import MentionExtractor, insert_mentions
from corpus.manifest import Manifest, ManifestEntry
from corpus.models import Article, Mention, Outlet
from corpus.parse import ParsedSource, parse_source

TITLE_MAX = Article._meta.get_field("title").max_length
SLUG_MAX = Article._meta.get_field("slug").max_length
GENERATED_TITLE_WORDS = 14


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


@dataclass
class IngestReport:
    results: list[IngestResult] = field(default_factory=list)
    dry_run: bool = False

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
    _extractor: MentionExtractor | None = None
    _index: DuplicateIndex | None = None
    _outlets: dict[str, int] | None = None

    @classmethod
    def build(
        cls,
        *,
        sources_dir: Path | None = None,
        manifest_path: Path | None = None,
        max_bytes: int | None = None,
        force: bool = False,
    ) -> "IngestContext":
        """Raises ``ManifestError`` when the manifest cannot be trusted."""
        sources_dir = Path(sources_dir or settings.SITREP_SOURCES_DIR)
        manifest = (
            Manifest.load(manifest_path) if manifest_path else Manifest.for_sources(sources_dir)
        )
        limit = max_bytes or getattr(settings, "SITREP_MAX_SOURCE_BYTES", DEFAULT_MAX_BYTES)
        return cls(sources_dir=sources_dir, manifest=manifest, max_bytes=limit, force=force)

    @property
    def extractor(self) -> MentionExtractor:
        if self._extractor is None:
            self._extractor = MentionExtractor.from_db()
        return self._extractor

    @property
    def index(self) -> DuplicateIndex:
        if self._index is None:
            bodies = Article.objects.values_list("pk", "body").iterator(chunk_size=2000)
            self._index = DuplicateIndex.from_bodies(bodies)
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
        try:
            return path.resolve().relative_to(self.sources_dir.resolve()).as_posix()
        except ValueError:
            return path.name


def ingest_paths(
    *,
    paths: Iterable[Path],
    context: IngestContext | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Ingest every file named or found (``*.txt``, recursively) under ``paths``.

    With ``dry_run`` everything runs as usual inside one transaction that is rolled back,
    so the report is exactly what a real run would do.
    """
    context = context or IngestContext.build()
    report = IngestReport(dry_run=dry_run)
    files, missing = expand_paths(paths)
    report.results.extend(
        IngestResult(str(path), path.name, Status.FAILED, error=f"{path}: no such file or folder")
        for path in missing
    )
    # A real run commits file by file; a dry run nests them all in one transaction that it
    # rolls back, so later files still see the earlier ones as a real run would.
    with transaction.atomic() if dry_run else nullcontext():
        for done, path in enumerate(files, start=1):
            report.results.append(ingest_file(path=path, context=context))
            if progress:
                progress(done, len(files))
        _refresh_duplicate_links(report.results)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        corpus_changed()  # mentions and duplicate links are written without signals
    return report


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Files to ingest in a stable order (folders sorted), and the paths that do not exist."""
    files: dict[Path, None] = {}
    missing: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = (p for p in path.rglob("*.txt") if p.is_file() and not _hidden(p, path))
            files.update(dict.fromkeys(sorted(found)))
        elif path.exists() or path.is_symlink():
            files[path] = None
        else:
            missing.append(path)
    return list(files), missing


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def ingest_file(*, path: Path, context: IngestContext | None = None) -> IngestResult:
    """Ingest one file; never raises for bad input: the result says what went wrong."""
    context = context or IngestContext.build()
    source_file = context.source_name(path)
    result = IngestResult(str(path), source_file, Status.FAILED)
    try:
        source = read_source(path, max_bytes=context.max_bytes)
        checksum = source.checksum
        known = {
            row["source_file"]: row
            for row in Article.objects.filter(
                Q(source_file=source_file) | Q(checksum=checksum)
            ).values("pk", "source_file", "checksum", "slug", "duplicate_of_id")
        }
        existing = known.pop(source_file, None)
        if existing and existing["checksum"] == checksum and not context.force:
            result.status, result.article_id = Status.UNCHANGED, existing["pk"]
            result.slug = existing["slug"]
            return result
        if known:  # another source file has these exact bytes
            result.status, result.duplicate_of = Status.COPY, next(iter(known))
            return result
        parsed = parse_source(source.text)
        fields = article_fields(parsed, context.manifest.get(source_file), context, result)
        fields.update(source_file=source_file, checksum=checksum, raw_text=source.text)
        signature = shingles(parsed.body)
        # Compared before anything is written, so a rolled-back file leaves no trace in the index.
        similar = context.index.similar(signature, exclude=existing and existing["pk"])
        matches = context.extractor.find(parsed.body)
        with transaction.atomic():
            _relax_commit()
            article_id = _save(fields, existing, result)
            if existing:
                Mention.objects.filter(article_id=article_id).delete()
                release_from_group(article_id)
            insert_mentions(article_id, matches)
            link_near_duplicates(article_id, similar)
        result.mentions = len(matches)
        context.index.add(article_id, signature)
    except SourceError as error:
        result.error = str(error)
    except Exception as error:  # one bad file must not stop the batch
        result.status, result.article_id, result.slug = Status.FAILED, None, ""
        result.error = f"{path}: {type(error).__name__}: {error}"
    return result


def _relax_commit() -> None:
    """Let this file's commit return before its WAL reaches the disk.

    A crash may lose the last few files ingested, never corrupt or half-write one (each is
    still one transaction), and ingest is idempotent, so rerunning it restores them; waiting
    for one disk flush per file would cap a run at a few dozen files a second.
    """
    if connection.in_atomic_block and not connection.savepoint_ids:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _save(fields: dict, existing: dict | None, result: IngestResult) -> int:
    if existing:
        # The slug is kept: it is the article's URL, and links to it must not break.
        Article.objects.filter(pk=existing["pk"]).update(**fields, ingested_at=Now())
        result.status, result.article_id, result.slug = (
            Status.UPDATED,
            existing["pk"],
            existing["slug"],
        )
    else:
        slug = unique_slug(fields["title"])
        article = Article.objects.create(slug=slug, **fields)
        result.status, result.article_id, result.slug = Status.NEW, article.pk, slug
    return result.article_id


def article_fields(
    parsed: ParsedSource, entry: ManifestEntry, context: IngestContext, result: IngestResult
) -> dict:
    """Article fields from the text, with the manifest filling only what the text leaves open."""
    warn = result.warnings.append
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

    return {
        "title": title[:TITLE_MAX],
        "outlet_id": outlet_id,
        "authors": parsed.authors or list(entry.authors),
        "published_on": published_on,
        "published_precision": precision,
        "url": entry.url,
        "body": parsed.body,
        "word_count": parsed.word_count,
        "language": entry.language or "en",
    }


def generated_title(body: str) -> str:
    words = body.split()
    if not words:
        return "Untitled article"
    title = " ".join(words[:GENERATED_TITLE_WORDS])
    return title if len(words) <= GENERATED_TITLE_WORDS else f"{title}…"


def unique_slug(title: str) -> str:
    base = (slugify(title)[: SLUG_MAX - 4].strip("-")) or "article"
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _refresh_duplicate_links(results: list[IngestResult]) -> None:
    """Report each file's final canonical article: a later file may have taken its place."""
    by_id = {result.article_id: result for result in results if result.article_id}
    links = Article.objects.filter(pk__in=by_id).values_list("pk", "duplicate_of__source_file")
    for pk, canonical in links:
        by_id[pk].duplicate_of = canonical or ""
