"""The SLA board's one read: the tickets on the board with what their clocks need.

Four queries whatever the number of tickets (no query per ticket), each led
by an index: tickets by `ix_ticket_status`, their events by
`ix_ticket_event_ticket_id`, their contracts and targets by primary key and
`ix_sla_target_contract_id`. With 1,000 open tickets among 100,000 only the
open ones and their events are read.

The queries are plain SQL text without bound parameters, run on a DB-API
cursor, and this module imports neither SQLAlchemy nor the table models: at
start the board is read from the SQLite file through `sqlite3` while the store
(SQLAlchemy, migrations) is still opening (`read_board_file`), and the store
runs the very same SQL through its engine (`load_board`), so there is one
query for SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from msptui.core import sla
from msptui.core.rules.out_of_hours import HoursClass, summarise
from msptui.core.vocabulary import BOARD_STATUSES
from msptui.store.calendars import contract_policy

if TYPE_CHECKING:
    from sqlalchemy import Engine

# As msptui.store.db.BUSY_TIMEOUT_MS (not imported from there: db imports SQLAlchemy).
BUSY_TIMEOUT_MS = 5000
# One SQL text -> its rows as plain tuples, of whatever types the driver gives (hence Any).
Run = Callable[[str], Iterable[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class BoardTicket:
    """One ticket as the board shows it. `events` are the SLA engine's events
    (notes left out); `version` changes whenever the log grows."""

    id: int
    client_id: int
    client_name: str
    client_tz: str
    contract_id: int | None
    contract_reference: str | None
    title: str
    priority: str
    status: str
    opened_at: datetime
    billable: bool
    channel: str | None  # of the last start of intervention
    out_of_hours: int  # the technician's actions out of hours: surcharged or outside the contract
    surcharge_pct: int  # the contract's present percent (each event keeps its own, see hours_summary)
    events: tuple[sla.TicketEvent, ...]
    version: tuple[int, int]  # (last event id, number of events)
    # (hours_class, surcharge_pct) of each event out of hours, as classified when it happened.
    out_of_hours_work: tuple[tuple[str, int], ...] = ()
    assignee: str | None = None  # the technician it is assigned to; None: unassigned

    @property
    def outside_contract(self) -> int:
        return sum(1 for c, _pct in self.out_of_hours_work if c == HoursClass.outside_contract)

    @property
    def hours_summary(self) -> str:
        """'☾ 2 out of hours, +25 %', '☾ 1 outside the contract', or '' (rules.out_of_hours.summarise)."""
        return summarise(self.out_of_hours_work, short=True)


@dataclass
class BoardData:
    tickets: list[BoardTicket] = field(default_factory=list)
    policies: dict[int, sla.SlaPolicy] = field(default_factory=dict)  # by contract id
    # Contracts whose stored calendar cannot be built (an edited restore, an older
    # bug): their tickets still show, marked, and the board keeps working.
    calendar_errors: dict[int, str] = field(default_factory=dict)
    undisclosed_conflicts: int = 0
    version: tuple[int, int] = (0, 0)  # see board_version

    def policy(self, ticket: BoardTicket) -> sla.SlaPolicy | None:
        return None if ticket.contract_id is None else self.policies.get(ticket.contract_id)

    def calendar_error(self, ticket: BoardTicket) -> str | None:
        return None if ticket.contract_id is None else self.calendar_errors.get(ticket.contract_id)


class LogRow(Protocol):
    """What the SLA engine reads of a ticket's log row: a TicketEvent row, or the board's own."""

    @property
    def at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str | None: ...
    @property
    def priority(self) -> str | None: ...


def to_sla_events(rows: Iterable[LogRow]) -> list[sla.TicketEvent]:
    """Log rows (anything with at, kind, status, priority) as the SLA engine's events."""
    return [sla.TicketEvent(r.at, r.kind, r.status, r.priority) for r in rows if r.kind != "note"]


# Inlined in the SQL rather than bound: they are the vocabulary's own constants
# (checked to be plain words), so the text is the same for every driver's paramstyle.
BOARD_STATUS_VALUES = tuple(sorted(str(s) for s in BOARD_STATUSES))
assert all(s.isidentifier() for s in BOARD_STATUS_VALUES)
_STATUS_LIST = ", ".join(f"'{s}'" for s in BOARD_STATUS_VALUES)

