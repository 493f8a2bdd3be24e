"""Snapshots of the board with its coming-due band, on the sample data plus one item of each
kind added through the store, at the frozen instant (Monday 23 November 2026, 10:00 in Paris).
Without anything coming due the band has no height: tests/test_board_snapshots.py is unchanged."""

from __future__ import annotations

import pytest

from msptui.ui.app import MsptuiApp
from tests.coming_due_fixtures import some_items
from tests.pilot_helpers import settle


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_board_with_the_coming_due_band(snap_compare, engine, paths, clock, sample, size):
    some_items(engine, clock, sample)
    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=settle)


def test_the_band_focused_shows_its_keys_at_80x24(snap_compare, engine, paths, clock, sample):
    some_items(engine, clock, sample)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
