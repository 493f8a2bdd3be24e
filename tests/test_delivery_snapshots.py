"""Snapshots of the deliveries list and the on-site checklist at 80x24, sample data, frozen clock."""

from __future__ import annotations

from msptui.store.deliveries import deliveries_overview
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.deliveries.checklist import DeliveriesScreen, DeliveryScreen
from tests.pilot_helpers import settle


def test_checklist_at_80x24(snap_compare, paths, clock, sample, engine):
    engagement_id = next(r.engagement_id for r in deliveries_overview(engine) if r.stage == "in_progress")

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(DeliveryScreen(engagement_id))
        await settle(pilot)
        await pilot.press("n")  # the cursor on the first thing left to do
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)


def test_deliveries_list_at_80x24(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(DeliveriesScreen())
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)


def test_checklist_with_a_voided_note_and_its_replacement_at_80x24(snap_compare, paths, clock, sample, engine):
    from msptui.store import deliveries as d
    from msptui.store.schemas.deliveries import ItemCreate, NoteIssue, NoteVoid
    from tests.delivery_fixtures import make_engagement, passed_test, provide

    provide(engine)
    engagement = make_engagement(engine, sample["BOUL"], clock.now(), title="Réseau du fournil")
    delivery = d.open_delivery(engine, engagement, clock.now())
    passed_test(engine, delivery, "Ping de la passerelle")
    d.add_item(engine, delivery, ItemCreate(description="Switch 24 ports", serial="SW-0042"))
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())
    d.void_note(engine, delivery, NoteVoid(reason="Numéro de série erroné"), clock.now())
    d.issue_note(engine, delivery, NoteIssue(signatory="Sophie Martin"), clock.now())

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(DeliveryScreen(engagement))
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)


def test_provider_identity_at_80x24(snap_compare, paths, clock, sample, engine):
    from msptui.ui.screens.settings.provider import ProviderIdentityScreen
    from tests.delivery_fixtures import provide

    provide(engine)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.push_screen(ProviderIdentityScreen())
        await settle(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
