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

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text

from msptui.core.i18n import _
from msptui.ui.widgets.cells import (
    CHANNEL_WORDS,
    CLOCK_ABBREVIATIONS,
    CLOCKS,
    DUE_WORDS_SPAN,
    NARROW_CELL,
    NARROW_COLUMNS,
    NARROW_STATUS,
    NARROW_STATUS_WORDS,
    OUT_OF_HOURS_MARK,
    PAUSED_MARK,
    ROW_COLUMNS,
    STATUS_CELL,
    STATUS_WORDS,
    STYLES,
    due_words,
    layout_name,
    text_cell,
    wide_cell_widths,
)

if TYPE_CHECKING:
    from msptui.core.sla import ClockState, SlaPolicy
    from msptui.store.reads.board import BoardTicket

_ONE_US = timedelta(microseconds=1)
_MINUTE_US = 60_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = 2**62  # epoch microseconds beyond any real instant
# Severity of a clock for the row's colour (worst wins).
_SEVERITY = {"breached": 4, "warning": 3, "running": 2, "paused": 1, "met": 0}


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
    left: timedelta | None = None  # remaining business time when the cell was built


class TicketCountdown:
    """The board's view of one ticket: its clocks, their cells, its sort key."""

    __slots__ = (
        "ticket",
        "policy",
        "zone",
        "layout",
        "next_cell",
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
        layout: bool | str,
        calendar_error: str | None = None,
    ) -> None:
        self.ticket = ticket
        self.policy = policy
        self.calendar_error = calendar_error  # the contract's calendar could not be built: no clocks, a marker
        self.zone = zone
        self.layout = layout_name(layout)
        self.next_cell: Text | None = None  # the narrow layout's one clock cell, as last shown
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
                clock.shown, clock.cell, clock.left = old.shown, old.cell, old.left
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
                clock.shown, clock.left = shown, left
                cell = self._cell(clock, left, now)
                if cell != clock.cell:  # "51h" keeps its text for an hour: no repaint
                    clock.cell = cell
                    cells.append((clock.name, cell))
        if self.layout == "narrow" and (cells or changes is not None):
            nearest = self.urgent_cell()
            if nearest != self.next_cell:
                self.next_cell = nearest
                cells.append(("next", nearest))
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
                if state.due_at is not None and (switch := epoch_us(state.due_at + DUE_WORDS_SPAN)) > now_us:
                    soonest = min(soonest, switch)
            elif state.ticking:
                r = left // _ONE_US
                if r > 0:
                    step = r - (r // _MINUTE_US) * _MINUTE_US + 1  # "5m" turns "4m" once below 5:00
                else:
                    step = ((-r) // _MINUTE_US + 1) * _MINUTE_US + r  # "-5m" turns "-6m" at -6:00
                soonest = min(soonest, now_us + step)
        self.next_change = soonest

    @property
    def wide(self) -> bool:
        return self.layout == "wide"

    @property
    def columns(self) -> tuple[str, ...]:
        """The row's column keys in this layout."""
        return NARROW_COLUMNS if self.layout == "narrow" else ROW_COLUMNS

    def set_layout(self, layout: bool | str) -> None:
        """Switch layout (see LAYOUTS); every cell is built again on the next row()."""
        self.layout = layout_name(layout)
        self.prepared = self.next_cell = None
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
            clock.shown, clock.left = (clock.state.status, clock.stopped, _minute(left), clock.state.due_at), left
            out[name] = clock.cell = self._cell(clock, left, now)
        self._schedule(now, remaining)
        if self.layout == "narrow":
            out["next"] = self.next_cell = self.urgent_cell()
        return out

    def no_clock_cell(self) -> Text:
        """A clock the ticket does not have: no target for its priority, or no contract."""
        if self.error:
            return Text(_("calendar?"), style="bold red")
        return self._layout("—" if self.policy is not None else _("no SLA"), "", "dim")

    def _layout(self, left: str, due: str, style: str) -> Text:
        # The narrow layout keeps each clock's full cell for the selected row's detail line.
        if self.layout == "medium":
            return Text(f"{left:>{NARROW_CELL}}", style=style, no_wrap=True)
        left_width, due_width = wide_cell_widths()  # (7, 9) in English
        return Text(f"{left:>{left_width}} {due:<{due_width}}", style=style, no_wrap=True)

    def _cell(self, clock: Clock, remaining: timedelta, now: datetime) -> Text:
        left, due = self._words(clock, remaining, now)
        return self._layout(left, due, STYLES[str(clock.state.status)])

    def _words(self, clock: Clock, remaining: timedelta, now: datetime) -> tuple[str, str]:
        """What a clock's cell says: (remaining or state, due time or "")."""
        from msptui.core.sla import format_duration

        state = clock.state
        status = str(state.status)
        if status == "met":
            left, due = _("✓ met"), ""
        elif status == "breached":
            # Late since the due instant, in wall-clock terms (DESIGN.md "Display"): the
            # business-time overrun can be 0 (answered at 20:00 for 18:00) and is
            # in the explain view. A stopped clock keeps its breach: ✗.
            left = _("✗ late") if clock.stopped else _("late")
            due = due_words(state.due_at, now, self.zone) if state.due_at is not None else ""
        elif status == "paused":
            left, due = f"{PAUSED_MARK} {format_duration(remaining)}", _("paused")
        else:
            left = format_duration(remaining)
            due = due_words(state.due_at, now, self.zone) if state.due_at is not None else ""
        return left, due

    def clock_words(self, name: str, now: datetime) -> tuple[str, str]:
        """(words, style) of one clock for a line of text: "late Mon 09:00", "‖ 4h00 paused", "no SLA"."""
        clock = self.clocks.get(name)
        if clock is None:
            missing = self.no_clock_cell()
            return " ".join(missing.plain.split()), str(missing.style)
        left = clock.left if clock.left is not None else clock.state.remaining
        return " ".join(w for w in self._words(clock, left, now) if w), STYLES[str(clock.state.status)]

    def urgent_clock(self) -> Clock | None:
        """The live clock nearest its breach, in the board's order (see _sort_key):
        overdue first, then the earliest due, then the paused one with least left."""
        live = [c for c in self.clocks.values() if not c.stopped]
        for statuses, key in (
            (("breached",), lambda c: c.state.due_at),
            (("running", "warning"), lambda c: c.state.due_at),
            (("paused",), lambda c: c.state.remaining),
        ):
            found = [c for c in live if str(c.state.status) in statuses and key(c) is not None]
            if found:
                return min(found, key=key)
        return None

    def urgent_cell(self) -> Text:
        """The narrow layout's clock cell: the most urgent live clock, named ("Intv 1h14");
        once every clock has stopped, whether one of them was late (a breach stays shown)."""
        clock = self.urgent_clock()
        if clock is None:
            if not self.clocks:
                missing = self.no_clock_cell()
                return Text(missing.plain.strip(), style=missing.style, no_wrap=True)
            late = any(str(c.state.status) == "breached" for c in self.clocks.values())
            return Text(_("✗ was late") if late else _("✓ all met"), style=STYLES["breached" if late else "met"])
        left, _due = self._words(clock, clock.left if clock.left is not None else clock.state.remaining, _EPOCH)
        return Text(
            f"{_(CLOCK_ABBREVIATIONS[clock.name])} {left}",
            style=STYLES[str(clock.state.status)],
            no_wrap=True,
            overflow="ellipsis",
        )

    # --- the other cells ---------------------------------------------------------------------

    def row(self, now: datetime) -> list[Text]:
        """Every cell of the ticket's row, in the order of `columns`."""
        clocks = self.cells(now)
        ticket = self.ticket
        return [
            self.id_cell(),
            self.priority_cell(),
            text_cell(ticket.client_name),
            text_cell(ticket.title),
            self.status_cell(),
            *(clocks[name] for name in self.columns[5:]),
        ]

    @property
    def worst(self) -> str | None:
        """The most urgent live state of the ticket's clocks (colours its number)."""
        live = [str(c.state.status) for c in self.clocks.values() if not c.stopped]
        return max(live, key=_SEVERITY.__getitem__) if live else None

    def status_cell(self) -> Text:
        ticket = self.ticket
        narrow = self.layout == "narrow"
        word = _((NARROW_STATUS_WORDS if narrow else STATUS_WORDS).get(ticket.status, ticket.status))
        if ticket.status == "in_progress" and ticket.channel:
            word = _(CHANNEL_WORDS[ticket.channel]) if ticket.channel in CHANNEL_WORDS else word
        mark = f" {OUT_OF_HOURS_MARK}{ticket.out_of_hours}" if ticket.out_of_hours else ""
        room = NARROW_STATUS if narrow else STATUS_CELL
        if len(word) + len(mark) > room:
            # The word gives way, never the out-of-hours count.
            word = word[: room - len(mark) - 1] + "…"
        text = Text(word, no_wrap=True)
        if mark:
            text.append(mark, style="magenta")
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
