"""The histogram: bar unit by span, counts per bar, and the accessible SVG it renders as."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from corpus.choices import DatePrecision
from tests.factories import EventFactory
from timeline.histogram import build_histogram, choose_unit
from timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "finest", "unit"),
    [
        (date(2024, 11, 1), date(2024, 11, 30), "day", "day"),
        (date(2024, 11, 1), date(2024, 11, 30), "month", "month"),
        (date(2024, 1, 1), date(2024, 11, 30), "day", "month"),
        (date(2015, 1, 1), date(2024, 11, 30), "day", "year"),
    ],
)
def test_unit_follows_the_span_but_never_finer_than_the_dates(first, last, finest, unit):
    assert choose_unit(first, last, finest) == unit


def test_monthly_bars_count_events_and_leave_year_dates_apart(scenario):
    histogram = build_histogram(Event.objects.all())
    assert histogram.unit == "month"
    # Jan 2023 … Nov 2024: 23 months, empty months included so the axis is continuous.
    assert len(histogram.bars) == 23
    counts = {bar.label: bar.count for bar in histogram.bars if bar.count}
    assert counts == {"Jun 2024": 1, "Aug 2024": 1, "Nov 2024": 2}
    assert histogram.undrawn == 1  # "New sanctions" is known only to the year 2023
    assert histogram.total == 5
    tallest = max(histogram.bars, key=lambda bar: bar.height)
    assert tallest.label == "Nov 2024"
    assert tallest.height == pytest.approx(150)  # the full chart height


def test_daily_bars_for_a_short_span(db):
    EventFactory(date=date(2024, 11, 17))
    EventFactory(date=date(2024, 11, 17))
    EventFactory(date=date(2024, 11, 20))
    histogram = build_histogram(Event.objects.all())
    assert histogram.unit == "day"
    assert [(bar.label, bar.count) for bar in histogram.bars] == [
        ("17 Nov 2024", 2),
        ("18 Nov 2024", 0),
        ("19 Nov 2024", 0),
        ("20 Nov 2024", 1),
    ]
    assert histogram.bars[1].height == 0


def test_yearly_bars_for_a_long_span(db):
    EventFactory(date=date(2014, 3, 1))
    EventFactory(date=date(2024, 1, 1), date_precision=DatePrecision.YEAR)
    histogram = build_histogram(Event.objects.all())
    assert histogram.unit == "year"
    assert len(histogram.bars) == 11
    assert histogram.undrawn == 0


def test_no_events_no_histogram(db):
    assert build_histogram(Event.objects.none()) is None


def test_histogram_is_one_query(scenario, django_assert_num_queries):
    with django_assert_num_queries(1):
        build_histogram(Event.objects.filter(status="reported"))


def test_svg_is_accessible_and_each_bar_has_a_tooltip(scenario):
    histogram = build_histogram(Event.objects.all())
    html = render_to_string("timeline/includes/histogram.html", {"histogram": histogram})
    assert 'role="img"' in html
    assert 'aria-labelledby="histogram-title histogram-desc"' in html
    assert '<title id="histogram-title">Events per month</title>' in html
    assert '<desc id="histogram-desc">5 events, counted by month from Jan 2023 to Nov 2024' in html
    assert "Not drawn: 1 event dated less precisely than a month." in html
    assert html.count('<rect class="bar"') == 23
    assert "<title>Nov 2024: 2 events</title>" in html
    assert "<title>Jun 2024: 1 event</title>" in html
    assert "style=" not in html  # the CSP forbids inline styles
    assert '<td><time datetime="2024-11">Nov 2024</time></td><td>2</td>' in html


def test_bars_go_coarser_when_most_events_are_dated_coarsely(db):
    EventFactory(date=date(2022, 2, 1), date_precision=DatePrecision.MONTH)
    EventFactory(date=date(2023, 1, 1), date_precision=DatePrecision.YEAR)
    EventFactory(date=date(2024, 1, 1), date_precision=DatePrecision.YEAR)
    histogram = build_histogram(Event.objects.all())
    assert histogram.unit == "year"
    assert [(bar.label, bar.count) for bar in histogram.bars] == [
        ("2022", 1),
        ("2023", 1),
        ("2024", 1),
    ]
    assert histogram.undrawn == 0
