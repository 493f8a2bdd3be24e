"""PostgreSQL reached through psycopg directly, where SQLAlchemy would cost the first frame.

The board's first read at start (`read_board_server`) runs before the store opens:
importing SQLAlchemy and its dialect takes most of a second, psycopg alone a tenth.
The SQL is the store's own (reads/board.read_board), so the rows are the same.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from msptui.store.reads.board import BoardData

# As msptui.store.db.CONNECT_TIMEOUT_S (not imported: db imports SQLAlchemy).
CONNECT_TIMEOUT_S = 5
_DRIVER = re.compile(r"^postgresql\+\w+://")


def is_server_url(url: str | None) -> bool:
    """Whether `url` (MSPTUI_DATABASE_URL) names a PostgreSQL server."""
    return bool(url) and str(url).startswith("postgresql")


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL ('postgresql+psycopg://...') as libpq reads it ('postgresql://...')."""
    return _DRIVER.sub("postgresql://", url)


def connect(url: str, **options: Any) -> Any:
    """A psycopg connection to the server of `url`, in UTC and bounded as the store's."""
    import psycopg

    return psycopg.connect(
        libpq_url(url),
        connect_timeout=CONNECT_TIMEOUT_S,
        options="-c timezone=UTC",  # i18n: not shown
        application_name="msptui",
        **options,
    )


def read_board_server(url: str) -> BoardData | None:
    """The board as `reads.board.load_board` gives it, read with psycopg in one read-only,
    repeatable-read transaction (one snapshot for every query); None when the database
    is not at the schema's HEAD (new, or to be migrated: the store will do it)."""
    import psycopg

    from msptui.store.migrate import HEAD
    from msptui.store.reads.board import read_board

    with connect(url) as conn:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except psycopg.errors.UndefinedTable:
            return None
        if row is None or row[0] != HEAD:
            return None
        return read_board(lambda sql: conn.execute(sql).fetchall())
