# Indexes for a corpus of 100,000+ articles (docs/performance.md). Raw SQL on purpose: they
# serve query plans, not the ORM, so the models need not know about them.

from django.db import migrations

ARTICLE_COVERING = (
    # Joins and semi-joins from mentions and citations to articles (entity page article
    # count and activity, facet counts by outlet, duplicate folding) read only these
    # columns: an index-only scan instead of reading the wide article rows.
    "CREATE INDEX IF NOT EXISTS article_id_covering_idx ON corpus_article (id) "
    "INCLUDE (published_on, duplicate_of_id, outlet_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0004_curator_and_analyst_groups"),
    ]

    operations = [
        migrations.RunSQL(
            ARTICLE_COVERING, reverse_sql="DROP INDEX IF EXISTS article_id_covering_idx"
        ),
    ]
