"""Backups of the SQLite database: on demand, automatic once a day, listed, restored.

Kinds of copy, by the last word of the file name (see `backup.stamped_name`):

- ``daily``: taken automatically the first time msptui opens on a given UTC day
  (an empty database is not copied). Rotated: the newest copy of each of the 7
  most recent days is kept, and, among older ones, the newest copy of each of the
  4 most recent ISO weeks (the "weekly" ones); the rest are deleted.
- ``manual``: ``msptui backup`` or the Backups screen; never deleted automatically.
- ``premigration``: taken before a schema upgrade; never deleted automatically.
- ``before-restore``: the database a restore replaced; never deleted automatically.

A restore is refused while msptui runs on the same data folder: the running app
would keep writing to the file that was moved aside. The app marks the folder in
use with a shared lock (`hold_in_use`); restore needs the lock alone. The lock
uses flock(2), so on Windows the check is skipped (documented in the README).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from msptui.core.i18n import N_, _
from msptui.paths import Paths
from msptui.store.files.backup import (
    SUFFIXES,
    BackupError,
    backup_to,
    check_database_file,
    free_name,
    parse_stamped_name,
    stamped_name,
)
from msptui.store.files.in_use import LOCK_NAME, InUse, hold_in_use, open_lock

__all__ = ["LOCK_NAME", "hold_in_use"]  # kept here too: where a reader of backups looks for them

if TYPE_CHECKING:
    from msptui.store.open import Store

KEEP_DAILY = 7
KEEP_WEEKLY = 4

# Marked for the catalogue; `BackupInfo.kind_words` translates.
KIND_WORDS = {
    "daily": N_("daily (automatic)"),
    "manual": N_("taken by hand"),
    "premigration": N_("before an upgrade"),
    "before-restore": N_("replaced by a restore"),
    "other": N_("other"),
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime  # UTC
    kind: str  # daily, manual, premigration, before-restore, or "other" for a file we did not name
    size: int  # bytes

    @property
    def kind_words(self) -> str:
        words = KIND_WORDS.get(self.kind)
        return _(words) if words else self.kind


def human_size(n: float) -> str:
    """1536 -> '1.5 KB' ('1,5 Ko' in French; binary units, as file managers show them)."""
    from msptui.core.formats import number

    if n < 1024:
        return _("{size} B").format(size=number(round(n), places=0))
    n /= 1024
    if n < 1024:
        return _("{size} KB").format(size=number(round(n, 1), places=1))
    n /= 1024
    if n < 1024:
        return _("{size} MB").format(size=number(round(n, 1), places=1))
    return _("{size} GB").format(size=number(round(n / 1024, 1), places=1))


def _sqlite_only() -> None:
    if os.environ.get("MSPTUI_DATABASE_URL"):
        raise BackupError(
            _(
                "MSPTUI_DATABASE_URL points at another database server: back it up with that server's "
                "own tools (for PostgreSQL, msptui backup runs pg_dump)."
            )
        )


def _server() -> str | None:
    """The PostgreSQL URL in use (its copies are pg_dump files), else None; refuses other servers."""
    from msptui.store.files.server_backup import server_url

    url = server_url()
    if url is None:
        _sqlite_only()
    return url


def backup(paths: Paths, target: str | os.PathLike[str] | None = None, *, now: datetime, kind: str = "manual") -> Path:
    """Copy the live database (consistent even while msptui writes); returns the new file.

    `target` may be a file name (refused if it exists) or an existing folder (a stamped
    name is made inside it); by default a stamped file in the backups folder. On a
    PostgreSQL server, the copy is a pg_dump file (`.dump`).
    """
    server = _server()
    database = paths.database
    if server is None and (not database.exists() or database.stat().st_size == 0):
        raise BackupError(_("There is no database to back up yet in {path}.").format(path=paths.data))
    suffix = ".dump" if server else ".sqlite3"
    stamped = target is None
    if target is None:
        path = paths.backups / stamped_name(kind, now, suffix)
    else:
        path = Path(target).expanduser().absolute()
        if path.is_dir():
            path, stamped = path / stamped_name(kind, now, suffix), True
        elif not path.parent.is_dir():
            raise BackupError(
                _("There is no folder {path}: give a file in an existing folder, or the folder itself.").format(
                    path=path.parent
                )
            )
    if path.exists() and not stamped:
        if path.resolve() == database.resolve():
            raise BackupError(_("The backup cannot overwrite the live database; choose another file."))
        raise BackupError(_("{path} already exists; choose another file name.").format(path=path))
    for _attempt in range(100):
        candidate = free_name(path) if stamped else path
        try:
            if server is not None:
                from msptui.store.files.server_backup import dump_to

                return dump_to(server, candidate)
            return backup_to(database, candidate)
        except FileExistsError:  # another backup took this name in the same second
            if not stamped:
                raise BackupError(_("{path} already exists; choose another file name.").format(path=path)) from None
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(
                _("The backup could not be written to {path}: {error}.").format(path=candidate, error=exc)
            ) from exc
    raise BackupError(_("No free backup name next to {path}.").format(path=path))


def list_backups(paths: Paths) -> list[BackupInfo]:
    """Every database copy in the backups folder, newest first."""
    out: list[BackupInfo] = []
    try:
        files = [p for p in paths.backups.iterdir() if p.suffix in SUFFIXES and p.is_file()]
    except FileNotFoundError:
        return []
    for p in files:
        st = p.stat()
        parsed = parse_stamped_name(p.name)
        if parsed is None:
            taken_at, kind = datetime.fromtimestamp(st.st_mtime, UTC), "other"
        else:
            taken_at, kind = parsed
        out.append(BackupInfo(path=p, taken_at=taken_at, kind=kind, size=st.st_size))
    out.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return out


# --- the automatic daily backup ---------------------------------------------------------


def _holds_data(database: Path) -> bool:
    if not database.exists() or database.stat().st_size == 0:
        return False
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        return any(con.execute(f'SELECT EXISTS (SELECT 1 FROM "{t}")').fetchone()[0] for t in tables)
    finally:
        con.close()


def daily_backup(paths: Paths, now: datetime) -> Path | None:
    """Take today's automatic copy unless one exists (days are UTC dates), then rotate.

    Returns the new file, or None when none was needed (already done today, or
    nothing in the database worth keeping).
    """
    _sqlite_only()
    remove_left_partials(paths)
    today = now.astimezone(UTC).date()
    made = None
    already = any(b.kind == "daily" and b.taken_at.date() == today for b in list_backups(paths))
    if not already and _holds_data(paths.database):
        made = backup(paths, now=now, kind="daily")
    rotate(paths)
    return made


def rotation_keeps(dailies: list[BackupInfo]) -> set[Path]:
    """Which automatic copies survive: newest per day for the last 7 days with a copy,
    then, among older ones, the newest per ISO week for the 4 most recent weeks.
    """
    newest_first = sorted(dailies, key=lambda b: b.taken_at, reverse=True)
    keep: set[Path] = set()
    days: list[date] = []
    for b in newest_first:
        day = b.taken_at.date()
        if day in days:
            continue
        if len(days) == KEEP_DAILY:
            break
        days.append(day)
        keep.add(b.path)
    if len(days) < KEEP_DAILY:
        return keep
    weeks: list[tuple[int, int]] = []
    for b in newest_first:
        if b.taken_at.date() >= days[-1]:
            continue
        iso = b.taken_at.date().isocalendar()
        week = (iso.year, iso.week)
        if week in weeks:
            continue
        if len(weeks) == KEEP_WEEKLY:
            break
        weeks.append(week)
        keep.add(b.path)
    return keep


# A copy still being written by another msptui is younger than this: left alone.
PARTIAL_KEPT = timedelta(hours=1)


def remove_left_partials(paths: Paths) -> list[Path]:
    """Delete the half-written copies a quit left behind (`.<name>.<random>.partial`).

    A quit in the first seconds ends the process while the day's backup may be
    copying (the app does not wait for it: issue 15); the copy is taken again at
    the next start, and its partial file would otherwise stay, a hidden copy of
    client data that no listing shows.
    """
    if not paths.backups.is_dir():
        return []
    cutoff = time.time() - PARTIAL_KEPT.total_seconds()
    gone = []
    for p in paths.backups.glob(".*.partial"):
        try:
            if p.is_file() and p.stat().st_mtime < cutoff:
                p.unlink()
                gone.append(p)
        except OSError:
            continue  # gone meanwhile, or not ours to delete: the next start tries again
    return gone


def rotate(paths: Paths) -> list[Path]:
    """Delete the automatic copies `rotation_keeps` lets go; other kinds are never touched."""
    dailies = [b for b in list_backups(paths) if b.kind == "daily"]
    keep = rotation_keeps(dailies)
    gone = []
    for b in dailies:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            gone.append(b.path)
    return gone


# --- "msptui is running here" --------------------------------------------------------------


@contextmanager
def _sole_user(paths: Paths) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:
        yield
        return
    paths.data.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = open_lock(paths)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BackupError(
                _("msptui is open on {path} (in another window?). Quit it there, then restore.").format(path=paths.data)
            ) from None
        yield
    finally:
        os.close(fd)


def at_start(store: Store, now: datetime, handle: InUse | None) -> str | None:
    """What the app does once its store is open: keep the folder marked in use
    (`handle`, from `hold_in_use` before the store was opened) for as long as the
    engine lives, and take today's automatic backup.

    Returns a sentence for the user if the backup failed (the app keeps working), else None.
    """
    if os.environ.get("MSPTUI_DATABASE_URL"):
        return None
    if handle is not None:
        from sqlalchemy import event

        event.listen(store.engine, "engine_disposed", lambda _engine: handle.release())
    try:
        daily_backup(store.paths, now)
    except (BackupError, OSError, sqlite3.Error) as exc:
        return _("Today's automatic backup failed: {error}").format(error=exc)
    return None


# --- restore ---------------------------------------------------------------------------------


def restore(paths: Paths, source: str | os.PathLike[str], *, now: datetime) -> Path | None:
    """Replace the live database with the copy `source`; returns where the replaced file was kept.

    Refused (BackupError, nothing changed) unless `source` passes `PRAGMA integrity_check`,
    is an msptui database not newer than this version, and no msptui runs on this folder.
    The replaced database is checkpointed (its WAL folded in) and kept in the backups
    folder as a ``before-restore`` copy, so a restore can itself be undone.
    """
    from msptui.store.migrate import HEAD

    src = Path(source).expanduser().absolute()
    server = _server()
    if server is not None or src.suffix == ".dump":
        from msptui.store.files.server_backup import restore_on_server

        return restore_on_server(server, paths.backups, src, now, HEAD)
    database = paths.database
    if src.exists() and database.exists() and src.resolve() == database.resolve():
        raise BackupError(_("That is the live database itself; choose a backup file."))
    check_database_file(src, HEAD)
    paths.ensure()
    with _sole_user(paths):
        staging = database.with_name(database.name + ".restoring")
        staging.unlink(missing_ok=True)  # left by a restore that was killed; we hold the folder alone
        try:
            backup_to(src, staging)  # read through SQLite, so the source file is never modified
            check_database_file(staging, HEAD)
        except (OSError, sqlite3.Error) as exc:
            staging.unlink(missing_ok=True)
            raise BackupError(
                _("The copy of {source} could not be written into {path}: {error}.").format(
                    source=src, path=paths.data, error=exc
                )
            ) from exc
        except BackupError:
            staging.unlink(missing_ok=True)
            raise
        aside = None
        if database.exists():
            try:
                _fold_wal(database)
                aside = free_name(paths.backups / stamped_name("before-restore", now))
                paths.backups.mkdir(parents=True, exist_ok=True, mode=0o700)
                shutil.move(database, aside)
            except BackupError:
                staging.unlink(missing_ok=True)
                raise
        for companion in ("-wal", "-shm", "-journal"):
            database.with_name(database.name + companion).unlink(missing_ok=True)
        os.replace(staging, database)
    return aside


def _fold_wal(database: Path) -> None:
    """Checkpoint the WAL into the main file and leave WAL mode, so the file stands alone."""
    con = sqlite3.connect(database, timeout=2)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise BackupError(
            _("The current database is in use by another program ({error}); close it, then restore.").format(error=exc)
        ) from exc
    finally:
        con.close()
    if mode != "delete":
        raise BackupError(_("The current database is in use by another program; close it, then restore."))
