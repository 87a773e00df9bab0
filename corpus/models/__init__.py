"""Corpus data model: outlets, articles, the entities they name, and where they name them."""

from corpus.models.articles import Article, Outlet
from corpus.models.entities import Actor, Alias, Entity, Place, WeaponSystem
from corpus.models.mentions import Mention

__all__ = ["Actor", "Alias", "Article", "Entity", "Mention", "Outlet", "Place", "WeaponSystem"]
