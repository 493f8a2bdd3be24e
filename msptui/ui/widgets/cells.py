"""What a board cell says: the words, marks, widths and colours shared by the
countdown (which builds the cells) and the board's layout (which sizes the columns)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text

CLOCKS = ("response", "intervention", "resolution")
ROW_COLUMNS = ("id", "priority", "client", "title", "status", *CLOCKS)
# Below a width the three clock columns become one: the most urgent clock of the row
# (the selected row's detail line shows all three).
NARROW_COLUMNS = ("id", "priority", "client", "title", "status", "next")
# wide: remaining and due time per clock; medium: remaining per clock; narrow: NARROW_COLUMNS.
LAYOUTS = ("wide", "medium", "narrow")
CLOCK_ABBREVIATIONS = {"response": "Resp", "intervention": "Intv", "resolution": "Resol"}
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
# At narrow widths "wait client" would push the out-of-hours count out of its cell.
NARROW_STATUS_WORDS = {**STATUS_WORDS, "waiting_client": "wait cl."}
CHANNEL_WORDS = {"on_site": "on site", "remote": "remote"}
PAUSED_MARK = "‖"
OUT_OF_HOURS_MARK = "☾"
WIDE_CELL = 17  # "   -76h Tue 14:30": remaining (7) + due (9)
NARROW_CELL = 8  # "‖ 47h", "✗ late"
NEXT_CELL = 12  # "Resol ‖ 16h00", "Intv late"
STATUS_CELL = 14  # "wait client ☾2"
NARROW_STATUS = 12  # "wait cl. ☾12"


DUE_WORDS_SPAN = timedelta(days=6)


def due_words(due: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A due instant in at most 9 characters in `zone`: "Tue 14:30" within six
    days of now, else "03 Dec"."""
    local = due.astimezone(zone)
    if abs(due - now) < DUE_WORDS_SPAN:
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b")


def layout_name(layout: bool | str) -> str:
    """A layout from LAYOUTS; True and False (the first releases' wide flag) mean wide and medium."""
    if isinstance(layout, str):
        assert layout in LAYOUTS, layout
        return layout
    return "wide" if layout else "medium"


def text_cell(value: Any, style: str = "") -> Text:
    """User text (a client's name, a title) as a cell: never parsed as markup, one line."""
    return Text(str(value).replace("\n", " "), style=style, no_wrap=True, overflow="ellipsis")
