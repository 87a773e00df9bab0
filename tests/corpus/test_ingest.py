"""Ingest: the five files become articles; re-ingest is idempotent; bad files fail alone."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corpus.dedupe import DuplicateIndex, ScanIndex
from corpus.ingest import IngestContext, Status, expand_paths, ingest_file, ingest_paths
from corpus.manifest import ManifestError
from corpus.models import Article, Mention
from tests.corpus.sources import (
    F000,
    F001,
    F002,
    F003,
    F004,
    copy_sources,
    make_outlets,
)
from tests.factories import AliasFactory, OutletFactory, PlaceFactory, WeaponFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(tmp_path, settings):
    settings.SITREP_SOURCES_DIR = tmp_path / "sources"
    return copy_sources(tmp_path / "sources")


@pytest.fixture
def outlets():
    return make_outlets()


@pytest.fixture
def entities():
    kursk = PlaceFactory(name="Kursk Oblast", slug="kursk-oblast")
    AliasFactory(entity=kursk, name="Kursk")
    atacms = WeaponFactory(name="ATACMS", slug="atacms")
    AliasFactory(entity=atacms, name="Army Tactical Missile System")
    return {"kursk": kursk, "atacms": atacms}


EXPECTED = {
    # file: (title start, outlet, published_on, precision, authors)
    F000: ("Russia steps up warnings", "tampa-free-press", date(2024, 11, 18), "day", []),
    F001: (
        "US aims to deter North Korean forces",
        "euromaidan-press",
        date(2024, 11, 17),
        "day",
        [],
    ),
    F002: ("Biden authorises Ukraine", "tampa-free-press", date(2024, 11, 1), "month", []),
    F003: ("US officials say Biden", "the-epoch-times", date(2024, 11, 18), "day", ["Melanie Sun"]),
    F004: (
        "Biden Allows Ukraine to Use US Long-Range Missiles in Russia's Kursk: Reports",
        "the-epoch-times",
        date(2024, 11, 18),
        "day",
        ["Melanie Sun"],
    ),
}


def test_the_five_files_become_articles_with_their_metadata(sources, outlets, entities):
    report = ingest_paths(paths=[sources])
    assert [r.status for r in report.results] == [Status.NEW] * 5
    assert not any(r.warnings for r in report.results)
    for name, (title, outlet, published, precision, authors) in EXPECTED.items():
        article = Article.objects.get(source_file=name)
        raw = (sources / name).read_bytes()
        assert article.title.startswith(title)
        assert article.outlet.slug == outlet
        assert (article.published_on, article.published_precision) == (published, precision)
        assert article.authors == authors
        assert article.checksum == hashlib.sha256(raw).hexdigest()
        assert article.raw_text == raw.decode()
        assert article.word_count == len(article.body.split())
        assert article.language == "en"
        assert article.url == ""
    assert Article.objects.get(source_file=F004).slug == (
        "biden-allows-ukraine-to-use-us-long-range-missiles-in-russias-kursk-reports"
    )


def test_mentions_slice_back_to_the_alias_text(sources, outlets, entities):
    ingest_paths(paths=[sources])
    mentions = Mention.objects.select_related("article", "entity")
    assert mentions.filter(entity=entities["atacms"]).count() > 5
    assert mentions.filter(entity=entities["kursk"], text="Kursk Oblast").exists()
    for mention in mentions:
        assert mention.article.body[mention.start : mention.end] == mention.text


def test_the_scraped_copy_and_the_clean_copy_are_linked(sources, outlets):
    report = ingest_paths(paths=[sources])
    assert report.duplicates == 1
    assert Article.objects.get(source_file=F003).duplicate_of.source_file == F004
    assert set(Article.objects.canonical().values_list("source_file", flat=True)) == {
        F000,
        F001,
        F002,
        F004,
    }


def test_source_file_is_relative_to_the_sources_folder_or_the_file_name(tmp_path, sources):
    (sources / "2024").mkdir()
    (sources / "2024" / "nested.txt").write_text("A nested article about Kursk and more.\n")
    outside = tmp_path / "elsewhere" / "loose.txt"
    outside.parent.mkdir()
    outside.write_text("A loose article outside the sources folder.\n")
    assert ingest_file(path=sources / "2024" / "nested.txt").source_file == "2024/nested.txt"
    assert ingest_file(path=outside).source_file == "loose.txt"


def test_paths_relative_to_the_working_folder_get_the_same_source_name(sources, monkeypatch):
    (sources / "2024").mkdir()
    context = IngestContext.build(sources_dir=sources)
    monkeypatch.chdir(sources / "2024")
    assert context.source_name(Path("nested.txt")) == "2024/nested.txt"
    assert context.source_name(Path("../top.txt")) == "top.txt"
    assert context.source_name(Path("../2024/other.txt")) == "2024/other.txt"


def test_reingesting_unchanged_files_writes_nothing(sources, outlets, entities):
    ingest_paths(paths=[sources])
    before = list(Article.objects.order_by("pk").values_list("pk", "ingested_at"))
    mentions = list(Mention.objects.order_by("pk").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        report = ingest_paths(paths=[sources])
    assert [r.status for r in report.results] == [Status.UNCHANGED] * 5
    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert len(queries) == 1 + 1  # one look-up for the chunk, one for the duplicate links
    assert list(Article.objects.order_by("pk").values_list("pk", "ingested_at")) == before
    assert list(Mention.objects.order_by("pk").values_list("pk", flat=True)) == mentions


def test_a_changed_file_updates_its_article_and_mentions(sources, outlets, entities):
    ingest_paths(paths=[sources])
    article = Article.objects.get(source_file=F002)
    path = sources / F002
    path.write_text(path.read_text() + "\nA new paragraph about ATACMS in Kursk Oblast.\n")
    result = ingest_file(path=path)
    assert result.status == Status.UPDATED
    updated = Article.objects.get(source_file=F002)
    assert (updated.pk, updated.slug) == (article.pk, article.slug)
    assert updated.body.endswith("A new paragraph about ATACMS in Kursk Oblast.")
    assert updated.checksum != article.checksum
    assert updated.ingested_at > article.ingested_at
    last = updated.mentions.order_by("-start").first()
    assert (last.text, last.entity) == ("Kursk Oblast", entities["kursk"])


@pytest.mark.parametrize("first", [F003, F004])
def test_duplicate_choice_does_not_depend_on_ingest_order(sources, outlets, first):
    second = F004 if first == F003 else F003
    ingest_file(path=sources / first)
    ingest_file(path=sources / second)
    assert Article.objects.get(source_file=F003).duplicate_of.source_file == F004
    assert Article.objects.get(source_file=F004).duplicate_of is None


def test_a_canonical_article_that_changes_beyond_recognition_releases_its_duplicate(
    sources, outlets
):
    ingest_paths(paths=[sources / F003, sources / F004])
    (sources / F004).write_text((sources / F000).read_text())
    ingest_file(path=sources / F004)
    assert Article.objects.get(source_file=F003).duplicate_of is None
    assert Article.objects.get(source_file=F004).duplicate_of is None


def test_an_exact_copy_under_another_name_is_not_stored_twice(sources, outlets):
    (sources / "copy-of-001.txt").write_bytes((sources / F001).read_bytes())
    report = ingest_paths(paths=[sources / F001, sources / "copy-of-001.txt"])
    assert [r.status for r in report.results] == [Status.NEW, Status.COPY]
    assert report.results[1].duplicate_of == F001
    assert report.duplicates == 1
    assert Article.objects.count() == 1


BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    "latin1.txt": (b"Caf\xe9 in Kyiv", "not valid UTF-8"),
    "nul.txt": (b"Kyiv\x00Kursk", "NUL bytes"),
    "huge.txt": (b"Kursk " * 2000, "over the limit"),
}


def test_bad_files_fail_alone_with_the_file_and_reason(tmp_path, sources, outlets):
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, (data, _) in BAD_FILES.items():
        (bad / name).write_bytes(data)
    missing = tmp_path / "missing.txt"
    context = IngestContext.build(max_bytes=10_000)
    report = ingest_paths(paths=[bad, sources / F001, missing], context=context)

    errors = {r.source_file: r.error for r in report.failed}
    assert set(errors) == {*BAD_FILES, "missing.txt"}
    for name, (_, reason) in BAD_FILES.items():
        assert str(bad / name) in errors[name]
        assert reason in errors[name]
    assert errors["missing.txt"] == f"{missing}: no such file or folder"
    assert list(Article.objects.values_list("source_file", flat=True)) == [F001]


def test_a_failure_mid_file_rolls_the_whole_file_back(sources, outlets, entities, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    context = IngestContext.build()
    ingest_paths(paths=[sources / F000], context=context)
    # Mentions are written after the article row, by the chunk and by the file-by-file path.
    monkeypatch.setattr("corpus.ingest_batch._replace_mentions", explode)
    monkeypatch.setattr("corpus.ingest_one.insert_mentions", explode)
    report = ingest_paths(paths=[sources / F001], context=context)
    monkeypatch.undo()

    assert report.results[0].status == Status.FAILED
    assert "RuntimeError: disk full" in report.results[0].error
    assert F001 in report.results[0].error
    # The article row was inserted before mentions failed: it must be gone with them.
    assert not Article.objects.filter(source_file=F001).exists()
    report = ingest_paths(paths=[sources / F001, sources / F002], context=context)
    assert [r.status for r in report.results] == [Status.NEW, Status.NEW]
    assert Article.objects.count() == 3


def test_dry_run_saves_nothing_but_reports_what_would_happen(sources, outlets):
    report = ingest_paths(paths=[sources], dry_run=True)
    assert report.dry_run
    assert [r.status for r in report.results] == [Status.NEW] * 5
    assert report.duplicates == 1
    assert Article.objects.count() == 0


def test_text_wins_over_the_manifest_with_a_warning(sources, outlets):
    (sources / "manifest.toml").write_text(
        '[files."004_2735a6fb5fa214a2.txt"]\n'
        'title = "Another title"\noutlet = "euromaidan-press"\n'
        "published_on = 2024-11-20\n"
    )
    result = ingest_file(path=sources / F004)
    article = Article.objects.get(source_file=F004)
    assert article.title.startswith("Biden Allows Ukraine")
    assert article.outlet.slug == "the-epoch-times"
    assert article.published_on == date(2024, 11, 18)
    assert len(result.warnings) == 3


def test_manifest_fills_gaps_and_unknown_outlets_are_reported(sources):
    OutletFactory(name="Tampa Free Press", slug="tampa-free-press")
    result = ingest_file(path=sources / F001)
    article = Article.objects.get(source_file=F001)
    assert article.outlet is None
    assert result.warnings == [
        "manifest outlet 'euromaidan-press' is not in the database; left empty"
    ]
    assert article.published_on == date(2024, 11, 17)


def test_without_headline_or_manifest_title_the_title_is_the_first_words(sources):
    (sources / "manifest.toml").unlink()
    ingest_file(path=sources / F002)
    article = Article.objects.get(source_file=F002)
    assert article.title == (
        "U.S. President Joe Biden has authorized Ukrainian forces to conduct targeted strikes "
        "using U.S.-supplied…"
    )
    assert article.slug.startswith("us-president-joe-biden-has-authorized")
    assert article.published_on is None


def test_slugs_stay_unique_when_titles_repeat(tmp_path, settings):
    settings.SITREP_SOURCES_DIR = tmp_path
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"Same Headline\nBody text of {name} goes here.\n")
    ingest_paths(paths=[tmp_path])
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "same-headline",
        "same-headline-2",
    ]


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[files."a.txt"]\ncolour = "red"\n', "unknown key(s) colour"),
        ('[files."a.txt"]\nprecision = "week"\n', "precision must be one of"),
        ('[files."a.txt"]\npublished_on = 2024-11-17\nprecision = "month"\n', "first day"),
        ('[files."a.txt"]\npublished_on = "2024-11-17"\n', "must be a date"),
        ('[files."a.txt"]\nurl = "not a url"\n', "valid URL"),
        ('[files."a.txt"]\noutlet = "Not A Slug"\n', "slug"),
        ("[files\n", "cannot read the manifest"),
        ("[other]\nx = 1\n", "only [files"),
    ],
)
def test_bad_manifests_are_refused_with_the_place(tmp_path, toml, message):
    (tmp_path / "manifest.toml").write_text(toml)
    with pytest.raises(ManifestError, match=r"manifest\.toml") as caught:
        IngestContext.build(sources_dir=tmp_path)
    assert message in str(caught.value)


@pytest.mark.django_db(False)
def test_a_folder_expands_to_its_visible_text_files_in_path_order(tmp_path):
    root = tmp_path / "sources"
    for name in ["a/b.txt", "a-c.txt", "a/z/y.txt", "b.TXT", "notes.md", ".draft.txt"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("text")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text("hidden folder")
    (root / "folder.txt").mkdir()  # a folder with a file's name is not a file
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.txt").write_text("reached only through a folder symlink")
    (root / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    (root / "link.txt").symlink_to(root / "a-c.txt")
    (root / "broken.txt").symlink_to(tmp_path / "nowhere.txt")

    files, missing = expand_paths([root, tmp_path / "gone.txt"])

    # As paths sort, part by part: "a/…" before "a-c.txt", although "/" > "-" as text.
    assert [path.relative_to(root).as_posix() for path in files] == [
        "a/b.txt",
        "a/z/y.txt",
        "a-c.txt",
        "link.txt",
    ]
    assert missing == [tmp_path / "gone.txt"]


@pytest.mark.parametrize("scan_max_files", [0, 100])
def test_few_files_are_compared_by_scanning_and_find_the_same_duplicates(
    sources, outlets, monkeypatch, scan_max_files
):
    """A run of at most SCAN_MAX_FILES files compares each body with every stored signature
    instead of building the inverted index: the same duplicates either way."""
    monkeypatch.setattr("corpus.ingest_context.SCAN_MAX_FILES", scan_max_files)
    ingest_paths(paths=[sources / name for name in (F000, F001, F002, F004)])
    context = IngestContext.build()
    report = ingest_paths(paths=[sources / F003], context=context)
    assert context.expected_files == 1
    assert type(context.index.stored) is (ScanIndex if scan_max_files else DuplicateIndex)
    assert report.duplicates == 1
    assert Article.objects.get(source_file=F003).duplicate_of.source_file == F004


def test_one_file_never_builds_the_inverted_index(sources, outlets, monkeypatch):
    """Building it for a 100,000-article corpus took ~13 s and 1.8 GB: an upload of one
    file, by ingest_paths or ingest_file, must not pay that."""
    ingest_paths(paths=[sources / name for name in (F000, F001, F004)])

    def refuse(signatures):
        raise AssertionError("a one-file run built the inverted index")

    monkeypatch.setattr(DuplicateIndex, "from_signatures", refuse)
    assert ingest_paths(paths=[sources / F003]).duplicates == 1
    assert ingest_file(path=sources / F002).status == Status.NEW
    assert Article.objects.get(source_file=F003).duplicate_of.source_file == F004
