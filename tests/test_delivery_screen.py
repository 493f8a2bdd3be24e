"""The on-site checklist, driven from the keyboard only, as a technician closing a delivery would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.models import DeliveryTest, Engagement
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.deliveries.checklist import DeliveriesScreen, DeliveryScreen
from tests.delivery_fixtures import make_engagement, provide
from tests.pilot_helpers import settle


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def open_deliveries(pilot) -> None:
    """Through the command palette, as a user would."""
    await settle(pilot)
    await pilot.press("ctrl+p")
    await type_text(pilot, "go to deliveries")
    await pilot.press("enter")
    await settle(pilot)


def sample_delivery(engine):
    return next(r for r in d.deliveries_overview(engine) if r.stage == "in_progress")


def checklist_lines(screen: DeliveryScreen) -> list[str]:
    from textual.widgets import DataTable

    table = screen.query_one("#checklist", DataTable)
    return [" ".join(str(cell) for cell in table.get_row_at(n)).strip() for n in range(table.row_count)]


async def test_closing_the_sample_delivery_with_the_keyboard_only(paths, clock, sample, engine):
    provide(engine)
    row = sample_delivery(engine)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deliveries(pilot)
        assert isinstance(app.screen, DeliveriesScreen)
        await pilot.press("enter")  # the delivery in progress is the first line
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeliveryScreen) and screen.engagement_id == row.engagement_id
        assert str(screen.query_one("#progress-count").render()) == "4/7"

        # Not ready yet: m says what is missing and changes nothing.
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, DeliveryScreen)
        assert d.get_delivery(engine, row.delivery_id).delivery.delivered_at is None

        await pilot.press("n", "space")  # the test not run yet: passed
        await settle(pilot)
        await pilot.press("n", "n", "space")  # past the note, the last document: handed over
        await settle(pilot)
        await pilot.press("i")  # the note, last (it freezes what it lists): issue it, naming the signatory
        await settle(pilot)
        await type_text(pilot, "Claire Weber")
        await pilot.press("enter")
        await settle(pilot)
        assert str(screen.query_one("#progress-count").render()) == "7/7"

        clock.advance(timedelta(minutes=5))
        await pilot.press("m", "y")
        await settle(pilot)
        # Delivered: the footer offers only what still applies (the note's files again, and back).
        shown = {b.binding.action for b in screen.active_bindings.values() if b.binding.show and b.enabled}
        hidden = {"toggle", "add", "next_todo", "edit", "delete", "waive", "void", "mark_delivered"}
        assert "issue" in shown and not (shown & hidden)

    view = d.get_delivery(engine, row.delivery_id)
    assert view.delivery.delivered_at == clock.now()
    assert view.engagement.status == "delivered" and view.engagement.delivered_at == clock.now()
    assert view.note.number == "BL-2026-0001" and view.note.signatory == "Claire Weber"
    markdown = paths.exports / "delivery-notes" / "BL-2026-0001.md"
    assert (paths.exports / "delivery-notes" / "BL-2026-0001.pdf").is_file()
    # The sample clients have French addresses: the note is French ("à remettre": to hand over).
    text = markdown.read_text(encoding="utf-8")
    assert text.startswith("# Bon de livraison BL-2026-0001") and ") - à remettre" not in text and ") - remis" in text


async def test_adding_a_test_then_failing_and_waiving_it(paths, clock, sample, engine):
    row = sample_delivery(engine)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DeliveryScreen(row.engagement_id))
        await settle(pilot)
        await pilot.press("a")  # the cursor starts on the Tests section
        await settle(pilot)
        await type_text(pilot, "VPN depuis le domicile")
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeliveryScreen)
        assert any("VPN depuis le domicile" in line for line in checklist_lines(screen))

        # The cursor waits on the line just added.
        assert "VPN depuis le domicile" in checklist_lines(screen)[screen.query_one("#checklist").cursor_row]
        await pilot.press("space")  # passed
        await settle(pilot)
        await pilot.press("space")  # failed
        await settle(pilot)
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("ctrl+s")  # a blank reason is refused, the form stays open
        await settle(pilot)
        assert "Reason is required" in str(app.screen.query_one("#error-reason").render())
        await type_text(pilot, "Box du client hors service")
        await pilot.press("ctrl+s")  # decided by the technician alone, the form's choice for one test
        await settle(pilot)

    with db.read(engine) as s:
        vpn = s.scalars(select(DeliveryTest).where(DeliveryTest.description == "VPN depuis le domicile")).one()
    assert (vpn.result, vpn.waived_reason, vpn.waived_by) == ("failed", "Box du client hors service", "technician")


async def test_an_engagement_to_deliver_opens_a_new_checklist_and_user_text_stays_literal(paths, clock, sample, engine):
    engagement = make_engagement(engine, sample["GDUP"], clock.now(), title="Atelier [b]réseau[/b]")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DeliveryScreen(engagement))
        await settle(pilot)
        title = str(app.screen.query_one("#delivery-title").render())
        assert "Atelier [b]réseau[/b]" in title
        assert str(app.screen.query_one("#progress-count").render()) == "0/3"
    with db.read(engine) as s:
        assert s.get(Engagement, engagement).status == "accepted"
    assert any(r.engagement_id == engagement and r.stage == "in_progress" for r in d.deliveries_overview(engine))


async def test_a_handover_pack_from_the_deliveries_list(paths, clock, sample, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deliveries(pilot)
        screen = app.screen
        former = next(n for n, r in enumerate(screen.rows) if r.stage == "former")
        screen.query_one("#deliveries").move_cursor(row=former)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Handover pack written" in str(screen.query_one("#deliveries-help").render())
    packs = sorted(p.name for p in (paths.exports / "handover").iterdir())
    assert packs == ["CREC-20261123-100000", "CREC-20261123-100000.zip"]
