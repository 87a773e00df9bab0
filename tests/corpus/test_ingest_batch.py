"""Chunked ingest: the same rows as file by file, a bad file fails alone, a fixed number of
queries per chunk."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.ingest import IngestContext, Status, expand_paths, ingest_file, ingest_paths
from corpus.models import Article, ArticleSignature, Mention
from corpus.parse import parse_source
from tests.corpus.sources import (
    F000,
    F001,
    F002,
    F003,
    F004,
    copy_sources,
    make_outlets,
    source_text,
)
from tests.factories import AliasFactory, PlaceFactory, WeaponFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture(autouse=True)
def corpus_entities():
    make_outlets()
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    AliasFactory(entity=kursk, name="Kursk")
    atacms = WeaponFactory(name="ATACMS", slug="atacms")
    AliasFactory(entity=atacms, name="Army Tactical Missile System")


def first_paragraphs(text: str, share: float) -> str:
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[: max(2, int(len(paragraphs) * share))])


def first_run(root):
    """New files, an exact copy, a near-duplicate, two equal headlines and a bad file."""
    sources = copy_sources(root / "sources")
    (sources / "copy-of-001.txt").write_bytes((sources / F001).read_bytes())
    (sources / "short-004.txt").write_text(first_paragraphs((sources / F004).read_text(), 0.7))
    (sources / "binary.txt").write_bytes(PNG)
    for name in ("same-a.txt", "same-b.txt"):
        (sources / name).write_text(f"Same Headline\n\nThe body of {name} about Kursk.\n")
    return [sources]


def second_run(root):
    """Changed files, a copy of changed bytes, a canonical article rewritten (its group
    splits and it joins another) and one name given by two files."""
    sources, elsewhere = root / "sources", root / "elsewhere"
    path = sources / F002
    path.write_text(path.read_text() + "\nA new paragraph about ATACMS in Kursk Oblast.\n")
    (sources / "late-copy.txt").write_bytes(path.read_bytes())
    (sources / F004).write_text((sources / F001).read_text() + "\nOne more line.\n")
    (sources / "same-a.txt").write_text("Same Headline\n\nA changed body about Kursk.\n")
    # Outside the sources folder its name is "same-a.txt" too: it changes that article again.
    elsewhere.mkdir()
    (elsewhere / "same-a.txt").write_text("Same Headline\n\nThe body from elsewhere.\n")
    return [sources, elsewhere / "same-a.txt"]


def third_run(root):
    """Nothing changed."""
    return [root / "sources", root / "elsewhere" / "same-a.txt"]


def snapshot():
    articles = Article.objects.values_list(
        "source_file",
        "slug",
        "title",
        "checksum",
        "raw_text",
        "body",
        "word_count",
        "authors",
        "published_on",
        "published_precision",
        "outlet__slug",
        "url",
        "language",
        "duplicate_of__source_file",
    )
    mentions = Mention.objects.values_list(
        "article__source_file", "entity__slug", "start", "end", "text"
    )
    signatures = [
        (source_file, bytes(packed), md5)
        for source_file, packed, md5 in ArticleSignature.objects.values_list(
            "article__source_file", "shingles", "body_md5"
        )
    ]
    return sorted(articles), sorted(mentions), sorted(signatures)


def batched(paths):
    return ingest_paths(paths=paths, context=IngestContext.build()).results


def file_by_file(paths):
    context = IngestContext.build()
    return [ingest_file(path=path, context=context) for path in expand_paths(paths)[0]]


def replay(root, settings, ingest):
    """The three runs from scratch in ``root``: each run's statuses and the rows after it."""
    settings.SITREP_SOURCES_DIR = root / "sources"
    runs = []
    for make_files in (first_run, second_run, third_run):
        results = ingest(make_files(root))
        statuses = [(r.source_file, r.status, r.error.replace(str(root), "ROOT")) for r in results]
        runs.append((statuses, snapshot()))
    return runs


