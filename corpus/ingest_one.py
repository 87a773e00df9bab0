"""Ingest one file in its own transaction: the reference path, and the fallback of a chunk.

``ingest_paths`` ingests chunks of files with a fixed number of queries
(``corpus/ingest_batch.py``); when a chunk cannot be written it ingests that chunk again with
``ingest_file``, file by file, so only the bad file fails. The two paths give the same rows.
"""

from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Now

from corpus.decode import SourceError, read_source
from corpus.dedupe import shingles
from corpus.duplicate_links import link_near_duplicates, release_from_group
from corpus.extract import insert_mentions
from corpus.ingest_context import (
    IngestContext,
    IngestResult,
    Status,
    article_fields,
    first_free_slug,
    relax_commit,
    slug_base,
)
from corpus.models import Article, Mention
from corpus.parse import parse_source
from corpus.signatures import write_signatures


def ingest_file(*, path: Path, context: IngestContext | None = None) -> IngestResult:
    """Ingest one file; never raises for bad input: the result says what went wrong."""
    context = context or IngestContext.build(expected_files=1)
    source_file = context.source_name(path)
    result = IngestResult(str(path), source_file, Status.FAILED)
    try:
        source = read_source(path, max_bytes=context.max_bytes)
        checksum = source.checksum
        known = {
            row["source_file"]: row
            for row in Article.objects.filter(
                Q(source_file=source_file) | Q(checksum=checksum)
            ).values("pk", "source_file", "checksum", "slug")
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
        entry = context.manifest.get(source_file)
        fields = article_fields(parsed, entry, context, result.warnings)
        fields.update(source_file=source_file, checksum=checksum, raw_text=source.text)
        signature = shingles(fields["body"])
        # Compared before anything is written, so a rolled-back file leaves no trace in the index.
        similar = context.index.similar(signature, exclude=existing and existing["pk"])
        matches = context.extractor.find(fields["body"])
        with transaction.atomic():
            relax_commit()
            article_id = _save(fields, existing, result)
            if existing:
                Mention.objects.filter(article_id=article_id).delete()
                release_from_group(article_id)
            insert_mentions(article_id, matches)
            write_signatures([(article_id, fields["body"], signature)])
            link_near_duplicates(article_id, similar)
        result.mentions = len(matches)
        context.index.add(article_id, signature)
    except SourceError as error:
        result.error = str(error)
    except Exception as error:  # one bad file must not stop the batch
        result.fail(path, error)
    return result


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


def unique_slug(title: str) -> str:
    base = slug_base(title)
    taken = set(Article.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return first_free_slug(base, taken)
