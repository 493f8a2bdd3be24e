"""The five screens a technician lives in, in French, at 80x24 and 120x40 (sample data, frozen clock).

The same keys as the English snapshots: keys are not translated, only what they are
called. What these pin: the French labels, and that the French layout holds
(nothing cut at 80x24 that the English does not cut).
"""

from __future__ import annotations

import pytest

from msptui.store.deliveries import deliveries_overview
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.deliveries.checklist import DeliveryScreen
from tests.browser_helpers import settle_browser
from tests.pilot_helpers import settle
from tests.test_engagement_screens import open_check

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch, french):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@SIZES
def test_board_in_french(snap_compare, paths, clock, sample, size):
    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=settle)


@SIZES
def test_client_browser_in_french(snap_compare, paths, clock, sample, size):
    async def run_before(pilot):
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        await pilot.press("h", "o", "t")
        await settle_browser(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=run_before)


@SIZES
def test_contract_view_in_french(snap_compare, paths, clock, sample, size):
    async def run_before(pilot):
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        await pilot.press("t", "i", "l", "l", "enter", "enter")
        await settle_browser(pilot)
        await pilot.press("enter")
        await settle_browser(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=run_before)


@SIZES
def test_competence_check_in_french(snap_compare, paths, clock, sample, size):
    async def run_before(pilot) -> None:
        await open_check(pilot.app, pilot, sample["HORI"])
        await pilot.press("y", "enter", "p", "enter")
        await pilot.pause()

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=run_before)


@SIZES
def test_delivery_checklist_in_french(snap_compare, paths, clock, sample, engine, size):
    engagement_id = next(r.engagement_id for r in deliveries_overview(engine) if r.stage == "in_progress")

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(DeliveryScreen(engagement_id))
        await settle(pilot)
        await pilot.press("n")  # the cursor on the first thing left to do
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=size, run_before=run_before)
