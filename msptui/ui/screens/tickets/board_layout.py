"""The board's layout by terminal width: its columns, its header line and the
selected ticket's detail lines.

Three layouts (see `layout_for`): wide shows each clock's remaining time and
due time; medium each clock's remaining time; narrow one column with the most
urgent clock, so that Client and Title stay readable at 80 columns. Whatever
the table leaves out, the detail lines of the selected row say, and every line
picks the longest wording that fits rather than being cut.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.widgets.cells import (
    CLOCK_ABBREVIATIONS,
    CLOCKS,
    NARROW_CELL,
    NARROW_STATUS,
    NEXT_CELL,
    STATUS_CELL,
    day_time_words,
    wide_cell,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from msptui.ui.widgets.countdown import TicketCountdown

WIDE_FROM = 140  # columns from which a clock cell also shows its due time
NARROW_BELOW = 110  # columns under which the three clocks share one column
CLOCK_NAMES = {"response": N_("Response"), "intervention": N_("Intervention"), "resolution": N_("Resolution")}
_SHORT_LABELS = {"response": N_("Resp."), "intervention": N_("Interv."), "resolution": N_("Resol.")}
Segments = list[tuple[str, str]]  # (words, style)


def layout_for(width: int) -> str:
    """The layout for a terminal `width` columns wide (0, not yet laid out: wide)."""
    if not width or width >= WIDE_FROM:
        return "wide"
    return "medium" if width >= NARROW_BELOW else "narrow"


def id_width(ticket_ids: Any) -> int:
    """The ticket number column's width: the longest number on the board (at least 2)."""
    return max(2, len(str(max(ticket_ids, default=0))))


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

    # DataTable rebuilds its row order and line offsets, over every row, after any
    # change, an `update_cell` included: at 10,000 rows about 9 ms of each second's
    # repaint. Here they are rebuilt only when rows are added, removed or sorted (a row's
    # height never changes afterwards: _update_dimensions above measures none).
    _rows_changed = 0
    _rows_cache: tuple[tuple[int, int], list[Any], list[Any]] | None = None

    def add_row(self, *cells, **options):  # noqa: ANN002, ANN003, ANN201
        self._rows_changed += 1
        return super().add_row(*cells, **options)

    def remove_row(self, row_key):  # noqa: ANN001, ANN201
        self._rows_changed += 1
        return super().remove_row(row_key)

    def clear(self, columns: bool = False):  # noqa: ANN201
        self._rows_changed += 1
        result = super().clear(columns)
        self._rows_changed += 1  # clear() reads the offsets on its way
        return result

    def sort(self, *columns, **options):  # noqa: ANN002, ANN003, ANN201
        self._rows_changed += 1
        return super().sort(*columns, **options)

    # Each `update_cell` also invalidates every cached line and repaints the table. A row
    # not drawn since the last invalidation has nothing cached that could show its old
    # cells (every render cache key holds the change count): its new cells are stored,
    # and drawn when it comes into view. At 10,000 rows, most ticks change only such rows.
    _drawn: set[Any]
    _drawn_at = -1  # the change count `_drawn` is for

    def _was_drawn(self, row_key: Any) -> bool:
        return self._drawn_at == self._update_count and row_key in self._drawn

    def _note_drawn(self, row_key: Any) -> None:
        if self._drawn_at != self._update_count:
            self._drawn, self._drawn_at = set(), self._update_count
        self._drawn.add(row_key)

    def _render_line_in_row(self, row_key, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        self._note_drawn(row_key)
        return super()._render_line_in_row(row_key, *args, **kwargs)

    def _get_row_renderables(self, row_index: int):  # noqa: ANN202
        if row_index >= 0:
            self._note_drawn(self._row_locations.get_key(row_index))
        return super()._get_row_renderables(row_index)

    def _in_view(self, row_key: Any) -> bool:
        # Board rows are one line each (see _update_dimensions): row n is at line n + header.
        index = self._row_locations.get(row_key)
        if index is None:
            return False
        top = round(self.scroll_offset.y)
        return top <= index < top + max(self.size.height - (self.header_height if self.show_header else 0), 0)

    def update_cell(self, row_key, column_key, value, *, update_width: bool = False) -> None:  # noqa: ANN001
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        # A row in view always takes the full path: the drawn set is emptied by a change
        # count that DataTable raises without repainting (a resize, rows added), and a row
        # on screen must never keep its old cells (a countdown frozen, a breach not shown).
        if (
            update_width
            or self._in_view(key)
            or self._was_drawn(key)
            or key not in self._row_locations
            or column not in self.columns
        ):
            super().update_cell(key, column, value, update_width=update_width)  # also raises as DataTable does
        else:
            self._data[key][column] = value

    def _rows_and_offsets(self) -> tuple[list[Any], list[Any]]:
        key = (self.row_count, self._rows_changed)
        if self._rows_cache is None or self._rows_cache[0] != key:
            locations, rows = self._row_locations, self.rows
            ordered = [rows[locations.get_key(index)] for index in range(self.row_count)]
            offsets = [(row.key, line) for row in ordered for line in range(row.height)]
            self._rows_cache = (key, ordered, offsets)
        return self._rows_cache[1], self._rows_cache[2]

    @property
    def ordered_rows(self) -> list[Any]:
        return self._rows_and_offsets()[0]

    @property
    def _y_offsets(self) -> list[Any]:
        return self._rows_and_offsets()[1]


def build_columns(table: DataTable, layout: str, width: int, number_width: int) -> None:
    """Clear `table` and add the columns of `layout` for a terminal `width` wide."""
    if layout == "narrow":
        clocks = [(_("Next due"), "next", NEXT_CELL)]
        status = NARROW_STATUS
    else:
        cell = wide_cell() if layout == "wide" else NARROW_CELL
        labels = CLOCK_NAMES if layout == "wide" else _SHORT_LABELS
        clocks = [(_(labels[name]), name, cell) for name in CLOCKS]
        status = STATUS_CELL
    fixed = number_width + 2 + status + sum(w for _l, _k, w in clocks)
    # What is left after the fixed columns, the cell padding (2 each) and a scrollbar (2).
    left = width - fixed - 2 * (5 + len(clocks)) - 2
    client = max(8, left * 2 // 5)
    title = max(8, left - client)
    table.clear(columns=True)
    table.add_column("#", width=number_width, key="id")
    table.add_column("P", width=2, key="priority")
    table.add_column(_("Client"), width=client, key="client")
    table.add_column(_("Title"), width=title, key="title")
    table.add_column(_("Status"), width=status, key="status")
    for label, key, cell_width in clocks:
        table.add_column(label, width=cell_width, key=key)


def fit(room: int, *variants: Segments) -> Text:
    """The first variant that fits in `room` columns (the last one, cut, if none does)."""
    chosen = next((v for v in variants if sum(len(w) for w, _s in v) <= room), variants[-1])
    line = Text(no_wrap=True, overflow="ellipsis")
    for words, style in chosen:
        line.append(words, style=style)
    return line


def header_line(counts: dict[str, int], conflicts: int, room: int, due: int = 0) -> Text:
    """The live clocks by state, the undisclosed conflicts and (issue 18) the coming-due
    items overdue, in words that fit `room`."""
    breached, warning, paused = counts.get("breached", 0), counts.get("warning", 0), counts.get("paused", 0)

    def parts(short: bool) -> Segments:
        if short:
            warned = ngettext("{count} warn", "{count} warn", warning)
            conflict = ngettext("{count} conflict", "{count} conflicts", conflicts)
        else:
            warned = ngettext("{count} warning", "{count} warning", warning)
            conflict = ngettext("{count} undisclosed conflict", "{count} undisclosed conflicts", conflicts)
        out: Segments = [
            (
                ngettext("{count} breached", "{count} breached", breached).format(count=breached),
                "bold red" if breached else "",
            ),
            (" · ", ""),
            (warned.format(count=warning), "bold yellow" if warning else ""),
            (" · ", ""),
            (ngettext("{count} paused", "{count} paused", paused).format(count=paused), ""),
        ]
        if due:  # what the coming-due band shows overdue (its own line says the rest)
            out += [(" · ", ""), (ngettext("{count} due", "{count} due", due).format(count=due), "bold red")]
        if conflicts:
            out += [(" · ", ""), (conflict.format(count=conflicts), "bold magenta")]
        return out

    return fit(room, parts(short=False), parts(short=True))


def detail_height(layout: str) -> int:
    """The detail's lines: the title, then the clocks when the table does not show their due times, then the rest."""
    return 2 if layout == "wide" else 3


def detail_text(
    cd: TicketCountdown, layout: str, room: int, now: datetime, zone: ZoneInfo, prepaid: str | None = None
) -> Text:
    """The selected ticket in full: what the table cuts or leaves out at this width.

    `prepaid`: the contract's prepaid hours in words (store.reads.statement.prepaid_line), if it has some."""
    t = cd.ticket
    lines = [fit(room, [(f"#{t.id} {t.client_name}", "bold"), (" — ", ""), (t.title, "")])]
    if layout != "wide":
        lines.append(_clocks_line(cd, room, now))
    lines.append(_contract_line(cd, room, now, zone, prepaid))
    out = Text(no_wrap=True, overflow="ellipsis")
    for i, line in enumerate(lines):
        out.append("\n" if i else "")
        out.append_text(line)
    return out


def _clocks_line(cd: TicketCountdown, room: int, now: datetime) -> Text:
    if not cd.clocks:
        return _contract_words(cd, room)

    def line(names: dict[str, str]) -> Segments:
        out: Segments = []
        for i, name in enumerate(CLOCKS):
            words, style = cd.clock_words(name, now)
            out += [(" · " if i else "", ""), (f"{_(names[name])} ", ""), (words, style)]
        return out

    return fit(room, line(CLOCK_NAMES), line(CLOCK_ABBREVIATIONS))


def _contract_words(cd: TicketCountdown, room: int) -> Text:
    if cd.ticket.contract_id is None:
        return fit(room, [(_("No contract: no SLA, billable"), "bold")])
    words = _("Contract {reference}: no SLA target for {priority}")
    return fit(room, [(words.format(reference=cd.ticket.contract_reference, priority=cd.ticket.priority), "")])


def _contract_line(cd: TicketCountdown, room: int, now: datetime, zone: ZoneInfo, prepaid: str | None) -> Text:
    """Out-of-hours work, a broken calendar, the contract, the next due instant in both zones
    and the prepaid hours left (first on the line when they are overspent: never cut)."""
    t = cd.ticket
    # First on the line, in this order: at 80 columns the way out of a broken
    # calendar and the out-of-hours count must not be what is cut.
    lead: Segments = []
    if cd.error:
        words = _("contract calendar invalid: {error} — fix it in the contract (F2, the client, Enter)")
        lead += [(words.format(error=cd.error), "bold red")]
        lead += [(" · ", "")]
    if t.out_of_hours:
        lead += [(t.hours_summary, "magenta"), (" · ", "")]
    extra: Segments = []
    if prepaid and getattr(prepaid, "over", False):  # board_data.PrepaidWords
        lead += [(prepaid, "bold red"), (" · ", "")]
    elif prepaid:
        extra = [(f" · {prepaid}", "")]
    if t.contract_id is None:
        return fit(room, [*lead, (_("No contract: no SLA, billable"), "bold")])
    long_contract, short_contract = (
        _("Contract {reference}").format(reference=t.contract_reference),
        f"{t.contract_reference}",
    )
    clock = cd.urgent_clock()
    due = clock.state.due_at if clock is not None and str(clock.state.status) != "paused" else None
    if due is None:
        return fit(
            room, [*lead, (long_contract, ""), *extra], [*lead, (long_contract, "")], [*lead, (short_contract, "")]
        )
    client_zone = _zone(t.client_tz)
    # The clock's own state (from the SLA engine), not a comparison with now.
    late = str(clock.state.status) == "breached" if clock is not None else False
    said = _LATE_TAILS if late else _DUE_TAILS
    mine, theirs_local = due.astimezone(zone), due.astimezone(client_zone)
    yours_long, yours = day_time_words(mine, date_too=True), day_time_words(mine)
    theirs_long, theirs = day_time_words(theirs_local, date_too=True), day_time_words(theirs_local)
    city = client_zone.key.rsplit("/", 1)[-1].replace("_", " ")
    if client_zone.key == zone.key:
        tails = [
            " · " + _(said[0]).format(when=yours_long, zone=client_zone.key),
            " · " + _(said[1]).format(when=yours, city=city),
            " · " + _(said[2]).format(when=yours),
        ]
    else:
        tails = [
            " · " + _(said[3]).format(theirs=theirs_long, zone=client_zone.key, yours=yours_long),
            " · " + _(said[4]).format(theirs=theirs, city=city, time=f"{mine:%H:%M}"),
            " · " + _(said[5]).format(when=yours),
        ]
    variants = [[*lead, (long_contract, ""), (tail, ""), *extra] for tail in tails[:2] if extra]
    variants += [[*lead, (long_contract, ""), (tail, "")] for tail in tails]
    variants += [[*lead, (short_contract, ""), (tail, "")] for tail in tails[1:]]
    return fit(room, *variants)


# The next due instant at the end of the detail line, longest first (the first that fits is shown):
# in the client's zone when it is the technician's, else in both.
_DUE_TAILS = (
    N_("next due {when} ({zone}, yours and the client's)"),
    N_("next due {when} ({city}, both)"),
    N_("due {when}"),
    N_("next due {theirs} client's time ({zone}) = {yours} yours"),
    N_("next due {theirs} {city} = {time} yours"),
    N_("due {when} yours"),
)
_LATE_TAILS = (
    N_("overdue since {when} ({zone}, yours and the client's)"),
    N_("overdue since {when} ({city}, both)"),
    N_("late since {when}"),
    N_("overdue since {theirs} client's time ({zone}) = {yours} yours"),
    N_("overdue since {theirs} {city} = {time} yours"),
    N_("late since {when} yours"),
)


def _zone(name: str) -> ZoneInfo:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:  # noqa: BLE001 - a bad zone in a client record must not break the board
        return ZoneInfo("UTC")
