"""Reading one row into a model instance with one plain SQL statement.

Every request reads the same few rows before it does anything else: its
session, the signed-in user and, on the channel form, the chosen company.
Through the ORM each of these reads spent several times longer building its
query and its instance than the database spent answering. Here each statement
is built once, and every value passes through the converters the ORM applies,
so the instance is the one ``Model.objects.get()`` would have returned.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Col

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


def read_one[M: Model](model: type[M], **equal: Any) -> M | None:
    """The instance whose row has these field values, or None if none has.

    Names are field names (``pk`` for the primary key) and a value of None
    means the column IS NULL. At most one row may match: use unique fields.
    """
    alias = router.db_for_read(model)
    connection = connections[alias]
    names = tuple(sorted(equal))
    nulls = tuple(name for name in names if equal[name] is None)
    statement, columns = _select(model, alias, names, nulls)
    params = [
        _field(model, name).get_db_prep_value(equal[name], connection)
        for name in names
        if equal[name] is not None
    ]
    with connection.cursor() as cursor:
        try:
            cursor.execute(statement, params)
        except OverflowError:
            # SQLite cannot bind an integer beyond 64 bits, which no row holds.
            return None
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, converters) in zip(row, columns, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    return model.from_db(alias, _attnames(model), values)


@functools.cache
def _select(
    model: type[Model], alias: str, names: tuple[str, ...], nulls: tuple[str, ...]
) -> tuple[str, list[tuple[Col, list[Converter]]]]:
    """The statement, and each selected column with the ORM's converters."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    concrete = model._meta.concrete_fields
    conditions = [
        f"{quote(_field(model, name).column)} "
        + ("IS NULL" if name in nulls else "= %s")
        for name in names
    ]
    statement = (
        f"SELECT {', '.join(quote(field.column) for field in concrete)} "
        f"FROM {table} WHERE {' AND '.join(conditions)}"
    )
    columns = []
    for field in concrete:
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column)
        converters += column.get_db_converters(connection)
        columns.append((column, converters))
    return statement, columns


@functools.cache
def _attnames(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _field(model: type[Model], name: str) -> Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)
