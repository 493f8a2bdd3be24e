"""Cancelling an engagement offers its client's handover pack at once (the charter's duty on cancellation)."""

from __future__ import annotations

import json

from msptui.store import engagements
from msptui.ui.app import MsptuiApp
from msptui.ui.widgets.confirm import ConfirmScreen
from tests.pilot_helpers import settle

TITLE = "Sauvegarde Veeam vers OVHcloud"  # the notary's backup project, in progress in the sample


def backup_project(engine):
    return next(r.engagement for r in engagements.list_engagements(engine) if r.engagement.title == TITLE)


async def cancel_from_the_list(app, pilot, client_id) -> None:
    """The client's engagements, t on the backup project, Cancelled, saved."""
    from msptui.ui.screens.engagements.overview import EngagementsScreen

    await settle(pilot)
    app.push_screen(EngagementsScreen(client_id=client_id))
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    app.screen.query_one("#field-status").value = "cancelled"
    await pilot.press("ctrl+s")
    await settle(pilot)


def packs(paths) -> list[str]:
    folder = paths.exports / "handover"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


async def test_cancelling_offers_the_handover_pack_of_that_engagement_at_once(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await cancel_from_the_list(app, pilot, sample["NOTW"])
        assert isinstance(app.screen, ConfirmScreen)
        question = " ".join(app.screen.question.split())
        assert question.startswith(
            f"The engagement is cancelled. Write a handover pack for the cancelled engagement '{TITLE}'"
            " of Étude Notariale Weber?"
        )
        await pilot.press("y")
        await settle(pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"
    assert backup_project(engine).status == "cancelled"
    assert packs(paths) == ["NOTW-20261123-100000", "NOTW-20261123-100000.zip"]
    data = json.loads((paths.exports / "handover" / "NOTW-20261123-100000" / "handover.json").read_text("utf-8"))
    assert data["engagement_id"] == backup_project(engine).id


async def test_declining_the_offer_writes_nothing_and_the_cancellation_stands(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await cancel_from_the_list(app, pilot, sample["NOTW"])
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"
    assert backup_project(engine).status == "cancelled"
    assert packs(paths) == []


async def test_cancelling_from_an_engagements_detail_offers_it_too(paths, clock, engine, sample):
    from msptui.ui.screens.engagements.overview import EngagementDetailScreen

    proposed = next(r.engagement for r in engagements.list_engagements(engine) if r.client_code == "HORI")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(EngagementDetailScreen(proposed.id))
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("ctrl+s")  # a proposal can only be cancelled: the one choice offered
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert f"the cancelled engagement '{proposed.title}'" in app.screen.question
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, EngagementDetailScreen)
    assert [p for p in packs(paths) if p.endswith(".zip")] == ["HORI-20261123-100000.zip"]


async def test_back_in_the_deliveries_list_the_cancelled_engagement_is_there_under_the_cursor(
    paths, clock, engine, sample
):
    from tests.test_delivery_screen import open_deliveries

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deliveries(pilot)
        deliveries = app.screen
        assert deliveries.rows[0].engagement_title == TITLE  # in progress, first line, under the cursor
        await cancel_from_the_list(app, pilot, sample["NOTW"])
        await pilot.press("n")
        await settle(pilot)
        app.action_section("Deliveries")  # the open list again, as "Go to deliveries" does
        await settle(pilot)
        assert app.screen is deliveries
        row = deliveries.rows[deliveries.query_one("#deliveries").cursor_row]
        assert (row.engagement_title, row.stage) == (TITLE, "cancelled")
