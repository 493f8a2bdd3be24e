"""The board's reads, worker side (off the UI thread): the rows with every clock evaluated.

At start the rows come from the SQLite file itself, or from the PostgreSQL
server through psycopg (`early_snapshot`, no SQLAlchemy) while the store opens; once it is open, `store_check` compares the
store's version stamp with the early read's, and the board reads again only if
something changed in between: one read and one evaluation of each ticket at
start instead of two. Then `freeze_once` takes the board's objects out of the
garbage collector's full passes.
"""

from __future__ import annotations

import gc
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from msptui.store.reads.board import BoardData
    from msptui.ui.widgets.countdown import TicketCountdown

Snapshot = tuple["BoardData", list["TicketCountdown"]]


def board_snapshot(engine: Any, now: datetime, zone: Any, layout: bool | str, ticket_ids: list[int] | None = None):  # noqa: ANN201
    """Read the board through the store and evaluate every clock, its cells built for
    `layout` (see board_layout.layout_for; True means wide)."""
    from msptui.store.reads.board import load_board

    return _evaluate(load_board(engine, ticket_ids), now, zone, layout)


def early_snapshot(database: Path | str, now: datetime, zone: Any, layout: bool | str):  # noqa: ANN201
    """Before the store is open: the same snapshot read straight from the SQLite file
    with sqlite3, or from the PostgreSQL server of a URL with psycopg (no SQLAlchemy
    either way), or None if the database is not at the schema's HEAD."""
    if isinstance(database, str):
        from msptui.store.server import read_board_server

        data = read_board_server(database)
        return None if data is None else _evaluate(data, now, zone, layout)
    from msptui.store.migrate import HEAD, current_revision
    from msptui.store.reads.board import read_board_file

    if current_revision(database) != HEAD:
        return None  # new, empty or to be migrated: wait for the store
    return _evaluate(read_board_file(database), now, zone, layout)


def store_check(engine: Any) -> tuple[int, int]:
    """The store's board_version, once the store has opened behind rows read early.

    Also imports the ticket commands here, in the worker: the board's keys and
    their availability (check_action) use them, and importing them on the UI
    thread at the first key would freeze it for most of a second."""
    import msptui.store.tickets  # noqa: F401 - see above
    from msptui.store.reads.board import board_version

    return board_version(engine)


def _evaluate(data: BoardData, now: datetime, zone: Any, layout: bool | str) -> Snapshot:
    from msptui.store.calendars import save_holiday_file
    from msptui.ui.widgets.countdown import TicketCountdown

    countdowns = [TicketCountdown(t, data.policy(t), now, zone, layout, data.calendar_error(t)) for t in data.tickets]
    for cd in countdowns:
        cd.prepared = cd.row(now)  # Text cells are plain objects: build them here, not on the UI thread
    save_holiday_file()  # the years the clocks just looked up, for a faster next start
    return data, countdowns


def freeze_once() -> None:
    """Once, when the board first holds the store's rows: its objects (about 200,000 at
    10,000 open tickets) live as long as the app, and frozen, each full collection no
    longer walks them all (pauses up to 190 ms, every few seconds of repainting). Not
    after later reads: whatever is garbage at that instant would be kept for good."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


_frozen = False


class PrepaidWords(str):
    """The contract's prepaid line as the store words it, and whether the hours are
    overspent (the detail line then puts it first, in red: asked, not read from the words,
    which are in the user's language)."""

    over: bool = False


def prepaid_words(engine: Any, contract_id: int, now: datetime) -> tuple[PrepaidWords | None, list[int]]:
    """(In a worker.) The contract's prepaid hours in words for the detail line (None without
    any), and the alert thresholds (75, 90, 100 %) reached since last said (said once each)."""
    from msptui.store.billing import due_alerts, prepaid_balance
    from msptui.store.reads.statement import prepaid_line

    line = prepaid_line(engine, contract_id, now)
    if line is None:
        return None, []
    words = PrepaidWords(line)
    consumption = prepaid_balance(engine, contract_id, now).consumption
    words.over = bool(consumption is not None and consumption.over)
    return words, due_alerts(engine, contract_id, now)


def commit_watch(database: Path, url: str | None) -> Any:
    """What tells the board that someone committed: on a PostgreSQL server (`url`, as
    MSPTUI_DATABASE_URL) its notifications (store/changes.py), on the SQLite file
    `database` its write-ahead log; another URL: nothing (the board's recheck)."""
    from msptui.store.server import is_server_url

    if url and is_server_url(url):
        from msptui.store.changes import ServerWatch

        return ServerWatch(url)
    return CommitWatch(None if url else database)


class CommitWatch:
    """Whether any process committed to the SQLite file since the last look: each commit
    grows or rewrites its write-ahead log (`<database>-wal`), so one os.stat a second
    tells, on the UI thread, without a query. None (another database): never moves."""

    lost = False  # a file is never "unreachable" the way a server is

    def news(self) -> str | None:
        return None

    def close(self) -> None:
        pass

    def __init__(self, database: Path | None) -> None:
        self._wal = None if database is None else f"{database}-wal"
        self._mark: tuple[int, int] | None = None
        self._seen = False

    def moved(self) -> bool:
        """True when the log changed since the previous call (never on the first call)."""
        if self._wal is None:
            return False
        try:
            found = os.stat(self._wal)
            mark: tuple[int, int] | None = (found.st_mtime_ns, found.st_size)
        except OSError:
            mark = None
        moved = self._seen and mark != self._mark
        self._mark, self._seen = mark, True
        return moved