@pytest.mark.parametrize("chunk_files", [3, 250])
def test_chunks_give_the_same_rows_as_file_by_file(tmp_path, settings, monkeypatch, chunk_files):
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", chunk_files)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", chunk_files)
    # Falling back to file by file would hide a chunk's mistakes behind correct rows.
    monkeypatch.setattr("corpus.ingest.ingest_file", None)
    chunked = replay(tmp_path / "chunked", settings, batched)
    Article.objects.update(duplicate_of=None)
    Article.objects.all().delete()
    assert replay(tmp_path / "one-by-one", settings, file_by_file) == chunked

    # The scenario covers what it claims to.
    (first, _), (second, (articles, _, signatures)), (third, _) = chunked
    assert ("copy-of-001.txt", Status.COPY) in [row[:2] for row in first]
    assert ("binary.txt", Status.FAILED) in [row[:2] for row in first]
    assert {(F002, Status.UPDATED), ("late-copy.txt", Status.COPY)} <= {r[:2] for r in second}
    assert [r[:2] for r in second].count(("same-a.txt", Status.UPDATED)) == 2
    canonical = {row[0]: row[-1] for row in articles}
    assert canonical[F003] == "short-004.txt"  # its canonical copy was rewritten
    assert (canonical[F001], canonical[F004]) == (F004, None)  # 004 is now the longer 001
    assert [row[0] for row in signatures] == [row[0] for row in articles]  # one per article
    slugs = {row[0]: row[1] for row in articles}
    assert {slugs["same-a.txt"], slugs["same-b.txt"]} == {"same-headline", "same-headline-2"}
    # Only the name two files give changes again; everything else is as it was.
    changed = {row[0] for row in third if row[1] not in (Status.UNCHANGED, Status.COPY)}
    assert changed == {"same-a.txt", "binary.txt"}


