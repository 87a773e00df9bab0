"""Boilerplate and markup removal: on each of the five sample files, and rule by rule."""

# ruff: noqa: RUF001 - the sample texts use typographic apostrophes and quotes

import re

import pytest

from corpus.clean import (
    AUTHOR_BOX_LABEL,
    FOOTER_LINE_MAX,
    SENTENCE_END,
    TAIL_START,
    ends_sentence,
    join_split_paragraphs,
    remove_boilerplate,
    strip_markup,
)
from corpus.parse import parse_source
from tests.corpus.sources import ALL_FILES, F000, F001, F002, F003, F004, source_text

TFP_FOOTER = [
    "Please make a small donation to the Tampa Free Press to help sustain independent "
    "journalism. Your contribution enables us to continue delivering high-quality, local, and "
    "national news coverage.",
    "Android Users: Download our free app to stay up-to-date on the latest news.",
    "Connect with us: Follow the Tampa Free Press on Facebook and Twitter for breaking news and "
    "updates.",
    "Sign up: Subscribe to our free newsletter for a curated selection of top stories delivered "
    "straight to your inbox.",
]

# Every line of each file that is not the article's own text: boilerplate and metadata.
NOT_BODY = {
    F000: [
        "READ: Biden’s Approval For Ukrainian Strikes Inside Russia Triggers Outrage, Warnings "
        "From Moscow",
        *TFP_FOOTER,
    ],
    F001: [
        "US aims to deter North Korean forces in Kursk Oblast through new Ukraine long-range "
        "strike policy",
        "Related:",
        "- Zelenskyy neither confirms nor denies approval for strikes inside Russia with ATACMS, "
        "Storm Shadow",
        "- NYT: Biden allows Ukraine to use US weapons for deep strikes in Russia",
        "- Telegraph: Starmer, Macron aim to push Biden for last-minute shift on Ukraine "
        "long-range missile policy ahead of Trump presidency",
        "- France to send Ukraine new batch of SCALP and Mistral missiles",
        "- Scholz caused German government crisis by denying Ukraine Taurus missiles, fired "
        "minister says",
        "- Reuters: Putin again threatens “range of responses” if deep Russia strikes allowed "
        "with Western weapons",
    ],
    F002: [
        "READ: Russia Deploys Decoy And Thermobaric Shahed Drones To Overwhelm Ukrainian Air "
        "Defenses",
        "READ: Kremlin Sets Aggressive Terms For Ukraine “Peace” Talks Ahead Of Trump Inauguration",
        *TFP_FOOTER,
    ],
    F003: ["By Melanie Sun"],
    F004: [
        "Biden Allows Ukraine to Use US Long-Range Missiles in Russia's Kursk: Reports",
        "93",
        "191",
        "Save",
        "U.S. Army Tactical Missile System (ATACMS) fires a missile into the East Sea during a "
        "South Korea-U.S. joint missile drill aimed to counter North Korea's ICBM test, in East "
        "Coast, South Korea, on July 29, 2017. South Korean Defense Ministry via Getty Images",
        "By Melanie Sun",
        "11/18/2024 Updated: 11/18/2024",
        "A A Print",
        "Share",
        "Sign up for the Morning Brief newsletter. Join 200,000+ Canadians who receive truthful "
        "news without bias or agenda, investigative reporting that matters, and important "
        "stories other media ignore. [Sign up with 1-click >>](#)",
        "Melanie Sun",
        "Author",
        "Melanie is a reporter and editor covering world news. She has a background in "
        "environmental research.",
        "Author's Selected Articles",
        "Trump Appoints FCC Commissioner Brendan Carr as Agency Chair",
        "Nov 17, 2024",
        "New Monkey Pox Strain Detected in US for First Time",
        "At Least 8 Killed, 17 Injured in Mass Stabbing Attack in China",
        "GOP Incumbent Mike Garcia Concedes California House Seat",
        "Nov 11, 2024",
    ],
}

