"""Outlets and the articles they published."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import MD5, Now
from django.urls import reverse

from corpus.choices import DatePrecision
from corpus.countries import country_choices, country_name


class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", "Newspaper"
    WIRE = "wire", "News agency / wire"
    BROADCASTER = "broadcaster", "Broadcaster"
    ONLINE = "online", "Online news site"
    MAGAZINE = "magazine", "Magazine"
    THINK_TANK = "think_tank", "Think tank"
    GOVERNMENT = "government", "Government publication"
    OTHER = "other", "Other"


class OutletManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Outlet(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OutletKind.choices, default=OutletKind.OTHER)
    country = models.CharField(max_length=2, choices=country_choices, blank=True)
    homepage = models.URLField(blank=True)
    entity = models.OneToOneField(
        "corpus.Entity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outlet",
        limit_choices_to={"entity_type": "actor", "kind": "media"},
        help_text="The actor record for this outlet, when articles cite it as a source.",
    )

    objects = OutletManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("corpus:outlet-detail", kwargs={"slug": self.slug})

    def get_country_display(self) -> str:
        # Django's own flattens all 250 country choices on every call (corpus/countries.py).
        return country_name(self.country)

    def natural_key(self):
        return (self.slug,)


class ArticleQuerySet(models.QuerySet):
    def canonical(self):
        """Articles that are not near-duplicates of another article."""
        return self.filter(duplicate_of__isnull=True)

    def mentioning(self, entity):
        """Articles that name ``entity`` at least once (a semi-join: no duplicate rows)."""
        from corpus.models.mentions import Mention

        return self.filter(
            models.Exists(Mention.objects.filter(article=models.OuterRef("pk"), entity=entity))
        )

    def fold_duplicates(self):
        """Drop near-duplicates whose canonical article is also in this queryset.

        A duplicate whose canonical article was filtered out stays, so a filter on an
        outlet still lists the copy that outlet published.
        """
        if not self.query.where:
            # Every article is in an unfiltered queryset, so every canonical one is: the fold
            # is "not a copy", an index condition, instead of hashing all ids (~45 ms at
            # 100,000 articles, on every page of the article list).
            return self.filter(duplicate_of__isnull=True)
        return self.exclude(duplicate_of__in=self.values("pk"))

    def without_texts(self):
        """Leave the long text columns unloaded: list pages show titles only."""
        return self.defer("raw_text", "body", "search_vector")

    def search(self, query: str, search_type: str = "websearch"):
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search_query = SearchQuery(query, config="english", search_type=search_type)
        return (
            self.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "-published_on", "pk")
        )


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_by_natural_key(self, source_file):
        return self.get(source_file=source_file)


class Article(models.Model):
    title = models.CharField(max_length=500)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable URL name, made from the title at ingest."
    )
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    authors = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    published_on = models.DateField(
        null=True, blank=True, help_text="First day of the period when precision is month or year."
    )
    published_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    url = models.URLField(max_length=1000, blank=True)
    # Unique through Meta.constraints, not unique=True, which on PostgreSQL adds a second,
    # pattern-ops index for LIKE queries that nothing asks of these columns: one index less
    # for every ingested article to update.
    source_file = models.CharField(
        max_length=500, help_text="Path of the source text file, relative to the sources folder."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the source file's raw bytes.")
    raw_text = models.TextField(help_text="The source file's text as received.")
    body = models.TextField(help_text="The article's own paragraphs, boilerplate removed.")
    word_count = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=8, default="en")
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        help_text="The canonical article this one is a near-identical copy of.",
    )
    # db_default lets fixtures omit this volatile field: the database stamps loaded rows.
    ingested_at = models.DateTimeField(auto_now=True, db_default=Now())
    # Tells whether a stored near-duplicate signature is current (corpus/signatures.py)
    # without PostgreSQL decompressing and hashing every body on each ingest run.
    body_md5 = models.GeneratedField(
        expression=MD5("body"), output_field=models.CharField(max_length=32), db_persist=True
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="english")
        + SearchVector("body", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            models.Index(fields=["published_on"], name="article_published_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_file"],
                name="article_source_file_unique",
                violation_error_message="An article already comes from this source file.",
            ),
            models.UniqueConstraint(
                fields=["checksum"],
                name="article_checksum_unique",
                violation_error_message="An article already has these exact bytes.",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=F("pk")), name="article_not_duplicate_of_itself"
            ),
            models.CheckConstraint(
                condition=Q(checksum__regex=r"^[0-9a-f]{64}$"), name="article_checksum_sha256"
            ),
        ]

    def __str__(self):
        return self.title or self.source_file

    def get_absolute_url(self):
        return reverse("corpus:article-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        # The source file is the import reference: a changed file keeps its article.
        return (self.source_file,)
