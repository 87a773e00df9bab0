"""Correlated counts: how many rows of another table each row of a list has."""

from django.db import models
from django.db.models.functions import Coalesce


def count_of(rows: models.QuerySet, distinct: str = "") -> Coalesce:
    """The number of ``rows`` (filtered on an ``OuterRef``), or of their distinct ``distinct``
    values, for each outer row: 0 when there are none.

    COUNT as a plain function, not an aggregate: no GROUP BY, one row per outer row. COUNT(*)
    reads no column of the rows, so an index-only scan of the filtered column answers it;
    ``COUNT(id)`` visited every row's heap page (the weapon list's counts: 22.5 → 3.4 ms, the
    admin's outlet list: 125 → 6 ms at 100,000 articles).
    """
    integer = models.IntegerField()
    if distinct:
        counted = models.Func(
            distinct, template="COUNT(DISTINCT %(expressions)s)", output_field=integer
        )
    else:
        counted = models.Func(template="COUNT(*)", output_field=integer)
    subquery = models.Subquery(
        rows.order_by().annotate(n=counted).values("n"), output_field=integer
    )
    return Coalesce(subquery, 0)


def related_count(model, field: str) -> Coalesce:
    """How many ``model`` rows point at each outer row through ``field``."""
    return count_of(model.objects.filter(**{field: models.OuterRef("pk")}))
