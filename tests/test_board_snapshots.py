"""Snapshots of the SLA board on the sample data at the frozen instant (Monday 10:00 in Paris)."""

from __future__ import annotations

import pytest

from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_board_with_the_sample_tickets(snap_compare, paths, clock, sample, size):
    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=settle)


def test_explain_a_breached_ticket(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(120, 40), run_before=run_before)


def test_resolve_asks_a_one_line_summary_at_80x24(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")  # nothing typed: refused, next to the field
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
