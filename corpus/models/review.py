"""Names that articles use but no alias knows: the curators' review queue.

One ``UnknownName`` row per normalised spelling (so a dismissed name stays dismissed when
detection runs again) and one ``UnknownNameOccurrence`` row per place an article uses it,
with the offsets in the clean body and a few words of context either side.
"""

from django.db import models
from django.urls import reverse


class ReviewStatus(models.TextChoices):
    NEW = "new", "New"
    DISMISSED = "dismissed", "Dismissed"
    RESOLVED = "resolved", "Resolved"


class NamePattern(models.TextChoices):
    TITLED = "titled", "Person with a title"
    MULTIWORD = "multiword", "Capitalised words"
    ACRONYM = "acronym", "Acronym"


class UnknownNameQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReviewStatus.NEW)


class UnknownNameManager(models.Manager.from_queryset(UnknownNameQuerySet)):
    def get_by_natural_key(self, normalised):
        return self.get(normalised=normalised)


class UnknownName(models.Model):
    name = models.CharField(max_length=200, help_text="The spelling seen first.")
    normalised = models.CharField(
        max_length=200,
        unique=True,
        help_text="Case-folded, dots and curly quotes removed: one row per name however spelt.",
    )
    pattern = models.CharField(max_length=10, choices=NamePattern.choices)
    title = models.CharField(
        max_length=200, blank=True, help_text="The title seen before a person's name, if any."
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    resolved_entity = models.ForeignKey(
        "corpus.Entity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resolved_names",
        help_text="The entity this name became, or was added to as an alias.",
    )
    frequency = models.PositiveIntegerField(default=0, help_text="Occurrences in all articles.")
    article_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    objects = UnknownNameManager()

    class Meta:
        ordering = ["-frequency", "name"]
        verbose_name = "unknown name"
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="unknown_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:corpus_unknownname_change", args=[self.pk])

    def natural_key(self):
        return (self.normalised,)


class UnknownNameOccurrence(models.Model):
    unknown_name = models.ForeignKey(
        UnknownName, on_delete=models.CASCADE, related_name="occurrences"
    )
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.CASCADE, related_name="unknown_name_occurrences"
    )
    start = models.PositiveIntegerField(help_text="Offset of the name in the article body.")
    end = models.PositiveIntegerField()
    text = models.CharField(max_length=200, help_text="The name as written here.")
    context = models.CharField(max_length=400, help_text="The words around the name.")

    class Meta:
        ordering = ["unknown_name", "article", "start"]
        verbose_name = "unknown name occurrence"
        constraints = [
            models.UniqueConstraint(
                fields=["unknown_name", "article", "start"], name="unknown_occurrence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="unknown_occurrence_span"
            ),
        ]
        indexes = [models.Index(fields=["article"], name="unknown_occurrence_article_idx")]

    def __str__(self):
        return f"{self.text} @ {self.start}"
