"""CSV and JSON exports of exactly the events a timeline filter matches.

The columns are a published interface (README "Timeline"): add new ones at the end, never
rename or reorder. Both formats stream, reading the events in chunks, so a large result neither
sits in memory nor times out before the first byte.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from urllib.parse import urlencode, urlunsplit

from django.http import StreamingHttpResponse
from django.urls import reverse

CSV_COLUMNS = [
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
LIST_SEPARATOR = "; "
CHUNK_SIZE = 500
# Spreadsheets run cells starting with these as formulas; a leading apostrophe keeps them text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def citation_path(citation) -> str:
    """The article reader, scrolled to and highlighting the cited quote."""
    path = reverse("corpus:article-detail", kwargs={"slug": citation.article.slug})
    return urlunsplit(("", "", path, urlencode({"cite": citation.pk}), f"cite-{citation.pk}"))


def event_record(event, absolute_url) -> dict:
    """One event as plain data; ``absolute_url`` turns a site path into a full URL."""
    return {
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision,
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "event_type": event.event_type,
        "status": event.status,
        "place": event.place.slug if event.place else None,
        "actors": [
            {"slug": link.actor.slug, "name": link.actor.name, "role": link.role}
            for link in event.event_actors.all()
        ],
        "weapons": [
            {"slug": link.weapon.slug, "name": link.weapon.name}
            for link in event.event_weapons.all()
        ],
        "citations": [
            {
                "outlet": citation.article.outlet.slug if citation.article.outlet else None,
                "article": citation.article.slug,
                "article_title": citation.article.title,
                "published_on": (
                    citation.article.published_on.isoformat()
                    if citation.article.published_on
                    else None
                ),
                "url": absolute_url(citation_path(citation)),
                "source_url": citation.article.url or None,
                "quote": citation.quote,
            }
            for citation in event.citations.all()
        ],
        "summary": event.summary,
        "url": absolute_url(event.get_absolute_url()),
    }


def csv_row(record: dict) -> list[str]:
    citations = record["citations"]
    outlets = dict.fromkeys(c["outlet"] for c in citations if c["outlet"])
    row = [
        record["slug"],
        record["title"],
        record["date"],
        record["date_precision"],
        record["end_date"] or "",
        record["event_type"],
        record["status"],
        record["place"] or "",
        LIST_SEPARATOR.join(f"{a['slug']}:{a['role']}" for a in record["actors"]),
        LIST_SEPARATOR.join(w["slug"] for w in record["weapons"]),
        LIST_SEPARATOR.join(outlets),
        str(len(citations)),
        LIST_SEPARATOR.join(c["url"] for c in citations),
        record["summary"],
        record["url"],
    ]
    return [_defuse(cell) for cell in row]


def _defuse(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_PREFIXES) else cell


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer streaming."""

    def write(self, value):
        return value


def _records(events, absolute_url) -> Iterator[dict]:
    for event in events.iterator(chunk_size=CHUNK_SIZE):
        yield event_record(event, absolute_url)


def _csv_lines(records: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for record in records:
        yield writer.writerow(csv_row(record))


def _json_chunks(records: Iterable[dict], query: dict) -> Iterator[str]:
    yield '{"filters": ' + json.dumps(query) + ', "events": ['
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


def csv_response(events, *, absolute_url, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(_records(events, absolute_url)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(events, *, absolute_url, query: dict) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        _json_chunks(_records(events, absolute_url), query),
        content_type="application/json; charset=utf-8",
    )
