"""Why a ticket's clocks say what they say.

For each clock: the calendar (zone, weekly hours, closed dates met), every
open interval counted, every pause, each priority change, and the due
instant in the calendar's (client's) zone beside the technician's. Then the
ticket's log, with the out-of-hours actions marked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from msptui.ui.screens.base import MsptuiScreen


def explain_report(engine: Any, ticket_id: int, now: datetime, viewer: ZoneInfo) -> list[tuple[str, str]]:
    """(style, line) pairs explaining the ticket at `now` (worker side)."""
    from msptui.core import sla
    from msptui.store.reads.board import load_board
    from msptui.store.tickets import get_ticket, ticket_events

    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        return [("bold red", f"Ticket #{ticket_id} no longer exists.")]
    log = ticket_events(engine, ticket_id)
    data = load_board(engine, [ticket_id])
    board = data.tickets[0] if data.tickets else None
    policy = data.policy(board) if board else None
    if policy is None and ticket.contract_id is not None:
        from msptui.store.tickets import ticket_policy

        policy = ticket_policy(engine, ticket_id)  # closed tickets are off the board

    from msptui.store.clients import get_client

    client = get_client(engine, ticket.client_id)
    client_zone = _zone(client.timezone if client else "UTC")
    out: list[tuple[str, str]] = [
        ("bold", f"#{ticket.id} {client.name if client else '?'} — {ticket.title}"),
        (
            "",
            f"Status {ticket.status.replace('_', ' ')}, priority {ticket.priority}, opened {_when(ticket.opened_at, client_zone)}",
        ),
        ("dim", f"As of {_when(now, viewer)} ({viewer.key}); client's zone {client_zone.key}"),
    ]
    if ticket.description:
        out.append(("", ticket.description))
    summary = resolution_summary(log)
    if summary and ticket.status in ("resolved", "closed"):
        out.append(("bold", f"Resolution: {summary}"))
    out.append(("", ""))
    if policy is None:
        out.append(("bold", "No contract: this ticket has no SLA clocks and is billable."))
    else:
        explanation = sla.explain_ticket(policy, sla_events(log), now, viewer)
        for line in explanation.lines():
            out.append((_style(line), line))
        for clock in explanation.clocks:
            due = clock.due_local
            if due is not None and clock.calendar.zone != client_zone.key:
                out.append(
                    ("", f"{clock.clock} due in the client's zone: {_when(due, client_zone)} ({client_zone.key})")
                )
    out.append(("", ""))
    out.append(("bold", "Log"))
    from msptui.core.rules.out_of_hours import HoursClass, describe, summarise

    # Each event as classified when it was done (stored; never re-derived here).
    work = []
    previous = None
    for event in log:
        mark = ""
        if event.hours_class != HoursClass.in_hours:
            work.append((event.hours_class, event.surcharge_pct))
            mark = f" ☾ {describe(event.hours_class, event.surcharge_pct)}"
        out.append(("magenta" if mark else "", f"{_when(event.at, viewer)}  {_what(event, previous)}{mark}"))
        previous = event.status or previous
    if work:
        out.append(("magenta", f"Work out of the contract's business hours: {summarise(work).replace('☾ ', '')}"))
    return out


def sla_events(log: list) -> list:
    from msptui.store.tickets import to_sla_events

    return to_sla_events(log)


def resolution_summary(log: list) -> str:
    """The summary given at the ticket's last resolution ("" if none was asked then)."""
    return next((e.note for e in reversed(log) if e.kind == "status" and e.status == "resolved"), "") or ""


def _what(event: Any, previous: str | None = None) -> str:
    """One log line's words; `previous` is the status before the event (a reopening
    is stored as the status it leads back to)."""
    if event.kind == "opened":
        return f"opened as {event.priority}"
    if event.kind == "priority":
        return f"priority changed to {event.priority}"
    if event.kind == "note":
        return f"note: {event.note}"
    if event.status == "resolved" and event.note:
        return f"resolved — resolution: {event.note}"
    words = event.status.replace("_", " ")
    if previous in ("resolved", "closed") and event.status not in ("resolved", "closed"):
        words = f"reopened, back to {words}"
    if event.channel:
        words += f" ({event.channel.replace('_', ' ')})"
    return words + (f" — {event.note}" if event.note else "")


def _style(line: str) -> str:
    if line.startswith(("Due ", "Priority ")):
        return "bold"
    if ": breached" in line:
        return "bold red"
    if line.startswith("Paused"):
        return "cyan"
    return ""


def _when(at: datetime, zone: ZoneInfo) -> str:
    return f"{at.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a bad zone in a client record must not hide the explanation
        return ZoneInfo("UTC")


class ExplainScreen(MsptuiScreen):
    """One ticket's clocks explained; Escape goes back to the board."""

    DEFAULT_CSS = """
    ExplainScreen #explain { padding: 0 1; }
    ExplainScreen #explain-body { width: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="explain.back"),
        Binding("r", "reload", "Recompute now", id="explain.reload"),
    ]

    def __init__(self, ticket_id: int, viewer: ZoneInfo) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.viewer = viewer
        self.lines: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="explain"):
            yield Static("Computing…", id="explain-body", markup=False)
        yield Footer(compact=True)

    def load(self) -> None:
        self.call_store(
            explain_report, self.ticket_id, self.msptui.clock.now(), self.viewer, done=self._show, group="explain"
        )

    def _show(self, lines: list[tuple[str, str]]) -> None:
        self.lines = lines
        body = Text()
        for style, line in lines:
            body.append(line + "\n", style=style)
        self.query_one("#explain-body", Static).update(body)
        self.sub_title = f"Explain ticket #{self.ticket_id}"

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()
