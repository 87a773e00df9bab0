"""Old slugs of merged entities answer with a permanent redirect to the survivor's page."""

from django.http import Http404, HttpResponsePermanentRedirect

from corpus.models import EntityRedirect


class EntityRedirectMixin:
    """For entity detail views: a slug that no entity has any more, but a merge recorded,
    redirects (301) to the survivor, so links and bookmarks to the old page keep working."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            slug = kwargs.get(self.slug_url_kwarg)
            found = EntityRedirect.objects.select_related("entity").filter(old_slug=slug).first()
            if found is None:
                raise
            return HttpResponsePermanentRedirect(found.entity.get_absolute_url())