# Sentences whose markup had to go, as they must read in the body.
MARKUP_SENTENCES = {
    F004: [
        "In response, Russia has allowed 11,000 North Korean soldiers to amass in Kursk to aid "
        "its fight.",
        "the Biden administration already greenlighted the use of the long-range Army Tactical "
        "Missile System, or ATACMs—with a range of about 190 miles—by Ukraine",
        "comes in Biden's last two months in office, according to the unnamed officials who "
        "talked to The New York Times.",
        "Rep. Marilyn Strickland (D-D.C.) told NTD, a sister outlet of The Epoch Times, in "
        'response to the report that the approval "was a policy that was necessary."',
        "Ukrainian President Volodymyr Zelenskyy said on Sunday in response to the anonymous "
        'reports that, "Strikes are not made with words.',
        "Zelenskyy also told Ukrainian media on Friday",
        "Russian President Vladimir Putin has warned that if NATO allies allow Ukraine",
        'Donald Trump Jr. said on social media platform X, "The Military Industrial Complex',
        'said on X the move is "as if [Biden] is launching a whole new war."',
        "providing more than $56.2 billion in security assistance since Russian forces invaded "
        "in February 2022.",
    ],
}

# What no body may contain, whatever the file: the traces of each kind of boilerplate.
BOILERPLATE_TRACES = [
    r"(?i)donation",
    r"(?i)download our free app",
    r"(?i)follow (us|the tampa free press) on",
    r"(?i)newsletter",
    r"^READ:",
    r"^Related:",
    r"^- ",
    r"^\d+$",
    r"^(Save|Share|A A Print)$",
    r"Getty Images",
    r"^Author$",
    r"reporter and editor covering world news",
    r"Author's Selected Articles",
    r"\*\*",
    r"\]\(",
    r"\\\$",
    r"^By [A-Z]",
    r"\d+/\d+/\d{4}",
]


@pytest.mark.parametrize("name", ALL_FILES)
def test_no_boilerplate_or_metadata_line_survives(name):
    body = parse_source(source_text(name)).body
    for line in NOT_BODY[name]:
        assert line not in body.split("\n\n"), line
    for paragraph in body.split("\n\n"):
        for trace in BOILERPLATE_TRACES:
            assert not re.search(trace, paragraph), (trace, paragraph)


@pytest.mark.parametrize("name", ALL_FILES)
def test_no_article_sentence_is_lost(name):
    """Every line of the file that is not listed as boilerplate or metadata is in the body."""
    body = parse_source(source_text(name)).body
    not_body = set(NOT_BODY[name])
    kept = [
        line.strip()
        for line in source_text(name).splitlines()
        if line.strip() and line.strip() not in not_body
    ]
    assert kept, name
    for line in kept:
        if re.search(r"\*\*|\]\(#\)|\\\$", line):
            continue  # checked in its cleaned form by MARKUP_SENTENCES
        assert line in body, line
    for sentence in MARKUP_SENTENCES.get(name, []):
        assert sentence in body, sentence


def test_the_body_is_paragraphs_separated_by_blank_lines():
    parsed = parse_source(source_text(F000))
    assert parsed.body.split("\n\n") == parsed.paragraphs
    assert parsed.paragraphs[0].startswith("Russian officials have escalated their rhetoric")
    assert parsed.paragraphs[-1].startswith("The UK similarly emphasized")
    assert parsed.word_count == len(parsed.body.split())


def test_paragraphs_split_by_the_scraper_are_joined_again():
    paragraphs = parse_source(source_text(F004)).paragraphs
    assert (
        "Intense fighting is ongoing as Russian forces attempt to reclaim lost territory. Ukraine "
        "seized several settlements and is still holding strategic positions. In response, "
        "Russia has allowed 11,000 North Korean soldiers to amass in Kursk to aid its fight."
    ) in paragraphs[2]
    assert not any(paragraph[0].islower() for paragraph in paragraphs)


