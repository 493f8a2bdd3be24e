"""Snapshots of the deliveries list and the on-site checklist at 80x24, sample data, frozen clock."""

from __future__ import annotations

from msptui.app import MsptuiApp
from msptui.screens.delivery import DeliveriesScreen, DeliveryScreen
from msptui.store.deliveries import deliveries_overview


async def _settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_checklist_at_80x24(snap_compare, paths, clock, sample, engine):
    engagement_id = next(r.engagement_id for r in deliveries_overview(engine) if r.stage == "in_progress")

    async def run_before(pilot):
        await _settle(pilot)
        pilot.app.push_screen(DeliveryScreen(engagement_id))
        await _settle(pilot)
        await pilot.press("n")  # the cursor on the first thing left to do
        await _settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)


def test_deliveries_list_at_80x24(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        await _settle(pilot)
        pilot.app.push_screen(DeliveriesScreen())
        await _settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
