"""Snapshot of the Tickets history on the sample data at the frozen instant (Monday 10:00 in Paris), at 80x24."""

from __future__ import annotations

import pytest

from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def test_tickets_history_searching_at_80x24(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        from msptui.ui.screens.tickets.history import TicketHistoryScreen

        await settle(pilot)
        pilot.app.push_screen(TicketHistoryScreen())
        await settle(pilot)
        for key in "serveur":
            await pilot.press(key)
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
