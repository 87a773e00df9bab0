"""Events over time for the current filter, as numbers an SVG template can draw.

One GROUP BY query counts events per (date, precision); the bars are then made in Python. The
bar unit follows the span of the result (days up to two months, months up to six years, years
beyond) but is never finer than the finest date present, and goes coarser when most events
are dated more coarsely than the bars. Events dated more coarsely than the
bars (a "2023" event among monthly bars) cannot be placed on one bar without inventing a date,
so they are counted apart and the chart's description says how many.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from corpus.choices import DatePrecision
from timeline.periods import PRECISION_ORDER, next_period, period_datetime, period_label, truncate

DAY_SPAN_LIMIT = 62  # days
MONTH_SPAN_LIMIT = 6 * 366  # days

# The SVG's coordinate system (viewBox); CSS stretches it to the column width and a fixed
# height, so the labels live in HTML around it.
WIDTH, HEIGHT = 720, 150
GAP_MAX = 4
UNIT_NAMES = {DatePrecision.DAY: "day", DatePrecision.MONTH: "month", DatePrecision.YEAR: "year"}


@dataclass(frozen=True)
class Bar:
    start: date
    unit: str
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        return period_label(self.start, self.unit)

    @property
    def datetime(self) -> str:
        return period_datetime(self.start, self.unit)

    @property
    def tooltip(self) -> str:
        noun = "event" if self.count == 1 else "events"
        return f"{self.label}: {self.count} {noun}"


@dataclass(frozen=True)
class Histogram:
    unit: str
    bars: list[Bar]
    undrawn: int

    width = WIDTH
    height = HEIGHT
    baseline = HEIGHT

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars) + self.undrawn

    @property
    def max_count(self) -> int:
        return max(bar.count for bar in self.bars)

    @property
    def unit_name(self) -> str:
        return UNIT_NAMES[self.unit]

    @property
    def first(self) -> Bar:
        return self.bars[0]

    @property
    def last(self) -> Bar:
        return self.bars[-1]

    @property
    def description(self) -> str:
        busiest = max(self.bars, key=lambda bar: bar.count)
        text = (
            f"{self.total} events, counted by {self.unit_name} from {self.first.label} "
            f"to {self.last.label}; the most in {busiest.label} ({busiest.count})."
        )
        if self.undrawn:
            noun = "event" if self.undrawn == 1 else "events"
            text += (
                f" Not drawn: {self.undrawn} {noun} dated less precisely than a {self.unit_name}."
            )
        return text


def choose_unit(first: date, last: date, finest: str) -> str:
    span = (last - first).days
    if span <= DAY_SPAN_LIMIT:
        unit = DatePrecision.DAY
    elif span <= MONTH_SPAN_LIMIT:
        unit = DatePrecision.MONTH
    else:
        unit = DatePrecision.YEAR
    return max(unit, finest, key=PRECISION_ORDER.index)


def build_histogram(events) -> Histogram | None:
    """The histogram of an Event queryset, or None when it matches nothing."""
    rows = list(
        events.order_by()
        .values_list("date", "date_precision")
        .annotate(count=Count("pk"))
        .order_by("date")
    )
    if not rows:
        return None
    finest = min((precision for _, precision, _ in rows), key=PRECISION_ORDER.index)
    unit = choose_unit(rows[0][0], rows[-1][0], finest)
    # When most events are dated more coarsely than the bars, coarser bars say more.
    total = sum(count for _, _, count in rows)
    while unit != DatePrecision.YEAR and 2 * _coarser_than(rows, unit) > total:
        unit = PRECISION_ORDER[PRECISION_ORDER.index(unit) + 1]
    rank = PRECISION_ORDER.index(unit)
    counts: dict[date, int] = {}
    undrawn = 0
    for day, precision, count in rows:
        if PRECISION_ORDER.index(precision) > rank:
            undrawn += count
            continue
        start = truncate(day, unit)
        counts[start] = counts.get(start, 0) + count
    starts = _periods(truncate(rows[0][0], unit), truncate(rows[-1][0], unit), unit)
    return Histogram(unit, _bars(starts, counts, unit), undrawn)


def _coarser_than(rows, unit: str) -> int:
    rank = PRECISION_ORDER.index(unit)
    return sum(count for _, precision, count in rows if PRECISION_ORDER.index(precision) > rank)


def _periods(first: date, last: date, unit: str) -> list[date]:
    starts = [first]
    while starts[-1] < last:
        starts.append(next_period(starts[-1], unit))
    return starts


def _bars(starts: list[date], counts: dict[date, int], unit: str) -> list[Bar]:
    peak = max(counts.values(), default=0) or 1
    slot = WIDTH / len(starts)
    gap = min(slot * 0.15, GAP_MAX)
    bars = []
    for index, start in enumerate(starts):
        count = counts.get(start, 0)
        height = round(HEIGHT * count / peak, 2)
        bars.append(
            Bar(
                start=start,
                unit=unit,
                count=count,
                x=round(index * slot + gap / 2, 2),
                y=round(HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=height,
            )
        )
    return bars
