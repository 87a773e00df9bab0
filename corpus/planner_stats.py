"""Keep the planner's count of articles current while an ingest run multiplies it.

PostgreSQL checks each inserted mention's and signature's foreign key to its article with a
query it plans once per connection and then keeps. Planned while the planner counts the
article table as empty or small (last analysed so, as after ``make run``'s sample articles),
that query is a sequential scan, and a run that grows the table a hundredfold on the same
connection goes on scanning the whole table for every row it inserts: quadratic. Ingesting
2,000 files into an analysed empty table spent 1.4 s of PostgreSQL's 2.6 s in those checks.
``ANALYZE`` stores the new count and makes every backend plan the check again (an index scan);
doing it each time the table has doubled since the planner last counted costs a few
``ANALYZE`` runs per ingest, each sampling only the key column.
"""

from django.db import connection

from corpus.models import Article

# Below this many new rows a stale plan costs less than the ANALYZE that would fix it.
MIN_GROWTH = 100


class ArticleGrowth:
    """Counts the articles one run inserts and re-counts them for the planner when they
    outnumber the ones it last counted."""

    def __init__(self) -> None:
        self.counted: float | None = None  # rows the planner last counted
        self.added = 0  # rows inserted since

    def inserted(self, rows: int) -> bool:
        """Note ``rows`` new articles; whether the planner's count was refreshed."""
        if not rows:
            return False
        table = connection.ops.quote_name(Article._meta.db_table)
        with connection.cursor() as cursor:
            if self.counted is None:
                # -1 (never analysed) counts as none: the check was planned on a guess.
                cursor.execute(
                    "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                    [table],
                )
                self.counted = cursor.fetchone()[0]
            self.added += rows
            if self.added < max(self.counted, MIN_GROWTH):
                return False
            # Only the key column: the count is what the foreign-key checks are planned on,
            # and sampling the bodies and search vectors would cost far more.
            pk = connection.ops.quote_name(Article._meta.pk.column)
            cursor.execute(f"ANALYZE {table} ({pk})")
        self.counted, self.added = self.counted + self.added, 0
        return True