def test_subheadings_of_the_article_are_kept():
    paragraphs = parse_source(source_text(F000)).paragraphs
    assert "Ukraine and U.S. Remain Circumspect" in paragraphs
    assert "French and UK Clarifications on Long-Range Missiles" in paragraphs


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        ("He **told** NTD", "He told NTD"),
        ("has allowed [North Korean soldiers](#) to", "has allowed North Korean soldiers to"),
        ("[said](https://example.org/a) on X", "said on X"),
        (r"more than \$56.2 billion", "more than $56.2 billion"),
        ('"as if [Biden] is launching"', '"as if [Biden] is launching"'),
        ("a * b ** c", "a * b ** c"),
        ("  spaced \t out  ", "spaced out"),
        # Lines kept as they are need single ASCII spaces only; any other whitespace collapses.
        ("no\u00a0break and\u3000ideographic", "no break and ideographic"),
        ("unit\x1fseparator", "unit separator"),
        ("double  space", "double space"),
        (" leading", "leading"),
        ("trailing ", "trailing"),
        ("", ""),
    ],
)
def test_strip_markup(line, clean):
    assert strip_markup(line) == clean


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("READ: Something else entirely", "cross-promotion"),
        ("1.2K", "share widget"),
        ("Share | Email | Print", "share widget"),
        ("Kyiv at night. (Photo by Jane Doe/AFP)", "image caption"),
        ("Soldiers at a checkpoint. AP Photo/Evan Vucci", "image caption"),
        ("iOS Users: Get our app", "app prompt"),
        ("Subscribe to our daily newsletter", "newsletter prompt"),
        # One line per pattern: each rule's cheap test must let its own lines through.
        ("Please consider a small donation today.", "donation appeal"),
        ("Support our journalism", "donation appeal"),
        ("Get the news first: download our free app", "app prompt"),
        ("Follow us on Telegram", "social links"),
        ("Follow The Kyiv Independent on X", "social links"),
        ("Sign up for our newsletter", "newsletter prompt"),
        ("ALSO READ: Earlier strikes", "cross-promotion"),
        ("A", "share widget"),
        ("Copy link", "share widget"),
        ("A missile launcher in 2022. via Getty Images", "image caption"),
        ("Photo: Ukrainian Defence Ministry", "image caption"),
        ("Illustration by Jane Doe", "image caption"),
    ],
)
def test_line_rules(line, rule):
    cleaned = remove_boilerplate(["An article sentence.", line, "Another sentence."])
    assert cleaned.lines == ["An article sentence.", "Another sentence."]
    assert [removed.rule for removed in cleaned.removed] == [rule]


@pytest.mark.parametrize(
    "line",
    [
        "The newsletter Meduza reported the strike.",
        "Officials said the app was used to coordinate drones, according to Reuters.",
        "Russia read the move as an escalation.",
        "Share prices fell in Moscow.",
        "Save the Children said 12 people were hurt.",
    ],
)
def test_article_sentences_that_resemble_boilerplate_are_kept(line):
    assert remove_boilerplate([line]).lines == [line]


def test_related_list_ends_at_the_first_line_that_is_not_a_list_item():
    lines = ["Text.", "Related:", "- One link", "- Two link", "More article text."]
    assert remove_boilerplate(lines).lines == ["Text.", "More article text."]


def test_author_box_and_everything_after_it_is_dropped():
    lines = ["Text.", "Jane Doe", "Author", "Jane writes about things.", "Last words."]
    cleaned = remove_boilerplate(lines)
    assert cleaned.lines == ["Text."]
    assert {removed.rule for removed in cleaned.removed} == {"page footer"}


def test_split_paragraphs_join_only_before_a_lower_case_continuation():
    assert join_split_paragraphs(["It began", "here.", "Heading", "Next one."]) == [
        "It began here.",
        "Heading",
        "Next one.",
    ]


def test_footer_patterns_match_no_line_longer_than_the_length_tested_first():
    """tail_start skips longer lines without trying the footer patterns."""
    for pattern in (TAIL_START, AUTHOR_BOX_LABEL):
        # re's own parser gives the longest match; "$" may also match before a final newline.
        assert re._parser.parse(pattern.pattern).getwidth()[1] + 1 <= FOOTER_LINE_MAX
    lines = ["Text.", "Author\u2019s selected articles", "A link"]
    assert remove_boilerplate(lines).lines == ["Text."]


@pytest.mark.parametrize(
    "text",
    ["Done.", "Done", "Said \u201cno\u201d", "Done.\n", "Done.\n\n", "Done\n", "(a)", "…", ""],
)
def test_ends_sentence_is_the_sentence_end_pattern(text):
    assert ends_sentence(text) is bool(SENTENCE_END.search(text))