_TICKETS = """
SELECT t.id, t.client_id, c.name, c.timezone, t.contract_id, k.reference, t.title, t.priority, t.status,
       t.opened_at, t.billable, k.out_of_hours_surcharge_pct, t.assignee
FROM ticket t JOIN client c ON c.id = t.client_id LEFT JOIN contract k ON k.id = t.contract_id
WHERE t.id IN ({on_board}) ORDER BY t.id"""
_EVENTS = """
SELECT e.ticket_id, e.id, e.at, e.kind, e.status, e.priority, e.channel, e.hours_class, e.surcharge_pct
FROM ticket_event e WHERE e.ticket_id IN ({on_board})
ORDER BY e.ticket_id, e.at, e.id"""
# Only the columns a policy is built from: whole contracts would decode every JSON column.
_CONTRACTS = """
SELECT id, timezone, business_hours, holiday_country, holiday_subdivision, whit_monday_worked,
       extra_closed_dates, pause_on_third_party
FROM contract WHERE id IN ({ids})"""
_TARGETS = """
SELECT contract_id, priority, response_minutes, intervention_minutes, resolution_minutes, round_the_clock
FROM sla_target WHERE contract_id IN ({ids})"""
_LAST_EVENT = "SELECT MAX(id) FROM ticket_event"
_UNDISCLOSED = """
SELECT COUNT(*) FROM conflict_disclosure
WHERE disclosed_at IS NULL AND closed_at IS NULL AND kind != 'gift_or_bribe'"""


def load_board(engine: Engine, ticket_ids: Collection[int] | None = None) -> BoardData:
    """Every ticket on the board (open, or resolved and not yet closed), or only
    those of `ticket_ids` that are still on it, with their contracts' SLA
    policies and the number of conflicts of interest not yet disclosed."""
    from msptui.store import db

    with db.read(engine) as s:
        connection = s.connection()
        # exec_driver_sql: the driver's own values, no SQLAlchemy type processing, as on the fast path.
        return read_board(lambda sql: connection.exec_driver_sql(sql).all(), ticket_ids)


