"""Ingest keeps the planner's count of articles current while it multiplies the table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.ingest import ingest_paths
from corpus.ingest_batch import ChunkFailed
from corpus.models import Article
from corpus.planner_stats import MIN_GROWTH, ArticleGrowth
from tests.corpus.test_ingest_batch import write_articles

pytestmark = pytest.mark.django_db


def planner_count() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'corpus_article'::regclass")
        return cursor.fetchone()[0]


def analyse_articles() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE corpus_article")


def test_the_count_is_refreshed_each_time_the_new_rows_outnumber_the_counted_ones():
    analyse_articles()  # empty: the planner counts 0
    growth = ArticleGrowth()
    with CaptureQueriesContext(connection) as queries:
        refreshed = [growth.inserted(rows) for rows in (0, 50, 49, 1, 99, 100, 200, 10)]
    assert refreshed == [False, False, False, True, False, True, False, False]
    analyses = [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]
    assert analyses == ['ANALYZE "corpus_article" ("id")'] * 2
    assert MIN_GROWTH == 100


def test_a_large_ingest_into_an_empty_corpus_leaves_the_planner_a_current_count(
    tmp_path, settings, monkeypatch
):
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", 60)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", 60)
    settings.SITREP_SOURCES_DIR = tmp_path
    write_articles(tmp_path / "many", 300)
    analyse_articles()
    assert planner_count() == 0

    report = ingest_paths(paths=[tmp_path])

    assert not report.failed
    assert Article.objects.count() == 300
    # Chunks of 60: refreshed at 120 rows and at 240 (120 more); the last 60 are fewer than
    # the 240 counted. Without it the foreign-key check of every mention would go on being
    # planned for an empty table: a sequential scan of the articles per row.
    assert planner_count() == 240


def test_files_ingested_one_by_one_after_a_chunk_failed_count_too(tmp_path, settings, monkeypatch):
    monkeypatch.setattr("corpus.ingest.CHUNK_FILES", 60)
    monkeypatch.setattr("corpus.ingest.FIRST_CHUNK_FILES", 60)

    def fail(*args, **kwargs):
        raise ChunkFailed("every chunk fails: its files go one by one")

    monkeypatch.setattr("corpus.ingest.plan_chunk", fail)
    settings.SITREP_SOURCES_DIR = tmp_path
    write_articles(tmp_path / "many", 300)
    analyse_articles()

    report = ingest_paths(paths=[tmp_path])

    assert not report.failed
    assert Article.objects.count() == 300
    assert planner_count() == 240  # as for chunks: refreshed after 120 and after 240
