"""Boilerplate and markup removal: from a source text to the article's own paragraphs.

Source files are scraped pages: one paragraph per line, sometimes split in two by the
scraper, with the site's furniture mixed in. Each line is checked against named rules
(README, "Cleaning rules"); a line that matches none is the article's own text. Rules match
whole lines, so a sentence is never cut in half and an article sentence that merely mentions
a newsletter or a photo is kept.
"""

import re
from dataclasses import dataclass, field

# --- markup -----------------------------------------------------------------------------
# [text](target) links lose their target; a bracketed editorial insertion such as
# "as if [Biden] is launching" has no "(…)" after it and is kept.
MARKDOWN_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*\)")
MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
MARKDOWN_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$&%])")


def strip_markup(line: str) -> str:
    """Remove Markdown leftovers (**bold**, [text](#) links, backslash escapes)."""
    # The substring tests skip the regexes on the many lines without any markup.
    if "](" in line:
        line = MARKDOWN_LINK.sub(r"\1", line)
    if "**" in line or "__" in line:
        line = MARKDOWN_EMPHASIS.sub(r"\2", line)
    if "\\" in line:
        line = MARKDOWN_ESCAPE.sub(r"\1", line)
    # Most lines have no whitespace to collapse: single inner spaces only (``isprintable`` rules
    # out every other whitespace character), so they are kept without splitting them into words.
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


# --- line rules -------------------------------------------------------------------------
WIDGET_WORDS = (
    r"A|Print|Share|Save|Saved|Email|E-mail|Tweet|Comments?|Copy link|Link|Facebook|Twitter|X"
    r"|WhatsApp|Telegram|LinkedIn|Reddit|Listen|Font size|Text size"
)


@dataclass(frozen=True)
class LineRule:
    """A kind of boilerplate line: its pattern, and a cheap test that the line may match it.

    Most lines are article text, and a prefix or substring test of the lower-cased line is far
    faster than a regex search (line rules were a third of parsing). Each pattern can only
    match a line that passes its test, so the test changes no result.
    """

    name: str
    pattern: re.Pattern[str]
    starts: tuple[str, ...] = ()  # the line starts with one of these (lower-cased) ...
    contains: tuple[str, ...] = ()  # ... or holds one of these

    def may_match(self, lowered: str) -> bool:
        return lowered.startswith(self.starts) or any(word in lowered for word in self.contains)


LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "donation appeal",
        re.compile(r"(?i)^(please )?(make|consider) (a )?(small )?donation\b"),
        starts=("please ", "make ", "consider "),
    ),
    LineRule(
        "donation appeal",
        re.compile(r"(?i)^(support|donate to) (us|our journalism)\b"),
        starts=("support ", "donate to "),
    ),
    LineRule(
        "app prompt",
        re.compile(r"(?i)^(android|ios|iphone|ipad|apple) users?:"),
        starts=("android ", "ios ", "iphone ", "ipad ", "apple "),
    ),
    LineRule(
        "app prompt",
        re.compile(r"(?i)\bdownload (our|the) (free )?app\b"),
        contains=("download ",),
    ),
    LineRule(
        "social links",
        re.compile(r"(?i)^(connect|follow) (with )?us\b"),
        starts=("connect ", "follow "),
    ),
    LineRule(
        "social links",
        re.compile(r"(?i)^follow (the )?[\w .'\u2019-]+ on (facebook|twitter|x|telegram)"),
        starts=("follow ",),
    ),
    LineRule(
        "newsletter prompt",
        re.compile(r"(?i)^sign up\b.*\bnewsletter\b"),
        starts=("sign up",),
    ),
    LineRule(
        "newsletter prompt",
        re.compile(r"(?i)^subscribe\b.*\bnewsletter\b"),
        starts=("subscribe",),
    ),
    LineRule(
        "cross-promotion",
        re.compile(r"^(READ|READ MORE|READ ALSO|ALSO READ|Read more|Read also):"),
        starts=("read", "also read"),
    ),
    # Any line may be one: its words are short and common ("A", "X", "Link"), so the pattern
    # itself, anchored at the start, is the test.
    LineRule(
        "share widget",
        re.compile(rf"(?i)^(?:(?:{WIDGET_WORDS}|\d[\d.,]*[KkMm]?)\b[\s|·•]*)+$"),
        starts=("",),
    ),
    LineRule(
        "image caption",
        re.compile(
            r"(\bvia Getty Images|/Getty Images|\bGetty Images|\bAP Photo\b[^.]*"
            r"|\((?:Photo|Image|Illustration)[^)]*\)|^(?:Photo|Image|Illustration)(?: by|:) .*)"
            r"\.?$"
        ),
        contains=("getty", "photo", "image", "illustration"),
    ),
)

