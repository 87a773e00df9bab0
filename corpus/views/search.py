"""Search across articles, events and entities, grouped by type."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.views.generic import TemplateView

from config.pagecache import CorpusPageCacheMixin
from corpus import search
from corpus.search import (
    capped_count,
    plan_search,
    search_articles,
    search_entities,
    search_events,
)
from corpus.snippets import headline_html

GROUPS = {
    "entity": ("Names", 8),
    "article": ("Articles", 10),
    "event": ("Events", 10),
}
PAGE_SIZE = 25


class SearchView(CorpusPageCacheMixin, TemplateView):
    """``?q=`` searches everything, a few of each type; ``&type=`` pages through one type."""

    template_name = "corpus/search.html"

    def get_context_data(self, **kwargs):
        plan = plan_search(self.request.GET.get("q"))
        only = self.request.GET.get("type", "")
        context = super().get_context_data(
            query=plan.parsed.text,
            plan=plan,
            messages_=plan.parsed.messages,
            only=only if only in GROUPS else "",
            groups=[],
            **kwargs,
        )
        if only and only not in GROUPS:
            context["messages_"] = [
                *plan.parsed.messages,
                "Unknown result type; showing every type.",
            ]
        if not plan.searchable:
            return context
        # Built only for the types shown: articles and events are ranked at once (ids only),
        # and their rankings cached for the next page or visitor with the same query.
        searches = {
            "entity": lambda: search_entities(plan),
            "article": lambda: search_articles(plan.query, key=plan.searched),
            "event": lambda: search_events(plan.query, key=plan.searched),
        }
        if context["only"]:
            kind = context["only"]
            page = self.paginate(searches[kind]())
            # The article paginator counts at most ARTICLE_CANDIDATES; shown capped like the rest.
            found = page.paginator.count
            total = (min(found, search.COUNT_CAP), found > search.COUNT_CAP)
            context["groups"] = [self.group(kind, list(page.object_list), *total)]
            context["page_obj"] = page
        else:
            for kind, build in searches.items():
                queryset = build()
                shown = list(queryset[: GROUPS[kind][1]])
                if len(shown) < GROUPS[kind][1]:
                    total = (len(shown), False)
                else:
                    total = capped_count(queryset)
                context["groups"].append(self.group(kind, shown, *total))
        context["total"] = sum(group["count"] for group in context["groups"])
        context["total_capped"] = any(group["capped"] for group in context["groups"])
        return context

    def paginate(self, queryset):
        paginator = Paginator(queryset, PAGE_SIZE)
        try:
            return paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("No such page of results.") from error

    @staticmethod
    def group(kind: str, results: list, count: int, capped: bool = False) -> dict:
        for result in results:
            headline = getattr(result, "headline", None)
            result.snippet = headline_html(headline) if headline else ""
        return {
            "kind": kind,
            "label": GROUPS[kind][0],
            "results": results,
            "count": count,
            "capped": capped,
            "more": capped or count > len(results),
        }
