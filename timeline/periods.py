"""Dates as precise as the sources: a day, a month or a year, never a fake day.

An event known only to the month is stored on the month's first day (see Event); these helpers
turn a (date, precision) pair back into what is actually known: its label, its machine-readable
`<time datetime>` value, and the group the timeline lists it under.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.dateformat import format as date_format

from corpus.choices import DatePrecision

# Finest first: a bar or group of one unit can hold events of that precision or finer.
PRECISION_ORDER = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]


def truncate(day: date, precision: str) -> date:
    """The first day of the period of ``precision`` that contains ``day``."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def period_label(day: date, precision: str) -> str:
    """ "17 Nov 2024", "Nov 2024" or "2024"."""
    if precision == DatePrecision.YEAR:
        return date_format(day, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(day, "M Y")
    return date_format(day, "j M Y")


def period_datetime(day: date, precision: str) -> str:
    """The HTML `<time datetime>` value: "2024-11-17", "2024-11" or "2024"."""
    if precision == DatePrecision.YEAR:
        return date_format(day, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(day, "Y-m")
    return day.isoformat()


def next_period(day: date, precision: str) -> date:
    """The first day of the period after the one starting on ``day``."""
    if precision == DatePrecision.YEAR:
        return day.replace(year=day.year + 1)
    if precision == DatePrecision.MONTH:
        return date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return date.fromordinal(day.toordinal() + 1)


@dataclass
class PeriodGroup:
    """Events sharing one date as precise as they are known: a heading of the timeline."""

    start: date
    precision: str
    events: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return period_label(self.start, self.precision)

    @property
    def datetime(self) -> str:
        return period_datetime(self.start, self.precision)

    @property
    def precision_label(self) -> str:
        return DatePrecision(self.precision).label.lower()


def group_by_period(events) -> list[PeriodGroup]:
    """Consecutive events (already in date order) grouped under their date and precision."""
    groups: list[PeriodGroup] = []
    for event in events:
        if not groups or (groups[-1].start, groups[-1].precision) != (
            event.date,
            event.date_precision,
        ):
            groups.append(PeriodGroup(event.date, event.date_precision))
        groups[-1].events.append(event)
    return groups
