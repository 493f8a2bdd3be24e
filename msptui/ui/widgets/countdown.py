"""Countdown cells: one ticket's SLA clocks, projected cheaply every second.

A `TicketCountdown` evaluates its ticket's clocks with the SLA engine once,
then on each tick projects them with `ClockState.remaining_at` (O(1)) and
rebuilds a cell only when what it shows changes (the minute, mostly). A
clock is evaluated again only when its projection window ends (a calendar
opening or closing, the warning threshold, the due instant) or the ticket
changes. The SLA engine is imported on first use, never at the app's start
(about 50 ms that the first frame does not need).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.text import Text

if TYPE_CHECKING:
    from msptui.core.sla import ClockState, SlaPolicy
    from msptui.store.reads.board import BoardTicket

CLOCKS = ("response", "intervention", "resolution")
ROW_COLUMNS = ("id", "priority", "client", "title", "status", *CLOCKS)
STYLES = {
    "running": "green",
    "warning": "bold yellow",
    "paused": "cyan",
    "met": "dim green",
    "breached": "bold red",
}
STATUS_WORDS = {
    "new": "new",
    "acknowledged": "ack'd",
    "in_progress": "working",
    "waiting_client": "wait client",
    "waiting_third_party": "wait 3rd",
    "resolved": "resolved",
    "closed": "closed",
}
CHANNEL_WORDS = {"on_site": "on site", "remote": "remote"}
PAUSED_MARK = "‖"
OUT_OF_HOURS_MARK = "☾"
WIDE_CELL = 17  # "   -76h Tue 14:30": remaining (7) + due (9)
NARROW_CELL = 8  # "‖ 47h", "✗ late"
_ONE_US = timedelta(microseconds=1)
_MINUTE_US = 60_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = 2**62  # epoch microseconds beyond any real instant
# Severity of a clock for the row's colour (worst wins).
_SEVERITY = {"breached": 4, "warning": 3, "running": 2, "paused": 1, "met": 0}


def technician_zone() -> ZoneInfo:
    """The technician's zone: env MSPTUI_TZ, else this machine's local zone, else UTC."""
    for name in (os.environ.get("MSPTUI_TZ"), os.environ.get("TZ", "").lstrip(":") or None, _system_zone_name()):
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return ZoneInfo("UTC")


def zone_setting_problem() -> str | None:
    """A sentence when MSPTUI_TZ names no time zone (the board then shows another
    zone, and the technician must know which), else None."""
    name = os.environ.get("MSPTUI_TZ")
    if not name:
        return None
    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return f"MSPTUI_TZ={name!r} is not a time zone (try Europe/Paris); times are shown in {technician_zone().key}."


def _system_zone_name() -> str | None:
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return None
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else None


_DUE_WORDS_SPAN = timedelta(days=6)


def due_words(due: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A due instant in at most 9 characters in `zone`: "Tue 14:30" within six
    days of now, else "03 Dec"."""
    local = due.astimezone(zone)
    if abs(due - now) < _DUE_WORDS_SPAN:
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b")


