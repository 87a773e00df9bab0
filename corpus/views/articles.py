"""The article list, the article reader and an outlet's page."""

from django.conf import settings
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView

from config.cache import cache_key
from config.keyset import KeysetPaginationMixin
from config.pagecache import CorpusPageCacheMixin
from config.pagination import CachedCountMixin, filter_state
from corpus.filters import ArticleFilterSet
from corpus.models import Article, Mention, Outlet
from corpus.snippets import Span, locate_quote, mark_up_body


def _copies():
    return Prefetch(
        "duplicates",
        queryset=Article.objects.select_related("outlet").without_texts().order_by("pk"),
    )


class ArticleListView(CorpusPageCacheMixin, CachedCountMixin, KeysetPaginationMixin, FilterView):
    """Articles by outlet, date and entity; copies listed under their canonical article.

    Newest first; Next and Previous seek by (date, title, id), so the last page of 100,000
    articles is as quick as the first (config/keyset.py).
    """

    count_cache_name = "article-list"
    keyset_ordering = ("-published_on", "title", "pk")
    template_name = "corpus/article_list.html"
    filterset_class = ArticleFilterSet
    paginate_by = 25
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.select_related("outlet").without_texts().prefetch_related(_copies())

    def get_context_data(self, **kwargs):
        # The filter form, rendered (its 150 outlets: ~12 ms of widget templates), depends only
        # on the filters, the outlets and whether the URL has any parameter (its "Clear" link).
        key = cache_key(["article-filters", filter_state(self.request), bool(self.request.GET)])
        return super().get_context_data(
            fragment_key=key, fragment_seconds=settings.SITREP_CACHE_SECONDS, **kwargs
        )


class ArticleDetailView(CorpusPageCacheMixin, DetailView):
    """The reader: the clean body with mentions linked and cited quotes marked."""

    template_name = "corpus/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        from timeline.models import Citation

        return Article.objects.select_related("outlet", "duplicate_of__outlet").prefetch_related(
            Prefetch("mentions", queryset=Mention.objects.select_related("entity")),
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("event").order_by("start", "pk"),
            ),
            _copies(),
        )

    def active_citation(self) -> tuple[int | None, str]:
        """The citation named by ``?cite=``, and a message when it is not one of ours."""
        value = self.request.GET.get("cite", "").strip()
        if not value:
            return None, ""
        ids = {c.pk for c in self.object.citations.all()}
        if value.isdigit() and int(value) in ids:
            return int(value), ""
        return None, "That citation is not one of this article's; no quote is selected."

    def get_context_data(self, **kwargs):
        article = self.object
        active, message = self.active_citation()
        mentions = [
            Span(m.start, m.end, m.entity.get_absolute_url(), m.entity.name)
            for m in article.mentions.all()
        ]
        quotes = []
        for citation in article.citations.all():
            where = locate_quote(article.body, citation.start, citation.end, citation.quote)
            citation.located = where is not None
            if where:
                quotes.append(Span(*where, citation_id=citation.pk))
        named = {}
        for m in article.mentions.all():
            named.setdefault(m.entity_id, [m.entity, 0])[1] += 1
        return super().get_context_data(
            paragraphs=mark_up_body(article.body, mentions, quotes, active_citation=active),
            active_citation=active,
            cite_message=message,
            show_raw=self.request.GET.get("raw") == "1",
            named_entities=sorted(named.values(), key=lambda pair: (-pair[1], pair[0].name)),
            **kwargs,
        )


class OutletDetailView(CorpusPageCacheMixin, SingleObjectMixin, ListView):
    """An outlet and its articles, newest first, paginated."""

    template_name = "corpus/outlet_detail.html"
    paginate_by = 50
    slug_field = "slug"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object(queryset=Outlet.objects.select_related("entity"))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            self.object.articles.select_related("duplicate_of")
            .without_texts()
            .defer("duplicate_of__body", "duplicate_of__raw_text", "duplicate_of__search_vector")
            .order_by("-published_on", "title")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(outlet=self.object, **kwargs)