def test_a_failure_in_a_chunks_write_fails_only_the_bad_file(tmp_path, settings):
    sources = copy_sources(tmp_path, [F000, F001, F002], manifest=False)
    settings.SITREP_SOURCES_DIR = sources
    # Valid for the manifest, too long for the column: only the database refuses it.
    (sources / "manifest.toml").write_text(
        f'[files."{F001}"]\nurl = "https://example.com/{"a" * 1100}"\n'
    )
    context = IngestContext.build()
    report = ingest_paths(paths=[sources], context=context)

    assert [r.status for r in report.results] == [Status.NEW, Status.FAILED, Status.NEW]
    assert str(sources / F001) in report.results[1].error
    assert "DataError" in report.results[1].error
    assert sorted(Article.objects.values_list("source_file", flat=True)) == [F000, F002]
    assert set(Mention.objects.values_list("article__source_file", flat=True)) == {F000, F002}
    # The chunk's additions to the near-duplicate index were undone, then redone file by file.
    assert set(context.index.signatures) == set(Article.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_a_background_write_fails_only_the_bad_file(tmp_path, settings):
    """Outside a transaction chunks are written by another thread on its own connection."""
    sources = copy_sources(tmp_path, [F000, F001, F002, F003, F004], manifest=False)
    settings.SITREP_SOURCES_DIR = sources
    (sources / "manifest.toml").write_text(
        f'[files."{F002}"]\nurl = "https://example.com/{"a" * 1100}"\n'
    )
    report = ingest_paths(paths=[sources])

    statuses = [r.status for r in report.results]
    assert statuses == [Status.NEW, Status.NEW, Status.FAILED, Status.NEW, Status.NEW]
    assert str(sources / F002) in report.results[2].error
    assert Article.objects.count() == 4
    assert Article.objects.get(source_file=F003).duplicate_of.source_file == F004
    report = ingest_paths(paths=[sources])
    assert [r.status for r in report.results] == [
        Status.UNCHANGED,
        Status.UNCHANGED,
        Status.FAILED,
        Status.UNCHANGED,
        Status.UNCHANGED,
    ]


def write_articles(folder, count, *, version=1):
    folder.mkdir(exist_ok=True)
    for number in range(count):
        words = " ".join(f"{folder.name}w{number}x{index}v{version}" for index in range(60))
        text = f"Article {number} of {folder.name}\n\n{words} about Kursk and ATACMS.\n"
        (folder / f"{number:03d}.txt").write_text(text)


def queries_to_ingest(folder, context) -> int:
    with CaptureQueriesContext(connection) as queries:
        report = ingest_paths(paths=[folder], context=context)
    assert not report.failed
    return len(queries)


def test_queries_do_not_grow_with_the_number_of_files(tmp_path, settings):
    settings.SITREP_SOURCES_DIR = tmp_path
    context = IngestContext.build()
    context.extractor, context.index  # noqa: B018 - built before counting: once per run
    counts = {}
    for count in (3, 40):
        folder = tmp_path / f"run{count}"
        write_articles(folder, count)
        new = queries_to_ingest(folder, context)
        write_articles(folder, count, version=2)
        changed = queries_to_ingest(folder, context)
        counts[count] = (new, changed)
    assert counts[3] == counts[40]
    assert max(counts[40]) <= 10
    assert Article.objects.count() == 43
    assert Mention.objects.count() == 2 * 43


def test_progress_is_reported_once_per_file_in_order(tmp_path, settings, monkeypatch):
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", 4)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", 2)
    settings.SITREP_SOURCES_DIR = tmp_path
    write_articles(tmp_path, 10)
    calls = []
    ingest_paths(paths=[tmp_path], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(done, 10) for done in range(1, 11)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunk_files", [1, 2])
def test_a_chunk_planned_before_the_last_one_commits_gives_the_same_rows(
    tmp_path, settings, monkeypatch, chunk_files
):
    """Each chunk is planned while the one before is still being written: its copies, slugs
    and near-duplicate groups must count that chunk's rows as if they were committed."""
    import threading

    import corpus.ingest
    import corpus.ingest_writer

    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", chunk_files)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", chunk_files)
    monkeypatch.setattr("corpus.ingest.ingest_file", None)
    planned, written, turn = [], [], threading.Condition()
    plan_chunk, write_chunk = corpus.ingest.plan_chunk, corpus.ingest_writer.write_chunk

    def plan_then_signal(*args, **kwargs):
        plan = plan_chunk(*args, **kwargs)
        with turn:
            planned.append(kwargs.get("pending") is not None)
            turn.notify_all()
        return plan

    def write_after_the_next_plan(plan, growth=None):
        # Hold the write (uncommitted) until the next chunk is planned; the last one waits
        # for a plan that never comes, briefly.
        with turn:
            turn.wait_for(lambda: len(planned) > len(written), timeout=0.5)
        written.append(plan)
        write_chunk(plan, growth)

    monkeypatch.setattr("corpus.ingest.plan_chunk", plan_then_signal)
    monkeypatch.setattr("corpus.ingest_writer.write_chunk", write_after_the_next_plan)
    overlapped = replay(tmp_path / "overlapped", settings, batched)
    assert sum(planned) > 10  # most chunks were planned on top of an uncommitted one
    Article.objects.update(duplicate_of=None)
    Article.objects.all().delete()
    assert replay(tmp_path / "one-by-one", settings, file_by_file) == overlapped

    # A near-duplicate of an article still being written joins its group; the longer copy,
    # which comes second, is canonical, so the pending article gets a link once written.
    Article.objects.update(duplicate_of=None)
    Article.objects.all().delete()
    pair = tmp_path / "pair"
    pair.mkdir()
    (pair / "a.txt").write_text(source_text(F001))
    (pair / "b.txt").write_text(source_text(F001) + "\nOne more line.\n")
    settings.SITREP_SOURCES_DIR = pair
    batched([pair])
    assert Article.objects.get(source_file="a.txt").duplicate_of.source_file == "b.txt"


@pytest.mark.django_db(transaction=True)
def test_when_a_chunk_fails_the_one_planned_on_it_is_redone_file_by_file(
    tmp_path, settings, monkeypatch
):
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", 2)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", 2)
    sources = copy_sources(tmp_path, [F000, F001, F002, F003, F004], manifest=False)
    settings.SITREP_SOURCES_DIR = sources
    (sources / "manifest.toml").write_text(
        f'[files."{F001}"]\nurl = "https://example.com/{"a" * 1100}"\n'
    )
    fallbacks = []

    def counted(*, path, context):
        fallbacks.append(path.name)
        return ingest_file(path=path, context=context)

    monkeypatch.setattr("corpus.ingest.ingest_file", counted)
    context = IngestContext.build()
    report = ingest_paths(paths=[sources], context=context)

    assert [r.status for r in report.results] == [
        Status.NEW,
        Status.FAILED,
        Status.NEW,
        Status.NEW,
        Status.NEW,
    ]
    assert "DataError" in report.results[1].error
    # The failed chunk and the one planned while it was written; the last one not.
    assert fallbacks[:4] == [F000, F001, F002, F003] and F004 not in fallbacks
    assert sorted(Article.objects.values_list("source_file", flat=True)) == [
        F000,
        F002,
        F003,
        F004,
    ]
    assert Article.objects.get(source_file=F003).duplicate_of.source_file == F004
    assert set(context.index.signatures) == set(Article.objects.values_list("pk", flat=True))


