"""Where an article names an entity: the exact span of its clean body."""

from django.db import models
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest, Substr


class MentionQuerySet(models.QuerySet):
    def of(self, entity):
        return self.filter(entity=entity)

    def with_context(self, width: int = 90):
        """Annotate ``context`` (the body around the mention) and ``context_start``.

        Cut in SQL so a page of snippets never loads whole article bodies.
        """
        context_start = Greatest(F("start") - Value(width), Value(0))
        return self.annotate(
            context_start=context_start,
            context=Substr(
                "article__body",
                context_start + Value(1),
                F("end") - context_start + Value(width),
            ),
        )

    def daily_counts(self):
        """``(published_on, precision, count)`` rows for these mentions; undated left out."""
        return (
            self.filter(article__published_on__isnull=False)
            .order_by()
            .values_list("article__published_on", "article__published_precision")
            .annotate(n=Count("pk"))
            .order_by("article__published_on")
        )


class MentionManager(models.Manager.from_queryset(MentionQuerySet)):
    def get_by_natural_key(self, source_file, entity_slug, start):
        return self.get(article__source_file=source_file, entity__slug=entity_slug, start=start)


class Mention(models.Model):
    # No single-column indexes: mention_unique_span leads with the article and
    # mention_entity_article_idx with the entity, and every index costs each ingested
    # article's dozens of mentions an insert.
    article = models.ForeignKey(
        "corpus.Article", on_delete=models.CASCADE, related_name="mentions", db_index=False
    )
    entity = models.ForeignKey(
        "corpus.Entity", on_delete=models.PROTECT, related_name="mentions", db_index=False
    )
    start = models.PositiveIntegerField(help_text="Offset of the first character in the body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    text = models.CharField(max_length=200, help_text="The matched words, as written.")

    objects = MentionManager()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "entity", "start"], name="mention_unique_span"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="mention_span_not_empty"),
        ]
        indexes = [models.Index(fields=["entity", "article"], name="mention_entity_article_idx")]

    def __str__(self):
        return f"{self.text} @ {self.start}"

    def natural_key(self):
        return (*self.article.natural_key(), *self.entity.natural_key(), self.start)

    natural_key.dependencies = ["corpus.article", "corpus.entity"]
