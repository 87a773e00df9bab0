"""Corpus pages: entity lists and pages, outlets, articles and search. Thin generic views."""

from corpus.views.articles import ArticleDetailView, ArticleListView, OutletDetailView
from corpus.views.entities import (
    ActorDetailView,
    ActorListView,
    EntityDetailView,
    EntityListView,
    PlaceDetailView,
    PlaceListView,
    WeaponDetailView,
    WeaponListView,
)
from corpus.views.search import SearchView

__all__ = [
    "ActorDetailView",
    "ActorListView",
    "ArticleDetailView",
    "ArticleListView",
    "EntityDetailView",
    "EntityListView",
    "OutletDetailView",
    "PlaceDetailView",
    "PlaceListView",
    "SearchView",
    "WeaponDetailView",
    "WeaponListView",
]
