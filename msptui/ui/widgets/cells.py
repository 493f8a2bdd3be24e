"""What a board cell says: the words, marks, widths and colours shared by the
countdown (which builds the cells) and the board's layout (which sizes the columns)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text

from msptui.core.formats import month_abbr, weekday_abbr
from msptui.core.i18n import N_, _, current_language

CLOCKS = ("response", "intervention", "resolution")
ROW_COLUMNS = ("id", "priority", "client", "title", "status", *CLOCKS)
# Below a width the three clock columns become one: the most urgent clock of the row
# (the selected row's detail line shows all three).
NARROW_COLUMNS = ("id", "priority", "client", "title", "status", "next")
# wide: remaining and due time per clock; medium: remaining per clock; narrow: NARROW_COLUMNS.
LAYOUTS = ("wide", "medium", "narrow")
# Words of the cells, marked for the catalogue and translated where a cell is built (`_(...)`).
CLOCK_ABBREVIATIONS = {"response": N_("Resp"), "intervention": N_("Intv"), "resolution": N_("Resol")}
STYLES = {
    "running": "green",
    "warning": "bold yellow",
    "paused": "cyan",
    "met": "dim green",
    "breached": "bold red",
}
STATUS_WORDS = {
    "new": N_("new"),
    "acknowledged": N_("ack'd"),
    "in_progress": N_("working"),
    "waiting_client": N_("wait client"),
    "waiting_third_party": N_("wait 3rd"),
    "resolved": N_("resolved"),
    "closed": N_("closed"),
}
# At narrow widths "wait client" would push the out-of-hours count out of its cell.
NARROW_STATUS_WORDS = {**STATUS_WORDS, "waiting_client": N_("wait cl.")}
CHANNEL_WORDS = {"on_site": N_("on site"), "remote": N_("remote")}
PAUSED_MARK = "‖"
OUT_OF_HOURS_MARK = "☾"
WIDE_CELL = 17  # "   -76h Tue 14:30": remaining (7) + due (9), in English (see wide_cell_widths)
NARROW_CELL = 8  # "‖ 47h", "✗ late"
NEXT_CELL = 12  # "Resol ‖ 16h00", "Intv late"
STATUS_CELL = 14  # "wait client ☾2"
NARROW_STATUS = 12  # "wait cl. ☾12"


DUE_WORDS_SPAN = timedelta(days=6)


def due_words(due: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A due instant in `zone`, short: "Tue 14:30" within six days of now, else "03 Dec"
    (at most 9 characters in English, 10 in French: "lun. 14:30"). The names come from
    the catalogue, not Babel: the board's first frame draws these."""
    local = due.astimezone(zone)
    if abs(due - now) < DUE_WORDS_SPAN:
        return day_time_words(local)
    return f"{local:%d} {month_abbr(local)}"


_widths: dict[str, tuple[int, int]] = {}


def wide_cell_widths() -> tuple[int, int]:
    """(remaining, due) columns of a wide clock cell in the interface's language: (7, 9) in
    English; French words are longer ("✗ retard", "lun. 14:30"), and get the room they need
    rather than being cut."""
    language = current_language()
    found = _widths.get(language)
    if found is None:
        left = max(7, *(len(_(w)) for w in (N_("late"), N_("✗ late"), N_("✓ met"), N_("no SLA"))))
        monday = date(2024, 1, 1)
        longest_day = max(len(weekday_abbr(monday + timedelta(days=n))) for n in range(7))
        longest_month = max(len(month_abbr(date(2024, month, 1))) for month in range(1, 13))
        due = max(9, longest_day + 6, 3 + longest_month, len(_("paused")))
        found = _widths[language] = (left, due)
    return found


def day_time_words(local: datetime, *, date_too: bool = False, seconds: bool = False) -> str:
    """A local instant in short words, names from the catalogue (no Babel): "Tue 14:30";
    with `date_too` "Tue 03 Dec 14:30"; with `seconds` "14:30:05" at the end."""
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    if date_too:
        return f"{weekday_abbr(local)} {local:%d} {month_abbr(local)} {clock}"
    return f"{weekday_abbr(local)} {clock}"


def wide_cell() -> int:
    """The wide clock column's width: WIDE_CELL in English."""
    left, due = wide_cell_widths()
    return left + 1 + due


def layout_name(layout: bool | str) -> str:
    """A layout from LAYOUTS; True and False (the first releases' wide flag) mean wide and medium."""
    if isinstance(layout, str):
        assert layout in LAYOUTS, layout
        return layout
    return "wide" if layout else "medium"


def text_cell(value: Any, style: str = "") -> Text:
    """User text (a client's name, a title) as a cell: never parsed as markup, one line."""
    return Text(str(value).replace("\n", " "), style=style, no_wrap=True, overflow="ellipsis")
