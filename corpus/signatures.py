"""Stored near-duplicate signatures: written with each article, read to build the index.

Shingling every stored body to build an ingest run's ``DuplicateIndex`` cost 38-55 s at
100,000 articles, on every run. Each article's signature is stored instead
(``ArticleSignature``), with the MD5 of the body it came from: ``stored_signatures`` reads the
ones whose body is unchanged, computes the missing or stale ones (rows bulk-loaded from
fixtures, a body edited in the admin or by any other UPDATE) and stores them, so that cost is
paid once. A signature is current when its MD5 is the article's ``body_md5``, which PostgreSQL
keeps (a generated column): hashing every body in the query took ~1 s of each run at 100,000
articles, most of a one-file ingest's own work.
"""

import hashlib
import sys
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator

from django.db import connection, transaction

from corpus.copy_rows import copy_rows
from corpus.dedupe import shingles
from corpus.models import Article, ArticleSignature

# Missing signatures are computed and stored this many articles at a time.
FILL_CHUNK = 2000
# Hashes are stored little-endian whatever the machine, so any reader decodes them alike.
SWAP = sys.byteorder != "little"


def pack(signature: Iterable[int]) -> bytes:
    values = array("I", sorted(signature))
    if SWAP:
        values.byteswap()
    return values.tobytes()


def unpack_array(data: bytes | memoryview) -> array:
    values = array("I")
    values.frombytes(data)
    if SWAP:
        values.byteswap()
    return values


def unpack(data: bytes | memoryview) -> frozenset[int]:
    return frozenset(unpack_array(data))


def body_md5(body: str) -> str:
    """What PostgreSQL's ``md5(body)`` gives (``Article.body_md5``), so staleness is checked
    in the query."""
    return hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()


def write_signatures(rows: Iterable[tuple[int, str, frozenset[int]]]) -> None:
    """Store ``(article pk, body, signature)`` rows, replacing any stored for those articles:
    one statement, so a chunk's queries do not grow with its files.

    Called inside the transaction that writes the articles, so the two commit together."""
    rows = [(pk, pack(signature), body_md5(body)) for pk, body, signature in rows]
    if not rows:
        return
    table = connection.ops.quote_name(ArticleSignature._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, shingles, body_md5) "
            "SELECT * FROM unnest(%s::bigint[], %s::bytea[], %s::text[]) "
            "ON CONFLICT (article_id) DO UPDATE "
            "SET shingles = excluded.shingles, body_md5 = excluded.body_md5",
            [list(column) for column in zip(*rows, strict=True)],
        )


def insert_signatures(rows: Iterable[tuple[int, str, frozenset[int]]]) -> None:
    """As ``write_signatures``, for articles that have no signature yet (inserted in the same
    transaction): COPY in the binary format (corpus/copy_rows.py) instead of an upsert whose
    array of signatures psycopg escapes into text and PostgreSQL parses back."""
    copy_rows(
        ArticleSignature,
        ("article", "shingles", "body_md5"),
        [(pk, pack(signature), body_md5(body)) for pk, body, signature in rows],
    )


def stored_signatures(
    decode: Callable[[bytes], Collection[int]] = unpack,
) -> Iterator[tuple[int, Collection[int]]]:
    """Every article's signature: the stored ones whose body is unchanged (as ``decode``
    gives them: a frozenset, or with ``unpack_array`` the compact array of hashes), then the
    others, computed from their bodies as frozensets and stored (each chunk in its own short
    transaction, before the run writes anything, so a run's chunks stay one transaction
    each)."""
    article = connection.ops.quote_name(Article._meta.db_table)
    signature = connection.ops.quote_name(ArticleSignature._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.article_id, s.shingles FROM {signature} s "
            f"JOIN {article} a ON a.id = s.article_id WHERE s.body_md5 = a.body_md5"
        )
        fresh = set()
        while rows := cursor.fetchmany(FILL_CHUNK):
            for pk, data in rows:
                fresh.add(pk)
                yield pk, decode(data)
    # Subtracted here: 100,000 ids are cheap to read, dear to send back in a NOT IN.
    pks = sorted(set(Article.objects.values_list("pk", flat=True)) - fresh)
    for start in range(0, len(pks), FILL_CHUNK):
        bodies = Article.objects.filter(pk__in=pks[start : start + FILL_CHUNK])
        computed = [(pk, body, shingles(body)) for pk, body in bodies.values_list("pk", "body")]
        with transaction.atomic():
            write_signatures(computed)
        yield from ((pk, sig) for pk, _, sig in computed)
