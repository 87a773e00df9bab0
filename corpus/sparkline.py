"""A small inline SVG bar chart of mentions over time, drawn on the server.

Bars rather than a line: a corpus that spans a single month still draws something true.
The chart is an image with a <title> and <desc>; the caption beside it says the same in
words, so nothing depends on seeing it.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 240, 40
MAX_BARS = 60


@dataclass(frozen=True)
class Bucket:
    start: date
    count: int
    label: str


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def buckets(daily: Iterable[tuple[date, int]]) -> list[Bucket]:
    """Daily counts regrouped by day, month or year, whichever fits in ``MAX_BARS`` bars.

    Empty periods between the first and last are kept as zero-height bars: gaps are facts.
    """
    counts = Counter()
    for day, n in daily:
        counts[day] += n
    if not counts:
        return []
    first, last = min(counts), max(counts)
    if (last - first).days < MAX_BARS:
        grouped = counts
        starts = [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1)]
        label = "%d %b %Y"
    else:
        grouped = Counter()
        for day, n in counts.items():
            grouped[_month(day)] += n
        starts = []
        cursor = _month(first)
        while cursor <= last:
            starts.append(cursor)
            cursor = _next_month(cursor)
        label = "%b %Y"
        if len(starts) > MAX_BARS:
            years = Counter()
            for day, n in counts.items():
                years[date(day.year, 1, 1)] += n
            grouped = years
            starts = [date(y, 1, 1) for y in range(first.year, last.year + 1)]
            label = "%Y"
    return [
        Bucket(start, grouped.get(start, 0), start.strftime(label).removeprefix("0"))
        for start in starts
    ]


def sparkline_svg(bars: list[Bucket], *, title: str, chart_id: str) -> SafeString | str:
    """The SVG for ``bars``; presentation attributes and classes only (the CSP bans styles)."""
    if not bars:
        return ""
    peak = max(bar.count for bar in bars) or 1
    step = WIDTH / len(bars)
    gap = 1 if step > 3 else 0
    rects = []
    for index, bar in enumerate(bars):
        height = max(1.0, bar.count / peak * (HEIGHT - 2)) if bar.count else 0.0
        rects.append(
            (
                f"{index * step:.2f}",
                f"{HEIGHT - height:.2f}",
                f"{max(step - gap, 0.5):.2f}",
                f"{height:.2f}",
                f"{bar.label}: {bar.count}",
            )
        )
    bars_markup = format_html_join(
        "",
        '<rect class="spark-bar" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        rects,
    )
    return format_html(
        '<svg class="sparkline" role="img" aria-labelledby="{0}-title {0}-desc" '
        'viewBox="0 0 {1} {2}" width="{1}" height="{2}" focusable="false">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>'
        '<line class="spark-axis" x1="0" y1="{2}" x2="{1}" y2="{2}" stroke="currentColor" />'
        "{5}</svg>",
        chart_id,
        WIDTH,
        HEIGHT,
        title,
        describe(bars),
        bars_markup,
    )


def describe(bars: list[Bucket]) -> str:
    """The chart in words: total, span and peak."""
    if not bars:
        return "No dated mentions."
    total = sum(bar.count for bar in bars)
    peak = max(bars, key=lambda bar: bar.count)
    span = bars[0].label if len(bars) == 1 else f"{bars[0].label} to {bars[-1].label}"
    plural = "s" if total != 1 else ""
    return f"{total} mention{plural}, {span}; peak {peak.count} in {peak.label}."