def epoch_us(t: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (cheap to compare every tick)."""
    return (t - _EPOCH) // _ONE_US


def _minute(remaining: timedelta) -> int:
    """Remaining time in whole minutes, truncated toward zero (as displayed)."""
    us = remaining // _ONE_US
    return us // _MINUTE_US if us >= 0 else -((-us) // _MINUTE_US)


@dataclass(slots=True)
class Clock:
    """One clock of a ticket: its evaluated state and what its cell shows."""

    name: str
    state: ClockState
    stopped: bool
    shown: tuple | None = None  # what the cell shows, to skip unchanged cells
    cell: Text | None = None


class TicketCountdown:
    """The board's view of one ticket: its clocks, their cells, its sort key."""

    __slots__ = (
        "ticket",
        "policy",
        "zone",
        "wide",
        "clocks",
        "sort_key",
        "error",
        "next_change",
        "window_end",
        "live_counts",
        "prepared",
        "calendar_error",
    )

    def __init__(
        self,
        ticket: BoardTicket,
        policy: SlaPolicy | None,
        now: datetime,
        zone: ZoneInfo,
        wide: bool,
        calendar_error: str | None = None,
    ) -> None:
        self.ticket = ticket
        self.policy = policy
        self.calendar_error = calendar_error  # the contract's calendar could not be built: no clocks, a marker
        self.zone = zone
        self.wide = wide
        self.clocks: dict[str, Clock] = {}
        self.error: str | None = None
        self.sort_key: tuple = ()
        self.next_change = 0  # epoch microseconds: tick at once
        self.window_end = NEVER  # epoch microseconds: the engine must be asked again from then on
        self.live_counts: dict[str, int] = {}
        self.prepared: list[Text] | None = None  # the row's cells, built off the UI thread
        self.evaluate(now)

    # --- evaluation (engine) ---------------------------------------------------------

    def evaluate(self, now: datetime) -> list[tuple[str, str, str | None]]:
        """Evaluate every clock from the ticket's events at `now`.

        Returns the clocks whose status changed: (clock, new status, old status or None).
        """
        if self.policy is None:
            self.error = self.calendar_error
            self.clocks = {}
            self.sort_key = self._sort_key()
            self.next_change = NEVER
            return []
        from msptui.core.sla import evaluate
        from msptui.core.sla.ticket import ticket_timeline

        before = {name: clock.state.status for name, clock in self.clocks.items()}
        try:
            timeline = ticket_timeline(self.policy, self.ticket.events, now)
            clocks = {
                c.clock: Clock(
                    c.clock,
                    evaluate(c.calendar, c.target, c.start, c.pauses, c.stopped_at, now, self.policy.warn_at),
                    c.stopped_at is not None,
                )
                for c in timeline.clocks
            }
        except ValueError as exc:  # a malformed contract calendar: say so on the row, keep the board alive
            self.error = str(exc)
            self.clocks = {}
            self.sort_key = self._sort_key()
            self.live_counts = {}
            return []
        self.error = None
        for name, clock in clocks.items():
            old = self.clocks.get(name)
            if old is not None:
                clock.shown, clock.cell = old.shown, old.cell
        self.clocks = clocks
        self.sort_key = self._sort_key()
        self._count()
        return [
            (name, str(clock.state.status), before.get(name))
            for name, clock in clocks.items()
            if before.get(name) != clock.state.status
        ]

    def _sort_key(self) -> tuple:
        """Nearest breach first: overdue clocks (most overdue first), then running
        clocks by due instant, then paused ones by remaining time, then tickets
        without SLA, then those whose clocks all stopped."""
        live = [c.state for c in self.clocks.values() if not c.stopped]
        overdue = [s.due_at for s in live if s.status == "breached" and s.due_at is not None]
        if overdue:
            return (0, min(overdue).timestamp(), self.ticket.id)
        running = [s.due_at for s in live if s.status in ("running", "warning") and s.due_at is not None]
        if running:
            return (1, min(running).timestamp(), self.ticket.id)
        paused = [s.remaining for s in live if s.status == "paused"]
        if paused:
            return (2, min(paused).total_seconds(), self.ticket.id)
        if self.policy is None or self.error:
            return (3, self.ticket.opened_at.timestamp(), self.ticket.id)
        return (4, self.ticket.opened_at.timestamp(), self.ticket.id)

    # --- ticking (projection) --------------------------------------------------------------

    def tick(self, now: datetime) -> tuple[list[tuple[str, Text]], list[tuple[str, str, str | None]] | None]:
        """Project every clock to `now`: (changed cells as (clock, Text),
        status changes if the ticket had to be evaluated again, else None).

        The board calls it only once `now` reaches `next_change`, the first
        instant a cell of this ticket can show something else."""
        changes = None
        remaining = []
        for clock in self.clocks.values():
            r = clock.state.remaining_at(now)
            if r is None:  # the projection window ended: ask the engine again
                changes = self.evaluate(now)
                remaining = [c.state.remaining_at(now) for c in self.clocks.values()]
                break
            remaining.append(r)
        cells = []
        for clock, left in zip(self.clocks.values(), remaining):
            state = clock.state
            shown = (state.status, clock.stopped, _minute(left), state.due_at)
            if shown != clock.shown:
                clock.shown = shown
                cell = self._cell(clock, left, now)
                if cell != clock.cell:  # "51h" keeps its text for an hour: no repaint
                    clock.cell = cell
                    cells.append((clock.name, cell))
        self._schedule(now, remaining)
        return cells, changes

    def _schedule(self, now: datetime, remaining: list[timedelta]) -> None:
        """When the next cell can change: a displayed minute passing on a ticking
        clock, or the end of a clock's projection window (status, due instant,
        calendar opening or closing)."""
        now_us = epoch_us(now)
        window_end = NEVER
        for clock in self.clocks.values():
            if clock.state.valid_until is not None:
                window_end = min(window_end, epoch_us(clock.state.valid_until))
        self.window_end = window_end
        soonest = window_end
        for clock, left in zip(self.clocks.values(), remaining):
            state = clock.state
            if state.status == "breached":
                # "late Tue 18:00" holds until the due instant is six days old ("03 Dec").
                if state.due_at is not None and (switch := epoch_us(state.due_at + _DUE_WORDS_SPAN)) > now_us:
                    soonest = min(soonest, switch)
            elif state.ticking:
                r = left // _ONE_US
                if r > 0:
                    step = r - (r // _MINUTE_US) * _MINUTE_US + 1  # "5m" turns "4m" once below 5:00
                else:
                    step = ((-r) // _MINUTE_US + 1) * _MINUTE_US + r  # "-5m" turns "-6m" at -6:00
                soonest = min(soonest, now_us + step)
        self.next_change = soonest

    def set_wide(self, wide: bool) -> None:
        """Switch between the wide cells (remaining and due) and the narrow ones."""
        self.wide = wide
        self.prepared = None
        for clock in self.clocks.values():
            clock.shown = clock.cell = None

    def cells(self, now: datetime) -> dict[str, Text]:
        """Every clock cell as of `now` (for a new row)."""
        out = {}
        remaining = []
        for name in CLOCKS:
            clock = self.clocks.get(name)
            if clock is None:
                out[name] = self.no_clock_cell()
                continue
            left = clock.state.remaining_at(now)
            if left is None:  # a projection window ended between evaluation and display
                self.evaluate(now)
                return self.cells(now)
            remaining.append(left)
            clock.shown = (clock.state.status, clock.stopped, _minute(left), clock.state.due_at)
            out[name] = clock.cell = self._cell(clock, left, now)
        self._schedule(now, remaining)
        return out

    def no_clock_cell(self) -> Text:
        """A clock the ticket does not have: no target for its priority, or no contract."""
        if self.error:
            return Text("calendar?", style="bold red")
        return self._layout("—" if self.policy is not None else "no SLA", "", "dim")

    def _layout(self, left: str, due: str, style: str) -> Text:
        if not self.wide:
            return Text(f"{left:>{NARROW_CELL}}", style=style, no_wrap=True)
        return Text(f"{left:>7} {due:<9}", style=style, no_wrap=True)

    def _cell(self, clock: Clock, remaining: timedelta, now: datetime) -> Text:
        from msptui.core.sla import format_duration

        state = clock.state
        status = str(state.status)
        style = STYLES[status]
        if status == "met":
            left, due = "✓ met", ""
        elif status == "breached":
            # Late since the due instant, in wall-clock terms (DESIGN.md "Display"): the
            # business-time overrun can be 0 (answered at 20:00 for 18:00) and is
            # in the explain view. A stopped clock keeps its breach: ✗.
            left = "✗ late" if clock.stopped else "late"
            due = due_words(state.due_at, now, self.zone) if state.due_at is not None else ""
        elif status == "paused":
            left, due = f"{PAUSED_MARK} {format_duration(remaining)}", "paused"
        else:
            left = format_duration(remaining)
            due = due_words(state.due_at, now, self.zone) if state.due_at is not None else ""
        return self._layout(left, due, style)

    # --- the other cells ---------------------------------------------------------------------

    def row(self, now: datetime) -> list[Text]:
        """Every cell of the ticket's row, in ROW_COLUMNS order."""
        clocks = self.cells(now)
        ticket = self.ticket
        return [
            self.id_cell(),
            self.priority_cell(),
            text_cell(ticket.client_name),
            text_cell(ticket.title),
            self.status_cell(),
            *(clocks[name] for name in CLOCKS),
        ]

    @property
    def worst(self) -> str | None:
        """The most urgent live state of the ticket's clocks (colours its number)."""
        live = [str(c.state.status) for c in self.clocks.values() if not c.stopped]
        return max(live, key=_SEVERITY.__getitem__) if live else None

    def status_cell(self) -> Text:
        ticket = self.ticket
        word = STATUS_WORDS.get(ticket.status, ticket.status)
        if ticket.status == "in_progress" and ticket.channel:
            word = CHANNEL_WORDS.get(ticket.channel, word)
        text = Text(word, no_wrap=True)
        if ticket.out_of_hours:
            text.append(f" {OUT_OF_HOURS_MARK}{ticket.out_of_hours}", style="magenta")
        return text

    def id_cell(self) -> Text:
        worst = self.worst
        return Text(str(self.ticket.id), style=STYLES.get(worst, "") if worst in ("breached", "warning") else "")

    def priority_cell(self) -> Text:
        p = self.ticket.priority
        return Text(p, style="bold" if p in ("P1", "P2") else "")

    def counts(self) -> dict[str, int]:
        """Live clocks by status (a stopped clock no longer counts); changes only on evaluation."""
        return self.live_counts

    def _count(self) -> None:
        out: dict[str, int] = {}
        for clock in self.clocks.values():
            if not clock.stopped:
                out[str(clock.state.status)] = out.get(str(clock.state.status), 0) + 1
        self.live_counts = out


def text_cell(value: Any, style: str = "") -> Text:
    """User text (a client's name, a title) as a cell: never parsed as markup, one line."""
    return Text(str(value).replace("\n", " "), style=style, no_wrap=True, overflow="ellipsis")


def utc(now: datetime) -> datetime:
    return now.astimezone(UTC)
