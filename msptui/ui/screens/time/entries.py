"""A ticket's time entries as the explain view lists them: when, how long, what kind, what was done.

Formatting only (the rows come from `msptui.store.time_entries.entries_for_ticket`,
read in the caller's worker): no store import here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from msptui.core.formats import month_abbr, weekday_abbr
from msptui.core.i18n import _
from msptui.core.rules.time_entries import TimeCategory, format_duration

__all__ = ["day_and_time", "time_lines"]


def day_and_time(local: datetime) -> str:
    """ "Mon 23 Nov 14:05" / "lun. 23 nov. 14:05": an instant already in the reader's zone."""
    return f"{weekday_abbr(local)} {local:%d} {month_abbr(local)} {local:%H:%M}"


def time_lines(rows: Sequence[Any], zone: ZoneInfo) -> list[tuple[str, str]]:
    """(style, line) pairs: a title with the total, then one line per entry, oldest first;
    nothing at all when no time was recorded. The running timer shows as "running"."""
    if not rows:
        return []
    total = sum((r.duration for r in rows if r.duration is not None), timedelta(0))
    from msptui.ui.screens.time.timer_keys import TIMER_KEY

    words = _("Time spent: {duration} (on the board, T records more, {key} times it)").format(
        duration=format_duration(total), key=TIMER_KEY
    )
    out = [("", ""), ("bold", words)]
    for r in rows:
        start = r.started_at.astimezone(zone)
        began = day_and_time(start)
        if r.ended_at is None:
            when, length = f"{began}–…", _("running")
        else:
            when, length = f"{began}–{r.ended_at.astimezone(zone):%H:%M}", format_duration(r.duration)
        kind = TimeCategory(r.category).label.lower() if r.category in TimeCategory.__members__ else r.category
        marks = [kind]
        if r.out_of_scope:
            marks.append(_("out of scope"))
        if r.period_number:
            marks.append(_("billed on {number}").format(number=r.period_number))
        if r.corrects is not None:
            marks.append(_("corrects entry {number}").format(number=r.corrects.entry_id))
        if getattr(r, "technician", ""):  # issue 20: who recorded it
            marks.append(_("by {name}").format(name=r.technician))
        line = f"{when}  {length:>8}  {', '.join(marks)}"
        out.append(("", f"{line}  {r.description}" if r.description else line))
    return out
