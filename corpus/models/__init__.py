"""Corpus data model: outlets, articles, the entities they name, and where they name them."""

from corpus.models.articles import Article, Outlet
from corpus.models.entities import Actor, Alias, Entity, Place, WeaponSystem
from corpus.models.mentions import Mention
from corpus.models.redirects import EntityRedirect
from corpus.models.review import NamePattern, ReviewStatus, UnknownName, UnknownNameOccurrence
from corpus.models.signatures import ArticleSignature

__all__ = [
    "Actor",
    "Alias",
    "Article",
    "ArticleSignature",
    "Entity",
    "EntityRedirect",
    "Mention",
    "NamePattern",
    "Outlet",
    "Place",
    "ReviewStatus",
    "UnknownName",
    "UnknownNameOccurrence",
    "WeaponSystem",
]
