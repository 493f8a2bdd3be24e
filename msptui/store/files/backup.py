"""Copies of the database made with SQLite's online backup API (safe while in use),
and the checks a file must pass before it may replace the live database.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from msptui.core.i18n import _
from msptui.store.db import StoreError

# msptui-2026-11-21T230200Z-daily.sqlite3: instant in UTC, then what kind of copy it is;
# .dump for a PostgreSQL server's copy (pg_dump's custom format, see server_backup).
STAMP_FORMAT = "%Y-%m-%dT%H%M%SZ"
NAME_RE = re.compile(
    r"^msptui-(?P<stamp>\d{4}-\d{2}-\d{2}T\d{6}Z)-(?P<kind>[a-z]+(?:-[a-z]+)*)(?:-\d+)?\.(?:sqlite3|dump)$"
)
SUFFIXES = (".sqlite3", ".dump")


class BackupError(StoreError):
    """A copy cannot be made or used; the message is meant for the user."""


def backup_to(database: Path, target: Path) -> Path:
    """Copy `database` to `target` in one step of the backup API; returns `target`.

    The copy is consistent even while another process writes (it sees one committed
    state), is a single self-contained file (rollback journal, not WAL), is created
    0600, and appears under its final name only once complete. FileExistsError if
    `target` exists by then (another backup took the name first).
    """
    from msptui.store.files.private import place_new, private_folder, private_temp

    private_folder(target.parent)
    # A unique temporary name, 0600 from its creation: two backups in the same
    # second never write into each other's file.
    partial = private_temp(target.parent, target.name)
    try:
        src = sqlite3.connect(database)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # pages=-1 by default: one step
                # A lone file is what a user copies around: no -wal/-shm companions needed.
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        place_new(partial, target)  # never a half-written file under the final name, never over another
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def stamped_name(kind: str, at: datetime, suffix: str = ".sqlite3") -> str:
    """e.g. msptui-2026-11-21T230200Z-premigration.sqlite3 (UTC, sorts chronologically)."""
    return f"msptui-{at.astimezone(UTC).strftime(STAMP_FORMAT)}-{kind}{suffix}"


def parse_stamped_name(name: str) -> tuple[datetime, str] | None:
    """(instant in UTC, kind) of a name made by `stamped_name`, or None for any other name."""
    m = NAME_RE.match(name)
    if m is None:
        return None
    at = datetime.strptime(m["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
    return at, m["kind"]


def free_name(path: Path) -> Path:
    """`path`, or the first of `<stem>-2<suffix>`, `<stem>-3<suffix>`... that does not exist."""
    n = 1
    candidate = path
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def check_database_file(path: Path, head: str) -> str:
    """Refuse (BackupError) unless `path` is a sound msptui database this version can open.

    Sound means: a SQLite file, `PRAGMA integrity_check` answers ok, it has msptui's
    tables and a schema revision not newer than `head`. Returns that revision.
    The file is opened read-only and never modified.
    """
    if not path.is_file():
        raise BackupError(_("{path} does not exist or is not a file.").format(path=path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(_("{path} cannot be opened: {error}.").format(path=path, error=exc)) from exc
    try:
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check")]
            tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(
                _("{path} is not a readable SQLite database ({error}).").format(path=path, error=exc)
            ) from exc
        if result != ["ok"]:
            raise BackupError(
                _("{path} is damaged (integrity check: {result}).").format(path=path, result="; ".join(result[:3]))
            )
        if not {"alembic_version", "client", "ticket"} <= tables:
            raise BackupError(_("{path} is a SQLite database but not an msptui one.").format(path=path))
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is not None and row[0] == head:
            _check_columns(con, path)
    finally:
        con.close()
    revision: str | None = row[0] if row else None
    if revision is None:
        raise BackupError(_("{path} has no schema revision; it is not an msptui database.").format(path=path))
    # Revisions are zero-padded numbers ("0001"), so they compare as text.
    if revision > head:
        raise BackupError(
            _(
                "{path} was written by a newer msptui (schema {revision}, this one knows {head}). Upgrade msptui first."
            ).format(path=path, revision=revision, head=head)
        )
    return revision


def _check_columns(con: sqlite3.Connection, path: Path) -> None:
    """A file at the current revision has every table and column this msptui reads:
    a look-alike (right table names, wrong columns) would fail later, at 3 a.m."""
    from sqlmodel import SQLModel

    import msptui.store.models  # noqa: F401  (registers every table)

    for table in SQLModel.metadata.sorted_tables:
        found = {row[1] for row in con.execute(f'PRAGMA table_info("{table.name}")')}
        missing = sorted({c.name for c in table.columns} - found)
        if missing:
            raise BackupError(
                _("{path} is not an msptui database of this version: table {table} lacks {columns}.").format(
                    path=path, table=table.name, columns=", ".join(missing[:5])
                )
            )
