from django.apps import AppConfig

# Rows that cached aggregates (timeline facets and histogram, entity pages) and cached whole
# pages (config/pagecache.py) are computed from. Mentions are left out on purpose: see
# config.cache.connect_invalidation.
CACHED_MODELS = ("Article", "Outlet", "Entity", "Alias", "EntityRedirect")


class CorpusConfig(AppConfig):
    name = "corpus"
    verbose_name = "Corpus"

    def ready(self):
        from config.cache import connect_invalidation
        from corpus import lookups

        lookups.register()

        cached = {self.get_model(name) for name in CACHED_MODELS}
        # Proxies (Actor, Weapon, Place) send signals as themselves, not as Entity.
        connect_invalidation(
            *(model for model in self.get_models() if model._meta.concrete_model in cached)
        )