def read_board_file(database: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> BoardData:
    """`load_board` straight from a SQLite file with `sqlite3`, read-only (no SQLAlchemy).

    The caller checks the file is at the schema's HEAD first."""
    with _sqlite_reader(database, busy_timeout_ms) as con:
        return read_board(lambda sql: con.execute(sql).fetchall())


@contextmanager
def _sqlite_reader(database: Path, busy_timeout_ms: int) -> Iterator[sqlite3.Connection]:
    """A read-only sqlite3 connection inside one read transaction (one consistent
    snapshot across the queries), with the store's busy timeout."""
    # mode=ro: this reader never creates the file nor writes; query_only is a second guard.
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        con.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        con.execute("PRAGMA query_only=ON")
        con.execute("BEGIN")
        yield con
    finally:
        con.close()  # a read transaction has nothing to commit: closing ends it


class _Event(NamedTuple):
    """One log row as read (a tuple, not a namespace: 60,000 of them at 10,000 open tickets)."""

    id: int
    at: datetime
    kind: str
    status: str | None
    priority: str | None
    channel: str | None
    hours_class: str
    surcharge_pct: int


def read_board(run: Run, ticket_ids: Collection[int] | None = None) -> BoardData:
    """The board from `run`, a function running one SQL text and returning its rows
    (inside one read transaction). See `load_board`."""

    # The ids on the board, as a subquery led by ix_ticket_status. Also for the tickets
    # themselves: a plain `WHERE t.status IN ...` with `ORDER BY t.id` makes SQLite scan
    # every ticket in id order (4x slower with 100,000 tickets).
    on_board = f"SELECT id FROM ticket WHERE status IN ({_STATUS_LIST})"
    if ticket_ids is not None:
        # Ints, so safe to inline; IN (NULL) matches nothing (an empty IN () is not portable).
        on_board += f" AND id IN ({', '.join(str(int(i)) for i in ticket_ids) or 'NULL'})"  # i18n: not shown

    data = BoardData()
    rows = run(_TICKETS.format(on_board=on_board))
    logs: dict[int, list[_Event]] = {}
    for ticket_id, id_, at, kind, status, priority, channel, hours_class, surcharge_pct in run(
        _EVENTS.format(on_board=on_board)
    ):
        logs.setdefault(ticket_id, []).append(
            _Event(
                id_,
                _instant(at),
                _word(kind),
                _word(status),
                _word(priority),
                _word(channel),
                _word(hours_class),
                surcharge_pct or 0,
            )
        )

    contract_ids = ", ".join(sorted({str(int(row[4])) for row in rows if row[4] is not None}))
    if contract_ids:
        targets: dict[int, list[SimpleNamespace]] = {}
        for contract_id, priority, response, intervention, resolution, round_the_clock in run(
            _TARGETS.format(ids=contract_ids)
        ):
            targets.setdefault(contract_id, []).append(
                SimpleNamespace(
                    priority=priority,
                    response_minutes=response,
                    intervention_minutes=intervention,
                    resolution_minutes=resolution,
                    round_the_clock=bool(round_the_clock),
                )
            )
        for cid, tz, hours, country, subdiv, whit, extra, pause in run(_CONTRACTS.format(ids=contract_ids)):
            contract = SimpleNamespace(
                id=cid,
                timezone=tz,
                business_hours=_json(hours),
                holiday_country=country,
                holiday_subdivision=subdiv,
                whit_monday_worked=bool(whit),
                extra_closed_dates=_json(extra),
                pause_on_third_party=bool(pause),
            )
            try:
                data.policies[cid] = contract_policy(contract, targets.get(cid, []))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:  # ZoneInfoNotFoundError is a KeyError
                data.calendar_errors[cid] = str(exc)

    data.version = _version(run)
    data.undisclosed_conflicts = data.version[1]

    for (
        tid,
        client_id,
        client_name,
        client_tz,
        contract_id,
        reference,
        title,
        priority,
        status,
        opened_at,
        billable,
        surcharge,
        assignee,
    ) in rows:
        log = logs.get(tid, [])
        # As stored when each action happened (never re-derived here).
        work = tuple((e.hours_class, e.surcharge_pct) for e in log if e.hours_class != HoursClass.in_hours)
        data.tickets.append(
            BoardTicket(
                id=tid,
                client_id=client_id,
                client_name=client_name,
                client_tz=_word(client_tz),
                contract_id=contract_id,
                contract_reference=reference,
                title=title,
                priority=_word(priority),
                status=_word(status),
                opened_at=_instant(opened_at),
                billable=bool(billable),
                channel=next((e.channel for e in reversed(log) if e.channel), None),
                out_of_hours=len(work),
                surcharge_pct=surcharge or 0,
                events=tuple(to_sla_events(log)),
                version=(log[-1].id if log else 0, len(log)),
                out_of_hours_work=work,
                assignee=assignee or None,
            )
        )
    return data


def board_version(engine: Engine) -> tuple[int, int]:
    """(last ticket event id, undisclosed conflicts): changes whenever the board
    would; two index lookups, cheap enough to poll every few seconds."""
    from msptui.store import db

    with db.read(engine) as s:
        connection = s.connection()
        return _version(lambda sql: connection.exec_driver_sql(sql).all())


def _version(run: Run) -> tuple[int, int]:
    [(last_event,)] = run(_LAST_EVENT)
    [(conflicts,)] = run(_UNDISCLOSED)
    return last_event or 0, conflicts or 0


def _word(value: Any) -> Any:
    """A vocabulary word (status, kind, priority, zone) as one shared string: the driver
    gives a new one for each row, some 100,000 at 10,000 open tickets (about 6 MB)."""
    return sys.intern(value) if isinstance(value, str) else value


def _instant(value: str | datetime) -> datetime:
    """A stored instant as an aware UTC datetime. SQLite gives the naive UTC text
    SQLAlchemy wrote ('YYYY-MM-DD HH:MM:SS[.ffffff]'); PostgreSQL's driver a naive datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC)


def _json(value: Any) -> Any:
    """A JSON column: text in SQLite, already decoded by PostgreSQL's driver."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


@dataclass(frozen=True, slots=True)
class ClosedTicket:
    """A closed ticket, off the board: what the technician needs to pick it to reopen."""

    id: int
    client_name: str
    title: str
    closed_at: datetime  # its last closing, UTC


_RECENTLY_CLOSED = """
SELECT t.id, c.name, t.title, MAX(e.at) AS closed_at
FROM ticket t JOIN client c ON c.id = t.client_id
JOIN ticket_event e ON e.ticket_id = t.id AND e.status = 'closed'
WHERE t.status = 'closed'
GROUP BY t.id, c.name, t.title
ORDER BY closed_at DESC, t.id DESC LIMIT {limit}"""


def recently_closed(engine: Engine, limit: int = 9) -> list[ClosedTicket]:
    """The closed tickets, most recently closed first (at most `limit`): closing
    asks nothing, so it is undone by reopening one of these."""
    from msptui.store import db

    with db.read(engine) as s:
        connection = s.connection()
        rows = connection.exec_driver_sql(_RECENTLY_CLOSED.format(limit=int(limit))).all()
    return [ClosedTicket(int(tid), name, title, _instant(at)) for tid, name, title, at in rows]