# Workers are forked only outside a transaction (see corpus/ingest_reader.py).
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunk_files", [3, 250])
def test_worker_processes_give_the_same_rows_as_file_by_file(
    tmp_path, settings, monkeypatch, chunk_files
):
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", chunk_files)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", chunk_files)
    monkeypatch.setattr("corpus.ingest.ingest_file", None)

    def with_workers(paths):
        report = ingest_paths(paths=paths, context=IngestContext.build(), workers=2)
        assert report.workers == 2
        return report.results

    forked = replay(tmp_path / "forked", settings, with_workers)
    Article.objects.update(duplicate_of=None)
    Article.objects.all().delete()
    assert replay(tmp_path / "one-by-one", settings, file_by_file) == forked


@pytest.mark.django_db(transaction=True)
def test_a_file_that_fails_in_a_worker_is_named_with_its_error(tmp_path, settings, monkeypatch):
    sources = copy_sources(tmp_path, [F000, F001, F002], manifest=False)
    settings.SITREP_SOURCES_DIR = sources
    (sources / "zz-bad.txt").write_text("A headline\n\nA body the parser chokes on.\n")

    def choking(text):
        if "chokes" in text:
            raise ValueError("cannot parse this")
        return parse_source(text)

    # Set before the workers are forked, so they run it too.
    monkeypatch.setattr("corpus.ingest_batch.parse_source", choking)
    report = ingest_paths(paths=[sources], context=IngestContext.build(), workers=2)

    assert report.workers == 2
    assert [r.status for r in report.results] == [Status.NEW] * 3 + [Status.FAILED]
    assert report.results[3].error == f"{sources / 'zz-bad.txt'}: ValueError: cannot parse this"
    assert Article.objects.count() == 3


def test_chunks_are_small_at_the_start_and_shrink_towards_the_end(monkeypatch):
    """The first chunk's parsing and the last one's writing overlap nothing: both are short."""
    from corpus.ingest import _batches

    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", 250)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", 50)
    paths = list(range(2000))
    chunks = list(_batches(paths))
    assert [len(chunk) for chunk in chunks] == [50] + [250] * 6 + [225, 112, 56, 50, 7]
    assert [path for chunk in chunks for path in chunk] == paths
    assert list(_batches([])) == []


def test_no_worker_is_forked_inside_a_transaction(tmp_path, settings):
    """A forked child would share the open transaction's connection: files are read here."""
    sources = copy_sources(tmp_path, [F000, F001], manifest=False)
    settings.SITREP_SOURCES_DIR = sources
    report = ingest_paths(paths=[sources], context=IngestContext.build(), workers=2)
    assert report.workers == 0
    assert [r.status for r in report.results] == [Status.NEW, Status.NEW]


@pytest.mark.django_db(transaction=True)
def test_when_a_worker_dies_the_files_are_read_here(tmp_path, settings, monkeypatch):
    """A dead worker must not leave ingest waiting for its files forever."""
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", 2)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", 2)
    sources = copy_sources(tmp_path, [F000, F001, F002, F003, F004], manifest=False)
    settings.SITREP_SOURCES_DIR = sources
    parent = os.getpid()

    def dies_in_a_worker(text):
        if os.getpid() != parent and "Kursk" in text:
            os._exit(1)  # as if killed
        return parse_source(text)

    monkeypatch.setattr("corpus.ingest_batch.parse_source", dies_in_a_worker)
    report = ingest_paths(paths=[sources], context=IngestContext.build(), workers=2)
    assert report.workers == 2
    assert [r.status for r in report.results] == [Status.NEW] * 5
    assert Article.objects.count() == 5
