"""The cursor stays on what the technician was working on: the same engagement back from a checklist
(wherever the list now puts it), and the line just added in a checklist."""

from __future__ import annotations

from msptui.store import deliveries as d
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.deliveries.checklist import DeliveriesScreen, DeliveryScreen
from tests.delivery_fixtures import make_engagement, provide
from tests.pilot_helpers import settle
from tests.test_delivery_screen import checklist_lines, open_deliveries, sample_delivery, type_text


def under_cursor(screen: DeliveriesScreen):
    return screen.rows[screen.query_one("#deliveries").cursor_row]


async def test_back_from_delivering_the_cursor_follows_the_engagement_to_its_new_place(paths, clock, sample, engine):
    provide(engine)
    row = sample_delivery(engine)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deliveries(pilot)
        deliveries = app.screen
        assert under_cursor(deliveries).engagement_id == row.engagement_id  # first line: in progress
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n", "space", "n", "n", "space", "i")  # the last test, the last document, the note
        await settle(pilot)
        await type_text(pilot, "Claire Weber")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m", "y")
        await settle(pilot)
        await pilot.press("escape")  # the client's score (issue 17): later
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        assert app.screen is deliveries
        now = under_cursor(deliveries)
        # Delivered, it moved below the engagements still to deliver: the cursor went with it.
        assert (now.engagement_id, now.stage) == (row.engagement_id, "delivered")
        assert deliveries.query_one("#deliveries").cursor_row > 0


async def test_back_from_a_checklist_the_cursor_stays_on_it_when_lines_were_added_above(paths, clock, sample, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deliveries(pilot)
        deliveries = app.screen
        delivered = next(n for n, r in enumerate(deliveries.rows) if r.stage == "delivered")
        deliveries.query_one("#deliveries").move_cursor(row=delivered)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeliveryScreen)
        opened = app.screen.engagement_id
        # Meanwhile (a second terminal) two engagements are accepted: they list above the delivered one.
        make_engagement(engine, sample["GDUP"], clock.now(), title="Baie de brassage")
        make_engagement(engine, sample["BOUL"], clock.now(), title="Caisse du second magasin")
        await pilot.press("escape")
        await settle(pilot)

        assert app.screen is deliveries
        assert under_cursor(deliveries).engagement_id == opened
        assert deliveries.query_one("#deliveries").cursor_row == delivered + 2


async def test_an_item_and_a_document_just_added_get_the_cursor(paths, clock, sample, engine):
    row = sample_delivery(engine)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(DeliveryScreen(row.engagement_id))
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#checklist")
        for section, text in (("part:note", "Onduleur APC 1500 VA"), ("part:documents", "Schéma du réseau")):
            table.move_cursor(row=screen.keys.index(section))
            await pilot.pause()
            await pilot.press("a")
            await settle(pilot)
            await type_text(pilot, text)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen
            assert text in checklist_lines(screen)[table.cursor_row]
    view = d.get_delivery(engine, row.delivery_id)
    assert "Onduleur APC 1500 VA" in [i.description for i in view.items]
    assert "Schéma du réseau" in [doc.title for doc in view.documents]
