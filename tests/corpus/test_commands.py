"""The ingest, extract_mentions and build_fixtures commands, and the fixtures they produce."""

import io
import json
import shutil

import pytest
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError

from corpus.ingest import ingest_paths
from corpus.ingest_reader import default_workers
from corpus.models import Alias, Article, Entity, Mention, Outlet
from tests.corpus.sources import F001, F003, F004, SOURCES, copy_sources, make_outlets
from tests.factories import (
    ActorFactory,
    AliasFactory,
    ArticleFactory,
    CitationFactory,
    EventActorFactory,
    EventFactory,
    EventWeaponFactory,
    PlaceFactory,
    WeaponFactory,
)
from timeline.models import Citation, Event, EventActor, EventWeapon

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def sources(tmp_path, settings):
    settings.SITREP_SOURCES_DIR = tmp_path / "sources"
    return copy_sources(tmp_path / "sources")


# --- ingest -----------------------------------------------------------------------------


def test_ingest_prints_a_summary(sources):
    make_outlets()
    out, err = run("ingest", str(sources))
    assert "5 files: 5 new, 0 updated, 0 unchanged, 1 duplicates, 0 failed." in out
    assert err == ""
    out, _ = run("ingest", str(sources), verbosity=2)
    assert "0 new, 0 updated, 5 unchanged, 1 duplicates, 0 failed." in out
    assert f"unchanged: {F003} (near-duplicate of {F004})" in out


@pytest.mark.django_db(transaction=True)  # workers fork only outside a transaction
def test_ingest_workers_come_from_the_option_else_the_setting(sources, settings, monkeypatch):
    make_outlets()
    asked = []

    def recording(**kwargs):
        report = ingest_paths(**kwargs)
        asked.append((kwargs["workers"], report.workers))
        return report

    monkeypatch.setattr("corpus.management.commands.ingest.ingest_paths", recording)
    out, _ = run("ingest", str(sources), "--workers=2")
    assert "5 files: 5 new" in out  # read and parsed in two forked processes
    settings.SITREP_INGEST_WORKERS = 0
    out, _ = run("ingest", str(sources))
    assert "0 new, 0 updated, 5 unchanged" in out
    assert asked == [(2, 2), (0, 0)]


def test_the_default_number_of_workers_leaves_a_core_each_to_postgres_and_the_writer(
    settings, monkeypatch
):
    settings.SITREP_INGEST_WORKERS = None
    for cores, workers in [(1, 0), (2, 0), (4, 2), (None, 0)]:
        monkeypatch.setattr("corpus.ingest_reader.os.cpu_count", lambda cores=cores: cores)
        assert default_workers() == workers
    settings.SITREP_INGEST_WORKERS = 3
    assert default_workers() == 3


def test_ingest_puts_names_no_alias_knows_in_the_review_queue(sources):
    from corpus.models import UnknownName

    make_outlets()
    out, _ = run("ingest", str(sources))
    assert "Review queue: " in out
    # No entities exist yet, so the people the articles name are all unknown.
    assert UnknownName.objects.filter(name__contains="Peskov").exists()
    queued = UnknownName.objects.count()

    out, _ = run("ingest", str(sources))  # unchanged files: nothing to review again
    assert "Review queue" not in out
    assert UnknownName.objects.count() == queued


def test_ingest_reports_each_failure_and_exits_non_zero(tmp_path, sources):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match=r"1 file\(s\) failed"):
        run("ingest", str(tmp_path / "empty.txt"), str(sources / F001))
    assert Article.objects.filter(source_file=F001).exists()


def test_ingest_writes_errors_to_stderr(tmp_path, sources, capsys):
    (tmp_path / "nul.txt").write_bytes(b"a\x00b")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "nul.txt"), stdout=io.StringIO(), stderr=err)
    assert f"failed: {tmp_path / 'nul.txt'}: contains NUL bytes" in err.getvalue()


def test_ingest_dry_run_saves_nothing(sources):
    out, _ = run("ingest", str(sources), "--dry-run")
    assert out.startswith("Dry run, nothing saved: 5 files: 5 new")
    assert Article.objects.count() == 0


def test_ingest_shows_a_progress_bar_on_stderr_for_long_runs(tmp_path, settings):
    settings.SITREP_SOURCES_DIR = tmp_path
    for number in range(25):
        (tmp_path / f"{number:02d}.txt").write_text(f"Article {number} body text about things.\n")
    out, err = run("ingest", str(tmp_path))
    assert "25/25 files" in err
    assert "[" + "#" * 30 + "]" in err
    assert "25 new" in out
    _, quiet = run("ingest", str(tmp_path), verbosity=0)
    assert quiet == ""


def test_ingest_has_no_progress_bar_for_a_few_files(sources):
    _, err = run("ingest", str(sources / F001))
    assert "files" not in err


def test_ingest_refuses_a_bad_manifest(tmp_path, sources):
    manifest = tmp_path / "bad.toml"
    manifest.write_text("[files\n")
    with pytest.raises(CommandError, match=r"bad\.toml: cannot read the manifest"):
        run("ingest", str(sources), "--manifest", str(manifest))
    assert Article.objects.count() == 0


