"""Corpus admin: entities and merging, articles and re-extraction, the review queue.

Importing the modules registers their ModelAdmins with the default admin site.
"""

from corpus.admin import articles, entities, review

__all__ = ["articles", "entities", "review"]
