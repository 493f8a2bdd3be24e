"""Backups of a team's PostgreSQL database with the server's own tools, pg_dump and pg_restore.

A backup is a custom-format dump (`msptui-<UTC instant>-<kind>.dump`, 0600, in the
backups folder beside the SQLite copies). A restore replaces msptui's tables on the
server with the dump's, in one transaction (`--single-transaction --exit-on-error`):
it is whole or nothing is changed. Before it, the current database is dumped as a
``before-restore`` copy, so a restore can itself be undone.

The password of MSPTUI_DATABASE_URL never reaches a command line or a message: the
tools get the URL without it, and the password through PGPASSWORD in their own
environment; `-w` stops them from ever asking for one on the terminal.
When a tool is missing or older than the server, the refusal gives the command to
run by hand.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from msptui.core.i18n import _, ngettext
from msptui.store.files.backup import BackupError

DUMP_SUFFIX = ".dump"
# The tables whose presence makes a dump msptui's (as check_database_file for SQLite).
MSPTUI_TABLES = ("alembic_version", "client", "ticket")
# A restore waits this long for a table another session is using, then gives up whole.
# pg_restore's script sets lock_timeout = 0 itself, so msptui watches it (`_restore_watched`).
RESTORE_LOCK_TIMEOUT_MS = 10_000
RESTORE_APP = "msptui-restore"  # pg_restore's application_name, to find its session
RESTORE_FLAGS = ("--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error")


@dataclass(frozen=True)
class Server:
    """Where the tools connect: the URL as libpq reads it, without the password, and the password."""

    uri: str
    password: str | None

    @classmethod
    def from_url(cls, url: str) -> Server:
        parsed = make_url(url)
        password = parsed.password
        # URL.set(password=None) would keep the password ("None" means "unchanged" there).
        bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
        return cls(uri=bare.render_as_string(hide_password=False), password=None if password is None else str(password))

    def environment(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, PGCONNECT_TIMEOUT="5", **extra)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env


def server_url() -> str | None:
    """MSPTUI_DATABASE_URL when it names a PostgreSQL server, else None."""
    url = os.environ.get("MSPTUI_DATABASE_URL")
    return url if url and url.startswith("postgresql") else None


def dump_command(server: Server, target: Path) -> list[str]:
    return ["pg_dump", "--format=custom", "-w", f"--file={target}", f"--dbname={server.uri}"]


def restore_command(server: Server, source: Path) -> list[str]:
    return ["pg_restore", *RESTORE_FLAGS, "-w", f"--dbname={server.uri}", str(source)]


def _shown(command: list[str]) -> str:
    return shlex.join(command)


def server_major(url: str) -> int:
    """The server's major version (15 for 15.4); StoreError in words if it cannot be reached."""
    from sqlalchemy.exc import OperationalError

    from msptui.store.db import StoreError, explain_operational_error, make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    except OperationalError as exc:
        raise StoreError(explain_operational_error(exc)) from exc
    finally:
        engine.dispose()


def tool(name: str, major: int, by_hand: list[str]) -> str:
    """The path of `name` (pg_dump, pg_restore) if it is there and not older than the server.

    Otherwise BackupError, one sentence with the command `by_hand` to run elsewhere.
    """
    found = shutil.which(name)
    command = _shown(by_hand)
    if found is None:
        raise BackupError(
            _(
                "{tool} is not installed here: install the PostgreSQL {major} client tools "
                "(e.g. apt install postgresql-client-{major}), or run this where they are: {command}"
            ).format(tool=name, major=major, command=command)
        )
    try:
        out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    m = re.search(r"\(PostgreSQL\)\s+((\d+)[.\w]*)", out)
    if m is None or int(m[2]) < major:
        raise BackupError(
            _(
                "{tool} here is version {version}, older than the server's PostgreSQL {major}: install the "
                "PostgreSQL {major} client tools, or run this where they are: {command}"
            ).format(tool=name, version=m[1] if m else "?", major=major, command=command)
        )
    return found


def _run(command: list[str], server: Server, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=server.environment(**extra_env), check=False)


def _last_words(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else _("no message")


def dump_to(url: str, target: Path) -> Path:
    """pg_dump the database of `url` into the new file `target` (0600, complete or absent).

    FileExistsError if `target` exists by then; BackupError in words for anything else.
    """
    from msptui.store.files.private import place_new, private_folder, private_temp

    server = Server.from_url(url)
    by_hand = dump_command(server, target)
    pg_dump = tool("pg_dump", server_major(url), by_hand)
    private_folder(target.parent)
    partial = private_temp(target.parent, target.name)  # 0600 before pg_dump writes into it
    try:
        done = _run([pg_dump, *dump_command(server, partial)[1:]], server)
        if done.returncode != 0:
            raise BackupError(
                _("pg_dump could not back up the database: {error}.").format(error=_last_words(done.stderr))
            )
        place_new(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


# --- restore ---------------------------------------------------------------------------------


def dump_revision(pg_restore: str, source: Path, server: Server) -> str:
    """The schema revision inside an msptui dump; BackupError unless `source` is one."""
    listing = _run([pg_restore, "--list", str(source)], server)
    if listing.returncode != 0:
        raise BackupError(
            _("{path} is not a PostgreSQL dump ({error}).").format(path=source, error=_last_words(listing.stderr))
        )
    tables = set(re.findall(r"\bTABLE \S+ (\S+) ", listing.stdout))
    if not set(MSPTUI_TABLES) <= tables:
        raise BackupError(_("{path} is a PostgreSQL dump but not of an msptui database.").format(path=source))
    data = _run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)], server)
    m = re.search(r"^COPY \S*alembic_version .*FROM stdin;\n(\w+)\n", data.stdout, re.MULTILINE)
    if data.returncode != 0 or m is None:
        raise BackupError(_("{path} has no schema revision; it is not an msptui dump.").format(path=source))
    return m[1]