def test_ingest_warns_about_gaps_on_stderr(sources):
    _, err = run("ingest", str(sources / F001))
    assert "manifest outlet 'euromaidan-press' is not in the database" in err


# --- extract_mentions --------------------------------------------------------------------


def test_extract_mentions_for_named_articles():
    kursk = PlaceFactory(name="Kursk")
    first = ArticleFactory(body="Kursk again.")
    second = ArticleFactory(body="Kursk again.")
    out, _ = run("extract_mentions", "--article", first.slug)
    assert "1 articles checked, 1 changed: 1 mentions created, 0 deleted." in out
    assert second.mentions.count() == 0
    out, _ = run("extract_mentions")
    assert "2 articles checked, 1 changed" in out
    assert kursk.mentions.count() == 2


def test_extract_mentions_refuses_unknown_slugs():
    ArticleFactory(slug="known")
    with pytest.raises(CommandError, match="No article with slug: nope"):
        run("extract_mentions", "--article", "known", "--article", "nope")


# --- build_fixtures -----------------------------------------------------------------------


@pytest.fixture
def fixtures_dir(tmp_path):
    """A fixtures folder with small hand-made outlet and entity fixtures, as curators keep."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    make_outlets()
    ukraine = ActorFactory(name="Ukraine", slug="ukraine", kind="government")
    biden = ActorFactory(name="Joe Biden", slug="joe-biden")
    AliasFactory(entity=biden, name="Biden")
    atacms = WeaponFactory(name="ATACMS", slug="atacms")
    AliasFactory(entity=atacms, name="Army Tactical Missile System")
    PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    AliasFactory(entity=ukraine, name="Ukraine")
    dump(folder / "10_outlets.json", Outlet.objects.order_by("slug"))
    dump(folder / "20_entities.json", [*Entity.objects.order_by("slug"), *Alias.objects.all()])
    return folder


def dump(path, objects):
    path.write_text(
        serializers.serialize(
            "json", objects, indent=2, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
    )


def build(fixtures_dir, *args):
    return run("build_fixtures", "--sources", str(SOURCES), "--fixtures", str(fixtures_dir), *args)


def test_build_fixtures_is_deterministic_and_leaves_the_database_alone(fixtures_dir):
    counts = (Article.objects.count(), Entity.objects.count(), Outlet.objects.count())
    out, _ = build(fixtures_dir)
    assert "5 articles" in out
    assert "Wrote" in out
    first = (fixtures_dir / "30_articles.json").read_bytes()
    out, _ = build(fixtures_dir)
    assert "Unchanged" in out
    assert (fixtures_dir / "30_articles.json").read_bytes() == first
    assert (Article.objects.count(), Entity.objects.count(), Outlet.objects.count()) == counts


def test_build_fixtures_does_not_depend_on_what_the_database_holds(fixtures_dir):
    build(fixtures_dir)
    first = (fixtures_dir / "30_articles.json").read_bytes()
    ArticleFactory(title="Stray article in the database")
    AliasFactory(entity=ActorFactory(name="Stray Person"), name="Russia")
    build(fixtures_dir)
    assert (fixtures_dir / "30_articles.json").read_bytes() == first


def test_articles_fixture_uses_natural_keys_and_no_volatile_fields(fixtures_dir):
    build(fixtures_dir)
    objects = json.loads((fixtures_dir / "30_articles.json").read_text())
    articles = [o for o in objects if o["model"] == "corpus.article"]
    mentions = [o for o in objects if o["model"] == "corpus.mention"]
    assert len(articles) == 5
    assert mentions
    assert all("pk" not in o for o in objects)
    assert all("ingested_at" not in o["fields"] for o in articles)
    assert all("search_vector" not in o["fields"] for o in articles)
    by_file = {o["fields"]["source_file"]: o["fields"] for o in articles}
    assert by_file[F003]["duplicate_of"] == [F004]
    assert by_file[F004]["outlet"] == ["the-epoch-times"]
    # Canonical articles come first, so the duplicate link points back to a loaded row.
    assert articles[-1]["fields"]["source_file"] == F003
    for mention in mentions:
        article_file, entity_slug = mention["fields"]["article"][0], mention["fields"]["entity"][0]
        body = by_file[article_file]["body"]
        assert (
            body[mention["fields"]["start"] : mention["fields"]["end"]]
            == (mention["fields"]["text"])
        )
        assert entity_slug in {"ukraine", "joe-biden", "atacms", "kursk-oblast"}


def test_loaddata_twice_adds_nothing_and_dumpdata_reproduces_the_fixture(fixtures_dir):
    build(fixtures_dir)
    labels = [str(fixtures_dir / name) for name in ("10_outlets.json", "20_entities.json")]
    articles_fixture = str(fixtures_dir / "30_articles.json")
    call_command("loaddata", *labels, articles_fixture, verbosity=0)
    rows = (
        list(Article.objects.order_by("pk").values_list("pk", "source_file")),
        list(Mention.objects.order_by("pk").values_list("pk", "start")),
    )
    call_command("loaddata", *labels, articles_fixture, verbosity=0)
    assert (
        list(Article.objects.order_by("pk").values_list("pk", "source_file")),
        list(Mention.objects.order_by("pk").values_list("pk", "start")),
    ) == rows

    out = io.StringIO()
    call_command(
        "dumpdata",
        "corpus.article",
        "corpus.mention",
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
    )
    dumped = json.loads(out.getvalue())
    for obj in dumped:
        obj["fields"].pop("ingested_at", None)
        obj["fields"].pop("search_vector", None)
        obj["fields"].pop("body_md5", None)  # generated by the database, like the vector
    expected = json.loads((fixtures_dir / "30_articles.json").read_text())

    def canonical(objects):
        return sorted(json.dumps(o, sort_keys=True) for o in objects)

    assert canonical(dumped) == canonical(expected)


class FakeCurationError(Exception):
    pass


def fake_curation(spec_path):
    """Stands in for timeline.curation: one event citing the scraped Epoch Times article."""
    article = Article.objects.get(source_file=F004)
    event = EventFactory(title="Biden authorises ATACMS strikes in Kursk", slug="authorisation")
    EventActorFactory(event=event, actor=Entity.objects.get(slug="joe-biden"))
    EventWeaponFactory(event=event, weapon=Entity.objects.get(slug="atacms"))
    CitationFactory(event=event, article=article)


def test_events_fixture_is_built_after_the_curated_events_load(fixtures_dir, monkeypatch):
    (fixtures_dir / "curation").mkdir()
    (fixtures_dir / "curation" / "events.json").write_text("[]")
    calls = []

    def loader(spec_path):
        calls.append(spec_path)
        fake_curation(spec_path)

    monkeypatch.setattr("corpus.fixtures._events_loader", lambda: (loader, FakeCurationError))
    out, _ = build(fixtures_dir)
    assert calls == [fixtures_dir / "curation" / "events.json"]
    assert "1 events." in out
    events = (fixtures_dir / "40_events.json").read_bytes()
    build(fixtures_dir)
    assert (fixtures_dir / "40_events.json").read_bytes() == events
    assert Event.objects.count() == 0

    objects = json.loads(events)
    assert [o["model"] for o in objects] == [
        "timeline.event",
        "timeline.eventactor",
        "timeline.eventweapon",
        "timeline.citation",
    ]
    assert objects[3]["fields"]["article"] == [F004]
    assert all("pk" not in o for o in objects)

    labels = [str(p) for p in sorted(fixtures_dir.glob("*.json"))]
    call_command("loaddata", *labels, verbosity=0)
    call_command("loaddata", *labels, verbosity=0)
    counts = [m.objects.count() for m in (Event, EventActor, EventWeapon, Citation)]
    assert counts == [1, 1, 1, 1]


def test_a_curation_error_still_leaves_the_articles_fixture(fixtures_dir, monkeypatch):
    (fixtures_dir / "curation").mkdir()
    (fixtures_dir / "curation" / "events.json").write_text("[]")

    def loader(spec_path):
        raise FakeCurationError("event 'x' in events.json: quote not found in 004")

    monkeypatch.setattr("corpus.fixtures._events_loader", lambda: (loader, FakeCurationError))
    with pytest.raises(CommandError, match="Articles fixture built, events not: event 'x'"):
        build(fixtures_dir)
    assert (fixtures_dir / "30_articles.json").exists()
    assert not (fixtures_dir / "40_events.json").exists()


def test_events_are_skipped_without_a_curation_spec(fixtures_dir):
    out, _ = build(fixtures_dir)
    assert "Events not built" in out
    assert not (fixtures_dir / "40_events.json").exists()


def test_build_fixtures_check_reports_stale_fixtures(fixtures_dir):
    build(fixtures_dir)
    build(fixtures_dir, "--check")
    path = fixtures_dir / "30_articles.json"
    path.write_text(path.read_text().replace("Melanie Sun", "Someone Else"))
    with pytest.raises(CommandError, match="Out of date"):
        build(fixtures_dir, "--check")
    assert "Someone Else" in path.read_text()


def test_build_fixtures_writes_nothing_when_a_source_fails(fixtures_dir, tmp_path):
    sources = copy_sources(tmp_path / "sources")
    (sources / "broken.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CommandError, match=r"broken\.txt"):
        run("build_fixtures", "--sources", str(sources), "--fixtures", str(fixtures_dir))
    assert not (fixtures_dir / "30_articles.json").exists()
    shutil.rmtree(sources)


def test_committed_fixtures_are_what_build_fixtures_makes():
    """fixtures/30_articles.json and 40_events.json match the sources, manifest, outlets,
    entities and curated events in the checkout: after editing any of them, run
    `manage.py build_fixtures` and commit the result."""
    fixtures_dir = SOURCES.parent
    if not (fixtures_dir / "30_articles.json").exists():
        pytest.skip("no articles fixture committed yet")
    out, _ = build(fixtures_dir, "--check")
    assert "Unchanged" in out
