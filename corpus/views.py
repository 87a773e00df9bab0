"""Corpus pages: articles, outlets, entities and search. Thin views over QuerySet methods."""

from django.views.generic import DetailView, ListView, TemplateView

from corpus.models import Actor, Article, Outlet, Place, WeaponSystem


class ArticleListView(ListView):
    template_name = "corpus/article_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Article.objects.canonical().select_related("outlet").defer("raw_text", "body")


class ArticleDetailView(DetailView):
    template_name = "corpus/article_detail.html"

    def get_queryset(self):
        return Article.objects.select_related("outlet", "duplicate_of")


class OutletDetailView(DetailView):
    model = Outlet
    template_name = "corpus/outlet_detail.html"


class EntityListView(ListView):
    template_name = "corpus/entity_list.html"
    paginate_by = 100


class ActorListView(EntityListView):
    model = Actor
    extra_context = {"heading": "Actors"}


class WeaponListView(EntityListView):
    model = WeaponSystem
    extra_context = {"heading": "Weapon systems"}


class PlaceListView(EntityListView):
    model = Place
    extra_context = {"heading": "Places"}


class EntityDetailView(DetailView):
    template_name = "corpus/entity_detail.html"

    def get_queryset(self):
        return self.model.objects.prefetch_related("aliases")


class ActorDetailView(EntityDetailView):
    model = Actor


class WeaponDetailView(EntityDetailView):
    model = WeaponSystem


class PlaceDetailView(EntityDetailView):
    model = Place


class SearchView(TemplateView):
    template_name = "corpus/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:500]
        results = Article.objects.search(query).select_related("outlet")[:50] if query else []
        return super().get_context_data(query=query, results=results, **kwargs)
