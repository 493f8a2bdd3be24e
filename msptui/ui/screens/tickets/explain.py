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

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen

# The SLA clocks as a sentence names them (lower case; `.capitalize()` starts a line with one).
CLOCK_WORDS = {"response": N_("response"), "intervention": N_("intervention"), "resolution": N_("resolution")}
# A status and a channel as the ticket's log says them (the stored words stay English).
STATUS_WORDS = {
    "new": N_("new"),
    "acknowledged": N_("acknowledged"),
    "in_progress": N_("in progress"),
    "waiting_client": N_("waiting client"),
    "waiting_third_party": N_("waiting third party"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
}
CHANNEL_WORDS = {"on_site": N_("on site"), "remote": N_("remote")}


def clock_words(clock: str) -> str:
    """ "response" / "prise en charge": an SLA clock's name, lower case, in the current language."""
    words = CLOCK_WORDS.get(clock)
    return _(words) if words else clock


def _words(table: dict[str, str], value: str) -> str:
    words = table.get(value)
    return _(words) if words else value.replace("_", " ")


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
        return [("bold red", _("Ticket #{number} no longer exists.").format(number=ticket_id))], {}
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
            _("Status {status}, priority {priority}, opened {when}").format(
                status=_words(STATUS_WORDS, ticket.status),
                priority=ticket.priority,
                when=_when(ticket.opened_at, client_zone),
            ),
        ),
        (
            "dim",
            _("As of {when} ({zone}); client's zone {client_zone}").format(
                when=_when(now, viewer), zone=viewer.key, client_zone=client_zone.key
            ),
        ),
    ]
    if ticket.description:
        out.append(("", ticket.description))
    if ticket.assignee:  # issue 20: who has it (nothing said while nobody does, as before team mode)
        out.append(("", _("Assigned to {name}").format(name=ticket.assignee)))
    summary = resolution_summary(log)
    if summary and ticket.status in ("resolved", "closed"):
        out.append(("bold", _("Resolution: {summary}").format(summary=summary)))
    out.append(("", ""))
    breached: dict[str, str] = {}
    if policy is None:
        out.append(("bold", _("No contract: this ticket has no SLA clocks and is billable.")))
    else:
        explanation = sla.explain_ticket(policy, sla_events(log), now, viewer)
        for line in explanation.lines():
            out.append((_style(line), line))
        for clock in explanation.clocks:
            due = clock.due_local
            if due is not None and clock.calendar.zone != client_zone.key:
                out.append(
                    (
                        "",
                        _("{clock} due in the client's zone: {when} ({zone})").format(
                            clock=clock_words(clock.clock),
                            when=_when(due, client_zone),
                            zone=client_zone.key,
                        ),
                    )
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
    out.append(("bold", _("Log")))
    from msptui.core.rules.out_of_hours import HoursClass, describe, summarise

    # Each event as classified when it was done (stored; never re-derived here).
    work = []
    previous = None
    for event in log:
        mark = ""
        if event.hours_class != HoursClass.in_hours:
            work.append((event.hours_class, event.surcharge_pct))
            mark = f" ☾ {describe(event.hours_class, event.surcharge_pct)}"
        out.append(
            ("magenta" if mark else "", f"{_when(event.at, viewer)}  {_what(event, previous)}{_who(event)}{mark}")
        )
        previous = event.status or previous
    if work:
        out.append(
            (
                "magenta",
                _("Work out of the contract's business hours: {summary}").format(
                    summary=summarise(work).replace("☾ ", "")
                ),
            )
        )
    return out, breached


def justification_lines(breached: dict[str, str]) -> list[tuple[str, str]]:
    """Each breached clock with what the client reads about it."""
    out = [("", ""), ("bold", _("Breaches, as the client reads them (j justifies one)"))]
    for clock, text in breached.items():
        name = clock_words(clock).capitalize()
        if text:
            out.append(("", _("{clock} late — justified: {justification}").format(clock=name, justification=text)))
        else:
            out.append(("bold red", _("{clock} late — not justified").format(clock=name)))
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
        return _("opened as {priority}").format(priority=event.priority)
    if event.kind == "priority":
        return _("priority changed to {priority}").format(priority=event.priority)
    if event.kind == "note":
        return _("note: {note}").format(note=event.note)
    if event.kind == "assigned":  # issue 20: the note holds the assignee, '' for nobody
        return _("assigned to {name}").format(name=event.note) if event.note else _("unassigned")
    if event.status == "resolved" and event.note:
        return _("resolved — resolution: {summary}").format(summary=event.note)
    words = _words(STATUS_WORDS, event.status)
    if previous in ("resolved", "closed") and event.status not in ("resolved", "closed"):
        words = _("reopened, back to {status}").format(status=words)
    if event.channel:
        words += f" ({_words(CHANNEL_WORDS, event.channel)})"
    return words + (f" — {event.note}" if event.note else "")


def _who(event: Any) -> str:
    """' — by sophie': who recorded it (nothing for what was recorded before team mode)."""
    name = getattr(event, "technician", "")
    return " — " + _("by {name}").format(name=name) if name else ""


def _style(line: str) -> str:
    """The style of one of the SLA engine's lines (`core.sla.explain`), read from its words in the
    current language: the lines' beginnings are those of the engine's messages."""
    from msptui.core.sla.explain import status_words

    def start(message: str) -> str:
        return _(message).split("{")[0]

    if line.startswith((start("Due {due} ({zone}) = {viewer_due} ({viewer_zone})"), start("Priority {priority}"))):
        return "bold"
    if f": {status_words('breached')}" in line.replace("\u00a0", " "):
        return "bold red"
    if line.startswith(start("Paused {begin} -> {end}: {excluded} of business time not counted")):
        return "cyan"
    return ""


def _when(at: datetime, zone: ZoneInfo) -> str:
    from msptui.core.formats import weekday_abbr

    local = at.astimezone(zone)
    return f"{weekday_abbr(local)} {local:%Y-%m-%d %H:%M %Z}"


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
        Binding("escape,q", "back", N_("Back"), id="explain.back"),
        Binding("r", "reload", N_("Recompute now"), id="explain.reload"),
        Binding(
            "j",
            "justify",
            N_("Justify a breach"),
            id="explain.justify",
            tooltip=N_("Why a clock was late, for the client"),
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
            yield Static(_("Computing…"), id="explain-body", markup=False)
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
        self.sub_title = _("Explain ticket #{number}").format(number=self.ticket_id)

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
            (
                str(i),
                _("{clock} (justified)").format(clock=clock_words(clock).capitalize())
                if text
                else clock_words(clock).capitalize(),
                clock,
            )
            for i, (clock, text) in enumerate(self.breached.items(), start=1)
        ]
        self.app.push_screen(
            ChoiceScreen(_("Justify which breach of #{number}?").format(number=self.ticket_id), choices),
            lambda clock: clock and self._ask_justification(clock),
        )

    def _ask_justification(self, clock: str) -> None:
        self.app.push_screen(
            justification_form(self.ticket_id, clock, self.breached.get(clock, ""), self.msptui.clock),
            lambda saved: saved is not None and self._justified(clock),
        )

    def _justified(self, clock: str) -> None:
        self.app.notify(
            _("#{number}: the {clock} breach is justified.").format(number=self.ticket_id, clock=clock_words(clock)),
            timeout=4,
        )
        self.load()


def justification_form(ticket_id: int, clock: str, current: str, clock_source: Any) -> Any:
    """Why `clock` of the ticket was late, as the client will read it (500 characters at most).
    Append-only: saving supersedes the current justification, which stays on record."""
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    def submit(engine: Any, values: dict[str, Any]) -> int:
        from msptui.store.justifications import justify_breach

        return justify_breach(engine, ticket_id, clock, values["text"].strip(), clock_source.now())

    form = FormScreen(
        _("Justify the {clock} breach of #{number}").format(clock=clock_words(clock), number=ticket_id),
        [
            FieldSpec(
                "text",
                _("Justification"),
                "textarea",
                value=current,
                placeholder=_("Why it was late, for the client"),
            )
        ],
        submit,
        intro=_(
            "At most 500 characters; the statement and the reports print it. Saving replaces the current "
            "justification (the earlier one is kept on record). Ctrl+S saves."
        ),
    )
    form.AUTO_FOCUS = "#field-text"
    return form
