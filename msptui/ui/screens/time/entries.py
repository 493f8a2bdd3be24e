"""A ticket's time entries as the explain view lists them: when, how long, what kind, what was done.

Formatting only (the rows come from `msptui.store.time_entries.entries_for_ticket`,
read in the caller's worker): no store import here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from msptui.core.rules.time_entries import TimeCategory, format_duration

__all__ = ["time_lines"]


def time_lines(rows: Sequence[Any], zone: ZoneInfo) -> list[tuple[str, str]]:
    """(style, line) pairs: a title with the total, then one line per entry, oldest first;
    nothing at all when no time was recorded. The running timer shows as "running"."""
    if not rows:
        return []
    total = sum((r.duration for r in rows if r.duration is not None), timedelta(0))
    from msptui.ui.screens.time.timer_keys import TIMER_KEY

    words = f"Time spent: {format_duration(total)} (on the board, T records more, {TIMER_KEY} times it)"
    out = [("", ""), ("bold", words)]
    for r in rows:
        start = r.started_at.astimezone(zone)
        if r.ended_at is None:
            when, length = f"{start:%a %d %b %H:%M}–…", "running"
        else:
            when, length = f"{start:%a %d %b %H:%M}–{r.ended_at.astimezone(zone):%H:%M}", format_duration(r.duration)
        kind = TimeCategory(r.category).label.lower() if r.category in TimeCategory.__members__ else r.category
        marks = [kind]
        if r.out_of_scope:
            marks.append("out of scope")
        if r.period_number:
            marks.append(f"billed on {r.period_number}")
        if r.corrects is not None:
            marks.append(f"corrects entry {r.corrects.entry_id}")
        line = f"{when}  {length:>8}  {', '.join(marks)}"
        out.append(("", f"{line}  {r.description}" if r.description else line))
    return out
