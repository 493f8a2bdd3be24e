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

from datetime import datetime
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Header, Static

from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.widgets.countdown import (
    CLOCKS,
    NARROW_CELL,
    ROW_COLUMNS,
    WIDE_CELL,
    TicketCountdown,
    epoch_us,
    technician_zone,
    zone_setting_problem,
)

if TYPE_CHECKING:
    from msptui.store.reads.board import BoardData

WIDE_FROM = 110
# Tickets the engine re-evaluates in one tick at most (about 0.1 ms each): when a
# calendar opens or closes for all of them at once, the work is spread over a few seconds.
EVALUATIONS_PER_TICK = 200
RECHECK_SECONDS = (
    10  # how soon a change made in another window shows  # columns from which a clock cell also shows its due time
)
_WAIT = Binding.Group("Wait")
# board action -> the store's command name (for which statuses allow it)
_STORE_ACTION = {
    "acknowledge": "acknowledge",
    "intervene": "start_intervention",
    "wait_client": "wait_client",
    "wait_third_party": "wait_third_party",
    "resume": "resume",
    "resolve": "resolve",
    "close": "close",
    "reopen": "reopen",
    "priority": "change_priority",
    "note": "add_note",
}
_NEEDS_TICKET = frozenset({*_STORE_ACTION, "explain"})
_DONE_WORDS = {
    "acknowledge": "acknowledged",
    "wait_client": "waiting on the client (clocks paused)",
    "wait_third_party": "waiting on a third party",
    "resume": "resumed",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened (resolution clock resumed)",
}


def board_snapshot(engine: Any, now: datetime, zone: Any, wide: bool, ticket_ids: list[int] | None = None):  # noqa: ANN201
    """Worker side: read the board and evaluate every clock (runs off the UI thread)."""
    from msptui.store.reads.board import load_board

    return _evaluate(load_board(engine, ticket_ids), now, zone, wide)


def early_snapshot(database: Path, now: datetime, zone: Any, wide: bool):  # noqa: ANN201
    """Worker side, before the store is open: the same snapshot read straight from the
    SQLite file with sqlite3 (no SQLAlchemy), or None if the file is not at the schema's HEAD."""
    from msptui.store.migrate import HEAD, current_revision
    from msptui.store.reads.board import read_board_file

    if current_revision(database) != HEAD:
        return None  # new, empty or to be migrated: wait for the store
    return _evaluate(read_board_file(database), now, zone, wide)


def _evaluate(data: BoardData, now: datetime, zone: Any, wide: bool):  # noqa: ANN202
    from msptui.store.calendars import save_holiday_file

    countdowns = [TicketCountdown(t, data.policy(t), now, zone, wide, data.calendar_error(t)) for t in data.tickets]
    for cd in countdowns:
        cd.prepared = cd.row(now)  # Text cells are plain objects: build them here, not on the UI thread
    save_holiday_file()  # the years the clocks just looked up, for a faster next start
    return data, countdowns


class BoardTable(DataTable):
    """The board's table: fixed-width columns and one-line rows.

    DataTable measures every cell of every new row on idle to size auto-width
    columns and auto-height rows; none here has either, so new rows are not
    measured. Textual 8.2.8 has no public switch for this (fixed column widths
    do not skip it): measured on the bench's 1,000 open tickets, the measuring
    costs 174-256 ms (median 223 ms) of UI thread after each fill, the override
    0.05 ms. The cold start rows of `make bench` stop at the populated board,
    before that idle pass, so they do not show it. Re-check on a Textual upgrade.
    """

    def _update_dimensions(self, new_rows):  # noqa: ANN001, ANN202 - DataTable's own hook (textual pinned)
        super()._update_dimensions(())


