"""The board's "coming due" band: recurring maintenance, renewals, warranty ends,
certifications and data-breach notifications, counting down under the tickets.

One line per item, sorted by due instant, in the board's countdown style and
colours (green later, yellow inside its lead time, red once due). Hidden (no
height at all) when nothing comes due, so the board without it is unchanged.

Cheap to keep alive: the items are read in a worker (`store.reads.coming_due`)
when the board loads, when the database moves and each minute; the same worker
first makes the recurring occurrences that fell due into tickets
(`store.recurring.materialise_due`, once each whichever terminal gets there
first). Each tick compares the clock with the band's next change (one integer)
and rebuilds only the cells whose words changed (the hour, mostly).

Keys when the band has focus (Tab, or g from the board): Enter opens the item's
register, d marks it done (a renewal or a certification asks its new expiry,
a breach when and how the client was told), z snoozes it (until when, and why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.tickets.board_layout import BoardTable, fit
from msptui.ui.widgets.cells import STYLES, due_words, text_cell, wide_cell, wide_cell_widths
from msptui.ui.widgets.countdown import NEVER, epoch_us
from msptui.ui.workers import StoreCalls

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_ONE_US = timedelta(microseconds=1)
_MINUTE_US = 60_000_000
_HOUR_US = 60 * _MINUTE_US
_DAY_US = 24 * _HOUR_US
_SIX_DAYS_US = 6 * _DAY_US  # "late Tue 18:00" turns "late 03 Dec" (cells.due_words)
# The board's colours: a coming-due item is "later", "warning" (inside its lead time) or "overdue".
STATE_STYLES = {"later": STYLES["running"], "warning": STYLES["warning"], "overdue": STYLES["breached"]}
KIND_WORDS = {
    "recurring": N_("maintenance"),
    "renewal": N_("renewal"),
    "warranty": N_("warranty"),
    "certification": N_("certification"),
    "breach": N_("BREACH"),
}
KIND_CELL = 13  # "certification" (the longest kind in the interface's language: kind_cell)
WHEN_CELL = 17  # the board's wide clock cell: "  3d04h Tue 14:30", "   late Mon 09:00" (cells.wide_cell)
MINUTE_SECONDS = 60  # how often recurring occurrences are made into tickets and the items read again


def remaining_words(remaining: timedelta) -> str:
    """Calendar time left, truncated (never rounded up): "45m", "5h07", "3d04h", "120d".
    Unlike an SLA clock this is wall-clock time, so days are days."""
    us = remaining // _ONE_US
    if us < _HOUR_US:
        return _("{minutes}m").format(minutes=us // _MINUTE_US)
    if us < _DAY_US:
        hours, rest = divmod(us, _HOUR_US)
        return f"{hours}h{rest // _MINUTE_US:02d}"
    days, rest = divmod(us, _DAY_US)
    if days >= 100:
        return _("{days}d").format(days=days)
    return _("{days}d{hours:02d}h").format(days=days, hours=rest // _HOUR_US)


def kind_cell() -> int:
    """The kind column's width: its longest word in the interface's language (13 in English)."""
    return max(KIND_CELL, *(len(_(word)) for word in KIND_WORDS.values()))


def item_key(item: Any) -> str:
    """A row's key: the kind and the record, unique across kinds."""
    return f"{item.kind}:{item.ref_id}"


def item_state(item: Any, now: datetime) -> str:
    """later, warning (inside the lead time) or overdue: the rule's word (core.rules.coming_due)."""
    from msptui.core.rules.coming_due import state

    return str(state(item, now))


