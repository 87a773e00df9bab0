"""Drop indexes that every ingested article and mention paid for and no query needed.

- mentions' single-column indexes on article and entity: ``mention_unique_span`` leads with
  the article and ``mention_entity_article_idx`` with the entity;
- the pattern-ops (LIKE) indexes that ``unique=True`` adds on PostgreSQL beside the unique
  index of ``source_file`` and ``checksum``; nothing searches them by prefix. They become
  ``UniqueConstraint``s, which add the unique index alone.

The mention indexes are dropped by name, without AlterField's database side: it would also
drop and re-add both foreign keys, checking every mention again under an exclusive lock.
"""

import django.db.models.deletion
from django.db import migrations, models

MENTION_INDEXES = {
    "article": "corpus_mention_article_id_ffe68fad",
    "entity": "corpus_mention_entity_id_279c23ae",
}


def _drop_index(field: str) -> migrations.RunSQL:
    name = MENTION_INDEXES[field]
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "corpus_mention" ("{field}_id")',
    )


class Migration(migrations.Migration):
    dependencies = [
        ("corpus", "0006_article_signature"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="checksum",
            field=models.CharField(
                help_text="SHA-256 of the source file's raw bytes.", max_length=64
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="source_file",
            field=models.CharField(
                help_text="Path of the source text file, relative to the sources folder.",
                max_length=500,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="mention",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentions",
                        to="corpus.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="mention",
                    name="entity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="mentions",
                        to="corpus.entity",
                    ),
                ),
            ],
            database_operations=[_drop_index("article"), _drop_index("entity")],
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("source_file",),
                name="article_source_file_unique",
                violation_error_message="An article already comes from this source file.",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                fields=("checksum",),
                name="article_checksum_unique",
                violation_error_message="An article already has these exact bytes.",
            ),
        ),
    ]
