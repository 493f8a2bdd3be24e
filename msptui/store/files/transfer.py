"""Export of everything as JSON, and import of such a file into an empty database.

The export is generic over the tables SQLModel knows (`SQLModel.metadata`), so a
table added later is exported and imported without touching this module. Format:

    {"format": "msptui-export", "format_version": 1, "schema_revision": "0001",
     "exported_at": "2026-11-23T09:00:00Z",
     "tables": {"client": [{"id": 1, "name": "...", ...}, ...], ...}}

Instants are ISO-8601 in UTC with a ``Z``; dates are ``YYYY-MM-DD``; money
(``Decimal``) is a string such as ``"1234.50"``, never a float; JSON columns
stay JSON. Rows are in primary-key order so two exports of the same data are equal.
Client secrets: the Secret table's labels and keyring references are exported, never
a value (values live in the keyring only, which this module never calls); only the
columns in SECRET_COLUMNS leave the database, so a column added later stays private
until someone decides otherwise.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Column, Engine, Table, func, select
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel

from msptui.core.i18n import _
from msptui.store import db
from msptui.store.clients import RefusedError

FORMAT = "msptui-export"
FORMAT_VERSION = 1
SECRET_COLUMNS = frozenset(
    {"id", "client_id", "label", "username", "location", "notes", "keyring_key", "created_at", "updated_at"}
)


def _tables() -> list[Table]:
    import msptui.store.models  # noqa: F401  (registers every table on SQLModel.metadata)

    return list(SQLModel.metadata.sorted_tables)  # parents before children


def _exported_columns(table: Table) -> list[Column[Any]]:
    if table.name == "secret":
        return [c for c in table.columns if c.name in SECRET_COLUMNS]
    return list(table.columns)


def instant_text(value: datetime) -> str:
    """An aware instant as ISO-8601 UTC, e.g. 2026-11-23T09:00:00Z."""
    if value.tzinfo is None:
        return value.isoformat()
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return instant_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def export_data(engine: Engine, now: datetime) -> dict[str, Any]:
    """Every row of every table, read in one transaction (one consistent state)."""
    from msptui.store.migrate import HEAD

    tables: dict[str, list[dict[str, Any]]] = {}
    with db.read(engine) as s:
        for table in _tables():
            columns = _exported_columns(table)
            order = list(table.primary_key.columns) or columns
            rows = s.execute(select(*columns).order_by(*order)).mappings()
            tables[table.name] = [{k: _to_json(v) for k, v in row.items()} for row in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": HEAD,
        "exported_at": instant_text(now),
        "tables": tables,
    }


def export_json(engine: Engine, now: datetime) -> str:
    """The export as JSON text (UTF-8, non-ASCII kept readable)."""
    return json.dumps(export_data(engine, now), ensure_ascii=False, indent=1)


# --- import ---------------------------------------------------------------------------------


def _python_type(column: Column[Any]) -> type | None:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # UTCDateTime: its python_type says only "object"
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return None


# Any: a JSON value in, the column's Python value out, whatever the column.
def _from_json(value: Any, column: Column[Any]) -> Any:
    if value is None:
        return None
    kind = _python_type(column)
    if kind is datetime:
        return datetime.fromisoformat(value)  # "...Z" is aware UTC; UTCDateTime refuses naive ones
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        if not isinstance(value, str):  # a float would already have lost cents
            raise ValueError(_("an amount must be written as a string, not {value}").format(value=repr(value)))
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(_("{value} is not an amount").format(value=repr(value))) from None
    return value


def parse_export(text: str | bytes) -> dict[str, list[dict[str, Any]]]:
    """Check an export's envelope and shape; returns its tables. Refuses in plain words."""
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RefusedError(_("This file is not JSON ({error}); it is not an msptui export.").format(error=exc)) from exc
    except RecursionError:
        raise RefusedError(_("This file nests lists or objects too deeply to be an msptui export.")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RefusedError(_("This JSON file is not an msptui export (its 'format' is not msptui-export)."))
    version = data.get("format_version")
    if not isinstance(version, int):
        raise RefusedError(_("This export has no format version; it cannot be imported."))
    if version > FORMAT_VERSION:
        raise RefusedError(
            _(
                "This export uses format version {version}, newer than this msptui knows ({known}). Upgrade msptui."
            ).format(version=version, known=FORMAT_VERSION)
        )
    tables = data.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(rows, list) and all(isinstance(r, dict) for r in rows) for rows in tables.values()
    ):
        raise RefusedError(_("This export is damaged: 'tables' must map each table to a list of rows."))
    known = {t.name: t for t in _tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise RefusedError(
            _("This export has tables this msptui does not know ({tables}). Upgrade msptui.").format(
                tables=", ".join(unknown)
            )
        )
    for name, rows in tables.items():
        columns = {c.name for c in _exported_columns(known[name])}
        for row in rows:
            extra = sorted(set(row) - columns)
            if extra:
                raise RefusedError(
                    _("This export has unknown columns in {table} ({columns}).").format(
                        table=name, columns=", ".join(extra)
                    )
                )
    return tables


def _non_empty(s: Session) -> list[str]:
    return [t.name for t in _tables() if s.scalar(select(func.count()).select_from(t))]


def import_data(engine: Engine, text: str | bytes) -> dict[str, int]:
    """Load an export into an EMPTY database in one transaction; returns {table: rows}.

    Refused (RefusedError, nothing written) if the database holds any row, or the file
    is not an export this version understands, or a row breaks a rule of the schema.
    """
    from msptui.store.files.import_checks import check_rows

    tables = parse_export(text)
    check_rows(tables)  # the interface's own rules, before anything is written
    counts: dict[str, int] = {}
    try:
        with db.write(engine) as s:
            occupied = _non_empty(s)
            if occupied:
                held = ", ".join(occupied[:4]) + (", ..." if len(occupied) > 4 else "")
                raise RefusedError(
                    _(
                        "Import only goes into an empty database, and this one already holds data "
                        "({tables}). Use a new data folder (--data-dir)."
                    ).format(tables=held)
                )
            for table in _tables():
                rows = tables.get(table.name) or []
                if not rows:
                    continue
                columns = {c.name: c for c in _exported_columns(table)}
                try:
                    values = [{k: _from_json(v, columns[k]) for k, v in row.items()} for row in rows]
                except (TypeError, ValueError) as exc:
                    raise RefusedError(
                        _("This export has a bad value in {table}: {error}. Nothing was imported.").format(
                            table=table.name, error=exc
                        )
                    ) from exc
                s.execute(table.insert(), values)
                counts[table.name] = len(values)
            if s.get_bind().dialect.name == "postgresql":  # pragma: no cover - exercised on PostgreSQL only
                _advance_sequences(s)
    except (StatementError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise RefusedError(
            _("This export breaks a rule of the database ({reason}). Nothing was imported.").format(reason=reason)
        ) from exc
    except OverflowError:  # an id or a number beyond 64 bits
        raise RefusedError(_("This export has a number too large for the database. Nothing was imported.")) from None
    return counts


def _advance_sequences(s: Session) -> None:
    """Rows came with their ids; move each id sequence past them so later inserts do not collide.

    The next id is one past the largest imported (1 for a table that came empty)."""
    from sqlalchemy import text

    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].autoincrement in (True, "auto") and pk[0].type.python_type is int:
            quoted, column = f'"{table.name}"', f'"{pk[0].name}"'
            s.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"COALESCE((SELECT MAX({column}) FROM {quoted}), 0) + 1, false)"
                ),
                {"table": quoted, "column": pk[0].name},
            )
