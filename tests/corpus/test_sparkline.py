"""The mentions-over-time chart: buckets that fit, accessible SVG, no inline styles."""

from datetime import date

from corpus.sparkline import MAX_BARS, buckets, describe, sparkline_svg


def test_short_spans_are_drawn_by_day_with_empty_days_kept():
    bars = buckets([(date(2024, 11, 17), "day", 2), (date(2024, 11, 19), "day", 5)])
    assert [(b.label, b.count) for b in bars] == [
        ("17 Nov 2024", 2),
        ("18 Nov 2024", 0),
        ("19 Nov 2024", 5),
    ]


def test_long_spans_are_drawn_by_month_then_by_year():
    monthly = buckets(
        [
            (date(2023, 1, 5), "day", 1),
            (date(2024, 11, 18), "day", 3),
            (date(2024, 11, 2), "day", 1),
        ]
    )
    assert monthly[0].label == "Jan 2023" and monthly[-1].label == "Nov 2024"
    assert monthly[-1].count == 4 and len(monthly) == 23
    yearly = buckets([(date(1990, 1, 1), "day", 1), (date(2024, 1, 1), "day", 1)])
    assert len(yearly) == 35 <= MAX_BARS and yearly[0].label == "1990"


def test_svg_is_an_image_with_title_and_description_and_no_style_attribute():
    bars = buckets([(date(2024, 11, 17), "day", 2), (date(2024, 11, 18), "day", 6)])
    svg = sparkline_svg(bars, title="Mentions of <Zelensky>", chart_id="spark-1")
    assert 'role="img"' in svg and 'aria-labelledby="spark-1-title spark-1-desc"' in svg
    assert '<title id="spark-1-title">Mentions of &lt;Zelensky&gt;</title>' in svg
    assert "8 mentions, 17 Nov 2024 to 18 Nov 2024; peak 6 in 18 Nov 2024." in svg
    assert svg.count("<rect") == 2 and "style=" not in svg


def test_a_month_precise_date_is_never_drawn_on_a_day():
    bars = buckets([(date(2024, 11, 1), "month", 2), (date(2024, 11, 18), "day", 3)])
    assert [(b.label, b.count) for b in bars] == [("Nov 2024", 5)]
    bars = buckets([(date(2023, 1, 1), "year", 1), (date(2024, 11, 18), "day", 3)])
    assert [(b.label, b.count) for b in bars] == [("2023", 1), ("2024", 3)]


def test_no_mentions_draw_nothing():
    assert buckets([]) == []
    assert sparkline_svg([], title="x", chart_id="s") == ""
    assert describe([]) == "No dated mentions."
