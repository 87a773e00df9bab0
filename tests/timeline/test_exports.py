"""CSV and JSON exports: exactly the filtered events, with stable columns."""

import csv
import io
import json

import pytest
from django.urls import reverse, set_script_prefix

from tests.factories import EventFactory
from timeline.exports import CSV_COLUMNS, csv_row

TIMELINE = reverse("timeline:timeline")


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def read_json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def test_csv_columns_are_the_documented_ones():
    """Renaming or reordering a column breaks people's spreadsheets: this list is frozen."""
    assert CSV_COLUMNS == [
        "slug",
        "title",
        "date",
        "date_precision",
        "end_date",
        "event_type",
        "status",
        "place",
        "actors",
        "weapons",
        "outlets",
        "citation_count",
        "citation_urls",
        "summary",
        "url",
    ]


def test_csv_is_an_attachment_of_exactly_the_filtered_events(client, scenario):
    response = client.get(TIMELINE, {"actor": "joe-biden", "format": "csv"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sitrep-events.csv"'
    rows = read_csv(response)
    assert [row["slug"] for row in rows] == [
        scenario.debate.slug,
        scenario.authorisation.slug,
        scenario.warning.slug,
    ]
    assert list(rows[0]) == CSV_COLUMNS


def test_csv_row_content(client, scenario):
    rows = read_csv(client.get(TIMELINE, {"weapon": "atacms", "format": "csv"}))
    offensive, authorisation = rows
    assert offensive["date"] == "2024-08-01"
    assert offensive["date_precision"] == "month"
    assert offensive["end_date"] == ""
    assert offensive["actors"] == "volodymyr-zelensky:initiator; volodymyr-zelensky:speaker"
    assert offensive["weapons"] == "atacms; storm-shadow"
    assert authorisation["place"] == "kursk-oblast"
    assert authorisation["event_type"] == "decision"
    assert authorisation["status"] == "confirmed"
    assert authorisation["outlets"] == "reuters"
    assert authorisation["citation_count"] == "1"
    citation = scenario.authorisation.citations.get()
    article = reverse("corpus:article-detail", kwargs={"slug": citation.article.slug})
    assert authorisation["citation_urls"] == (
        f"http://testserver{article}?cite={citation.pk}#cite-{citation.pk}"
    )
    assert authorisation["url"] == "http://testserver" + scenario.authorisation.get_absolute_url()


def test_json_has_the_filters_and_nested_citations(client, scenario):
    data = read_json(client.get(TIMELINE, {"outlet": "tass", "format": "json"}))
    assert data["filters"] == {"outlet": ["tass"]}
    assert [event["slug"] for event in data["events"]] == [
        scenario.offensive.slug,
        scenario.warning.slug,
    ]
    warning = data["events"][1]
    assert warning["actors"] == [
        {"slug": "vladimir-putin", "name": "Vladimir Putin", "role": "speaker"},
        {"slug": "joe-biden", "name": "Joe Biden", "role": "target"},
    ]
    assert {c["outlet"] for c in warning["citations"]} == {"reuters", "tass"}
    assert {c["quote"] for c in warning["citations"]} == {
        "The Kremlin warned",
        "President Joe Biden",
    }
    assert set(warning) >= {"slug", "title", "date", "date_precision", "end_date", "place"}


def test_exports_are_not_paginated(client, db):
    for index in range(55):
        EventFactory(title=f"Bulk event {index:02d}")
    assert len(read_csv(client.get(TIMELINE, {"format": "csv"}))) == 55
    assert len(read_json(client.get(TIMELINE, {"format": "json", "page": "2"}))["events"]) == 55


def test_an_empty_result_exports_only_the_header(client, scenario):
    response = client.get(TIMELINE, {"q": "zzzunknownword", "format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.strip() == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize(
    "query",
    [
        {"actor": "nobody", "format": "csv"},
        {"date_from": "2024-02-30", "format": "json"},
        {"format": "xml"},
    ],
)
def test_bad_exports_are_400_never_the_whole_corpus(client, scenario, query):
    response = client.get(TIMELINE, query)
    assert response.status_code == 400
    assert b"joe-biden" not in response.content


def test_spreadsheet_formulas_are_defused():
    record = {
        "slug": "s",
        "title": "=HYPERLINK(1)",
        "date": "2024-11-17",
        "date_precision": "day",
        "end_date": None,
        "event_type": "other",
        "status": "reported",
        "place": None,
        "actors": [],
        "weapons": [],
        "citations": [],
        "summary": "@SUM(A1)",
        "url": "http://testserver/events/s/",
    }
    row = dict(zip(CSV_COLUMNS, csv_row(record), strict=True))
    assert row["title"] == "'=HYPERLINK(1)"
    assert row["summary"] == "'@SUM(A1)"


def test_export_queries_do_not_grow_with_rows(client, db, django_assert_max_num_queries):
    from tests.timeline.conftest import build_many_events

    build_many_events(60)
    with django_assert_max_num_queries(6):
        rows = read_csv(client.get(TIMELINE, {"format": "csv"}))
    assert len(rows) == 60
    assert all(row["citation_count"] == "3" for row in rows)


def test_export_urls_are_what_reverse_and_build_absolute_uri_give(client, scenario):
    """Routes are reversed once per export: the URLs must still carry the scheme, the host and
    the script prefix (a site served under /sitrep/), as reverse() and build_absolute_uri() do."""
    citation = scenario.authorisation.citations.get()
    set_script_prefix("/sitrep/")  # what the WSGI handler does for SCRIPT_NAME=/sitrep
    try:
        response = client.get(TIMELINE, {"weapon": "atacms", "format": "json"}, secure=True)
        event = read_json(response)["events"][1]
        event_path = scenario.authorisation.get_absolute_url()
        article_path = reverse("corpus:article-detail", kwargs={"slug": citation.article.slug})
    finally:
        set_script_prefix("/")
    assert event["slug"] == scenario.authorisation.slug
    assert event_path.startswith("/sitrep/events/")
    assert event["url"] == f"https://testserver{event_path}"
    [exported] = event["citations"]
    assert exported["url"] == (
        f"https://testserver{article_path}?cite={citation.pk}#cite-{citation.pk}"
    )


def test_export_reads_each_chunk_of_events_with_three_more_queries(
    client, db, django_assert_num_queries, monkeypatch
):
    from tests.timeline.conftest import build_many_events
    from timeline import exports

    build_many_events(25)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    # The events (one server-side cursor) and, for each of 3 chunks, actors, weapons, citations.
    with django_assert_num_queries(1 + 3 * 3):
        rows = read_csv(client.get(TIMELINE, {"format": "csv"}))
    assert len(rows) == 25
    assert all(row["citation_count"] == "3" and row["weapons"].count(";") == 1 for row in rows)


def test_export_builds_no_model_instance_per_event_or_link(client, db, monkeypatch):
    """A model instance per event, link and cited article (~15 per event) was most of an
    export's time; rows carry the same values. make bench measures the export itself."""
    from corpus.models import Article, Entity
    from tests.timeline.conftest import build_many_events
    from timeline.models import Citation, Event, EventActor, EventWeapon

    build_many_events(5)

    def refuse(cls, *args, **kwargs):
        raise AssertionError(f"an export built a {cls.__name__}")

    for model in (Event, EventActor, EventWeapon, Citation, Article, Entity):
        monkeypatch.setattr(model, "from_db", classmethod(refuse))
    assert len(read_csv(client.get(TIMELINE, {"format": "csv"}))) == 5
    assert len(read_json(client.get(TIMELINE, {"format": "json"}))["events"]) == 5
