"""The synthetic corpus: reproducible, loadable by loaddata, and its offsets are true."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from corpus.generate import CorpusSize, generate_corpus
from corpus.models import Alias, Article, Entity, Mention
from timeline.models import Citation, Event

ROOT = Path(__file__).resolve().parents[2]
SMALL = CorpusSize(
    articles=60, mentions=600, events=40, actors=80, weapons=20, places=40, outlets=6
)


def objects(files, model):
    return [obj for path in files for obj in json.loads(path.read_text()) if obj["model"] == model]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_corpus(out_dir=tmp_path_factory.mktemp("corpus"), size=SMALL, seed=7)


def test_same_seed_gives_byte_identical_files(tmp_path, corpus):
    again = generate_corpus(out_dir=tmp_path, size=SMALL, seed=7)
    assert [p.name for p in again.files] == [p.name for p in corpus.files]
    for ours, theirs in zip(again.files, corpus.files, strict=True):
        assert ours.read_bytes() == theirs.read_bytes(), ours.name


def test_another_seed_gives_another_corpus(tmp_path, corpus):
    other = generate_corpus(out_dir=tmp_path, size=SMALL, seed=8)
    assert other.files[2].read_bytes() != corpus.files[2].read_bytes()


def test_sizes_are_the_ones_asked_for(corpus):
    assert corpus.counts["articles"] == SMALL.articles
    assert corpus.counts["mentions"] == SMALL.mentions
    assert corpus.counts["events"] == SMALL.events
    assert corpus.counts["entities"] == SMALL.actors + SMALL.weapons + SMALL.places
    assert len(objects(corpus.files, "corpus.outlet")) == SMALL.outlets


def test_mention_offsets_slice_the_body_to_an_alias_of_the_entity(corpus):
    bodies = {
        a["fields"]["source_file"]: a["fields"]["body"]
        for a in objects(corpus.files, "corpus.article")
    }
    aliases = {
        (a["fields"]["entity"][0], a["fields"]["name"])
        for a in objects(corpus.files, "corpus.alias")
    }
    mentions = objects(corpus.files, "corpus.mention")
    assert mentions
    for m in mentions:
        f = m["fields"]
        assert bodies[f["article"][0]][f["start"] : f["end"]] == f["text"]
        assert (f["entity"][0], f["text"]) in aliases


def test_citation_quotes_are_the_cited_words_of_the_body(corpus):
    bodies = {
        a["fields"]["source_file"]: a["fields"]["body"]
        for a in objects(corpus.files, "corpus.article")
    }
    citations = objects(corpus.files, "timeline.citation")
    assert len(citations) >= SMALL.events // 2
    for c in citations:
        f = c["fields"]
        assert bodies[f["article"][0]][f["start"] : f["end"]] == f["quote"]


def test_popularity_is_skewed_and_dates_have_mixed_precision(corpus):
    per_entity = Counter(m["fields"]["entity"][0] for m in objects(corpus.files, "corpus.mention"))
    counts = sorted(per_entity.values(), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2]
    precisions = Counter(
        e["fields"]["date_precision"] for e in objects(corpus.files, "timeline.event")
    )
    assert set(precisions) >= {"day", "month"}
    years = {e["fields"]["date"][:4] for e in objects(corpus.files, "timeline.event")}
    assert len(years) >= 3


@pytest.mark.django_db
def test_loaddata_reads_the_fixtures_and_loading_twice_adds_nothing(corpus):
    call_command("loaddata", *corpus.files, verbosity=0)
    counts = table_counts()
    assert counts[2] == SMALL.articles
    assert counts[3] == SMALL.mentions
    call_command("loaddata", *corpus.files, verbosity=0)
    assert table_counts() == counts


def table_counts() -> tuple[int, ...]:
    models = (Entity, Alias, Article, Mention, Event, Citation)
    return tuple(model.objects.count() for model in models)


@pytest.mark.django_db
def test_command_writes_files_and_refuses_bad_sizes(tmp_path):
    call_command(
        "generate_corpus",
        "--articles",
        "5",
        "--mentions",
        "20",
        "--events",
        "2",
        "--actors",
        "30",
        "--weapons",
        "5",
        "--places",
        "20",
        "--outlets",
        "3",
        "--out",
        str(tmp_path),
        verbosity=0,
    )
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "01_entities.json"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="more actors than outlets"):
        call_command(
            "generate_corpus",
            "--actors",
            "3",
            "--outlets",
            "3",
            "--out",
            str(tmp_path),
            verbosity=0,
        )


@pytest.mark.django_db
def test_command_with_load_puts_the_corpus_in_the_database():
    call_command(
        "generate_corpus",
        "--articles",
        "8",
        "--mentions",
        "50",
        "--events",
        "3",
        "--actors",
        "30",
        "--weapons",
        "5",
        "--places",
        "20",
        "--outlets",
        "3",
        "--load",
        verbosity=0,
    )
    assert Article.objects.count() == 8
    assert Mention.objects.count() == 50
    assert Event.objects.count() == 3


def test_same_seed_gives_the_same_bytes_in_another_process(tmp_path, corpus):
    """No set or hash ordering leaks into the output: another hash seed, the same files."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(PYTHONHASHSEED="12345", DJANGO_DEBUG="1")
    sizes = [f"--{name}={value}" for name, value in vars(SMALL).items()]
    result = subprocess.run(
        [sys.executable, "manage.py", "generate_corpus", *sizes, "--seed=7", f"--out={tmp_path}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for ours in corpus.files:
        assert (tmp_path / ours.name).read_bytes() == ours.read_bytes(), ours.name
