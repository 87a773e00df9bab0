"""Project-wide pages: the home page, the health check and the error pages."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from config.pagecache import CorpusPageCacheMixin
from corpus.summary import corpus_summary

logger = logging.getLogger(__name__)


class HomeView(CorpusPageCacheMixin, TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(summary=corpus_summary(), **kwargs)


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a query, 503 otherwise; load balancers poll this."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unreachable")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    # The exception text can name internals (URL patterns, lookups): never render it.
    return render(request, "404.html", status=404)


def server_error(request):
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the template layer itself may be what failed
        return HttpResponse(
            "Server error. The problem has been logged.", status=500, content_type="text/plain"
        )
