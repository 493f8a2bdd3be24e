"""Capture from the shell, for the phone notification at 3 a.m.: `msptui ticket new|list|ack`
and `msptui time start|stop`.

Each command prints one line (a list: one line per ticket, or one JSON document) and exits 0,
or prints one plain sentence on stderr and exits 1. Nothing here is half-saved: every write is
one store command, one transaction, the same function the board calls.

Safe while the app is open: the CLI is one more writer, like a second window. It takes the
data folder's in-use lock SHARED, as every window does (so it never refuses because the app is
open, and a restore, which needs the lock alone, cannot replace the file under it), and writes
with the store's BEGIN IMMEDIATE transactions and busy timeout (a write from the app and one
from here are serialised, never lost). Each ticket command appends a ticket event, which moves
the board's version stamp (`store.reads.board.board_version`): an open board re-reads at its
next recheck.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from msptui.cli_capture_reads import (
    CaptureError,
    as_json,
    client_by_code,
    contract_for,
    one_line,
    response_due,
    ticket_lines,
    ticket_number,
)
from msptui.core.i18n import N_, _

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from msptui.paths import Paths

CAPTURE_COMMANDS = ("ticket", "time")
RESTORE_WAIT = 5.0  # seconds to wait for a restore to finish before saying so

# The names a user typed, for the fields of TicketCreate a refusal names.
_FIELD_WORDS = {
    "title": N_("The title"),
    "description": N_("The description"),
    "priority": N_("The priority"),
    "contract_id": N_("The contract"),
    "client_id": N_("The client"),
}


def _field_words(field: str) -> str:
    words = _FIELD_WORDS.get(field)
    return _(words) if words else field


# --- arguments ----------------------------------------------------------------------------


def add_capture_commands(sub: Any) -> None:
    """`ticket new|list|ack` and `time start|stop` (see README, "Capture from the shell")."""

    def leaf(parent: Any, name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--data-dir", dest="sub_data_dir", metavar="DIR", help=_("data folder (env MSPTUI_DATA_DIR)"))
        return p

    ticket = sub.add_parser("ticket", help=_("open, list or acknowledge a ticket from the shell"))
    tickets = ticket.add_subparsers(dest="capture_command", metavar="{new,list,ack}", required=True)
    new = leaf(tickets, "new", _("open a ticket (as N on the board does)"))
    new.add_argument("title", metavar="TITLE", help=_("what is wrong, in a few words"))
    new.add_argument("--client", required=True, metavar="CODE", help=_("the client's code, e.g. BOUL"))
    new.add_argument("--priority", default="P3", metavar="P1..P4", help=_("P1 critical to P4 low (default P3)"))
    new.add_argument(
        "--contract",
        metavar="REF",
        help=_("the contract's reference, or 'none' (default: the client's only active contract)"),
    )
    new.add_argument("--description", default="", metavar="TEXT", help=_("more detail"))
    listing = leaf(tickets, "list", _("list tickets, newest first, one line each"))
    listing.add_argument("--open", action="store_true", help=_("only tickets still open"))
    listing.add_argument("--client", metavar="CODE", help=_("only this client's tickets"))
    listing.add_argument("--json", action="store_true", help=_("one JSON document instead of lines"))
    leaf(tickets, "ack", _("acknowledge a ticket (stops its response clock)")).add_argument(
        "ticket_id", metavar="ID", help=_("the ticket's number, e.g. 123 or #123")
    )

    time = sub.add_parser("time", help=_("start or stop the running timer from the shell"))
    timer = time.add_subparsers(dest="capture_command", metavar="{start,stop}", required=True)
    leaf(timer, "start", _("start the timer on a ticket (stops the one running, saying so)")).add_argument(
        "ticket_id", metavar="ID", help=_("the ticket's number, e.g. 123 or #123")
    )
    leaf(timer, "stop", _("stop the running timer"))


# --- running one -----------------------------------------------------------------------------


def run_capture_command(args: argparse.Namespace, paths: Paths, now: datetime | None = None) -> int:
    """Run one capture command; a refusal is one line on stderr and exit 1, never a traceback."""
    from pydantic import ValidationError

    from msptui.paths import PathError
    from msptui.store.clients import RefusedError
    from msptui.store.db import StoreError

    now = now or _now()
    handler = _HANDLERS[(args.command, args.capture_command)]
    try:
        with _store(paths) as engine:
            for line in handler(engine, args, now):
                print(line)
        return 0
    except ValidationError as exc:
        print(f"msptui: {_validation_sentence(exc)}", file=sys.stderr)
    except (CaptureError, RefusedError, StoreError, PathError, ValueError) as exc:
        print(f"msptui: {_sentence(exc)}", file=sys.stderr)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        print(f"msptui: {exc.strerror or exc}{where}", file=sys.stderr)
    return 1


@contextmanager
def _store(paths: Paths) -> Iterator[Engine]:
    """The store as a second window opens it: the folder held shared, the schema checked.

    Refuses a missing data folder or database rather than make an empty one: a ticket
    typed at 3 a.m. into the wrong folder would be lost from sight."""
    from msptui.store.files.in_use import FolderBusy, hold_in_use
    from msptui.store.open import open_store

    in_use = None
    if not os.environ.get("MSPTUI_DATABASE_URL"):
        if not paths.data.is_dir():
            raise CaptureError(
                _("There is no msptui data folder at {folder}: start msptui once, or give --data-dir.").format(
                    folder=paths.data
                )
            )
        if not paths.database.is_file():
            raise CaptureError(
                _("There is no msptui database in {folder}: start msptui once, or give --data-dir.").format(
                    folder=paths.data
                )
            )
        try:
            in_use = hold_in_use(paths, wait=RESTORE_WAIT)
        except FolderBusy:
            raise CaptureError(
                _("A restore is running on {folder}: nothing was saved; try again once it has finished.").format(
                    folder=paths.data
                )
            ) from None
    try:
        store = open_store(paths)
        # What the shell records names this machine's technician, as the app does.
        from msptui import config
        from msptui.store import team

        team.set_acting(config.technician(paths) or "")
        try:
            yield store.engine
        finally:
            store.dispose()
    finally:
        if in_use is not None:
            in_use.release()


def _now() -> datetime:
    """The instant of the command (tests put their frozen clock here)."""
    return datetime.now(UTC)


def _sentence(exc: Exception) -> str:
    from msptui.store.schemas import FieldError

    if isinstance(exc, FieldError):
        return _("{field} {problem}.").format(field=_field_words(exc.field), problem=exc.message)
    text = " ".join(str(exc).split())  # one line, whatever the message held
    return text if text.endswith((".", "?", "!")) else text + "."


def _validation_sentence(exc: Any) -> str:
    from msptui.store.schemas import field_errors

    field, message = next(iter(field_errors(exc).items()))
    return _("{field} {problem}.").format(field=_field_words(field), problem=message)


# --- tickets -------------------------------------------------------------------------------


def _ticket_new(engine: Engine, args: argparse.Namespace, now: datetime) -> list[str]:
    from msptui.core.vocabulary import Priority
    from msptui.store.tickets import TicketCreate, open_ticket

    priority = args.priority.strip().upper()
    if priority not in {p.value for p in Priority}:
        raise CaptureError(_("The priority must be P1, P2, P3 or P4, not {typed}.").format(typed=repr(args.priority)))
    client = client_by_code(engine, args.client)
    if client.archived:
        raise CaptureError(
            _("{code} ({name}) is archived: take it out of the archive in msptui first.").format(
                code=client.code, name=client.name
            )
        )
    contract = contract_for(engine, client, args.contract, now)
    data = TicketCreate(
        client_id=client.id,
        contract_id=contract.id if contract else None,
        title=args.title,
        description=args.description,
        priority=priority,
    )
    ticket_id = open_ticket(engine, data, now)
    due = response_due(engine, ticket_id, now) if contract else ""
    if contract is None:
        line = _("Opened #{number} {priority} for {client}, no contract (billable, no SLA): {title}")
    elif due:
        line = _("Opened #{number} {priority} for {client}, on {contract}, response due {due}: {title}")
    else:
        line = _("Opened #{number} {priority} for {client}, on {contract}: {title}")
    return [
        line.format(
            number=ticket_id,
            priority=priority,
            client=client.code,
            contract=contract.reference if contract else "",
            due=due,
            title=one_line(data.title),
        )
    ]


def _ticket_list(engine: Engine, args: argparse.Namespace, now: datetime) -> list[str]:
    from msptui.core.vocabulary import TicketStatus
    from msptui.ui.widgets.zones import technician_zone  # no Textual: the board's zone, for the same times

    client_id = client_by_code(engine, args.client).id if args.client else None
    rows = ticket_lines(engine, only_open=args.open, client_id=client_id)
    if args.json:
        return [json.dumps([as_json(r) for r in rows], ensure_ascii=False)]
    if not rows:
        code = args.client.strip().upper() if args.client else ""
        if args.open:
            said = _("No open tickets for {client}.") if code else _("No open tickets.")
        else:
            said = _("No tickets for {client}.") if code else _("No tickets.")
        return [said.format(client=code)]
    zone = technician_zone()
    width = max(len(str(r.id)) for r in rows) + 1
    # The status column fits the longest status in the current language (22 in English).
    status_width = max(22, *(len(s.label) for s in TicketStatus))
    return [
        f"{'#' + str(r.id):<{width}}  {r.priority}  {TicketStatus(r.status).label.lower():<{status_width}}  "
        f"{r.code:<12}  {r.opened_at.astimezone(zone):%Y-%m-%d %H:%M}  {one_line(r.title)}"
        for r in rows
    ]


def _ticket_ack(engine: Engine, args: argparse.Namespace, now: datetime) -> list[str]:
    from msptui.store.tickets import acknowledge, get_ticket

    ticket_id = ticket_number(args.ticket_id)
    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        raise CaptureError(_("There is no ticket #{number}.").format(number=ticket_id))
    result = acknowledge(engine, ticket_id, now)
    title = one_line(ticket.title)
    if result.hours_class == "outside_contract":
        line = _("Acknowledged #{number} {title} — outside the contract: goodwill or billable extra, your call")
    elif result.out_of_hours:
        line = _("Acknowledged #{number} {title} — {hours}")
    else:
        line = _("Acknowledged #{number} {title}")
    return [line.format(number=ticket_id, title=title, hours=result.hours_words)]


# --- the timer -------------------------------------------------------------------------------


def _time_start(engine: Engine, args: argparse.Namespace, now: datetime) -> list[str]:
    """Start the timer on a ticket; the one running elsewhere stops at `now`, and the line says so.

    A timer left running over 12 hours is not stopped from here: stopping it now would book
    the whole night. The app asks when that work ended (`keep_or_stop_stale`)."""
    from msptui.core.rules.time_entries import format_duration
    from msptui.store.time_entries import running_timer, start_timer

    ticket_id = ticket_number(args.ticket_id)
    current = running_timer(engine)
    if current is not None and current.ticket_id != ticket_id and current.over_12h(now):
        raise CaptureError(
            _(
                "The timer on {subject} has run {duration}: "
                "open msptui to keep it or say when that work ended, then start again."
            ).format(subject=one_line(current.label), duration=format_duration(current.elapsed(now)))
        )
    started = start_timer(engine, ticket_id=ticket_id, now=now)
    running = running_timer(engine)
    label = one_line(running.label) if running is not None else f"#{ticket_id}"
    if started.already_running and running is not None:
        return [
            _("The timer already runs on {subject} ({duration} so far).").format(
                subject=label, duration=format_duration(running.elapsed(now))
            )
        ]
    if started.stopped is not None:
        gone = started.stopped
        return [
            _("Started the timer on {subject}; stopped the one on {stopped} after {duration}.").format(
                subject=label, stopped=one_line(gone.label), duration=format_duration(gone.duration)
            )
        ]
    return [_("Started the timer on {subject}.").format(subject=label)]


def _time_stop(engine: Engine, args: argparse.Namespace, now: datetime) -> list[str]:
    from msptui.store.time_entries import STALE_AFTER, stop_timer

    stopped = stop_timer(engine, now)
    if stopped is None:
        raise CaptureError(_("No timer is running."))
    line = one_line(stopped.words)
    if stopped.duration > STALE_AFTER:
        line = _("{stopped} (over 12 h: correct the entry in msptui if the work ended earlier).").format(
            stopped=line.removesuffix(".")
        )
    return [line]


_HANDLERS = {
    ("ticket", "new"): _ticket_new,
    ("ticket", "list"): _ticket_list,
    ("ticket", "ack"): _ticket_ack,
    ("time", "start"): _time_start,
    ("time", "stop"): _time_stop,
}
