"""The COPY bulk loader gives loaddata's result, row for row, and all or nothing."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from corpus.bulk_load import NATURAL_KEYS, BulkLoadError, bulk_load
from corpus.generate import CorpusSize, generate_corpus
from corpus.models import Article, Entity, Mention
from tests import factories

SMALL = CorpusSize(
    articles=40, mentions=400, events=25, actors=60, weapons=15, places=40, outlets=5
)
VOLATILE = {"ingested_at"}  # stamped by the database at load time


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_corpus(out_dir=tmp_path_factory.mktemp("corpus"), size=SMALL, seed=3)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every loadable table, ids replaced by the natural keys they point to."""
    tables = {}
    for label in NATURAL_KEYS:
        model = apps.get_model(label)
        names = []
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in VOLATILE:
                continue
            if f.is_relation:
                key = NATURAL_KEYS[f.related_model._meta.label_lower][0]
                names.append(f"{f.name}__{key}")
            else:
                names.append(f.name)
        tables[label] = sorted((tuple(row) for row in model.objects.values_list(*names)), key=repr)
    return tables


def empty_tables() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # loaddata's deferred FK checks
        tables = [apps.get_model(label)._meta.db_table for label in NATURAL_KEYS]
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def test_natural_keys_match_each_models_natural_key(db):
    citation = factories.CitationFactory()
    mention = factories.MentionFactory()
    samples = [
        citation,
        citation.event,
        citation.article,
        citation.article.outlet,
        mention,
        factories.AliasFactory(),
        factories.EventActorFactory(),
        factories.EventWeaponFactory(),
    ]
    for obj in samples:
        expected = []
        for name in NATURAL_KEYS[obj._meta.label_lower]:
            value = getattr(obj, name)
            expected.extend(value.natural_key() if hasattr(value, "natural_key") else [value])
        assert tuple(expected) == tuple(obj.natural_key()), obj._meta.label


