"""What a source text says about itself: headline, byline, dateline and the outlet's own name.

Each reader looks at one line (the outlet reader at all lines, boilerplate included, since
sites name themselves in their donation and social-media prompts) and returns None when the
line says nothing, so the manifest can fill the gap.
"""

import re
from datetime import date

HEADLINE_MAX_WORDS = 25
HEADLINE_END = re.compile(r"[.!?;,\"\u201d\u2019']$")

# "By Melanie Sun", "By Jane Doe and John Roe", "By A. Smith, B. Jones & C. Brown".
PARTICLES = "de|der|den|di|du|van|von|al|bin|ibn|da|das|dos|del|la|le"
NAME = rf"[A-Z][\w.'\u2019-]*(?: (?:[A-Z][\w.'\u2019-]*|{PARTICLES}))*"
BYLINE = re.compile(rf"^By ({NAME}(?:(?:, | and | & |, and ){NAME})*)$")
AUTHOR_SEPARATOR = re.compile(r", and |, | and | & ")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Every month name starts with one of these: a line starting with none of them, nor with a
# digit or "Published", is no dateline, and the three patterns below need not run.
MONTH_PREFIXES = frozenset(name[:3] for name in MONTHS)
# A dateline is a line that is only a date, possibly followed by an "Updated: …" stamp.
UPDATED = r"(?:\s*(?:\||·)?\s*Updated:?\s.*)?"
DATELINE_NUMERIC = re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}){UPDATED}$")  # US: M/D/Y
DATELINE_ISO = re.compile(rf"^(\d{{4}})-(\d{{2}})-(\d{{2}}){UPDATED}$")
DATELINE_WORDS = re.compile(
    rf"^(?:Published:?\s+)?([A-Za-z]{{3,9}})\.? (\d{{1,2}}), (\d{{4}}){UPDATED}$"
)

# How sites name themselves: in appeals and prompts, and when they report their own questions.
OUTLET_SELF_REFERENCES = (
    (
        "donation",
        re.compile(r"(?i)\bdonation to (?:the )?(?P<name>[A-Z][\w.'\u2019 -]+?) to help\b"),
    ),
    (
        "follow",
        re.compile(
            r"(?i)\bfollow (?:the )?(?P<name>[A-Z][\w.'\u2019 -]+?) on (?:facebook|twitter|x)\b"
        ),
    ),
    (
        "request for comment",
        re.compile(
            r"\bdeclined (?P<name>(?:The )?[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,4})(?:'|\u2019)s? "
            r"request for comment\b"
        ),
    ),
)


def headline(line: str) -> str | None:
    """The line as a headline: short, and not ending like a sentence."""
    if HEADLINE_END.search(line) or len(line.split()) > HEADLINE_MAX_WORDS:
        return None
    return line


def byline(line: str) -> list[str] | None:
    """The authors a "By …" line names."""
    match = line.startswith("By ") and BYLINE.match(line)
    if not match:
        return None
    return [name.strip() for name in AUTHOR_SEPARATOR.split(match.group(1)) if name.strip()]


def dateline(line: str) -> date | None:
    """The publication date a line that holds only a date states (the first date on it)."""
    # \d is a Unicode decimal digit, as isdecimal(); DATELINE_WORDS' month name starts the line
    # unless "Published" does.
    if not (
        line[:1].isdecimal() or line[:3].lower() in MONTH_PREFIXES or line.startswith("Published")
    ):
        return None
    try:
        if match := DATELINE_NUMERIC.match(line):
            month, day, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := DATELINE_ISO.match(line):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
        if (match := DATELINE_WORDS.match(line)) and match.group(1).lower() in MONTHS:
            return date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
    except ValueError:  # 13/45/2024 is not a date, so not a dateline either
        return None
    return None


def outlet_name(lines: list[str]) -> str | None:
    """The outlet's name as the text gives it about itself, first occurrence wins."""
    for line in lines:
        lowered = line.lower()
        for word, pattern in OUTLET_SELF_REFERENCES:
            if word in lowered and (match := pattern.search(line)):
                return match.group("name").strip()
    return None
