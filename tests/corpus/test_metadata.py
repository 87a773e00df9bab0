"""Metadata the texts state about themselves: headline, byline, dateline, outlet."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

from datetime import date

import pytest

from corpus import metadata
from corpus.parse import parse_source
from tests.corpus.sources import F000, F001, F002, F003, F004, source_text

EXPECTED = {
    F000: (None, [], None, "Tampa Free Press"),
    F001: (
        "US aims to deter North Korean forces in Kursk Oblast through new Ukraine long-range "
        "strike policy",
        [],
        None,
        None,
    ),
    F002: (None, [], None, "Tampa Free Press"),
    F003: (None, ["Melanie Sun"], None, "The Epoch Times"),
    F004: (
        "Biden Allows Ukraine to Use US Long-Range Missiles in Russia's Kursk: Reports",
        ["Melanie Sun"],
        date(2024, 11, 18),
        "The Epoch Times",
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_of_each_sample_file(name):
    parsed = parse_source(source_text(name))
    headline, authors, dateline, outlet = EXPECTED[name]
    assert parsed.headline == headline
    assert parsed.authors == authors
    assert parsed.dateline == dateline
    assert parsed.outlet_name == outlet


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Melanie Sun", ["Melanie Sun"]),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By A. Smith, B. Jones & C. Brown", ["A. Smith", "B. Jones", "C. Brown"]),
        ("By Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("By the end of the year, the war had changed.", None),
        ("Written by Jane Doe", None),
    ],
)
def test_byline(line, authors):
    assert metadata.byline(line) == authors


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("11/18/2024 Updated: 11/18/2024", date(2024, 11, 18)),
        ("11/18/2024", date(2024, 11, 18)),
        ("2024-11-17", date(2024, 11, 17)),
        ("November 18, 2024", date(2024, 11, 18)),
        ("Published: Nov. 17, 2024 | Updated: Nov. 18, 2024", date(2024, 11, 17)),
        ("13/45/2024", None),
        ("On 11/18/2024 the officials said so.", None),
        ("Smarch 3, 2024", None),
        # Each way a dateline can start: the test of its first characters lets all through.
        ("may 5, 2024", date(2024, 5, 5)),
        ("Sept. 3, 2024", date(2024, 9, 3)),
        ("Published May 5, 2024", date(2024, 5, 5)),
        ("\u0661\u0662/\u0663\u0661/\u0662\u0660\u0662\u0664", date(2024, 12, 31)),
        ("\u212aov 1, 2024", None),
    ],
)
def test_dateline(line, day):
    assert metadata.dateline(line) == day


@pytest.mark.parametrize(
    ("line", "is_headline"),
    [
        ("Biden Allows Ukraine to Use US Long-Range Missiles in Russia's Kursk: Reports", True),
        ("Russia previously warned that it would be considered direct involvement.", False),
        ("“We have to stand with them,” she said.", False),
        (" ".join(["word"] * 30), False),
    ],
)
def test_headline(line, is_headline):
    assert (metadata.headline(line) is not None) is is_headline


def test_a_one_line_text_has_no_headline_but_a_body():
    parsed = parse_source("Kyiv was shelled overnight")
    assert parsed.headline is None
    assert parsed.body == "Kyiv was shelled overnight"


def test_only_the_first_line_can_be_the_headline():
    parsed = parse_source("First sentence of the story.\nA Subheading\nMore text here.")
    assert parsed.headline is None
    assert "A Subheading" in parsed.paragraphs


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        (["Please make a small donation to the Kyiv Independent to help us."], "Kyiv Independent"),
        (["Follow the Kyiv Post on X for updates."], "Kyiv Post"),
        (["The Kremlin declined Reuters’ request for comment."], "Reuters"),
        (["Nothing about the outlet here."], None),
    ],
)
def test_outlet_named_in_its_own_boilerplate(lines, name):
    assert metadata.outlet_name(lines) == name
