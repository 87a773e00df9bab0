"""The COPY bulk loader gives loaddata's result, row for row, and all or nothing."""

import itertools
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from corpus.bulk_load import NATURAL_KEYS, BulkLoadError, bulk_load
from corpus.generate import CorpusSize, generate_corpus
from corpus.models import Article, Entity, Mention, Outlet
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
@pytest.mark.parametrize("file_order", [list, reversed])
def test_bulk_load_gives_the_same_rows_as_loaddata(corpus, file_order):
    """Files in reverse order too: mentions wait for their articles and entities."""
    call_command("loaddata", *corpus.files, verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    result = bulk_load(paths=file_order(corpus.files))
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


def fixture_file(path: Path, objects: list[dict]) -> Path:
    path.write_text(json.dumps(objects))
    return path


def sample_objects(model: str | None = None) -> list[dict]:
    objects = [obj for path in SAMPLE_FIXTURES for obj in json.loads(path.read_text())]
    return [obj for obj in objects if model in (None, obj["model"])]


def reverse_dependency_order(objects: list[dict]) -> list[dict]:
    """Each model's run after the runs that need it, and each run backwards (a place before
    its parent, an article before the one it duplicates)."""
    runs = [list(run) for _, run in itertools.groupby(objects, key=lambda obj: obj["model"])]
    return [obj for run in reversed(runs) for obj in reversed(run)]


def keyed_by_references(label: str) -> bool:
    model = apps.get_model(label)
    return any(model._meta.get_field(name).is_relation for name in NATURAL_KEYS[label])


@pytest.mark.django_db
def test_the_sample_fixtures_in_sorted_file_order_load_as_loaddata_loads_them(capsys):
    """`load_corpus fixtures/*.json`: 10_outlets.json names entities 20_entities.json holds."""
    paths = sorted((settings.BASE_DIR / "fixtures").glob("*.json"))
    assert [p.name for p in paths][:2] == ["10_outlets.json", "20_entities.json"]
    call_command("loaddata", *paths, verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    call_command("load_corpus", *map(str, paths))
    assert snapshot() == by_loaddata
    assert any(outlet[-1] for outlet in by_loaddata["corpus.outlet"])  # an outlet's entity
    objects = sum(len(json.loads(p.read_text())) for p in paths)
    captured = capsys.readouterr()
    assert f"Loaded {objects:,} objects" in captured.out
    assert "100.0%" in captured.err


@pytest.mark.django_db
@pytest.mark.parametrize("loaddata_reads_it", [True, False])
def test_one_file_in_reverse_dependency_order_loads_as_loaddata_loads_it(
    tmp_path, loaddata_reads_it
):
    """Citations before events, mentions before articles, aliases before entities.

    loaddata takes a reference to an object still to come only outside a natural key (an
    outlet's entity, a place's parent), so it cannot read a mention before its article: the
    fully reversed file is compared with loaddata of the same objects in dependency order."""
    objects = reverse_dependency_order(sample_objects())
    if loaddata_reads_it:  # models keyed by their own fields first, then the others
        objects.sort(key=lambda obj: keyed_by_references(obj["model"]))
    fixture = fixture_file(tmp_path / "reversed.json", objects)
    call_command("loaddata", *([fixture] if loaddata_reads_it else SAMPLE_FIXTURES), verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    result = bulk_load(paths=[fixture])
    assert snapshot() == by_loaddata
    assert sum(result.counts.values()) == len(objects)
    assert result.counts["corpus.mention"] == len(sample_objects("corpus.mention"))


@pytest.mark.django_db
def test_an_object_stated_again_while_its_run_waits_keeps_its_last_version_like_loaddata(
    tmp_path,
):
    """The first run names an entity still to come; the outlet it holds is stated again in
    the next file, whose run must wait behind it so that the later version still wins."""
    outlets = sample_objects("corpus.outlet")
    waits = next(outlet for outlet in outlets if outlet["fields"]["entity"])
    again = next(outlet for outlet in outlets if not outlet["fields"]["entity"])
    later = {**again, "fields": {**again["fields"], "name": "Second"}}
    paths = [
        fixture_file(tmp_path / "1.json", [waits, again]),
        fixture_file(tmp_path / "2.json", [later]),
        SAMPLE_FIXTURES[0],  # the entities
    ]
    call_command("loaddata", *paths, verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    result = bulk_load(paths=paths)
    assert snapshot() == by_loaddata
    assert Outlet.objects.get(slug=again["fields"]["slug"]).name == "Second"
    assert result.counts["corpus.outlet"] == 3


@pytest.mark.django_db
def test_places_whose_parents_come_in_a_later_file_load_as_loaddata_loads_them(tmp_path):
    entities = sample_objects("corpus.entity")
    children = [e for e in entities if e["fields"]["parent"]]
    paths = [
        fixture_file(tmp_path / "1.json", children),
        SAMPLE_FIXTURES[1],  # outlets between: the parents come in a run of their own
        fixture_file(tmp_path / "2.json", [e for e in entities if not e["fields"]["parent"]]),
    ]
    call_command("loaddata", *paths, verbosity=0)
    by_loaddata = snapshot()
    empty_tables()
    bulk_load(paths=paths)
    assert snapshot() == by_loaddata
    assert Entity.objects.filter(parent__isnull=False).count() == len(children)


@pytest.mark.django_db
def test_a_place_stated_again_after_its_parent_was_missing_keeps_its_last_version(tmp_path):
    """loaddata would save the first version again at the end (its deferred-field pass);
    here, as everywhere else, the last of two objects with one key wins."""
    entities = {e["fields"]["slug"]: e for e in sample_objects("corpus.entity")}
    child = next(e for e in entities.values() if e["fields"]["parent"])
    parent = entities[child["fields"]["parent"][0]]
    assert parent["fields"]["parent"] is None
    later = {**child, "fields": {**child["fields"], "name": "Second", "parent": None}}
    outlets = [o for o in sample_objects("corpus.outlet") if not o["fields"]["entity"]]
    bulk_load(
        paths=[
            fixture_file(tmp_path / "1.json", [child]),
            fixture_file(tmp_path / "outlets.json", outlets),  # the versions in separate runs
            fixture_file(tmp_path / "2.json", [later, parent]),
        ]
    )
    stored = Entity.objects.get(slug=child["fields"]["slug"])
    assert (stored.name, stored.parent) == ("Second", None)


@pytest.mark.django_db
def test_a_reference_no_file_satisfies_names_file_model_and_key_and_loads_nothing(tmp_path):
    fields = {"article": ["no/such.txt"], "entity": ["ukraine-country"], "start": 0, "end": 3}
    fields["text"] = "abc"
    bad = fixture_file(
        tmp_path / "00_mentions.json", [{"model": "corpus.mention", "fields": fields}]
    )
    message = f"{bad}: corpus.mention.article: no corpus.article with natural key 'no/such.txt'."
    with pytest.raises(BulkLoadError, match=re.escape(message)):
        bulk_load(paths=[bad, *SAMPLE_FIXTURES])
    assert not Entity.objects.exists()
    assert not Outlet.objects.exists()


@pytest.mark.django_db
def test_a_parent_no_file_satisfies_names_file_model_and_key_and_loads_nothing(tmp_path):
    place = {**sample_objects("corpus.entity")[0]}
    place["fields"] = {**place["fields"], "slug": "orphan", "parent": ["nowhere"]}
    bad = fixture_file(tmp_path / "00_places.json", [place])
    message = f"{bad}: corpus.entity.parent: no corpus.entity with natural key 'nowhere'."
    with pytest.raises(BulkLoadError, match=re.escape(message)):
        bulk_load(paths=[bad, *SAMPLE_FIXTURES])
    assert not Entity.objects.exists()
