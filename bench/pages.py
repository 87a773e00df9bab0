"""The pages the benchmark measures, chosen from the loaded corpus, and their query counts."""

import time
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from corpus.generate_text import RARE_TERM
from corpus.models import Actor, Article, Mention
from corpus.views import ActorListView
from timeline.models import Event, EventActor

COMMON_TERM = "officials"  # in almost every generated article (see corpus/generate_text.py)


def discover_pages() -> dict[str, str]:
    """Page name -> path, for the corpus in the current database."""
    top_actor = (
        Mention.objects.filter(entity__entity_type="actor")
        .values("entity__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    busiest = (
        EventActor.objects.values("actor__slug").annotate(n=Count("id")).order_by("-n").first()
    )
    event_type = Event.objects.values("event_type").annotate(n=Count("id")).order_by("-n").first()
    filters = {"actor": busiest["actor__slug"], "type": event_type["event_type"]}
    middle = Article.objects.canonical().order_by("pk")[Article.objects.count() // 2]
    # Halfway down the alphabetical list of actors: a deep page of a long list.
    actor_page = Actor.objects.count() // ActorListView.paginate_by // 2 + 1
    timeline = reverse("timeline:timeline")
    search = reverse("corpus:search")
    return {
        "timeline, two filters": f"{timeline}?{urlencode(filters)}",
        "timeline, unfiltered": timeline,
        "entity: most mentioned actor": reverse(
            "corpus:actor-detail", kwargs={"slug": top_actor["entity__slug"]}
        ),
        "actor list, middle page": f"{reverse('corpus:actor-list')}?page={actor_page}",
        "article": middle.get_absolute_url(),
        "article list with facets": reverse("corpus:article-list"),
        "search, rare term": f"{search}?{urlencode({'q': RARE_TERM})}",
        "search, common term": f"{search}?{urlencode({'q': COMMON_TERM})}",
        "CSV export, filtered timeline": f"{timeline}?{urlencode({**filters, 'format': 'csv'})}",
    }


def queries_per_page(pages: dict[str, str]) -> dict[str, dict]:
    """One cold request per page in this process: SQL queries (streamed bodies included)."""
    client = Client(HTTP_HOST="127.0.0.1")
    figures = {}
    for name, path in pages.items():
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            elapsed = time.perf_counter() - started
        figures[name] = {
            "status": response.status_code,
            "queries": len(captured),
            "bytes": len(body),
            "ms": round(elapsed * 1000),
            "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000),
        }
    return figures
