"""Timeline models: date precision, periods and citations."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from corpus.choices import DatePrecision
from tests.factories import CitationFactory, EventFactory
from timeline.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "precision"),
    [(date(2024, 11, 17), DatePrecision.MONTH), (date(2023, 10, 1), DatePrecision.YEAR)],
)
def test_month_and_year_dates_are_stored_as_the_first_day(day, precision):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date=day, date_precision=precision)


def test_month_and_year_precision_accept_first_days():
    EventFactory(date=date(2024, 10, 1), date_precision=DatePrecision.MONTH)
    EventFactory(date=date(2023, 1, 1), date_precision=DatePrecision.YEAR)
    assert Event.objects.count() == 2


def test_end_date_cannot_precede_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(date=date(2024, 11, 17), end_date=date(2024, 11, 1))


def test_in_period_includes_events_overlapping_the_range():
    before = EventFactory(title="Before", date=date(2024, 8, 6))
    spanning = EventFactory(title="Spanning", date=date(2024, 8, 6), end_date=date(2024, 12, 1))
    inside = EventFactory(title="Inside", date=date(2024, 11, 17))
    after = EventFactory(title="After", date=date(2025, 1, 1))
    found = set(Event.objects.in_period(date(2024, 11, 1), date(2024, 11, 30)))
    assert found == {spanning, inside}
    assert before not in found and after not in found


def test_one_citation_per_article_and_event():
    citation = CitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CitationFactory(event=citation.event, article=citation.article)


def test_search_vector_is_stored_from_title_and_summary_weighted():
    event = EventFactory(title="Missile strike", summary="Launchers destroyed near Kursk")
    event.refresh_from_db()
    # Title words carry weight A, summary words B: a title match ranks higher in site search.
    assert "'missil':1A" in event.search_vector and "'kursk':6B" in event.search_vector
    event.summary = "Drones downed"
    event.save()
    event.refresh_from_db()
    assert "kursk" not in event.search_vector and "'drone':3B" in event.search_vector
