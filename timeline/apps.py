from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline"

    def ready(self):
        from config.cache import connect_invalidation

        # Every timeline table feeds the cached facet counts and histogram.
        connect_invalidation(*self.get_models())
