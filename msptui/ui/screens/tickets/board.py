"""The SLA board: the screen shown at start.

One row per ticket on the board (open, or resolved awaiting closure), sorted
by the nearest breach, with each SLA clock's remaining business time and due
time in the technician's zone. It ticks every second: each clock is projected
(O(1)) and only the cells whose text changed are updated, inside one
`batch_update`; the SLA engine runs again only for a ticket whose projection
window ended or that changed. Imported at start: the store and the SLA engine
are imported only when the data arrives (in a worker thread).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static

from msptui.core.i18n import N_, _
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.tickets.board_actions import BOARD_BINDINGS, BoardActions
from msptui.ui.screens.tickets.board_data import (
    board_snapshot,
    commit_watch,
    early_snapshot,
    freeze_once,
    store_check,
)
from msptui.ui.screens.tickets.board_header import BoardHeader
from msptui.ui.screens.tickets.board_layout import (
    BoardTable,
    build_columns,
    detail_height,
    id_width,
    layout_for,
)
from msptui.ui.screens.tickets.board_team import TEAM_BINDINGS, BoardTeam
from msptui.ui.screens.tickets.coming_due_band import ComingDueBand
from msptui.ui.widgets.countdown import TicketCountdown, epoch_us
from msptui.ui.widgets.timer import TimerBadge, poll_badges
from msptui.ui.widgets.zones import technician_zone, zone_setting_problem

if TYPE_CHECKING:
    from msptui.store.reads.board import BoardData

__all__ = ["RECHECK_SECONDS", "BoardScreen", "board_snapshot", "early_snapshot"]

# Tickets the engine re-evaluates in one tick at most (about 0.1 ms each): when a
# calendar opens or closes for all of them at once, the work is spread over a few seconds.
EVALUATIONS_PER_TICK = 200
# How soon a change made elsewhere shows when nothing cheaper tells (another database); with
# the SQLite file or a PostgreSQL server (its notifications), a commit from another window,
# another technician or `msptui ticket …` is seen at the next tick.
RECHECK_SECONDS = 10
# What a clock entering warning or breach says, one whole sentence per clock (the clock's name
# changes the French around it).
_ALERTS = {
    ("response", "breached"): N_("#{number} {client}: response has breached"),
    ("intervention", "breached"): N_("#{number} {client}: intervention has breached"),
    ("resolution", "breached"): N_("#{number} {client}: resolution has breached"),
    ("response", "warning"): N_("#{number} {client}: response has used {percent}% of its target"),
    ("intervention", "warning"): N_("#{number} {client}: intervention has used {percent}% of its target"),
    ("resolution", "warning"): N_("#{number} {client}: resolution has used {percent}% of its target"),
}


class BoardScreen(BoardTeam, BoardActions, BoardHeader, MsptuiScreen):
    shows_timer_badge = True  # the running timer is in its bar, not in its Header (MsptuiApp.format_title)
    DEFAULT_CSS = """
    BoardScreen #board-top { height: 1; background: $panel; }
    BoardScreen #board-header { width: 1fr; height: 1; padding: 0 1; }
    BoardScreen #board-time { width: auto; height: 1; padding: 0 1; color: $text-muted; }
    BoardScreen Footer.-compact FooterLabel { margin: 0 1 0 0; }
    BoardScreen #board { height: 1fr; }
    BoardScreen #board-empty { height: 1fr; content-align: center middle; color: $text-muted; }
    BoardScreen #board-detail { height: 2; padding: 0 1; background: $panel; }
    BoardScreen .-hidden { display: none; }
    """
    BINDINGS = [*BOARD_BINDINGS, *TEAM_BINDINGS]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, TicketCountdown] = {}
        self.prepaid: dict[int, str | None] = {}  # contract -> its prepaid hours in words, read when selected
        self.zone = technician_zone()
        self.table_layout = "wide"  # see board_layout.layout_for
        self.columns_for: tuple[str, int, int] | None = None  # (layout, width, id width) the columns were built for
        self.loaded = False
        self.from_store = False  # the rows are the store's (or the early read's, confirmed by its version)
        self.bell = False
        self.undisclosed_conflicts = 0
        self.alerted: set[tuple[int, str, str]] = set()  # (ticket, clock, status): once per process
        self.alerts: list[str] = []  # what was alerted, newest last (tests and the log read it)
        self._header_text = ""
        self._clock_length = 0
        self._select_after_load: int | None = None
        self.version: tuple[int, int] = (-1, -1)  # the store's board_version when last read
        self.band = ComingDueBand(id="coming-due")  # issue 18: no height while nothing comes due

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="board-top"):
            yield Static(_("Opening the database…"), id="board-header", markup=False)
            yield TimerBadge(id="board-timer")  # the running timer (issue 16); hidden, no width
            yield Static("", id="board-time", markup=False)
        table = BoardTable(id="board", cursor_type="row", zebra_stripes=True, classes="-hidden")
        yield table
        yield Static(_("No open tickets — press N to open one"), id="board-empty", classes="-hidden", markup=False)
        yield Static("", id="board-detail", classes="-hidden", markup=False)
        yield self.band
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.bell = os.environ.get("MSPTUI_BELL", "") not in ("", "0")
        if problem := zone_setting_problem():  # once, at start: the board is mounted once
            self.notify(problem, title=_("Time zone"), severity="warning", timeout=20)
        self._wal = commit_watch(self.msptui.paths.database, os.environ.get("MSPTUI_DATABASE_URL"))
        self.set_interval(1, self.tick, name="board-tick")
        self.set_interval(RECHECK_SECONDS, self._check_version, name="board-recheck")
        super().on_mount()

    def on_unmount(self) -> None:
        self._wal.close()  # a server's listener stops; never waited for

    def _watch_database(self) -> None:
        """(Each tick.) Ask the store (in a worker) whether the board changed only when the
        database moved: a ticket opened or a timer started from the shell shows within a tick."""
        if (news := self._wal.news()) is not None:
            self.live_news(news, self._wal.lost)
        if self.loaded and self.msptui.store is not None and self._wal.moved():
            # Time may have been logged: the balance shown is read again, the others when selected.
            cd = self.selected()
            shown = cd.ticket.contract_id if cd is not None else None
            self.prepaid = {shown: self.prepaid[shown]} if shown in self.prepaid else {}
            if shown is not None:
                self.read_prepaid(shown)
            self._check_version()
            self.band.reload()  # issue 18: a renewal, a breach or a task recorded elsewhere
            poll_badges(self.app)

    @property
    def table(self) -> DataTable:
        return self.query_one("#board", DataTable)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        if self.loaded and not self.from_store:
            # The rows read early are on screen: read again only if the store changed since.
            self.call_store(store_check, done=self._version_read, group="board-load", exclusive=True)
        else:
            self._fetch(None)

    def read_early(self, database: Path | str) -> None:
        """(Called in the app's store worker, before the store is open.) Read the
        board straight from the SQLite file (or the server of a URL) and show it; once open, the store only
        compares its version stamp (load), and reads again if it differs."""
        try:
            result = early_snapshot(database, self.msptui.clock.now(), self.zone, layout_for(self.size.width))
        except Exception:  # noqa: BLE001 - only a head start: the store's read reports any problem
            return
        if result is not None:
            self.app.call_from_thread(self._early_read, result)
            # Let the rows be painted before this thread goes on to import SQLAlchemy:
            # both at once share one interpreter lock and the painting comes late.
            painted = Event()
            self.app.call_from_thread(self.call_after_refresh, painted.set)
            painted.wait(timeout=1)

    def _early_read(self, result: tuple[BoardData, list[TicketCountdown]]) -> None:
        if not self.loaded:  # the store's read may have come first
            self._apply(result, None)

    def on_screen_resume(self) -> None:
        # Back from another screen (a conflict disclosed, a dialog): re-read if anything changed.
        self._check_version()
        self.band.reload()  # issue 18: a renewal or a breach recorded on the screen left
        # Its header may have been redrawn while another screen was current (with the timer).
        self.msptui.redraw_titles()

    def _check_version(self) -> None:
        """Re-read the board when the store changed behind it (another window, another screen)."""
        if self.loaded and self.msptui.store is not None:
            from msptui.store.reads.board import board_version

            self.call_store(board_version, done=self._version_read, group="board-version", exclusive=True)

    def _version_read(self, version: tuple[int, int]) -> None:
        if version != self.version:
            self._fetch(None)  # its _apply makes the rows the store's
        elif not self.from_store:
            # The early read's rows are the store's: the actions that need the store can show.
            self.from_store = True
            self.refresh_bindings()
            self._update_detail()  # with what needs the store (the prepaid hours)
            self.band.reload(materialise=True)  # issue 18: occurrences due become tickets
            freeze_once()
            self.msptui.board_populated()  # with the store open: the benchmark's "usable"

    def select_ticket(self, ticket_id: int) -> None:
        """Read `ticket_id` again and put the cursor on it once it is in (after a create, a reopen, from a client)."""
        self._select_after_load = ticket_id
        self._fetch([ticket_id])

    def _fetch(self, ticket_ids: list[int] | None) -> None:
        self.table_layout = layout_for(self.size.width)
        self.call_store(
            board_snapshot,
            self.msptui.clock.now(),
            self.zone,
            self.table_layout,
            ticket_ids,
            done=lambda result: self._apply(result, ticket_ids),
            group="board-load" if ticket_ids is None else "board-ticket",
        )

    def show_store_error(self, message: str) -> None:
        self.query_one("#board-header", Static).update(message)

    def _apply(self, result: tuple[BoardData, list[TicketCountdown]], ticket_ids: list[int] | None) -> None:
        """Merge fresh rows into the table: add, replace or remove only what changed."""
        data, all_countdowns = result
        countdowns = self.visible(all_countdowns)  # issue 20: all, mine, or unassigned
        # An empty board filling up (the first read, or the sample data just loaded):
        # the cursor goes to the nearest breach, not to the row it happened to be on.
        first = not self.loaded or not self.rows
        table = self.table
        if first or not table.columns:
            self._build_columns(countdowns)
        if ticket_ids is None:
            self.undisclosed_conflicts = data.undisclosed_conflicts
        # After our own action too: what changed is on screen (another window's change
        # in the same instant waits for the next one).
        self.version = data.version
        now = self.msptui.clock.now()
        fresh = {cd.ticket.id: cd for cd in countdowns}
        gone = [tid for tid in self.rows if tid not in fresh and (ticket_ids is None or tid in ticket_ids)]
        with self.app.batch_update():
            for tid in gone:
                del self.rows[tid]
                table.remove_row(str(tid))
            for tid, cd in fresh.items():
                if cd.layout != self.table_layout:
                    cd.set_layout(self.table_layout)
                old = self.rows.get(tid)
                if old is None:
                    self.rows[tid] = cd
                    table.add_row(*self._row_cells(cd, now), key=str(tid))
                    self._seen(cd, notify=False)  # already in this state when it appeared
                elif old.ticket.version != cd.ticket.version or old.policy is not cd.policy:
                    self.rows[tid] = cd
                    before = {name: str(c.state.status) for name, c in old.clocks.items()}
                    for name, clock in cd.clocks.items():
                        if before.get(name) != str(clock.state.status):
                            self._alert(cd, name, str(clock.state.status))
                    for key, cell in zip(cd.columns, self._row_cells(cd, now)):
                        table.update_cell(str(tid), key, cell)
            self._sort()
        self.loaded = True
        self._relayout()  # a ticket number one digit longer than the column: widen it
        self._show_state()
        self._update_counts()
        self._update_clock(now)
        if first and self.rows:
            table.move_cursor(row=0)
        if self._select_after_load in self.rows:
            table.move_cursor(row=table.get_row_index(str(self._select_after_load)))
            self._select_after_load = None
        self._update_detail()
        self.refresh_bindings()
        if ticket_ids is None:
            self.from_store = self.msptui.store is not None
            if self.from_store:  # not on the early read: what is garbage then is kept for good
                self.band.reload(materialise=True)  # issue 18: occurrences due become tickets
                freeze_once()
            self.msptui.board_populated()  # the cold-start benchmark's signal

    # --- columns and cells ---------------------------------------------------------------------

    def _build_columns(self, countdowns: Any = ()) -> None:
        width = self.size.width or 120
        self.table_layout = layout_for(width)
        number = id_width([*self.rows, *(cd.ticket.id for cd in countdowns)])
        self.columns_for = (self.table_layout, width, number)
        build_columns(self.table, self.table_layout, width, number)
        self.query_one("#board-detail").styles.height = detail_height(self.table_layout)

    def _row_cells(self, cd: TicketCountdown, now: datetime) -> list[Text]:
        cells, cd.prepared = cd.prepared, None
        return cells if cells is not None else cd.row(now)

    def on_resize(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        """Build the columns again when the width or the longest ticket number changed
        (a resize, a ticket #1000): once, never per tick."""
        if not self.loaded:
            return
        width = self.size.width or 120
        wanted = (layout_for(width), width, id_width(self.rows))
        if wanted == self.columns_for and self.table.columns:
            return
        selected = self.selected()
        now = self.msptui.clock.now()
        with self.app.batch_update():
            self._build_columns()
            for tid, cd in self.rows.items():
                cd.set_layout(self.table_layout)
                self.table.add_row(*self._row_cells(cd, now), key=str(tid))
            self._sort()
        if selected is not None:
            self.table.move_cursor(row=self.table.get_row_index(str(selected.ticket.id)))
        self._header_text = ""  # the header's wording depends on the width
        self._update_counts()
        self._update_clock(now)
        self._update_detail()

    def _sort(self) -> None:
        """Nearest breach first; the selected ticket stays selected."""
        table = self.table
        if not self.rows:
            return
        wanted = sorted(self.rows, key=lambda tid: self.rows[tid].sort_key)
        current = [int(row.key.value) for row in table.ordered_rows]
        if wanted == current:
            return
        selected = self.selected()
        table.sort("id", key=lambda cell: self.rows[int(cell.plain)].sort_key)
        if selected is not None:
            table.move_cursor(row=table.get_row_index(str(selected.ticket.id)), animate=False)

    # --- ticking ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Project every clock to the app clock's now and repaint the cells that changed."""
        self._watch_database()
        self.band.tick(self.msptui.clock.now())  # issue 18: one comparison, most seconds
        if not self.rows:
            return
        now = self.msptui.clock.now()
        now_us = epoch_us(now)
        table = self.table
        evaluated = False
        budget = EVALUATIONS_PER_TICK
        selected = self.selected()
        detail_changed = False
        with self.app.batch_update():
            for tid, cd in self.rows.items():
                if now_us < cd.next_change:
                    continue  # projected: none of its cells can show anything else yet
                if now_us >= cd.window_end:  # this one needs the engine again
                    if not budget:
                        continue  # next second: a calendar opening for every ticket is spread over a few ticks
                    budget -= 1
                cells, changes = cd.tick(now)
                if changes is not None:
                    evaluated = True
                    for name, status, _old in changes:
                        self._alert(cd, name, status)
                    table.update_cell(str(tid), "id", cd.id_cell())
                columns = cd.columns
                for name, cell in cells:
                    if name in columns:  # narrow: the clocks' own cells feed the detail line only
                        table.update_cell(str(tid), name, cell)
                detail_changed = detail_changed or (cd is selected and bool(cells))
            if evaluated:
                self._sort()
        if evaluated:
            self._update_counts()
        if evaluated or detail_changed:
            self._update_detail()
        self._update_clock(now)

    def _seen(self, cd: TicketCountdown, notify: bool) -> None:
        for name, clock in cd.clocks.items():
            status = str(clock.state.status)
            if not notify and status in ("warning", "breached"):
                self.alerted.add((cd.ticket.id, name, status))

    def _alert(self, cd: TicketCountdown, clock: str, status: str) -> None:
        """A clock entered warning or breached: say it once per clock and state in this process."""
        if status not in ("warning", "breached"):
            return
        key = (cd.ticket.id, clock, status)
        if key in self.alerted or cd.clocks.get(clock) is None or cd.clocks[clock].stopped:
            return
        self.alerted.add(key)
        percent = round(cd.policy.warn_at * 100)
        message = _(_ALERTS[(clock, status)]).format(number=cd.ticket.id, client=cd.ticket.client_name, percent=percent)
        self.alerts.append(message)
        self.app.notify(
            message,
            title=_("SLA breached") if status == "breached" else _("SLA warning"),
            severity="error" if status == "breached" else "warning",
            markup=False,
            timeout=15,
        )
        if self.bell:
            self.app.bell()

    @on(DataTable.RowHighlighted, "#board")
    def _highlighted(self) -> None:
        self._update_detail()
        self.refresh_bindings()

    def selected(self) -> TicketCountdown | None:
        table = self.table
        if not self.rows or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - no valid cursor (empty table)
            return None
        return self.rows.get(int(key.value))
