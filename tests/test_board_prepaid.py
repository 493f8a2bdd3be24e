"""The board's detail line carries the selected ticket's prepaid hours, and says each
threshold (75, 90, 100 %) once, when time logged elsewhere crosses it (issue 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from msptui.store.billing import add_prepaid_block
from msptui.store.schemas.billing import PrepaidBlockCreate
from msptui.store.schemas.time import TimeEntryCreate
from msptui.store.time_entries import add_entry
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_board import board_of
from tests.test_tickets import make_contract, open_on

SIZE = (140, 40)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def _alerts(app) -> list[str]:
    return [n.message for n in app._notifications if n.title == "Prepaid hours"]


def _detail(app) -> str:
    return str(app.screen.query_one("#board-detail").render())


async def test_prepaid_hours_on_the_detail_line_and_each_alert_once(paths, clock, engine):
    contract = make_contract(engine, code="ACME")
    tid = open_on(engine, contract, clock.now() - timedelta(days=4), priority="P3", title="Printer jammed")
    day = clock.now().date() - timedelta(days=10)  # bought before the work
    add_prepaid_block(engine, PrepaidBlockCreate(contract_id=contract[1], hours="2", purchased_on=day), clock.now())
    start = clock.now() - timedelta(days=3)  # Friday 10:00, in business hours: included, from the block
    add_entry(
        engine, TimeEntryCreate(ticket_id=tid, started_at=start, ended_at=start + timedelta(minutes=30)), clock.now()
    )
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        assert "Prepaid: 1 h 30 left of 2 h" in _detail(app)
        assert _alerts(app) == []  # 25 % used: nothing to say

        # Time logged in another window: 1 h 45 of 2 h used (87 %).
        board.tick()
        add_entry(
            engine,
            TimeEntryCreate(
                ticket_id=tid, started_at=start + timedelta(hours=1), ended_at=start + timedelta(minutes=135)
            ),
            clock.now(),
        )
        board.tick()  # the database moved: the balance is read again
        await settle(pilot)
        assert "15 min left of 2 h" in _detail(app)
        assert len(_alerts(app)) == 1 and "75 % used" in _alerts(app)[0]

        board.tick()
        board.prepaid.clear()  # read again, nothing new crossed
        board._update_detail()
        await settle(pilot)
        assert len(_alerts(app)) == 1  # said once