def _server_state(url: str) -> tuple[str | None, int]:
    """(the server database's schema revision or None, other msptui sessions connected to it)."""
    from msptui.store.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            revision = None
            if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is not None:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            others = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = 'msptui' AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
            return revision, int(others)
    finally:
        engine.dispose()


def restore_on_server(server: str | None, backups: Path, source: Path, now: datetime, head: str) -> Path | None:
    """`msptui restore` of a dump: on the PostgreSQL server `server`; returns the copy of what it
    replaced (a ``before-restore`` dump in `backups`), or None if the server held no msptui schema.

    A dump is refused without a server, and a SQLite copy with one, each in words."""
    from msptui.store.files.backup import free_name, stamped_name

    if server is None:
        raise BackupError(
            _(
                "{path} is a copy of a PostgreSQL server database: set MSPTUI_DATABASE_URL to that server, "
                "then restore."
            ).format(path=source)
        )
    if source.suffix == ".sqlite3":
        raise BackupError(
            _(
                "{path} is a SQLite copy and msptui uses the server of MSPTUI_DATABASE_URL: move its data with "
                "msptui export, then msptui import (see the README)."
            ).format(path=source)
        )
    if not source.is_file():
        raise BackupError(_("{path} does not exist or is not a file.").format(path=source))
    aside = free_name(backups / stamped_name("before-restore", now, DUMP_SUFFIX))
    return restore_dump(server, source, head, keep_aside=aside)


def restore_dump(url: str, source: Path, head: str, keep_aside: Path | None) -> Path | None:
    """Replace msptui's tables in the database of `url` with those of the dump `source`.

    Refused (BackupError, nothing changed) unless `source` is an msptui dump not newer
    than `head` nor older than the server's schema, and no other msptui is connected.
    `keep_aside`: where to dump the current database first (None: no copy); returned
    if that copy was made (not when the server held no msptui schema yet).
    """
    server = Server.from_url(url)
    by_hand = restore_command(server, source)
    major = server_major(url)
    pg_restore = tool("pg_restore", major, by_hand)
    revision = dump_revision(pg_restore, source, server)
    if revision > head:  # revisions are zero-padded numbers: they compare as text
        raise BackupError(
            _(
                "{path} was written by a newer msptui (schema {revision}, this one knows {head}). Upgrade msptui first."
            ).format(path=source, revision=revision, head=head)
        )
    current, others = _server_state(url)
    if current is not None and current > revision:
        raise BackupError(
            _(
                "{path} is from an older schema ({revision}) than the server's ({current}): restore it into a new, "
                "empty database (createdb, then pg_restore --no-owner --dbname=NEW {path}) and point "
                "MSPTUI_DATABASE_URL at it; msptui upgrades it at the next start."
            ).format(path=source, revision=revision, current=current)
        )
    if others:
        raise BackupError(
            ngettext(
                "msptui is open on this database in {count} other session (another technician?). "
                "Ask them to quit, then restore.",
                "msptui is open on this database in {count} other sessions (other technicians?). "
                "Ask them to quit, then restore.",
                others,
            ).format(count=others)
        )
    kept = None
    if keep_aside is not None and current is not None:
        kept = dump_to(url, keep_aside)
    returncode, stderr, blocked = _restore_watched([pg_restore, *restore_command(server, source)[1:]], server, url)
    if blocked:
        seconds = max(1, RESTORE_LOCK_TIMEOUT_MS // 1000)
        raise BackupError(
            ngettext(
                "pg_restore waited more than {seconds} second for a table another program is using, "
                "and nothing was changed: close that program (psql, a report tool), then restore.",
                "pg_restore waited more than {seconds} seconds for a table another program is using, "
                "and nothing was changed: close that program (psql, a report tool), then restore.",
                seconds,
            ).format(seconds=seconds)
        )
    if returncode != 0:
        raise BackupError(
            _("pg_restore refused {path}, and nothing was changed: {error}.").format(
                path=source, error=_last_words(stderr)
            )
        )
    return kept


def _restore_watched(command: list[str], server: Server, url: str) -> tuple[int, str, bool]:
    """Run pg_restore; cancel its statement if it waits on a lock longer than RESTORE_LOCK_TIMEOUT_MS
    (its one transaction then rolls back whole). Returns (exit status, its messages, cancelled)."""
    import tempfile
    import time

    from msptui.store.db import make_engine

    watcher = make_engine(url).execution_options(readonly=True)
    waiting = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
        "AND application_name = :app AND wait_event_type = 'Lock'"
    )
    blocked = False
    with tempfile.TemporaryFile(mode="w+") as messages:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=messages, env=server.environment(PGAPPNAME=RESTORE_APP)
        )
        since: float | None = None
        try:
            while True:
                try:
                    process.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    pass
                with watcher.connect() as conn:
                    pid = conn.execute(waiting, {"app": RESTORE_APP}).scalar()
                    if pid is None:
                        since = None
                        continue
                    since = since or time.monotonic()
                    if time.monotonic() - since > RESTORE_LOCK_TIMEOUT_MS / 1000:
                        conn.execute(text("SELECT pg_cancel_backend(:pid)"), {"pid": pid})
                        blocked = True
        except BaseException:
            process.kill()  # an interrupted restore: its transaction dies with its connection
            process.wait()
            raise
        finally:
            watcher.engine.dispose()
        messages.seek(0)
        return process.returncode, messages.read(), blocked
