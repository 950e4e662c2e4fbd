"""A model field for a set of integer ids (the tags of a search entry), with its two lookups."""

from __future__ import annotations

from django.db import models
from django.db.models import Lookup


class IdSetField(models.Field):
    """A set of integer ids held in one column: the tags of a search entry.

    PostgreSQL stores ``integer[]`` (GIN-indexed: ``@>`` for all of several ids, ``&&`` for any);
    other databases store the sorted ids as text, ``",3,17,"``, matched with LIKE. Python sees a
    sorted list of ints either way.
    """

    description = "A set of integer ids"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value) -> list[int]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return sorted({int(v) for v in value.strip(",").split(",") if v})
        return sorted({int(v) for v in value})

    def get_db_prep_value(self, value, connection, prepared=False):
        ids = self.to_python(value)
        if connection.vendor == "postgresql":
            return ids
        return "," + "".join(f"{i}," for i in ids)


class _IdSetLookup(Lookup):
    """``field__has_all=[ids]`` / ``field__has_any=[ids]``; an empty list matches everything."""

    prepare_rhs = False
    joiner = " AND "
    operator = "@>"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted({int(i) for i in self.rhs})
        if not ids:
            return "1 = 1", []
        if connection.vendor == "postgresql":
            return f"{lhs} {self.operator} %s::integer[]", [*lhs_params, ids]
        clauses = self.joiner.join(f"{lhs} LIKE %s" for _ in ids)
        params = []
        for i in ids:
            params += [*lhs_params, f"%,{i},%"]
        return f"({clauses})", params


@IdSetField.register_lookup
class HasAll(_IdSetLookup):
    lookup_name = "has_all"


@IdSetField.register_lookup
class HasAny(_IdSetLookup):
    lookup_name = "has_any"
    joiner = " OR "
    operator = "&&"
