"""The board on PostgreSQL (issue 20): the same 100,000-ticket data, on a server.

The server is MSPTUI_BENCH_POSTGRES_URL's, or a throw-away one started with
tests/postgres/cluster in a temporary folder when PostgreSQL is installed;
without either, the rows say "not measured: no PostgreSQL server".

The data are the generated SQLite file's rows, copied into a database migrated by
msptui's own migrations (COPY, table by table), kept on the server as a template
between runs (named per profile, marked with the file's cache key); each run
works on a fresh copy (CREATE DATABASE ... TEMPLATE), as `prepare` copies the file.

Rows, beside SQLite's and against the same references: the board usable at a cold
start (the bare app, in the same rounds: bench/cold_start.py's "usable-pg" case),
and the board tick (bench/board_bench.py, median under 5 ms).
"""

from __future__ import annotations

import asyncio
import glob
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

CLUSTER = Path(__file__).resolve().parents[1] / "tests" / "postgres" / "cluster"
NO_SERVER = "not measured: no PostgreSQL server (set MSPTUI_BENCH_POSTGRES_URL, or install PostgreSQL)"


@contextmanager
def server() -> Iterator[tuple[str | None, str]]:
    """(SQLAlchemy URL of a server's maintenance database, how it was found), or (None, why not)."""
    given = os.environ.get("MSPTUI_BENCH_POSTGRES_URL")
    if given:
        yield given, "MSPTUI_BENCH_POSTGRES_URL"
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        yield None, NO_SERVER
        return
    folder = Path(tempfile.mkdtemp(prefix="msptui-bench-pg-"))
    env = {**os.environ, "MSPTUI_TEST_POSTGRES_PORT": str(_free_port())}
    started = subprocess.run([str(CLUSTER), "start", str(folder)], env=env, capture_output=True, text=True)
    try:
        if started.returncode != 0:
            yield None, f"not measured: the PostgreSQL server did not start: {started.stderr.strip()[-200:]}"
        else:
            yield started.stdout.strip(), "a throw-away server (tests/postgres/cluster)"
    finally:
        subprocess.run([str(CLUSTER), "stop", str(folder)], env=env, capture_output=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _url(server_url: str, database: str) -> str:
    base, _slash, _old = server_url.rpartition("/")
    return f"{base}/{database}"


def _admin(server_url: str):  # noqa: ANN202
    from msptui.store.server import connect

    return connect(server_url, autocommit=True)


@contextmanager
def database(server_url: str, source: Path, profile: str = "base") -> Iterator[str]:
    """A fresh database holding `source`'s rows (a generated SQLite file); its URL. Dropped after."""
    template = f"msptui_bench_{profile}"
    _ensure_template(server_url, template, source)
    name = f"msptui_bench_run_{os.getpid()}"
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _url(server_url, name)
    finally:
        with _admin(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _ensure_template(server_url: str, template: str, source: Path) -> None:
    """The template database of `source` (its file name is the cache key), loaded if missing or stale."""
    with _admin(server_url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (template,)
        ).fetchone()
        if row is not None and row[0] == source.name:
            return
        conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{template}"')
    url = _url(server_url, template)
    load(url, source)
    with _admin(server_url) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{template}\" IS '{source.name}'")


def load(url: str, source: Path) -> None:
    """Migrate the empty database at `url` with msptui's migrations, then copy every row of
    the SQLite file `source` into it (COPY), set the id sequences after them, and VACUUM
    ANALYZE, as a database used for years would be."""
    from sqlmodel import SQLModel

    import msptui.store.models  # noqa: F401 - the tables
    from msptui.paths import resolve
    from msptui.store.open import open_store

    previous = os.environ.get("MSPTUI_DATABASE_URL")
    os.environ["MSPTUI_DATABASE_URL"] = url
    try:
        with tempfile.TemporaryDirectory(prefix="msptui-bench-pg-migrate-") as folder:
            open_store(resolve(Path(folder)).ensure()).dispose()
    finally:
        if previous is None:
            os.environ.pop("MSPTUI_DATABASE_URL", None)
        else:
            os.environ["MSPTUI_DATABASE_URL"] = previous
    lite = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        with _admin(url) as conn:
            for table in SQLModel.metadata.sorted_tables:
                columns = [c.name for c in table.columns]
                names = ", ".join(f'"{c}"' for c in columns)
                rows = lite.execute(f'SELECT {names} FROM "{table.name}"')
                with conn.transaction(), conn.cursor().copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                if "id" in columns:
                    conn.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false) '
                        f"WHERE pg_get_serial_sequence('\"{table.name}\"', 'id') IS NOT NULL"
                    )
            conn.execute("VACUUM ANALYZE")
    finally:
        lite.close()


def tick_rows(data_dir: Path, url: str) -> list[dict]:
    """bench/board_bench.py's tick rows with the app on the server at `url` (same bars)."""
    from bench import board_bench
    from msptui.core.clock import FrozenClock

    previous = os.environ.get("MSPTUI_DATABASE_URL")
    os.environ["MSPTUI_DATABASE_URL"] = url
    try:
        rows = asyncio.run(board_bench._measure(data_dir, FrozenClock(datetime.now(UTC))))
    finally:
        if previous is None:
            os.environ.pop("MSPTUI_DATABASE_URL", None)
        else:
            os.environ["MSPTUI_DATABASE_URL"] = previous
    kept = [r for r in rows if "re-evaluate" not in r["name"]]  # the engine's cost: the same on any database
    for row in kept:
        row["name"] = row["name"].replace("board tick", "board tick on PostgreSQL", 1)
    return kept


def not_measured(why: str) -> list[dict]:
    """The PostgreSQL rows when there is no server: said, not left out."""
    return [
        {
            "name": "cold start: msptui board usable on PostgreSQL, 1,000 open",
            "value": why,
            "bar": "<= 2.0x bare",
            "ok": False,
        },
        {"name": "board tick on PostgreSQL: 1,000 open tickets (median)", "value": why, "bar": "< 5 ms", "ok": False},
    ]


def main() -> int:
    """Load today's generated data into a server and print where (for trying it by hand)."""
    from bench.generate import cached_database

    with server() as (found, how):
        if found is None:
            print(how)
            return 1
        with database(found, cached_database().database) as url:
            print(f"{url} ({how}); measuring the tick…", file=sys.stderr)
            for row in tick_rows(Path(tempfile.mkdtemp(prefix="msptui-bench-pg-data-")), url):
                print(f"{row['name']}: {row['value']} (bar {row['bar']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
