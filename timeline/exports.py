"""CSV and JSON exports of exactly the events a timeline filter matches.

The columns are a published interface (README "Timeline"): add new ones at the end, never
rename or reorder. Both formats stream, reading the events in chunks, so a large result neither
sits in memory nor times out before the first byte.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import batched

from django.http import StreamingHttpResponse

from config.links import SlugRoute
from timeline.link_rows import EventLinkRows

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


# What an export reads of each event: rows, not model instances (timeline/link_rows.py).
EVENT_FIELDS = (
    "pk",
    "slug",
    "title",
    "date",
    "date_precision",
    "end_date",
    "event_type",
    "status",
    "place__slug",
    "summary",
)


class SiteLinks:
    """The full URLs an export writes, at the cost of one ``reverse()`` per route per export
    (``config.links.SlugRoute``) and one ``build_absolute_uri()`` in all: per event, the
    two calls cost more than reading the event."""

    def __init__(self, request):
        self.root = request.build_absolute_uri("/")
        self.event_path = SlugRoute("timeline:event-detail")
        self.article_path = SlugRoute("corpus:article-detail")

    def absolute(self, path: str) -> str:
        """``request.build_absolute_uri(path)`` for a path of this site (starting with "/")."""
        return self.root + path.removeprefix("/")

    def event(self, slug: str) -> str:
        return self.absolute(self.event_path(slug))

    def citation(self, article_slug: str, citation_pk: int) -> str:
        """The article reader, scrolled to and highlighting the cited quote."""
        path = self.article_path(article_slug)
        return self.absolute(f"{path}?cite={citation_pk:d}#cite-{citation_pk:d}")


def event_record(event, links: EventLinkRows, urls: SiteLinks) -> dict:
    """One event (a row of ``EVENT_FIELDS``) as plain data, with its actors, weapons and
    citations from ``links``."""
    return {
        "slug": event.slug,
        "title": event.title,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision,
        "end_date": event.end_date.isoformat() if event.end_date else None,
        "event_type": event.event_type,
        "status": event.status,
        "place": event.place__slug,
        "actors": [
            {"slug": actor.actor__slug, "name": actor.actor__name, "role": actor.role}
            for actor in links.actors.get(event.pk, ())
        ],
        "weapons": [
            {"slug": weapon.weapon__slug, "name": weapon.weapon__name}
            for weapon in links.weapons.get(event.pk, ())
        ],
        "citations": [
            {
                "outlet": citation.article__outlet__slug,
                "article": citation.article__slug,
                "article_title": citation.article__title,
                "published_on": (
                    citation.article__published_on.isoformat()
                    if citation.article__published_on
                    else None
                ),
                "url": urls.citation(citation.article__slug, citation.pk),
                "source_url": citation.article__url or None,
                "quote": citation.quote,
            }
            for citation in links.citations.get(event.pk, ())
        ],
        "summary": event.summary,
        "url": urls.event(event.slug),
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


def _records(events, urls: SiteLinks) -> Iterator[dict]:
    """The events' records, reading ``CHUNK_SIZE`` events and then their links at a time."""
    rows = events.values_list(*EVENT_FIELDS, named=True).iterator(chunk_size=CHUNK_SIZE)
    for chunk in batched(rows, CHUNK_SIZE, strict=False):  # the last chunk may be short
        links = EventLinkRows.of([event.pk for event in chunk])
        for event in chunk:
            yield event_record(event, links, urls)


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


def csv_response(events, *, request, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(_records(events, SiteLinks(request))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def json_response(events, *, request, query: dict) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        _json_chunks(_records(events, SiteLinks(request)), query),
        content_type="application/json; charset=utf-8",
    )
