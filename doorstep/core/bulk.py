"""Bulk insert for historical imports (批量导入): what `bulk_create` writes, several times faster.

`bulk_create` compiles every value of every row through the ORM's SQL compiler; for the demo's
hundred thousand timeline rows that is most of its time. `bulk_insert` writes the same columns
(`pre_save` as on insert, so `auto_now_add` and defaults behave as with `bulk_create`) with one
prepared statement and `executemany`, giving each row its primary key first so later rows can
point at it. Like `bulk_create` it calls no `save()` and sends no signals: callers are imports
that keep their invariants by construction (rollups rebuilt after, search columns filled in).
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from operator import attrgetter
from typing import Any

from django.db import connection, models, transaction

BATCH = 5000

# Fields whose Python value is already what the driver takes.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.FloatField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
)


def _adapter(field: "models.Field[Any, Any]") -> Callable[[Any], Any] | None:
    """How one column's value is handed to the driver (None: as it is)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return None if connection.vendor == "postgresql" else ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return None if connection.vendor == "postgresql" else ops.adapt_datefield_value
    if isinstance(field, _PLAIN):
        return _choice_value if field.choices else None
    return lambda value: field.get_db_prep_save(value, connection)


def _choice_value(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def _getter(field: "models.Field[Any, Any]") -> Callable[[models.Model], Any]:
    """Reads one column's insert value off an instance: `pre_save` where it may differ from
    the attribute (`auto_now_add`), the related object's key for a foreign key set to an
    object saved since."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return lambda obj: field.pre_save(obj, True)
    read = attrgetter(field.attname)
    if not field.is_relation:
        return read

    def related_key(obj: models.Model) -> object:
        value = read(obj)
        if value is None and field.is_cached(obj):  # type: ignore[attr-defined]
            related = field.get_cached_value(obj)  # type: ignore[attr-defined]
            value = None if related is None else related.pk
            setattr(obj, field.attname, value)
        return value

    return related_key


def _column(field: "models.Field[Any, Any]") -> str:
    assert field.column is not None, f"{field} has no column"
    return field.column


def _next_id(table: str, pk: str) -> int:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ids are handed out here, not by the sequence: nobody else may insert meanwhile.
            cursor.execute(f"LOCK TABLE {q(table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX({q(pk)}), 0) FROM {q(table)}")
        return int(cursor.fetchone()[0]) + 1


def bulk_insert(
    objs: Sequence[models.Model], progress: Callable[[int, int], Any] | None = None
) -> int:
    """Insert unsaved instances of one model (integer keys), setting each one's `pk`;
    `progress(done, total)` is called after each batch. Returns the number of rows."""
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    assert meta.pk is not None
    next_id = _next_id(meta.db_table, _column(meta.pk))
    for obj in objs:
        if obj.pk is None:
            obj.pk = next_id
            next_id += 1
        obj._state.adding, obj._state.db = False, connection.alias
    fields = list(meta.concrete_fields)
    getters = [_getter(f) for f in fields]
    rows = ([get(obj) for get in getters] for obj in objs)
    return insert_rows(model, [f.attname for f in fields], rows, len(objs), progress)


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    total: int,
    progress: Callable[[int, int], Any] | None = None,
) -> int:
    """Insert plain rows (values in the order of the field `names`, as the model's Python
    values) into the model's table; a key left out is numbered by the database."""
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    adapters = [_adapter(f) for f in fields]  # type: ignore[arg-type]
    q = connection.ops.quote_name
    columns = ", ".join(q(_column(f)) for f in fields)  # type: ignore[arg-type]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({marks})"
    adapted = [(i, adapt) for i, adapt in enumerate(adapters) if adapt is not None]
    done = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            for row in batch:
                for i, adapt in adapted:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
            cursor.executemany(sql, batch)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        if connection.vendor == "postgresql" and meta.pk is not None and meta.pk.attname in names:
            table, pk = meta.db_table, _column(meta.pk)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                f"(SELECT COALESCE(MAX({q(pk)}), 1) FROM {q(table)}))"
            )
    return done


def _batches(rows: Iterable[Sequence[Any]]) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(list(row))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze_after_commit(*models_loaded: type[models.Model]) -> None:
    """Have PostgreSQL gather planner statistics for the tables a bulk load filled, once it
    commits. Autovacuum analyzes a table only after 50 rows change plus a tenth of it, so a
    district's 36 streets are never analyzed and the planner guesses the size of its area
    wrong (docs/scale.md, "Sizing PostgreSQL"). SQLite plans without such statistics."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models_loaded)

    def analyze() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")

    transaction.on_commit(analyze)
