"""Snapshot of the statement preview at 80x24: sample data, a frozen clock, October's work at the bakery."""

from __future__ import annotations

import pytest

from msptui.ui.app import MsptuiApp
from msptui.ui.screens.billing.statement import StatementScreen
from tests.billing_fixtures import MONTH, october_work, prepaid, set_rate
from tests.delivery_fixtures import provide
from tests.pilot_helpers import settle


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def test_statement_preview_at_80x24(snap_compare, paths, clock, sample, engine):
    provide(engine)
    ids = october_work(engine, sample, clock)
    set_rate(engine, ids["contract"], "80.00")
    prepaid(engine, ids["contract"], "2", clock)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.clear_notifications()  # the board's prepaid alert (tested in test_board_prepaid)
        pilot.app.push_screen(StatementScreen(ids["client"], MONTH))
        await settle(pilot, until=lambda: getattr(pilot.app.screen, "statement", None) is not None)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