@pytest.mark.django_db
def test_bulk_load_gives_the_same_rows_as_loaddata(corpus):
    call_command("loaddata", *corpus.files, verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    result = bulk_load(paths=corpus.files)
    assert snapshot() == by_loaddata
    assert result.counts["corpus.article"] == SMALL.articles
    assert all(rows for rows in by_loaddata.values())


@pytest.mark.django_db
def test_loading_again_updates_in_place_like_loaddata(corpus, tmp_path):
    bulk_load(paths=corpus.files)
    first = snapshot()
    bulk_load(paths=corpus.files)
    assert snapshot() == first
    # An edited object updates the row its natural key names; a new one is added.
    articles = json.loads(corpus.files[2].read_text())
    articles[0]["fields"]["title"] = "Edited title"
    articles.append(json.loads(json.dumps(articles[1])))
    articles[-1]["fields"].update(source_file="extra/1.txt", slug="extra", checksum="a" * 64)
    edited = tmp_path / "articles.json"
    edited.write_text(json.dumps(articles))
    bulk_load(paths=[*corpus.files[:2], edited])
    assert Article.objects.get(source_file=articles[0]["fields"]["source_file"]).title == (
        "Edited title"
    )
    assert Article.objects.count() == SMALL.articles + 1


@pytest.mark.django_db
def test_unknown_natural_key_midway_loads_nothing(corpus, tmp_path):
    bad = tmp_path / "bad.json"
    fields = {"article": ["no/such.txt"], "entity": ["x"], "start": 0, "end": 3, "text": "abc"}
    bad.write_text(json.dumps([{"model": "corpus.mention", "fields": fields}]))
    with pytest.raises(BulkLoadError, match=r"corpus.mention.article: no corpus.article .*no/such"):
        bulk_load(paths=[*corpus.files, bad])
    assert not Entity.objects.exists()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_broken_json_midway_loads_nothing(corpus, tmp_path):
    mentions = corpus.files[3].read_bytes()
    broken = tmp_path / "04_mentions.json"
    broken.write_bytes(mentions[: len(mentions) // 2])
    with pytest.raises(BulkLoadError, match="not a valid JSON fixture"):
        bulk_load(paths=[*corpus.files[:3], broken])
    assert not Article.objects.exists()
    assert not Mention.objects.exists()


@pytest.mark.django_db
def test_command_reports_failure_and_exits_non_zero(tmp_path, capsys):
    with_pk = tmp_path / "with_pk.json"
    with_pk.write_text(json.dumps([{"model": "corpus.outlet", "pk": 1, "fields": {"slug": "x"}}]))
    with pytest.raises(CommandError, match=r"Nothing was loaded: .*natural-key fixtures"):
        call_command("load_corpus", str(with_pk), verbosity=0)
    with pytest.raises(CommandError, match="No such fixture file"):
        call_command("load_corpus", str(tmp_path / "missing.json"), verbosity=0)


@pytest.mark.django_db
def test_command_loads_and_shows_progress_on_stderr(corpus, capsys):
    call_command("load_corpus", *map(str, corpus.files[:2]))
    captured = capsys.readouterr()
    assert "Loaded" in captured.out
    assert "100.0%" in captured.err
    assert Entity.objects.count() == SMALL.actors + SMALL.weapons + SMALL.places


@pytest.mark.django_db
def test_an_object_repeated_in_one_file_keeps_its_last_version_like_loaddata(tmp_path):
    outlet = {"model": "corpus.outlet", "fields": {"name": "First", "slug": "same", "kind": "wire"}}
    later = {"model": "corpus.outlet", "fields": {"name": "Second", "slug": "same"}}
    fixture = tmp_path / "outlets.json"
    fixture.write_text(json.dumps([outlet, later]))
    call_command("loaddata", str(fixture), verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    bulk_load(paths=[fixture])
    assert snapshot() == by_loaddata
    assert by_loaddata["corpus.outlet"][0][0] == "Second"


SAMPLE_FIXTURES = [
    settings.BASE_DIR / "fixtures" / name
    for name in ("20_entities.json", "10_outlets.json", "30_articles.json", "40_events.json")
]


@pytest.mark.django_db
def test_the_sample_fixtures_written_by_djangos_serializer_load_as_loaddata_loads_them():
    """dumpdata's form: an article's authors is a JSON string ('["A"]'), not a list."""
    articles = [
        o for o in json.loads(SAMPLE_FIXTURES[2].read_text()) if o["model"] == "corpus.article"
    ]
    assert all(isinstance(a["fields"]["authors"], str) for a in articles)
    call_command("loaddata", *SAMPLE_FIXTURES, verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    bulk_load(paths=SAMPLE_FIXTURES)
    assert snapshot() == by_loaddata
    assert Article.objects.count() == len(articles)


@pytest.mark.django_db
def test_an_authors_value_that_is_no_list_names_the_field_and_loads_nothing(tmp_path):
    objects = json.loads(SAMPLE_FIXTURES[2].read_text())
    articles = [o for o in objects if o["model"] == "corpus.article"]
    articles[-1]["fields"]["authors"] = "Jane Doe"
    bad = tmp_path / "articles.json"
    bad.write_text(json.dumps(objects))
    with pytest.raises(BulkLoadError, match=r"corpus.article.authors: 'Jane Doe' is neither"):
        bulk_load(paths=[*SAMPLE_FIXTURES[:2], bad])
    assert not Entity.objects.exists()


@pytest.mark.django_db
def test_a_value_the_column_rejects_names_the_fixture_and_loads_nothing(tmp_path):
    outlets = json.loads(SAMPLE_FIXTURES[1].read_text())
    outlets[0]["fields"]["name"] = "x" * 201
    bad = tmp_path / "outlets.json"
    bad.write_text(json.dumps(outlets))
    with pytest.raises(BulkLoadError, match=rf"{bad}: a corpus.outlet value does not fit .*name"):
        bulk_load(paths=[SAMPLE_FIXTURES[0], bad])
    assert not Entity.objects.exists()
