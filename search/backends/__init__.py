"""One search interface, a backend per database: FTS5 on SQLite, tsvector/GIN on PostgreSQL.
The backend is chosen from the database in use."""

from __future__ import annotations

from django.db import connection

from .base import SearchBackend


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")


__all__ = ["SearchBackend", "get_backend"]
