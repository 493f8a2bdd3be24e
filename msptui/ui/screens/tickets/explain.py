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
    return explain_with_breaches(engine, ticket_id, now, viewer)[0]


def explain_with_breaches(
    engine: Any, ticket_id: int, now: datetime, viewer: ZoneInfo
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The explanation's lines, and its breached clocks with their current justification
    ("" when not justified), for the `j` key (worker side)."""
    from msptui.core import sla
    from msptui.store.reads.board import load_board
    from msptui.store.tickets import get_ticket, ticket_events

    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        return [("bold red", f"Ticket #{ticket_id} no longer exists.")], {}
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
    breached: dict[str, str] = {}
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
        # Issue 16: a breach is reported with its justification, or "not justified" (never hidden).
        breached = {c.clock: "" for c in explanation.clocks if c.clock and c.state.status == "breached"}
        if breached:
            from msptui.store.justifications import justifications

            breached.update({k: v for k, v in justifications(engine, ticket_id).items() if k in breached})
            out.extend(justification_lines(breached))
    from msptui.store.time_entries import entries_for_ticket
    from msptui.ui.screens.time.entries import time_lines

    out.extend(time_lines(entries_for_ticket(engine, ticket_id), viewer))  # issue 16; nothing when none
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
    return out, breached


def justification_lines(breached: dict[str, str]) -> list[tuple[str, str]]:
    """Each breached clock with what the client reads about it."""
    out = [("", ""), ("bold", "Breaches, as the client reads them (j justifies one)")]
    for clock, text in breached.items():
        if text:
            out.append(("", f"{clock.capitalize()} late — justified: {text}"))
        else:
            out.append(("bold red", f"{clock.capitalize()} late — not justified"))
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
        Binding(
            "j", "justify", "Justify a breach", id="explain.justify", tooltip="Why a clock was late, for the client"
        ),
    ]

    def __init__(self, ticket_id: int, viewer: ZoneInfo) -> None:
        super().__init__()
        self.ticket_id = ticket_id
        self.viewer = viewer
        self.lines: list[tuple[str, str]] = []
        self.breached: dict[str, str] = {}  # breached clock -> its current justification ("" if none)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="explain"):
            yield Static("Computing…", id="explain-body", markup=False)
        yield Footer(compact=True)

    def load(self) -> None:
        self.call_store(
            explain_with_breaches,
            self.ticket_id,
            self.msptui.clock.now(),
            self.viewer,
            done=self._show,
            group="explain",
        )

    def _show(self, report: tuple[list[tuple[str, str]], dict[str, str]]) -> None:
        lines, self.breached = report
        self.refresh_bindings()
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

    # --- breach justification (issue 16) ---------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "justify":
            return bool(self.breached)  # offered only when a clock is breached
        return True

    def action_justify(self) -> None:
        if len(self.breached) == 1:
            self._ask_justification(next(iter(self.breached)))
            return
        from msptui.ui.screens.tickets.forms import ChoiceScreen

        choices = [
            (str(i), f"{clock.capitalize()}{' (justified)' if text else ''}", clock)
            for i, (clock, text) in enumerate(self.breached.items(), start=1)
        ]
        self.app.push_screen(
            ChoiceScreen(f"Justify which breach of #{self.ticket_id}?", choices),
            lambda clock: clock and self._ask_justification(clock),
        )

    def _ask_justification(self, clock: str) -> None:
        self.app.push_screen(
            justification_form(self.ticket_id, clock, self.breached.get(clock, ""), self.msptui.clock),
            lambda saved: saved is not None and self._justified(clock),
        )

    def _justified(self, clock: str) -> None:
        self.app.notify(f"#{self.ticket_id}: the {clock} breach is justified.", timeout=4)
        self.load()


def justification_form(ticket_id: int, clock: str, current: str, clock_source: Any) -> Any:
    """Why `clock` of the ticket was late, as the client will read it (500 characters at most).
    Append-only: saving supersedes the current justification, which stays on record."""
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.justifications import justify_breach

        return justify_breach(engine, ticket_id, clock, values["text"].strip(), clock_source.now())

    form = FormScreen(
        f"Justify the {clock} breach of #{ticket_id}",
        [FieldSpec("text", "Justification", "textarea", value=current, placeholder="Why it was late, for the client")],
        submit,
        intro="At most 500 characters; the statement and the reports print it. Saving replaces the current "
        "justification (the earlier one is kept on record). Ctrl+S saves.",
    )
    form.AUTO_FOCUS = "#field-text"
    return form
