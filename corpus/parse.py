"""One source text to its parts: metadata lines read, boilerplate dropped, body assembled."""

from dataclasses import dataclass, field
from datetime import date

from corpus import clean, metadata


@dataclass
class ParsedSource:
    headline: str | None
    authors: list[str]
    dateline: date | None
    outlet_name: str | None
    paragraphs: list[str]
    removed: list[clean.Removed] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(self.body.split())


def parse_source(text: str) -> ParsedSource:
    """Split a decoded source text into metadata and the article's own paragraphs."""
    lines = clean.source_lines(text)
    outlet = metadata.outlet_name(lines)
    cleaned = clean.remove_boilerplate(lines)
    parsed = ParsedSource(
        headline=None,
        authors=[],
        dateline=None,
        outlet_name=outlet,
        paragraphs=[],
        removed=cleaned.removed,
    )
    kept: list[str] = []
    for index, line in enumerate(cleaned.lines):
        if index == 0 and len(cleaned.lines) > 1 and (title := metadata.headline(line)):
            parsed.headline = title
            parsed.removed.append(clean.Removed("headline", line))
        elif (names := metadata.byline(line)) is not None:
            parsed.authors.extend(name for name in names if name not in parsed.authors)
            parsed.removed.append(clean.Removed("byline", line))
        elif (stated := metadata.dateline(line)) is not None:
            parsed.dateline = parsed.dateline or stated
            parsed.removed.append(clean.Removed("dateline", line))
        else:
            kept.append(line)
    parsed.paragraphs = clean.join_split_paragraphs(kept)
    return parsed