@dataclass(slots=True)
class DueRow:
    """One item of the band: what it is, its state and its countdown as last shown."""

    item: Any  # core.rules.coming_due.ComingDue
    state: str = ""
    when: Text | None = None
    next_change: int = 0  # epoch microseconds: the first instant its cell can say something else

    @property
    def key(self) -> str:
        return item_key(self.item)

    def refresh(self, now: datetime, zone: ZoneInfo) -> bool:
        """Bring state and countdown to `now`; True when the cell's words or colour changed."""
        item = self.item
        state = item_state(item, now)
        now_us, due_us = epoch_us(now), epoch_us(item.due_at)
        left = due_us - now_us
        left_width, due_width = wide_cell_widths()  # the board's clock cells: (7, 9) in English
        if state == "overdue":
            late = _("late")
            words = f"{late:>{left_width}} {due_words(item.due_at, now, zone):<{due_width}}"
            soonest = due_us + _SIX_DAYS_US if due_us + _SIX_DAYS_US > now_us else NEVER
        else:
            words = (
                f"{remaining_words(item.due_at - now):>{left_width}} {due_words(item.due_at, now, zone):<{due_width}}"
            )
            unit = _HOUR_US if left >= _DAY_US else _MINUTE_US
            step = left % unit + 1  # "5h07" turns "5h06" once under 5:07:00
            opens_us = epoch_us(item.due_at - item.lead)
            # The state's own instants too: its lead time opens, it falls due.
            soonest = min(now_us + step, due_us, opens_us if opens_us > now_us else NEVER)
        self.next_change = soonest
        cell = Text(words, style=STATE_STYLES.get(state, ""), no_wrap=True)
        changed = cell != self.when
        self.state, self.when = state, cell
        return changed

    def cells(self) -> list[Text]:
        item = self.item
        kind_style = "bold red" if item.kind == "breach" else ""
        return [
            Text(_(KIND_WORDS.get(item.kind, item.kind)), style=kind_style, no_wrap=True),
            text_cell(getattr(item, "client", "") or ""),
            text_cell(item.title),
            self.when or Text(""),
        ]


@dataclass(slots=True)
class BandRead:
    """What a read of the band brings back (built in the worker)."""

    rows: list[DueRow]
    created: list[Any]  # tickets made from recurring occurrences by this read, if it made any
    problems: list[str] = field(default_factory=list)  # a task that could not be made (its contract archived…)
    snoozed: int = 0  # items left out as snoozed: the title counts them


def read_band(engine: Any, now: datetime, zone: ZoneInfo, materialise: bool) -> BandRead:
    """(In a worker.) Make the occurrences due into tickets (when `materialise`), then read
    every item coming due at `now`, sorted by due instant, cells built."""
    from msptui.store.reads.coming_due import coming_due
    from msptui.store.recurring import materialise_due

    problems: list[str] = []
    created = list(materialise_due(engine, now, problems)) if materialise else []
    snoozed: list[Any] = []
    rows = [DueRow(item) for item in coming_due(engine, now, technician_tz=zone, snoozed_out=snoozed)]  # by due
    for row in rows:
        row.refresh(now, zone)
    return BandRead(rows, created, problems, len(snoozed))


class BandTable(BoardTable):
    """The band's rows: the board's table (fixed widths, cheap cell updates), without a header."""


