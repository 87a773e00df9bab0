"""The SQL the bulk loader runs from a staging table (see corpus/bulk_load.py).

Identifiers come from model metadata, never from the fixture; values only travel by COPY.
"""

from corpus.bulk_load import BulkLoadError


def _is_self(plan, f) -> bool:
    return f.related_model._meta.concrete_model is plan.model


def _pk(model) -> str:
    return model._meta.pk.column


def has_repeated_keys(plan, cursor) -> bool:
    """Whether a natural key occurs twice in the run (a narrow hash aggregate)."""
    key = ", ".join(plan.qn(f.column) for f in plan.key)
    cursor.execute(
        f"SELECT 1 FROM {plan.qn(plan.stage)} GROUP BY {key} HAVING count(*) > 1 LIMIT 1"
    )
    return cursor.fetchone() is not None


def upsert_sql(plan, columns, *, repeated: bool = True) -> str:
    """INSERT … SELECT that resolves foreign natural keys, keeps the last duplicate (as
    loaddata would by saving twice) and updates rows whose natural key exists.

    Without ``repeated`` keys the DISTINCT ON is left out: sorting wide rows (article
    bodies) costs more than the rest of the insert."""
    qn = plan.qn
    selects, joins = [], []
    for i, f in enumerate(columns):
        if not f.is_relation:
            selects.append(f"s.{qn(f.column)}")
        elif _is_self(plan, f):
            selects.append("NULL")  # set by resolve_self() once every row of the run exists
        else:
            target = f.related_model._meta.concrete_model
            alias = f"r{i}"
            joins.append(
                f"LEFT JOIN {qn(target._meta.db_table)} {alias} "
                f"ON {alias}.{qn(plan.target_key(f))} = s.{qn(f.column)}"
            )
            selects.append(f"{alias}.{qn(_pk(target))}")
    key = ", ".join(f"s.{qn(f.column)}" for f in plan.key)
    conflict = ", ".join(qn(f.column) for f in plan.key)
    key_names = {f.name for f in plan.key}
    updates = [
        f"{qn(f.column)} = EXCLUDED.{qn(f.column)}" for f in columns if f.name not in key_names
    ]
    # Fields left to their database default are reset to it, as loaddata's save does.
    updates += [f"{qn(f.column)} = DEFAULT" for f in plan.fields if f not in columns]
    if not updates:  # a row that is all key: touch it so the count includes it
        first = qn(plan.key[0].column)
        updates = [f"{first} = EXCLUDED.{first}"]
    distinct = f"DISTINCT ON ({key}) " if repeated else ""
    order = f"ORDER BY {key}, s._seq DESC " if repeated else ""
    return (
        f"INSERT INTO {qn(plan.table)} ({', '.join(qn(f.column) for f in columns)}) "
        f"SELECT {distinct}{', '.join(selects)} "
        f"FROM {qn(plan.stage)} s {' '.join(joins)} "
        f"{order}"
        f"ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(updates)}"
    )


def resolve_self(plan, cursor, f) -> None:
    """Fill a self-reference (place parent, article duplicate_of) once the run is in."""
    qn = plan.qn
    if len(plan.key) != 1:
        raise BulkLoadError(f"{plan.label}.{f.name}: self-references need a one-column key.")
    key = qn(plan.key[0].column)
    table = qn(plan.table)
    cursor.execute(
        f"UPDATE {table} t SET {qn(f.column)} = p.{qn(_pk(plan.model))} "
        f"FROM (SELECT DISTINCT ON (s.{key}) s.{key}, s.{qn(f.column)} AS ref "
        f"      FROM {qn(plan.stage)} s ORDER BY s.{key}, s._seq DESC) s "
        f"JOIN {table} p ON p.{qn(plan.target_key(f))} = s.ref "
        f"WHERE t.{key} = s.{key}"
    )


def check_references(plan, cursor, columns, *, self_references: bool) -> None:
    """Refuse foreign natural keys that name nothing, as loaddata does."""
    qn = plan.qn
    for f in columns:
        if not f.is_relation or _is_self(plan, f) != self_references:
            continue
        if self_references:
            resolve_self(plan, cursor, f)
        target = f.related_model._meta.concrete_model
        cursor.execute(
            f"SELECT DISTINCT s.{qn(f.column)} FROM {qn(plan.stage)} s "
            f"LEFT JOIN {qn(target._meta.db_table)} r "
            f"ON r.{qn(plan.target_key(f))} = s.{qn(f.column)} "
            f"WHERE s.{qn(f.column)} IS NOT NULL AND r.{qn(_pk(target))} IS NULL LIMIT 5"
        )
        missing = [row[0] for row in cursor.fetchall()]
        if missing:
            raise BulkLoadError(
                f"{plan.label}.{f.name}: no {target._meta.label_lower} with natural key "
                f"{', '.join(repr(m) for m in missing)}."
            )
