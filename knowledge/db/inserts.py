"""INSERT that skips rows a unique key already holds: what two instances registering the
same thing at once need (each sees the other's row, nobody fails)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite

from knowledge.db.uow import UnitOfWork


def insert_ignoring_duplicates(uow: UnitOfWork, table: Table | Any,
                               key: Sequence[str]) -> Insert:
    dialect = uow.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(key))
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(key))
    raise NotImplementedError(f"insert ignoring duplicates on {dialect}")
