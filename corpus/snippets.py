"""Marked-up text built from source text: keyword-in-context snippets, search headlines and
the article reader's body with its mentions and cited quotes.

Source text is never trusted: every piece of it goes through ``format_html`` (which escapes
it) and only our own tags are added around the pieces; nothing here calls ``mark_safe``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Private-use characters: ts_headline wraps matches in them, then ``headline_html`` turns
# them into <mark> after escaping. Real text does not contain them; if it does, they only
# toggle highlighting, never produce markup.
HIGHLIGHT_START = "\ue000"
HIGHLIGHT_STOP = "\ue001"

ELLIPSIS = "…"


def _join(pieces: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def keyword_in_context(text: str, start: int, end: int, *, offset: int = 0, width: int = 80):
    """``text`` around ``[start, end)`` with the span in ``<mark>``, cut at word boundaries.

    ``offset`` is where ``text`` begins in the full body, so body offsets can be passed
    even when ``text`` is only a window of it (``Mention.objects.with_context()``).
    """
    start, end = start - offset, end - offset
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    before_from = max(0, start - width)
    after_to = min(len(text), end + width)
    before, after = text[before_from:start], text[end:after_to]
    # Trim the partial words at both cut edges so snippets start and end on whole words.
    if before_from > 0 or offset > 0:
        before = before.split(" ", 1)[1] if " " in before else before
        before = ELLIPSIS + before.lstrip()
    if after_to < len(text):
        after = after.rsplit(" ", 1)[0] if " " in after else after
        after = after.rstrip() + ELLIPSIS
    before, after = " ".join(before.split("\n")), " ".join(after.split("\n"))
    return format_html("{}<mark>{}</mark>{}", before, text[start:end], after)


def headline_html(headline: str) -> SafeString:
    """Turn a ts_headline result wrapped in the private markers into safe HTML."""
    pieces: list[SafeString] = []
    highlighted = False
    buffer: list[str] = []

    def flush():
        if buffer:
            text = "".join(buffer)
            pieces.append(
                format_html("<mark>{}</mark>", text) if highlighted else format_html("{}", text)
            )
            buffer.clear()

    for char in headline or "":
        if char in (HIGHLIGHT_START, HIGHLIGHT_STOP):
            flush()
            highlighted = char == HIGHLIGHT_START
        else:
            buffer.append(char)
    flush()
    return _join(pieces)


@dataclass(frozen=True)
class Span:
    """A marked stretch of the body: a mention (with its link) or a cited quote."""

    start: int
    end: int
    url: str = ""
    label: str = ""
    citation_id: int | None = None


def choose_mentions(spans: Iterable[Span], length: int) -> list[Span]:
    """Non-overlapping mentions, earliest first and the longest where two start together.

    "Kursk Oblast" wins over "Kursk" at the same offset; a span inside another is dropped.
    """
    chosen: list[Span] = []
    reach = 0
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if span.start < reach or span.end > length or span.start >= span.end:
            continue
        chosen.append(span)
        reach = span.end
    return chosen


def locate_quote(body: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """The quote's offsets, trusting stored offsets only when they match the body."""
    if 0 <= start < end <= len(body) and (not quote or body[start:end] == quote):
        return start, end
    found = body.find(quote) if quote else -1
    return (found, found + len(quote)) if found >= 0 else None


def mark_up_body(
    body: str,
    mentions: Iterable[Span],
    citations: Sequence[Span] = (),
    *,
    active_citation: int | None = None,
) -> list[SafeString]:
    """The body as a list of paragraphs, mentions linked and cited quotes in ``<mark>``.

    The body is cut at every span edge and line break; each piece is escaped, then wrapped
    in the link of the mention covering it and the marks of the quotes covering it. A quote
    gets its ``id="cite-<pk>"`` on its first piece only, so ids stay unique.
    """
    chosen = choose_mentions(mentions, len(body))
    quotes = [c for c in citations if 0 <= c.start < c.end <= len(body)]
    cuts = {0, len(body)}
    for span in (*chosen, *quotes):
        cuts.update((span.start, span.end))
    cuts.update(i for i, char in enumerate(body) if char == "\n")
    cuts.update(i + 1 for i, char in enumerate(body) if char == "\n")
    edges = sorted(cuts)

    paragraphs: list[SafeString] = []
    current: list[SafeString] = []
    anchored: set[int] = set()
    mention_at = iter(chosen)
    mention = next(mention_at, None)
    for a, b in pairwise(edges):
        text = body[a:b]
        if text == "\n":
            if current:
                paragraphs.append(_join(current))
                current = []
            continue
        while mention is not None and mention.end <= a:
            mention = next(mention_at, None)
        piece = format_html("{}", text)
        if mention is not None and mention.start <= a and b <= mention.end:
            piece = format_html(
                '<a class="mention" href="{}" title="{}">{}</a>', mention.url, mention.label, piece
            )
        for quote in quotes:
            if quote.start <= a and b <= quote.end:
                piece = _quote_mark(piece, quote, active_citation, anchored)
        current.append(piece)
    if current:
        paragraphs.append(_join(current))
    return paragraphs


def _quote_mark(piece, quote: Span, active: int | None, anchored: set[int]) -> SafeString:
    css = "cite cite-active" if quote.citation_id == active else "cite"
    if quote.citation_id in anchored:
        return format_html('<mark class="{}">{}</mark>', css, piece)
    anchored.add(quote.citation_id)
    return format_html('<mark class="{}" id="cite-{}">{}</mark>', css, quote.citation_id, piece)
