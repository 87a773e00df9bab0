"""Old entity slugs that must keep working after a merge."""

from django.db import models


class EntityRedirectManager(models.Manager):
    def get_by_natural_key(self, old_slug):
        return self.get(old_slug=old_slug)


class EntityRedirect(models.Model):
    """A merged entity's slug, answered with a permanent redirect to the survivor's page."""

    old_slug = models.SlugField(
        max_length=200, unique=True, help_text="The slug of the entity that was merged away."
    )
    entity = models.ForeignKey(
        "corpus.Entity",
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="The entity that now answers for the old slug.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EntityRedirectManager()

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "entity redirect"

    def __str__(self):
        return f"{self.old_slug} → {self.entity.slug}"

    def get_absolute_url(self):
        return self.entity.get_absolute_url()

    def natural_key(self):
        return (self.old_slug,)