# A heading whose lines up to the next non-list line are link lists to other articles.
LIST_HEADINGS = re.compile(
    r"(?i)^(related|related (articles|stories|news)|see also|more on this)"
    r":?$"
)
LIST_ITEM = re.compile(r"^[-•*\u2013]\s+")

# Where the page's footer furniture starts; nothing after it belongs to the article.
TAIL_START = re.compile(
    r"(?i)^(author['\u2019]s (selected|latest|recent) (articles|stories)|about the "
    r"author|more from (this|the) author)$"
)
AUTHOR_BOX_LABEL = re.compile(r"(?i)^(author|reporter|contributor|editor)$")
NAME_LINE = re.compile(r"^[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3}$")

# Footer lines are short: the longest line TAIL_START or AUTHOR_BOX_LABEL matches (with the
# newline ``$`` allows), so longer lines, most of them, skip both patterns.
FOOTER_LINE_MAX = 27

# A paragraph the scraper split: no closing punctuation, and the next part starts in lower case.
SENTENCE_END = re.compile(r"[.!?:;\"\u201d\u2019')\]…]$")
SENTENCE_END_CHARS = tuple(".!?:;\"\u201d\u2019')]…")


def ends_sentence(text: str) -> bool:
    """Whether ``SENTENCE_END`` finds a closing character at the end (``$`` also before a final
    newline), without its search, which tries every position of the paragraph."""
    return text.removesuffix("\n").endswith(SENTENCE_END_CHARS)


@dataclass(frozen=True)
class Removed:
    rule: str
    text: str


@dataclass
class CleanResult:
    lines: list[str]
    removed: list[Removed] = field(default_factory=list)


def source_lines(text: str) -> list[str]:
    """The non-empty lines of a source text, markup stripped and whitespace collapsed."""
    lines = (strip_markup(line) for line in text.split("\n"))
    return [line for line in lines if line]


def tail_start(lines: list[str]) -> int:
    """Index of the first line of the page footer (author box, author's article list)."""
    for index, line in enumerate(lines):
        if len(line) > FOOTER_LINE_MAX:
            continue
        if TAIL_START.match(line):
            return index
        if AUTHOR_BOX_LABEL.match(line) and index > 0 and NAME_LINE.match(lines[index - 1]):
            return index - 1
    return len(lines)


# What any rule but the always-tested ones needs, in one test: most lines pass none of it.
_STARTS = tuple(start for rule in LINE_RULES for start in rule.starts if start)
_CONTAINS = tuple(word for rule in LINE_RULES for word in rule.contains)
_ALWAYS = tuple(rule for rule in LINE_RULES if "" in rule.starts)


def line_rule(line: str) -> str | None:
    """The name of the boilerplate rule a line matches, or None for article text."""
    lowered = line.lower()
    # Plain loops, not any(): this runs for every line of every ingested file.
    rules = LINE_RULES
    if not lowered.startswith(_STARTS):
        for word in _CONTAINS:
            if word in lowered:
                break
        else:
            rules = _ALWAYS
    for rule in rules:
        if rule.may_match(lowered) and rule.pattern.search(line):
            return rule.name
    return None


def remove_boilerplate(lines: list[str]) -> CleanResult:
    """Drop boilerplate lines, link lists and the page footer; keep everything else in order."""
    result = CleanResult(lines=[])
    end = tail_start(lines)
    in_list = False
    for line in lines[:end]:
        if LIST_HEADINGS.match(line):
            in_list = True
            result.removed.append(Removed("related links", line))
            continue
        if in_list and LIST_ITEM.match(line):
            result.removed.append(Removed("related links", line))
            continue
        in_list = False
        rule = line_rule(line)
        if rule:
            result.removed.append(Removed(rule, line))
        else:
            result.lines.append(line)
    result.removed.extend(Removed("page footer", line) for line in lines[end:])
    return result


def join_split_paragraphs(lines: list[str]) -> list[str]:
    """Rejoin paragraphs the scraper split mid-sentence across lines."""
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and not ends_sentence(paragraphs[-1]) and line[0].islower():
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs
