"""Tickets history: every ticket, open or closed, found as one types.

The search box takes words (title, description, notes, client) and filters
(`status:closed client:ACME from:2026-01-01 to:2026-03-31`, see
`msptui.store.reads.ticket_history`). The tickets are read once into an index
(`msptui.store.ticket_index`) in a worker; each keystroke then searches it and
repaints a line-based list, as the client browser does, so typing over 100,000
tickets costs less than a DataTable refilled with 50 rows (bench/ticket_search_bench.py).
Enter opens the ticket: its clocks, the explain view and its log, and reopening.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import Footer, Header, Input, Static

from msptui.core.i18n import N_, _, ngettext
from msptui.ui.screens.base import MsptuiScreen
from msptui.ui.screens.clients.client_list import ClientList, FilterInput, _cell
from msptui.ui.widgets.zones import technician_zone

SHOWN_ROWS = 50
# The filter words (status:, client:, from:, to:) are the search's own: they stay as typed.
PLACEHOLDER = N_("Search: words · status:open|closed · client:CODE · from:2026-01-01 to:2026-03-31")
# (title, width) of each column; the title takes what is left (at least TITLE_MIN).
COLUMNS = (("#", 6), (N_("Opened"), 10), (N_("Client"), 7), ("P", 2), (N_("Status"), 12))
TITLE_MIN = 12
STATUS_WORDS = {
    "new": N_("New"),
    "acknowledged": N_("Acknowledged"),
    "in_progress": N_("In progress"),
    "waiting_client": N_("On client"),
    "waiting_third_party": N_("On 3rd party"),
    "resolved": N_("Resolved"),
    "closed": N_("Closed"),
}


class TicketList(ClientList):
    """The list of matching tickets: ClientList's drawing, keys and cursor, with the tickets' columns.

    Its rows are `TicketRow`s; `cursor_client` is the ticket under the cursor (the name is the list's).
    """

    def __init__(self, zone: Any, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.zone = zone

    def _widths(self, width: int) -> tuple[int, ...]:  # type: ignore[override]
        columns = [w for _t, w in COLUMNS]
        # The status column fits its longest word in the current language (12 cells in English).
        columns[-1] = max(columns[-1], *(len(_(words)) for words in STATUS_WORDS.values()))
        fixed = sum(w + 2 for w in columns)
        return (*columns, max(TITLE_MIN, width - fixed - 2))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        widths = self._widths(width)
        if y == 0:
            header = self._style("client-list--header")
            titles = [_(t) if t not in ("#", "P") else t for t, _w in COLUMNS] + [_("Title")]
            cells = "".join(_cell(t, w) for t, w in zip(titles, widths, strict=True))
            return Strip([Segment(cells, header)]).crop_extend(0, width, header)
        n = self._top + y - 1
        base = self._style("base")
        if n >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[n]
        if n == self.cursor_row:
            style = self._style("client-list--cursor")
        else:
            style = self._style("client-list--even-row") if n % 2 == 0 else base
        closed = row.status in ("resolved", "closed")
        opened = f"{row.opened_at.astimezone(self.zone):%Y-%m-%d}"
        status = STATUS_WORDS.get(row.status)
        cells = (str(row.id), opened, row.client_code, row.priority, _(status) if status else row.status)
        line = "".join(_cell(text, w) for text, w in zip(cells, widths, strict=False))
        title = _cell(row.title, widths[-1])
        return Strip([Segment(line, style), Segment(title, style + Style(dim=True) if closed else style)]).crop_extend(
            0, width, base
        )


class TicketHistoryScreen(MsptuiScreen):
    """Every ticket, searched as one types; Enter opens one."""

    DEFAULT_CSS = """
    TicketHistoryScreen #history-filter { margin: 0; }
    TicketHistoryScreen #history-count { color: $text-muted; height: 1; width: 1fr; padding: 0 1; }
    TicketHistoryScreen #history-list { height: 1fr; }
    TicketHistoryScreen #history-client { height: 1; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("slash", "focus_filter", N_("Find"), id="history.find"),
        Binding("enter", "open_ticket", N_("Open"), id="history.open"),
        Binding("ctrl+r", "reload", N_("Read again"), id="history.reload", tooltip=N_("Read every ticket again")),
        Binding("escape", "back", N_("Back"), id="history.back"),
    ]
    essential_keys = ("history.find", "history.open", "history.back", "history.reload")

    def __init__(self) -> None:
        super().__init__()
        self.zone = technician_zone()
        self.index: Any = None
        self.total_words = ""
        self.wanted_id: int | None = None  # keep the cursor on this ticket at the next refill

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterInput(placeholder=_(PLACEHOLDER), id="history-filter")
        yield Static(_("Reading the tickets…"), id="history-count")
        yield TicketList(self.zone, id="history-list")
        yield Static("", id="history-client")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = _("Tickets history")
        self.query_one("#history-filter", Input).focus()

    # --- loading ----------------------------------------------------------------------

    def load(self) -> None:
        from msptui.store.ticket_index import load_ticket_index

        self.call_store(load_ticket_index, done=self._loaded, group="ticket-index", exclusive=True)

    def show_store_error(self, message: str) -> None:
        self.query_one("#history-count", Static).update(message)

    def _loaded(self, index: Any) -> None:
        # No gc.freeze here: the index is a few dozen objects whatever the number of tickets.
        from msptui.core.formats import number

        self.index = index
        self.total_words = number(len(index))  # once per read, not per keystroke (Babel)
        self.refilter()

    # --- searching --------------------------------------------------------------------

    @on(Input.Changed, "#history-filter")
    def _typed(self) -> None:
        self.refilter()

    def refilter(self) -> None:
        """Show the tickets matching what is typed (the first SHOWN_ROWS of them, newest first)."""
        if self.index is None:
            return
        from msptui.store.reads.ticket_history import parse_query

        query = parse_query(self.query_one("#history-filter", Input).value, self.zone)
        matches = self.index.search(query, SHOWN_ROWS)
        listing = self.query_one("#history-list", TicketList)
        keys = [r.id for r in matches.rows]
        previous = self.wanted_id or (listing.cursor_client.id if listing.cursor_client is not None else None)
        listing.show(matches.rows, keys.index(previous) if previous in keys else 0)
        self.wanted_id = None
        shown = len(matches.rows)
        count = f"{shown}+" if matches.more else str(shown)
        said = ngettext(
            "{count} ticket of {total}, newest first",
            "{count} tickets of {total}, newest first",
            2 if matches.more else shown,
        ).format(count=count, total=self.total_words)
        if described := query.describe():
            said += f" · {described}"
        if query.problems:
            said = f"{said} · {query.problems[0]}"
        # layout=False: a fixed-size line; a layout pass per keystroke costs more than the search.
        self.query_one("#history-count", Static).update(Text(said, no_wrap=True, overflow="ellipsis"), layout=False)
        self._show_client(listing.cursor_client)

    def _show_client(self, row: Any) -> None:
        line = "" if row is None else f"#{row.id} {row.client_name} ({row.client_code}) — {row.title}"
        self.query_one("#history-client", Static).update(Text(line, no_wrap=True, overflow="ellipsis"), layout=False)

    @on(TicketList.Highlighted, "#history-list")
    def _highlighted(self, event: TicketList.Highlighted) -> None:
        self._show_client(event.row)

    # --- actions ----------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#history-filter", Input).focus()

    @on(Input.Submitted, "#history-filter")
    def _filter_enter(self) -> None:
        self.action_open_ticket()

    def key_down(self) -> None:
        if self.focused is self.query_one("#history-filter", Input):
            self.query_one("#history-list", TicketList).focus()

    @on(TicketList.Selected, "#history-list")
    def action_open_ticket(self) -> None:
        row = self.query_one("#history-list", TicketList).cursor_client
        if row is None:
            return
        from msptui.ui.screens.tickets.history_detail import TicketHistoryDetail

        self.wanted_id = row.id
        self.app.push_screen(TicketHistoryDetail(row.id, self.zone), callback=self._back_from_ticket)

    def _back_from_ticket(self, changed: Any) -> None:
        # A reopening changed one status: set it in the index rather than read 100,000 tickets again.
        if changed and self.index is not None:
            ticket_id, status = changed
            self.index.set_status(ticket_id, status)
            self.wanted_id = ticket_id
            self.refilter()

    def action_reload(self) -> None:
        listing = self.query_one("#history-list", TicketList)
        if listing.cursor_client is not None:
            self.wanted_id = listing.cursor_client.id
        self.query_one("#history-count", Static).update(_("Reading the tickets again…"), layout=False)
        self.load()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
