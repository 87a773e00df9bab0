"""Run a QuerySet's SQL many times at the cost of compiling it once, like ``config.links``.

Django turns a QuerySet into SQL each time it is evaluated. For the entity page's lists
(``Exists`` subqueries, annotations, joins, a window of context around each mention) that is
~2 ms of Python per query, where running the same SQL through a cursor takes ~0.15 ms. When
only the argument changes (the entity, a list of ids), so does only its parameter, never the
SQL: ``CompiledQuery`` builds the QuerySet once with a placeholder for each argument, keeps
its SQL and parameters, and on each call runs them with the real arguments in the
placeholders' places. The QuerySet stays the single statement of what is fetched;
tests/config/test_compiled.py compares its rows with the ORM's.

Rules for ``build``: it ends in ``values_list()`` (rows come back as tuples, without the
ORM's converters: plain columns only); each argument reaches the SQL as a parameter of its
own, unchanged (a pk, or a list for ``__any``), so that the placeholder can be found; and the
shape of the query does not depend on the argument (no branching on it, no ``__in`` list,
whose length is part of the SQL).
"""

from collections.abc import Callable

from django.db import connections, router
from django.db.models import QuerySet

# Values no row has (primary keys are positive), one per argument of ``build``.
PLACEHOLDERS = (-8_675_309, -8_675_310, -8_675_311)


class CompiledQuery:
    """``query(*args)``: the rows of ``build(*args)``, compiled once per database alias.

    ``model`` is the model the QuerySet reads (the database router chooses by it);
    ``placeholders`` replaces the default ones where an argument is a list (``__any``).
    """

    def __init__(self, model, build: Callable[..., QuerySet], *, placeholders: tuple = ()):
        self.model = model
        self.build = build
        self.placeholders = placeholders or PLACEHOLDERS[:1]
        self._compiled: dict[str, tuple[str, list, list[int | None]]] = {}

    def __call__(self, *args) -> list[tuple]:
        alias = router.db_for_read(self.model)
        sql, params, slots = self._compile(alias)
        values = [
            param if slot is None else args[slot] for param, slot in zip(params, slots, strict=True)
        ]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()

    def _compile(self, alias: str) -> tuple[str, list, list[int | None]]:
        if alias not in self._compiled:
            sql, params = self.build(*self.placeholders).query.get_compiler(alias).as_sql()
            # For each parameter, the argument it stands for (None: a constant of the query).
            slots = [
                next((i for i, ph in enumerate(self.placeholders) if ph == param), None)
                for param in params
            ]
            if missing := set(range(len(self.placeholders))) - set(slots):
                raise ValueError(f"argument(s) {sorted(missing)} are not parameters of the SQL")
            self._compiled[alias] = (sql, list(params), slots)
        return self._compiled[alias]