class BoardScreen(MsptuiScreen):
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
    BINDINGS = [
        Binding("a", "acknowledge", "Ack", id="board.acknowledge", tooltip="Acknowledge: first response"),
        Binding(
            "i", "intervene", "Intervene", id="board.intervene", tooltip="Start the intervention, on site or remote"
        ),
        Binding(
            "w",
            "wait_client",
            "Wait on client",
            id="board.wait_client",
            group=_WAIT,
            tooltip="Pause: waiting on the client",
        ),
        Binding(
            "t",
            "wait_third_party",
            "Wait on third party",
            id="board.wait_third_party",
            group=_WAIT,
            tooltip="Waiting on a third party",
        ),
        Binding("r", "resume", "Resume", id="board.resume", tooltip="End the wait"),
        Binding("v", "resolve", "Resolve", id="board.resolve", tooltip="Resolved: stops the clocks"),
        Binding("c", "close", "Close", id="board.close", tooltip="Close a resolved ticket"),
        Binding("o", "reopen", "Reopen", id="board.reopen", tooltip="Reopen: the resolution clock resumes"),
        Binding("p", "priority", "Priority", id="board.priority", tooltip="Change priority (then 1 to 4)"),
        Binding("n", "note", "Note", id="board.note", tooltip="Add a note to the ticket"),
        Binding("e", "explain", "Explain", id="board.explain", tooltip="Why each clock says what it says"),
        Binding("N,ctrl+n", "new_ticket", "New", id="board.new_ticket", tooltip="Open a new ticket"),
        Binding("b", "toggle_bell", "Bell", id="board.bell", tooltip="Ring the terminal bell on alerts (on/off)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[int, TicketCountdown] = {}
        self.zone = technician_zone()
        self.wide = True
        self.loaded = False
        self.bell = False
        self.undisclosed_conflicts = 0
        self.alerted: set[tuple[int, str, str]] = set()  # (ticket, clock, status): once per process
        self.alerts: list[str] = []  # what was alerted, newest last (tests and the log read it)
        self._header_text = ""
        self._select_after_load: int | None = None
        self.version: tuple[int, int] = (-1, -1)  # the store's board_version when last read

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="board-top"):
            yield Static("Opening the database…", id="board-header", markup=False)
            yield Static("", id="board-time", markup=False)
        table = BoardTable(id="board", cursor_type="row", zebra_stripes=True, classes="-hidden")
        yield table
        yield Static("No open tickets — press N to open one", id="board-empty", classes="-hidden", markup=False)
        yield Static("", id="board-detail", classes="-hidden", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        import os

        self.bell = os.environ.get("MSPTUI_BELL", "") not in ("", "0")
        if problem := zone_setting_problem():  # once, at start: the board is mounted once
            self.notify(problem, title="Time zone", severity="warning", timeout=20)
        self.set_interval(1, self.tick, name="board-tick")
        self.set_interval(RECHECK_SECONDS, self._check_version, name="board-recheck")
        super().on_mount()

    @property
    def table(self) -> DataTable:
        return self.query_one("#board", DataTable)

    # --- loading -------------------------------------------------------------------------

    def load(self) -> None:
        # Also after a head start (read_early): the store's read merges in whatever
        # changed meanwhile, and its arrival shows the actions that need the store.
        self._fetch(None)

    def read_early(self, database: Path) -> None:
        """(Called in the app's store worker, before the store is open.) Read the
        board straight from the SQLite file and show it; the store's read follows."""
        wide = self.size.width >= WIDE_FROM if self.size.width else True
        try:
            result = early_snapshot(database, self.msptui.clock.now(), self.zone, wide)
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

    def _check_version(self) -> None:
        """Re-read the board when the store changed behind it (another window, another screen)."""
        if self.loaded and self.msptui.store is not None:
            from msptui.store.reads.board import board_version

            self.call_store(board_version, done=self._version_read, group="board-version", exclusive=True)

    def _version_read(self, version: tuple[int, int]) -> None:
        if version != self.version:
            self._fetch(None)

    def _fetch(self, ticket_ids: list[int] | None) -> None:
        self.wide = self.size.width >= WIDE_FROM if self.size.width else True
        self.call_store(
            board_snapshot,
            self.msptui.clock.now(),
            self.zone,
            self.wide,
            ticket_ids,
            done=lambda result: self._apply(result, ticket_ids),
            group="board-load" if ticket_ids is None else "board-ticket",
        )

    def show_store_error(self, message: str) -> None:
        self.query_one("#board-header", Static).update(message)

    def _apply(self, result: tuple[BoardData, list[TicketCountdown]], ticket_ids: list[int] | None) -> None:
        """Merge fresh rows into the table: add, replace or remove only what changed."""
        data, countdowns = result
        # An empty board filling up (the first read, or the sample data just loaded):
        # the cursor goes to the nearest breach, not to the row it happened to be on.
        first = not self.loaded or not self.rows
        table = self.table
        if first or not table.columns:
            self._build_columns()
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
                if cd.wide != self.wide:
                    cd.set_wide(self.wide)
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
                    for key, cell in zip(self._column_keys(), self._row_cells(cd, now)):
                        table.update_cell(str(tid), key, cell)
            self._sort()
        self.loaded = True
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
            self.msptui.board_populated()  # the cold-start benchmark's signal

    # --- columns and cells ---------------------------------------------------------------------

    def _column_keys(self) -> tuple[str, ...]:
        return ROW_COLUMNS

    def _build_columns(self) -> None:
        width = self.size.width or 120
        self.wide = width >= WIDE_FROM
        clock = WIDE_CELL if self.wide else NARROW_CELL
        # Ids reach 6 digits; the status shows the out-of-hours count when wide (the detail line always does).
        fixed = {"id": 6, "priority": 2, "status": 14 if self.wide else 11}
        # What is left after the fixed columns, the cell padding (2 each) and a scrollbar (2).
        left = width - sum(fixed.values()) - 3 * clock - 2 * 8 - 2
        client = max(8, left * 2 // 5)
        title = max(8, left - client)
        labels = ("Response", "Intervention", "Resolution") if self.wide else ("Resp.", "Interv.", "Resol.")
        table = self.table
        table.clear(columns=True)
        table.add_column("#", width=fixed["id"], key="id")
        table.add_column("P", width=fixed["priority"], key="priority")
        table.add_column("Client", width=client, key="client")
        table.add_column("Title", width=title, key="title")
        table.add_column("Status", width=fixed["status"], key="status")
        for name, label in zip(CLOCKS, labels):
            table.add_column(label, width=clock, key=name)

    def _row_cells(self, cd: TicketCountdown, now: datetime) -> list[Text]:
        cells, cd.prepared = cd.prepared, None
        return cells if cells is not None else cd.row(now)

    def on_resize(self) -> None:
        if not self.loaded or (self.size.width >= WIDE_FROM) == self.wide and self.table.columns:
            return
        # Crossing the narrow/wide threshold: rebuild once (never per tick).
        selected = self.selected()
        now = self.msptui.clock.now()
        with self.app.batch_update():
            self._build_columns()
            for tid, cd in self.rows.items():
                cd.set_wide(self.wide)
                self.table.add_row(*self._row_cells(cd, now), key=str(tid))
            self._sort()
        if selected is not None:
            self.table.move_cursor(row=self.table.get_row_index(str(selected.ticket.id)))

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
        if not self.rows:
            return
        now = self.msptui.clock.now()
        now_us = epoch_us(now)
        table = self.table
        evaluated = False
        budget = EVALUATIONS_PER_TICK
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
                for name, cell in cells:
                    table.update_cell(str(tid), name, cell)
            if evaluated:
                self._sort()
        if evaluated:
            self._update_counts()
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
        words = "has breached" if status == "breached" else f"has used {cd.policy.warn_at:.0%} of its target"
        message = f"#{cd.ticket.id} {cd.ticket.client_name}: {clock} {words}"
        self.alerts.append(message)
        self.app.notify(
            message,
            title="SLA breached" if status == "breached" else "SLA warning",
            severity="error" if status == "breached" else "warning",
            markup=False,
            timeout=15,
        )
        if self.bell:
            self.app.bell()

    # --- header, detail and empty state ----------------------------------------------------------

    def _show_state(self) -> None:
        empty = not self.rows
        self.table.set_class(empty, "-hidden")
        self.query_one("#board-empty").set_class(not empty, "-hidden")
        self.query_one("#board-detail").set_class(empty, "-hidden")
        if not empty and self.focused is None:
            self.table.focus()

    def _update_counts(self) -> None:
        """The header's counts of live clocks (they change only when a ticket is evaluated)."""
        counts: dict[str, int] = {}
        for cd in self.rows.values():
            for status, n in cd.counts().items():
                counts[status] = counts.get(status, 0) + n
        parts = [
            (f"{counts.get('breached', 0)} breached", "bold red" if counts.get("breached") else ""),
            (f"{counts.get('warning', 0)} warning", "bold yellow" if counts.get("warning") else ""),
            (f"{counts.get('paused', 0)} paused", ""),
        ]
        conflicts = self.undisclosed_conflicts
        if conflicts:
            parts.append((f"{conflicts} undisclosed conflict{'s' if conflicts != 1 else ''}", "bold magenta"))
        text = " · ".join(words for words, _style in parts)
        if text != self._header_text:
            self._header_text = text
            line = Text(no_wrap=True, overflow="ellipsis")
            for i, (words, style) in enumerate(parts):
                line.append(" · " if i else "")
                line.append(words, style=style)
            self.query_one("#board-header", Static).update(line)
        tickets = len(self.rows)
        sub_title = f"SLA board · {tickets} ticket{'s' if tickets != 1 else ''}"
        if self.sub_title != sub_title:
            self.sub_title = sub_title

    def _update_clock(self, now: datetime) -> None:
        """The time in the header, in the technician's zone: the board visibly ticks."""
        local = now.astimezone(self.zone)
        clock = f"{local:%a %d %b %H:%M:%S} {self.zone.key}" if self.wide else f"{local:%H:%M:%S}"
        self.query_one("#board-time", Static).update(clock)

    @on(DataTable.RowHighlighted, "#board")
    def _highlighted(self) -> None:
        self._update_detail()
        self.refresh_bindings()

    def _update_detail(self) -> None:
        cd = self.selected()
        detail = self.query_one("#board-detail", Static)
        if cd is None:
            detail.update("")
            return
        t = cd.ticket
        first = Text(f"#{t.id} ", style="bold")
        first.append(t.client_name, style="bold")
        first.append(" — ")
        first.append(t.title)
        second = Text()
        if t.contract_id is None:
            second.append("No contract: no SLA, billable", style="bold")
        else:
            second.append(f"Contract {t.contract_reference}")
            nearest = min(
                (c.state.due_at for c in cd.clocks.values() if not c.stopped and c.state.due_at is not None),
                default=None,
            )
            if nearest is not None:
                client_zone = _zone(t.client_tz)
                client_time = f"{nearest.astimezone(client_zone):%a %d %b %H:%M}"
                yours = f"{nearest.astimezone(self.zone):%a %d %b %H:%M}"
                words = "overdue since" if nearest <= self.msptui.clock.now() else "next due"
                if client_zone.key == self.zone.key:
                    second.append(f" · {words} {yours} ({client_zone.key}, yours and the client's)")
                else:
                    second.append(f" · {words} {client_time} client's time ({client_zone.key}) = {yours} yours")
        if t.out_of_hours:
            # Surcharged work and work outside the contract, as classified when each was done;
            # first on the line, so a narrow terminal cuts the due time (also in the table), not this.
            second = Text.assemble((t.hours_summary, "magenta"), " · ", second)
        if cd.error:
            # Before the rest: at 80 columns the way out must not be the part cut off.
            second = Text.assemble(
                (f"contract calendar invalid: {cd.error} — fix it in the contract (F2, the client, Enter)", "bold red"),
                " · ",
                second,
            )
        first.append("\n")
        first.append_text(second)
        first.no_wrap = True
        first.overflow = "ellipsis"
        detail.update(first)

    def selected(self) -> TicketCountdown | None:
        table = self.table
        if not self.rows or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - no valid cursor (empty table)
            return None
        return self.rows.get(int(key.value))

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in _NEEDS_TICKET:
            return True
        cd = self.selected()
        if cd is None:
            return False  # hidden: nothing selected (also before the store is open)
        store_action = _STORE_ACTION.get(action)
        if store_action is None:
            return True
        if self.msptui.store is None:
            return False  # rows read early, store still opening: importing it here would freeze the UI
        from msptui.store.tickets import allowed

        return allowed(store_action, cd.ticket.status)

    def _act(self, fn_name: str, *args: Any, words: str) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.store import tickets

        tid = cd.ticket.id
        self.call_store(
            getattr(tickets, fn_name),
            tid,
            *args,
            self.msptui.clock.now(),
            done=lambda result: self._acted(result, words),
        )

    def _acted(self, result: Any, words: str) -> None:
        message = f"#{result.ticket_id} {words}"
        if result.hours_class == "outside_contract":
            message += " — ☾ outside the contract: goodwill or billable extra, your call"
        elif result.out_of_hours:
            message += f" — ☾ {result.hours_words}"
        self.app.notify(message, markup=False, timeout=4)
        self._fetch([result.ticket_id])

    def action_acknowledge(self) -> None:
        self._act("acknowledge", words=_DONE_WORDS["acknowledge"])

    def action_wait_client(self) -> None:
        self._act("wait_on_client", words=_DONE_WORDS["wait_client"])

    def action_wait_third_party(self) -> None:
        self._act("wait_on_third_party", words=_DONE_WORDS["wait_third_party"])

    def action_resume(self) -> None:
        self._act("resume", words=_DONE_WORDS["resume"])

    def action_resolve(self) -> None:
        self._act("resolve", words=_DONE_WORDS["resolve"])

    def action_close(self) -> None:
        self._act("close", words=_DONE_WORDS["close"])

    def action_reopen(self) -> None:
        self._act("reopen", words=_DONE_WORDS["reopen"])

    def action_intervene(self) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import channel_picker

        def chosen(channel: str | None) -> None:
            if channel:
                self._act("start_intervention", channel, words=f"intervention started ({channel.replace('_', ' ')})")

        self.app.push_screen(channel_picker(cd.ticket.id), chosen)

    def action_priority(self) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import priority_picker

        def chosen(priority: str | None) -> None:
            if priority and priority != cd.ticket.priority:
                self._act("change_priority", priority, words=f"now {priority} (clocks re-targeted from the opening)")

        self.app.push_screen(priority_picker(cd.ticket.id, cd.ticket.priority), chosen)

    def action_note(self) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.forms import note_form

        tid = cd.ticket.id
        self.app.push_screen(
            note_form(tid, self.msptui.clock), lambda result: result and self._acted(result, "note added")
        )

    def action_new_ticket(self) -> None:
        from msptui.ui.screens.tickets.forms import start_new_ticket

        start_new_ticket(self, self._opened)

    def _opened(self, ticket_id: int | None) -> None:
        if ticket_id is None:
            return
        self.app.notify(f"Ticket #{ticket_id} opened", timeout=4)
        self._select_after_load = ticket_id
        self._fetch([ticket_id])

    def action_explain(self) -> None:
        cd = self.selected()
        if cd is None:
            return
        from msptui.ui.screens.tickets.explain import ExplainScreen

        self.app.push_screen(ExplainScreen(cd.ticket.id, self.zone))

    def action_toggle_bell(self) -> None:
        self.bell = not self.bell
        self.app.notify(f"Terminal bell on alerts: {'on' if self.bell else 'off'}", timeout=3)


def _zone(name: str):  # noqa: ANN202
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a bad zone in a client record must not break the board
        return ZoneInfo("UTC")
