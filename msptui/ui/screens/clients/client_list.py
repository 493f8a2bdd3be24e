"""The client browser's list of matches: draws only the lines on screen, and never asks for a layout.

A DataTable refilled at each keystroke cost 80 ms of UI-thread time on its own
(clear, add the rows, measure them, lay the screen out again for its new
height). This widget keeps its rows as they are given (`ClientRow`s), draws
each visible line on demand (Textual's line API, as its Log does), and scrolls
by itself: it has no virtual size, so new matches only repaint its own region.
Looks like the table it replaces: a header, zebra rows, a row cursor.
"""

from __future__ import annotations

from typing import Any, Self

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

from msptui.core.i18n import N_, _, ngettext

# (title, width) of each column. The name gives up cells (down to NAME_MIN) when the
# pane is narrow, so that code and city stay in sight without a horizontal scrollbar.
COLUMNS = ((N_("Client"), 28), (N_("Code"), 6), (N_("City"), 14))
NAME_MIN = 20
CITY_MIN = 6


def match_line(count: int, *, more: bool, archived_shown: bool, note: str = "") -> str:
    """The line above the list: "12 clients  ↓ to the list", "50+ clients (archived shown)", ..."""
    if more:
        words = _("{count}+ clients").format(count=count)
    else:
        words = ngettext("{count} client", "{count} clients", count).format(count=count)
    if archived_shown:
        words += " " + _("(archived shown)")
    if note:
        words += "  " + note
    return words + ("  " + _("↓ to the list") if count else " — " + _("ctrl+n adds a client"))


def _cell(text: str, width: int) -> str:
    """The text in `width` cells, with one cell of padding each side, cut with an ellipsis."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return " " + set_cell_size(text, width) + " "


class ClientList(Widget, can_focus=True):
    COMPONENT_CLASSES = {"client-list--header", "client-list--cursor", "client-list--even-row"}
    DEFAULT_CSS = """
    ClientList {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .client-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .client-list--header { background-tint: $foreground 5%; }
        }
        & > .client-list--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .client-list--header { background: ansi_bright_blue; color: ansi_default; }
        & > .client-list--even-row { background: $surface-lighten-1 50%; }
        &:dark > .client-list--even-row { background: $surface-darken-1 40%; }
        & > .client-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS = [
        Binding("enter", "select", N_("Select"), show=False),
        Binding("up", "move(-1)", N_("Up"), show=False),
        Binding("down", "move(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "move(-1000000)", N_("First"), show=False),
        Binding("end", "move(1000000)", N_("Last"), show=False),
    ]

    class Highlighted(Message):
        """The cursor moved to another row (by the user)."""

        def __init__(self, client_list: ClientList, row: Any) -> None:
            super().__init__()
            self.client_list = client_list
            self.row = row

        @property
        def control(self) -> ClientList:
            return self.client_list

    class Selected(Highlighted):
        """Enter, or a click on the row under the cursor."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.rows: list[Any] = []
        self.cursor_row = 0
        self._top = 0  # the row drawn on the first line under the header
        self._styles: dict[str, Style] = {}

    # --- what the browser asks ---------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def cursor_client(self) -> Any:
        """The row under the cursor (None on an empty list)."""
        return self.rows[self.cursor_row] if self.rows else None

    def cursor_key(self) -> str | None:
        client = self.cursor_client
        return None if client is None else str(client.id)

    def show(self, rows: list[Any], cursor: int = 0) -> None:
        """Show these rows, the cursor on row `cursor`; repaints this widget's region only."""
        self.rows = rows
        self._top = 0
        self.cursor_row = max(0, min(cursor, len(rows) - 1))
        self._keep_cursor_visible()
        self.refresh()

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))
        self._keep_cursor_visible()
        self.refresh()

    # --- keys and mouse ----------------------------------------------------------------

    def action_move(self, step: int) -> None:
        if not self.rows:
            return
        before = self.cursor_row
        self.move_cursor(self.cursor_row + step)
        if self.cursor_row != before:
            self.post_message(self.Highlighted(self, self.cursor_client))

    def action_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self._visible_rows() - 1))

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.Selected(self, self.cursor_client))

    def on_click(self, event: events.Click) -> None:
        row = self._top + event.y - 1
        if event.y < 1 or not 0 <= row < len(self.rows):
            return
        if row == self.cursor_row:
            self.action_select()
        else:
            self.action_move(row - self.cursor_row)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll(-3)

    def _scroll(self, lines: int) -> None:
        top = max(0, min(self._top + lines, len(self.rows) - self._visible_rows()))
        if top != self._top:
            self._top = top
            self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        self._keep_cursor_visible()

    def on_focus(self, _event: events.Focus) -> None:
        self._styles.clear()  # the cursor's colours differ with focus

    def on_blur(self, _event: events.Blur) -> None:
        self._styles.clear()

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    # --- drawing -----------------------------------------------------------------------

    def _visible_rows(self) -> int:
        return max(1, self.size.height - 1)  # the header takes the first line

    def _keep_cursor_visible(self) -> None:
        visible = self._visible_rows()
        if self.cursor_row < self._top:
            self._top = self.cursor_row
        elif self.cursor_row >= self._top + visible:
            self._top = self.cursor_row - visible + 1
        self._top = max(0, min(self._top, len(self.rows) - visible)) if len(self.rows) > visible else 0

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            base = self.rich_style
            style = self._styles[name] = base if name == "base" else base + self.get_component_rich_style(name)
        return style

    def _widths(self, width: int) -> tuple[int, int, int]:
        """Cells for name, code and city; a city of 0 is not drawn (a pane too narrow for it)."""
        (_name, name), (_code, code), (_city, city) = COLUMNS
        name_width = max(NAME_MIN, min(name, width - (code + 2) - (city + 2) - 2))
        room_for_city = width - (name_width + 2) - (code + 2) - 2
        if room_for_city < CITY_MIN:  # one or two letters of a city tell nothing: the name takes the room
            return max(NAME_MIN, min(name, width - (code + 2) - 2)), code, 0
        return name_width, code, min(city, room_for_city)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        name_width, code_width, city_width = self._widths(width)
        if y == 0:
            header = self._style("client-list--header")
            titles = zip((title for title, _width in COLUMNS), (name_width, code_width, city_width), strict=True)
            cells = "".join(_cell(_(title), w) for title, w in titles if w)
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
        name = Segment(_cell(row.name, name_width), style + Style(dim=True) if row.archived else style)
        rest = Segment(_cell(row.code, code_width) + (_cell(row.city, city_width) if city_width else ""), style)
        return Strip([name, rest]).crop_extend(0, width, base)


class FilterInput(Input):
    """The browser's filter box: typing in it repaints it, and never lays the screen out again.

    Textual 8.2.8's Input sets its virtual size to the width of its text at every
    change, a reactive that asks for a layout of the whole screen: a third of a
    keystroke in the browser. The box's size never depends on its text (its
    height is fixed, its width the pane's), and its scrolling reads the virtual
    size directly, so that layout is dropped. Re-check on a Textual upgrade.
    """

    _typing = False

    def _watch_value(self, value: str) -> None:
        self._typing = True
        try:
            super()._watch_value(value)
        finally:
            self._typing = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._typing, recompose=recompose)