class ComingDueBand(StoreCalls, Vertical):
    """The band. The board owns it (`BoardScreen.band`) and tells it when to read again."""

    DEFAULT_CSS = """
    ComingDueBand { height: auto; display: none; border-top: solid $primary-background; }
    ComingDueBand.-shown { display: block; }
    ComingDueBand #due-title { height: 1; padding: 0 1; }
    ComingDueBand BandTable { height: auto; }
    """
    BINDING_GROUP_TITLE = N_("Coming due band")  # its section in the `?` help
    BINDINGS = [
        Binding("enter", "open_item", N_("Open"), id="due.open", tooltip=N_("Open the item's register")),
        Binding(
            "d", "done", N_("Done"), id="due.done", tooltip=N_("Mark it done (a renewal asks its new expiry date)")
        ),
        Binding(
            "z", "snooze", N_("Snooze"), id="due.snooze", tooltip=N_("Put it off until a date, with a reason (kept)")
        ),
        Binding("escape", "back_to_tickets", N_("Tickets"), id="due.back", tooltip=N_("Back to the tickets")),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, DueRow] = {}
        self.next_change = NEVER  # the soonest any row's cell changes, epoch microseconds
        self.overdue = 0
        self.snoozed = 0
        self._title = ""
        self._cap = 0
        self._said: set[str] = set()  # the problems already told (recurring tasks that could not be made)

    def compose(self) -> ComposeResult:
        yield Static("", id="due-title", markup=False)
        table = BandTable(id="due-table", cursor_type="row", show_header=False, zebra_stripes=True)
        yield table

    @property
    def table(self) -> BandTable:
        return self.query_one(BandTable)

    def on_mount(self) -> None:
        self.set_interval(MINUTE_SECONDS, self.each_minute, name="coming-due-minute")

    # --- reading --------------------------------------------------------------------------

    @property
    def _now(self) -> datetime:
        return self.app.clock.now()  # type: ignore[attr-defined,no-any-return]

    @property
    def _zone(self) -> ZoneInfo:
        return self.screen.zone  # type: ignore[attr-defined,no-any-return]

    def reload(self, materialise: bool = False) -> None:
        """Read the items again (in a worker); first make the occurrences due into tickets.
        Not before the store is open: the board asks once its rows are the store's."""
        if self.app.store is None:  # type: ignore[attr-defined]
            return
        self.call_store(
            read_band, self._now, self._zone, materialise, done=self._apply, group="coming-due", exclusive=True
        )

    def each_minute(self) -> None:
        """Occurrences reach their date, items enter their lead time: both are seen within a minute."""
        if self.app.store is not None:  # type: ignore[attr-defined]
            self.reload(materialise=True)

    def _apply(self, read: BandRead) -> None:
        if read.created:
            self._say_created(read.created)
        for problem in read.problems:
            if problem not in self._said:  # once a run: the task stays owed, the next minute says nothing new
                self._said.add(problem)
                self.app.notify(problem, title=_("Recurring maintenance"), severity="warning", timeout=15, markup=False)
        wanted = [row.key for row in read.rows]
        table = self.table
        selected = self.selected()
        with self.app.batch_update():
            if wanted != [row.key.value for row in table.ordered_rows] or not table.columns:
                self._build_columns()
                for row in read.rows:
                    table.add_row(*row.cells(), key=row.key)
            else:
                for row in read.rows:
                    old = self.rows[row.key]
                    for column, old_cell, new_cell in zip(_COLUMNS, old.cells(), row.cells()):
                        if old_cell != new_cell:
                            table.update_cell(row.key, column, new_cell)
            self.rows = {row.key: row for row in read.rows}
        if selected is not None and selected.key in self.rows:
            table.move_cursor(row=table.get_row_index(selected.key), animate=False)
        self.next_change = min((row.next_change for row in read.rows), default=NEVER)
        self.snoozed = read.snoozed
        self._show()

    def _say_created(self, created: list[Any]) -> None:
        late, n = sum(1 for c in created if getattr(c, "late", False)), len(created)
        if late:
            words = ngettext(
                "{count} recurring task opened as ticket ({late} late: due while msptui was not running)",
                "{count} recurring tasks opened as tickets ({late} late: due while msptui was not running)",
                n,
            )
        else:
            words = ngettext("{count} recurring task opened as ticket", "{count} recurring tasks opened as tickets", n)
        self.app.notify(words.format(count=n, late=late), title=_("Recurring maintenance"), timeout=8, markup=False)
        check = getattr(self.screen, "_check_version", None)
        if check is not None:
            check()  # the new tickets on the board at once (PostgreSQL has no file to watch)

    # --- layout ---------------------------------------------------------------------------

    def _build_columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        width = self.screen.size.width or 120
        kind, when = kind_cell(), wide_cell()
        left = width - kind - when - 2 * 4 - 2  # cell padding, a scrollbar
        client = max(8, left * 2 // 5)
        table.add_column(_("Kind"), width=kind, key="kind")
        table.add_column(_("Client"), width=client, key="client")
        table.add_column(_("Title"), width=max(8, left - client), key="title")
        table.add_column(_("When"), width=when, key="when")

    def on_resize(self) -> None:
        if self.rows:
            with self.app.batch_update():
                self._build_columns()
                for row in self.rows.values():
                    self.table.add_row(*row.cells(), key=row.key)
        self._cap = 0
        self._show()

    def _show(self) -> None:
        """Shown with its rows (at most a few lines: the tickets keep the room), or not at all."""
        shown = bool(self.rows) or self.snoozed > 0  # everything snoozed: its count still shows
        if shown != self.has_class("-shown"):
            self.set_class(shown, "-shown")
            if not shown and self.table.has_focus:
                self.action_back_to_tickets()
        cap = max(2, (self.screen.size.height or 40) // 8)
        lines = min(len(self.rows), cap)
        if lines != self._cap:
            self._cap = lines
            self.table.styles.height = lines
        self._update_title()

    def _update_title(self) -> None:
        counts = {"overdue": 0, "warning": 0}
        for row in self.rows.values():
            counts[row.state] = counts.get(row.state, 0) + 1
        self.overdue = counts["overdue"]
        room = (self.screen.size.width or 120) - 2
        n = len(self.rows)
        overdue, warning, snoozed = counts["overdue"], counts["warning"], self.snoozed

        def parts(items: bool, hint: bool) -> list[tuple[str, str]]:
            overdue_words = ngettext("{count} overdue", "{count} overdue", overdue).format(count=overdue)
            out = [(_("Coming due"), "bold"), (" · ", ""), (overdue_words, "bold red" if overdue else "")]
            notice = ngettext("{count} in notice", "{count} in notice", warning).format(count=warning)
            out += [(" · ", ""), (notice, "bold yellow" if warning else "")]
            out += [
                (" · ", ""),
                (ngettext("{count} item", "{count} items", n).format(count=n) if items else f"{n} ", ""),
            ]
            if snoozed:
                out += [
                    (" · ", ""),
                    (ngettext("{count} snoozed", "{count} snoozed", snoozed).format(count=snoozed), ""),
                ]
            return [*out, (" · " + _("g: to the band, d done, z snooze"), "dim")] if hint else out

        line = fit(room, parts(items=True, hint=True), parts(items=True, hint=False), parts(items=False, hint=False))
        if line.plain != self._title:
            self._title = line.plain
            self.query_one("#due-title", Static).update(line)
        update_header = getattr(self.screen, "_update_counts", None)
        if update_header is not None and getattr(self.screen, "loaded", False):
            update_header()  # "n due" in the board's header

    # --- ticking ----------------------------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """(Each board tick.) Repaint the countdowns whose words changed: nothing, most seconds."""
        now_us = epoch_us(now)
        if now_us < self.next_change:
            return
        table, zone = self.table, self._zone
        soonest = NEVER
        states_changed = False
        with self.app.batch_update():
            for key, row in self.rows.items():
                if now_us >= row.next_change:
                    state = row.state
                    if row.refresh(now, zone):
                        table.update_cell(key, "when", row.when)
                    states_changed = states_changed or row.state != state
                soonest = min(soonest, row.next_change)
        self.next_change = soonest
        if states_changed:
            self._update_title()

    # --- keys -------------------------------------------------------------------------------

    def selected(self) -> DueRow | None:
        table = self.table
        if not self.rows or table.row_count == 0:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # noqa: BLE001 - no valid cursor (empty table)
            return None
        return self.rows.get(str(key.value))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_item", "done", "snooze"):
            return self.selected() is not None
        return True

    @on(DataTable.RowSelected, "#due-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_open_item(self) -> None:
        row = self.selected()
        if row is not None:
            from msptui.ui.screens.tickets.coming_due_keys import open_item

            open_item(self, row.item)

    def action_done(self) -> None:
        row = self.selected()
        if row is not None:
            from msptui.ui.screens.tickets.coming_due_keys import mark_done

            mark_done(self, row.item)

    def action_snooze(self) -> None:
        row = self.selected()
        if row is not None:
            from msptui.ui.screens.tickets.coming_due_keys import snooze

            snooze(self, row.item)

    def action_back_to_tickets(self) -> None:
        board = self.screen.query("#board")
        if board:
            board.first().focus()

    def focus_band(self) -> bool:
        """Put the cursor in the band (the board's g); False when it is empty."""
        if not self.rows:
            return False
        self.table.focus()
        return True

    def acted(self, words: str) -> None:
        """A key's store call succeeded: say it and read the band again."""
        self.app.notify(words, timeout=5, markup=False)
        self.reload()


_COLUMNS = ("kind", "client", "title", "when")
