"""The board's head start: read from the SQLite file before the store is open,
and public holidays from the file kept between runs, with the same results."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from msptui.core.sla import BusinessCalendar
from msptui.store import calendars
from msptui.store.reads.board import load_board, read_board_file


def test_the_file_read_gives_the_same_board_as_the_store(paths, engine, sample):
    from_store = load_board(engine)
    from_file = read_board_file(paths.database)
    assert from_file.tickets and from_file.tickets == from_store.tickets
    assert from_file.version == from_store.version
    assert from_file.undisclosed_conflicts == from_store.undisclosed_conflicts
    assert from_file.policies.keys() == from_store.policies.keys()
    only = from_store.tickets[0].id
    assert [t.id for t in read_board_file(paths.database).tickets if t.id == only] == [
        t.id for t in load_board(engine, [only]).tickets
    ]
    assert load_board(engine, []).tickets == []


@pytest.mark.slow
def test_the_head_start_imports_neither_sqlalchemy_nor_the_models(paths, engine, sample):
    code = (
        "import sys; from pathlib import Path; from datetime import datetime, timezone; from zoneinfo import ZoneInfo\n"
        "from msptui.ui.screens.tickets.board import early_snapshot\n"
        f"data, rows = early_snapshot(Path({str(paths.database)!r}), datetime(2026, 11, 23, 9, tzinfo=timezone.utc),"
        " ZoneInfo('Europe/Paris'), True)\n"
        "assert rows, 'no rows'\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel') or m == 'msptui.store.models'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _contract(whit: bool, extra: list[str]) -> SimpleNamespace:
    return SimpleNamespace(
        timezone="Europe/Paris",
        business_hours={
            "0": [["09:00", "18:00"]],
            "1": [["09:00", "18:00"]],
            "2": [["09:00", "18:00"]],
            "3": [["09:00", "18:00"]],
            "4": [["09:00", "18:00"]],
        },
        holiday_country="FR",
        holiday_subdivision="57",
        whit_monday_worked=whit,
        extra_closed_dates=extra,
        pause_on_third_party=False,
    )


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC)


def test_holidays_from_the_file_close_the_same_days_and_other_years_still_come_from_holidays(tmp_path, monkeypatch):
    monkeypatch.setattr(calendars, "_cache", {})
    monkeypatch.setattr(calendars, "_holidays", {})
    monkeypatch.setattr(calendars, "_country_calendars", [])
    file = tmp_path / "cache" / "holidays.json"
    calendars.use_holiday_file(file)
    first = calendars.business_calendar(_contract(False, ["2026-07-15"]))
    assert not first.is_open(_noon(date(2026, 12, 25)))
    calendars.save_holiday_file()
    saved = json.loads(file.read_text())
    assert (
        "FR|57|0|2026" in saved and "2026-07-15" not in saved["FR|57|0|2026"]
    )  # the contract's own date is not shared

    # A fresh process: the calendars come from the file (this contract has its own closed date too).
    monkeypatch.setattr(calendars, "_cache", {})
    monkeypatch.setattr(calendars, "_holidays", {})
    monkeypatch.setattr(calendars, "_country_calendars", [])
    calendars.use_holiday_file(file)
    cached = calendars.business_calendar(_contract(False, ["2026-07-15", "2031-07-15"]))
    truth = BusinessCalendar.for_country(
        "FR",
        "57",
        hours={d: [("09:00", "18:00")] for d in range(5)},
        tz="Europe/Paris",
        extra_closed=[date(2026, 7, 15), date(2031, 7, 15)],
    )
    # Years in the file, and years not in it (asked of `holidays` lazily), close the same days.
    for year in (2026, 2031, 2019):
        day = date(year, 1, 1)
        while day.year == year:
            assert cached.is_open(_noon(day)) == truth.is_open(_noon(day)), day
            day = date.fromordinal(day.toordinal() + 1)
    assert not cached.is_open(_noon(date(2031, 12, 26)))  # Saint Stephen's Day in Moselle, not in the file
    calendars.save_holiday_file()
    assert "FR|57|0|2031" in json.loads(file.read_text())
