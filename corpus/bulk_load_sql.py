"""The SQL the bulk loader runs from a staging table (see corpus/bulk_load.py).

Identifiers come from model metadata, never from the fixture; values only travel by COPY.
Each run of objects has its own staging table (``stage``), since a run whose references do
not resolve yet is kept while later runs are staged.
"""

from corpus.bulk_load import BulkLoadError


def _is_self(plan, f) -> bool:
    return f.related_model._meta.concrete_model is plan.model


def _pk(model) -> str:
    return model._meta.pk.column


def has_repeated_keys(plan, cursor, stage: str) -> bool:
    """Whether a natural key occurs twice in the run (a narrow hash aggregate)."""
    key = ", ".join(plan.qn(f.column) for f in plan.key)
    cursor.execute(f"SELECT 1 FROM {plan.qn(stage)} GROUP BY {key} HAVING count(*) > 1 LIMIT 1")
    return cursor.fetchone() is not None


def upsert_sql(plan, columns, stage: str, *, repeated: bool = True) -> str:
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
        f"FROM {qn(stage)} s {' '.join(joins)} "
        f"{order}"
        f"ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(updates)}"
    )


def self_references(plan, columns) -> list:
    return [f for f in columns if f.is_relation and _is_self(plan, f)]


def resolve_self(plan, cursor, stage: str, f) -> None:
    """Fill a self-reference (place parent, article duplicate_of) once the run is in."""
    qn = plan.qn
    if len(plan.key) != 1:
        raise BulkLoadError(f"{plan.label}.{f.name}: self-references need a one-column key.")
    key = qn(plan.key[0].column)
    table = qn(plan.table)
    cursor.execute(
        f"UPDATE {table} t SET {qn(f.column)} = p.{qn(_pk(plan.model))} "
        f"FROM (SELECT DISTINCT ON (s.{key}) s.{key}, s.{qn(f.column)} AS ref "
        f"      FROM {qn(stage)} s ORDER BY s.{key}, s._seq DESC) s "
        f"JOIN {table} p ON p.{qn(plan.target_key(f))} = s.ref "
        f"WHERE t.{key} = s.{key}"
    )


def drop_superseded(plan, cursor, stage: str, later_stage: str) -> None:
    """Forget a kept run's rows that a later run of the model states again: the later wins."""
    key = plan.qn(plan.key[0].column)
    cursor.execute(
        f"DELETE FROM {plan.qn(stage)} s USING {plan.qn(later_stage)} l WHERE s.{key} = l.{key}"
    )


def missing_references(plan, cursor, stage: str, columns, *, self_references: bool):
    """The first foreign key whose natural keys name no row (yet), with up to five of them;
    None when every reference resolves. Self-references are checked after the upsert."""
    qn = plan.qn
    for f in columns:
        if not f.is_relation or _is_self(plan, f) != self_references:
            continue
        target = f.related_model._meta.concrete_model
        cursor.execute(
            f"SELECT DISTINCT s.{qn(f.column)} FROM {qn(stage)} s "
            f"LEFT JOIN {qn(target._meta.db_table)} r "
            f"ON r.{qn(plan.target_key(f))} = s.{qn(f.column)} "
            f"WHERE s.{qn(f.column)} IS NOT NULL AND r.{qn(_pk(target))} IS NULL LIMIT 5"
        )
        missing = [row[0] for row in cursor.fetchall()]
        if missing:
            return f, missing
    return None


def reference_error(plan, source, f, missing) -> BulkLoadError:
    """References still unresolved once every file is read: refused, as loaddata does."""
    target = f.related_model._meta.concrete_model._meta.label_lower
    keys = ", ".join(repr(m) for m in missing)
    return BulkLoadError(f"{source}: {plan.label}.{f.name}: no {target} with natural key {keys}.")
