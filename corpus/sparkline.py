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
MAX_BAR_STEP = 14
MAX_BARS = 60


@dataclass(frozen=True)
class Bucket:
    start: date
    count: int
    label: str


UNITS = ("day", "month", "year")
LABELS = {"day": "%d %b %Y", "month": "%b %Y", "year": "%Y"}


def _start(day: date, unit: str) -> date:
    if unit == "year":
        return date(day.year, 1, 1)
    return day.replace(day=1) if unit == "month" else day


def _after(day: date, unit: str) -> date:
    if unit == "year":
        return date(day.year + 1, 1, 1)
    if unit == "month":
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(day.toordinal() + 1)


def _periods(first: date, last: date, unit: str) -> list[date]:
    periods, cursor = [], _start(first, unit)
    while cursor <= last:
        periods.append(cursor)
        cursor = _after(cursor, unit)
    return periods


def buckets(rows: Iterable[tuple[date, str, int]]) -> list[Bucket]:
    """Counts per ``(date, precision)`` regrouped by day, month or year.

    The unit is the finest that fits in ``MAX_BARS`` bars and is no finer than the coarsest
    date precision present: an article dated "Nov 2024" is never drawn on 1 November.
    Empty periods between the first and last are kept as zero-height bars: gaps are facts.
    """
    counts: Counter[date] = Counter()
    coarsest = 0
    for day, precision, n in rows:
        counts[day] += n
        coarsest = max(coarsest, UNITS.index(precision) if precision in UNITS else 0)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    for unit in UNITS[coarsest:]:
        periods = _periods(first, last, unit)
        if len(periods) <= MAX_BARS:
            break
    grouped: Counter[date] = Counter()
    for day, n in counts.items():
        grouped[_start(day, unit)] += n
    return [
        Bucket(start, grouped[start], start.strftime(LABELS[unit]).removeprefix("0"))
        for start in periods
    ]


def sparkline_svg(bars: list[Bucket], *, title: str, chart_id: str) -> SafeString | str:
    """The SVG for ``bars``; presentation attributes and classes only (the CSP bans styles)."""
    if not bars:
        return ""
    peak = max(bar.count for bar in bars) or 1
    # Few bars stay slim: two fat blocks read as a different kind of chart.
    step = min(WIDTH / len(bars), MAX_BAR_STEP)
    width = round(step * len(bars))
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
        width,
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
