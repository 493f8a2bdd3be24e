"""The sample data keeps the delivery rules: a delivered engagement was delivered from its checklist."""

from __future__ import annotations

from sqlalchemy import select

from msptui.store import db
from msptui.store import deliveries as d
from msptui.store.delivery_notes import note_in_force
from msptui.store.files.delivery_note import export_note
from msptui.store.models import Delivery, Engagement
from tests.delivery_fixtures import fill_checklist, make_engagement, provide


def delivered_sample(engine) -> list[tuple[Engagement, int | None]]:
    with db.read(engine) as s:
        engagements = s.scalars(select(Engagement).where(Engagement.status == "delivered")).all()
        return [(e, s.scalars(select(Delivery.id).where(Delivery.engagement_id == e.id)).first()) for e in engagements]


def test_every_delivered_sample_engagement_has_a_complete_checklist_and_an_issued_note(engine, sample, clock):
    delivered = delivered_sample(engine)
    assert delivered, "the sample shows a delivered engagement"
    for engagement, delivery_id in delivered:
        assert delivery_id is not None, f"{engagement.title} is delivered without a checklist"
        view = d.get_delivery(engine, delivery_id)
        assert view.delivered and view.delivery.delivered_at == engagement.delivered_at
        assert view.readiness.ready and view.readiness.blockers == []
        assert [p.value for p in (view.readiness.tests, view.readiness.note, view.readiness.documents)] == [
            "complete",
            "complete",
            "complete",
        ]
        assert all(t.result == "passed" and not t.waived_reason for t in view.tests)
        assert all(doc.confirmed_at is not None for doc in view.documents)
        # Issued before the engagement was marked delivered, with its content frozen at issue.
        assert view.note is not None and view.note.issued_at < engagement.delivered_at
        record = note_in_force(engine, delivery_id)
        assert record.content["project"] == engagement.title
        assert record.content["signatory"] == view.note.signatory
        assert record.content["provider"], "every document a client receives names its provider"
        assert [t["result"] for t in record.content["tests"]] == ["Passed"] * len(view.tests)


def test_the_deliveries_list_shows_the_sample_note_number_not_a_missing_checklist(engine, sample):
    rows = [r for r in d.deliveries_overview(engine) if r.stage == "delivered"]
    assert [r.note_number for r in rows] == ["BL-2025-0001"]
    assert rows[0].client_name == "Cabinet Dentaire Lefèvre"


def test_the_sample_note_prints_and_the_users_first_note_still_takes_number_one_of_the_year(
    engine, sample, clock, paths
):
    [(_engagement, sample_delivery)] = delivered_sample(engine)
    text = export_note(engine, paths.exports, sample_delivery).markdown.read_text(encoding="utf-8")
    assert text.startswith("# Delivery note BL-2025-0001\n")
    assert "Dr Paul Lefèvre" in text

    provide(engine)
    mine = d.open_delivery(engine, make_engagement(engine, sample["BOUL"], clock.now()), clock.now())
    fill_checklist(engine, mine, clock.now())
    assert d.get_delivery(engine, mine).note.number == "BL-2026-0001"


async def test_the_delivered_sample_engagement_opens_on_its_closed_checklist(paths, clock, sample, engine):
    from msptui.ui.app import MsptuiApp
    from msptui.ui.screens.deliveries.checklist import DeliveryScreen
    from tests.pilot_helpers import settle
    from tests.test_delivery_screen import checklist_lines, open_deliveries

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_deliveries(pilot)
        deliveries = app.screen
        delivered = next(n for n, r in enumerate(deliveries.rows) if r.stage == "delivered")
        table = deliveries.query_one("#deliveries")
        table.move_cursor(row=delivered)
        await pilot.pause()
        assert [str(c) for c in table.get_row_at(delivered)] == [
            "Delivered",
            "Cabinet Dentaire Lefèvre",
            "Migration de la messagerie vers Microsoft 365",
            "BL-2025-0001",
        ]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeliveryScreen)
        assert "— delivered Sat 8 Nov 2025, 10:00" in str(screen.query_one("#delivery-title").render())
        assert str(screen.query_one("#progress-count").render()) == "7/7"  # four tests, the note, two documents
        assert str(screen.query_one("#progress-state").render()) == "delivered"
        assert any("BL-2025-0001 issued" in line and "(frozen)" in line for line in checklist_lines(screen))
