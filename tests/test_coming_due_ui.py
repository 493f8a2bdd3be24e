"""The board's coming-due band as a technician uses it: what it shows, done, snooze (with
its reason, kept), a renewal's new expiry, and an occurrence that becomes a ticket on its day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from msptui.store import db
from msptui.store.models import RecurringOccurrence, Renewal, Snooze, Ticket
from msptui.ui.app import MsptuiApp
from tests.coming_due_fixtures import add_renewal, add_task, some_items
from tests.pilot_helpers import settle

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def band_of(app):
    from msptui.ui.screens.tickets.board import BoardScreen

    assert isinstance(app.screen, BoardScreen)
    return app.screen.band


def shown(band) -> list[tuple[str, str, str]]:
    """(kind, title, countdown) of each line, top to bottom."""
    table = band.table
    return [
        tuple(table.get_cell(row.key, column).plain.strip() for column in ("kind", "title", "when"))
        for row in table.ordered_rows
    ]


async def go_to(pilot, band, title_part: str) -> None:
    """Into the band (g), the cursor on the line whose title has `title_part`."""
    await pilot.press("g")
    await settle(pilot)
    assert band.has_focus_within
    titles = [t for _k, t, _w in shown(band)]
    index = next(i for i, t in enumerate(titles) if title_part in t)
    band.table.move_cursor(row=index)
    await settle(pilot)


async def test_the_band_is_hidden_when_nothing_comes_due(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        assert not band.rows
        assert band.region.height == 0
        assert not app.screen.check_action("coming_due", ())


async def test_the_band_lists_what_comes_due_soonest_first_in_the_board_colours(engine, paths, clock, sample):
    some_items(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        lines = shown(band)
        assert [kind for kind, _t, _w in lines] == ["renewal", "BREACH", "maintenance", "renewal"]
        assert lines[0][2] == "late 10 Nov"  # due on 10 November at 09:00 (expiry minus its notice)
        assert lines[1][2].startswith("3h00")  # the breach: due at 13:00, it is 10:00
        assert lines[2][2].startswith("6h00")  # the restore test: due at 16:00
        styles = [str(band.table.get_cell(row.key, "when").style) for row in band.table.ordered_rows]
        assert styles[0] == "bold red"  # overdue
        assert styles[1] == "bold yellow" and styles[3] == "bold yellow"  # inside their lead time
        assert band.overdue == 1
        assert "1 overdue" in str(band.query_one("#due-title").render())
        assert band.region.height > 0


async def test_the_countdown_ticks_and_turns_red_once_due(engine, paths, clock, sample):
    some_items(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        clock.advance(timedelta(minutes=1))
        app.screen.tick()
        assert shown(band)[1][2].startswith("2h59")
        clock.advance(timedelta(hours=3))  # 13:01: the breach notification is late
        app.screen.tick()
        await settle(pilot)
        breach_line = next(row for row in band.table.ordered_rows if row.key.value.startswith("breach:"))
        cell = band.table.get_cell(breach_line.key, "when")
        assert cell.plain.strip().startswith("late") and str(cell.style) == "bold red"
        assert band.overdue == 2


async def test_done_on_a_renewal_asks_its_new_expiry_and_keeps_the_old_one(engine, paths, clock, sample):
    items = some_items(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        await go_to(pilot, band, "boulangerie-martin.fr")
        await pilot.press("d")
        await settle(pilot)
        assert "New expiry" in str(app.screen.query_one("#field-new_expiry").parent.query_one("Label").render())
        await pilot.press(*"2026-12-01")  # before the current expiry: refused under the field
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "after the current expiry" in str(app.screen.query_one("#error-new_expiry").render())
        app.screen.query_one("#field-new_expiry").value = "2027-12-10"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not any("boulangerie-martin.fr" in t for _k, t, _w in shown(band))
    with db.read(engine) as s:
        old = s.get(Renewal, items["overdue renewal"])
        new = s.get(Renewal, old.replaced_by_id)
        assert old.done_at == clock.now() and old.expires_on == date(2026, 12, 10)
        assert new.expires_on == date(2027, 12, 10) and new.done_at is None
        assert new.reference == "boulangerie-martin.fr"


async def test_snooze_asks_until_when_and_why_and_keeps_the_reason(engine, paths, clock, sample):
    items = some_items(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        await go_to(pilot, band, "TLS cabinet-lefevre.fr")
        await pilot.press("z")
        await settle(pilot)
        await pilot.press("ctrl+s")  # no reason: refused, nothing saved
        await settle(pilot)
        assert "say why it can wait" in str(app.screen.query_one("#error-reason").render())
        await pilot.press(*"Certificate ordered, waiting for the client's DNS")
        app.screen.query_one("#field-until").value = "2026-11-30 09:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not any("cabinet-lefevre.fr" in t for _k, t, _w in shown(band))
        assert "1 snoozed" in str(band.query_one("#due-title").render())  # out of the list, not out of mind
        clock.advance(timedelta(days=7, minutes=1))  # Monday 30th, 10:01: back
        band.each_minute()
        await settle(pilot)
        assert any("cabinet-lefevre.fr" in t for _k, t, _w in shown(band))
    with db.read(engine) as s:
        kept = s.exec(select(Snooze)).one()
        assert (kept.kind, kept.ref_id) == ("renewal", items["renewal in notice"])
        assert kept.reason == "Certificate ordered, waiting for the client's DNS"
        assert kept.until.isoformat() == "2026-11-30T08:00:00+00:00"


async def test_an_occurrence_becomes_a_ticket_on_the_board_on_its_day(engine, paths, clock, sample):
    task = add_task(engine, clock, sample["BOUL"], "Monthly restore test", date(2026, 11, 23), "10:30")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        assert [t for _k, t, _w in shown(band)] == ["Monthly restore test"]
        tickets_before = set(app.screen.rows)
        clock.advance(timedelta(minutes=31))  # 10:31: its day and time have come
        band.each_minute()
        await settle(pilot)
        for _ in range(3):  # the board reads again when the database moves (at its tick)
            app.screen.tick()
            await settle(pilot)
        new = set(app.screen.rows) - tickets_before
        assert len(new) == 1
        (ticket_id,) = new
        assert app.screen.rows[ticket_id].ticket.title == "Monthly restore test"
        assert not band.rows  # the next one (23 December) is not yet in its lead time
        band.each_minute()  # a minute later: not made twice
        await settle(pilot)
    with db.read(engine) as s:
        made = s.exec(select(RecurringOccurrence).where(RecurringOccurrence.task_id == task)).all()
        assert [(o.due_on, o.ticket_id) for o in made] == [(date(2026, 11, 23), ticket_id)]
        assert "Restore one file" in s.get(Ticket, ticket_id).description


async def test_done_on_a_recurring_task_opens_its_ticket_now(engine, paths, clock, sample):
    add_task(engine, clock, sample["BOUL"], "Monthly restore test", date(2026, 11, 23), "16:00")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        before = set(app.screen.rows)
        await go_to(pilot, band, "Monthly restore test")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        new = set(app.screen.rows) - before
        assert [app.screen.rows[t].ticket.title for t in new] == ["Monthly restore test"]
        assert not band.rows


async def test_escape_goes_back_to_the_tickets_and_their_keys(engine, paths, clock, sample):
    add_renewal(engine, clock, sample["BOUL"], date(2026, 12, 10))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.press("g")
        await settle(pilot)
        assert not board.check_action("acknowledge", ())  # about the band's item, not the ticket above
        await pilot.press("escape")
        await settle(pilot)
        assert board.table.has_focus
        assert board.check_action("coming_due", ())


def test_the_header_counts_what_is_overdue():
    from msptui.ui.screens.tickets.board_layout import header_line

    assert "2 due" in header_line({"breached": 1}, 0, 120, due=2).plain
    assert "due" not in header_line({"breached": 1}, 0, 120).plain


# --- the registers (from the client browser: m, r, d) ---------------------------------------------


async def open_register(app, pilot, screen) -> None:
    await settle(pilot)
    app.push_screen(screen)
    await settle(pilot)


async def test_a_recurring_task_form_says_what_is_wrong_next_to_the_field(engine, paths, clock, sample):
    from msptui.ui.screens.recurring.register import RecurringTasksScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(app, pilot, RecurringTasksScreen(sample["BOUL"]))
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        form.query_one("#field-title").value = "Quarterly patch review"
        form.query_one("#field-interval").value = "3"
        form.query_one("#field-day_of_month").value = "32"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "31" in str(form.query_one("#error-day_of_month").render())
        form.query_one("#field-day_of_month").value = "31"
        await pilot.press("ctrl+s")
        await settle(pilot)
        register = app.screen
        assert isinstance(register, RecurringTasksScreen)
        assert [t.title for t in register.entries] == ["Quarterly patch review"]
        assert "every 3 months on the 31st" in register.query_one("#register").get_row_at(0)[1].plain


async def test_a_breach_shows_its_live_countdown_and_exports_its_notice(engine, paths, clock, sample):
    from msptui.ui.screens.breaches.register import BreachesScreen

    items = some_items(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(app, pilot, BreachesScreen(sample["DENT"], select=items["breach"]))
        table = app.screen.query_one("#register")
        assert table.get_cell(str(items["breach"]), "countdown").plain == "notify the client within 3 h"
        await pilot.press("x")
        await settle(pilot)
        assert (paths.exports / "breaches" / "DENT-breach-1.md").exists() or any(
            (paths.exports / "breaches").glob("*.md")
        )
        await pilot.press("t")
        await settle(pilot)
        app.screen.query_one("#field-notified_how").value = "E-mail to the dentist"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.query_one("#register").get_cell(str(items["breach"]), "countdown").plain == (
            "client notified 21 h after discovery"
        )


async def test_a_renewal_recorded_in_the_register_comes_due_on_the_board(engine, paths, clock, sample):
    from msptui.ui.screens.renewals.register import RenewalsScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(app, pilot, RenewalsScreen(sample["BOUL"]))
        await pilot.press("n")
        await settle(pilot)
        app.screen.query_one("#field-provider").value = "Microsoft"
        app.screen.query_one("#field-reference").value = "M365 Business Premium x5"
        app.screen.query_one("#field-expires_on").value = "2026-12-20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.reference for r in app.screen.entries] == ["M365 Business Premium x5"]
        await pilot.press("escape")
        await settle(pilot)
        assert any("M365 Business Premium" in t for _k, t, _w in shown(band_of(app)))


async def test_a_breach_cannot_be_snoozed_past_its_notification_deadline(engine, paths, clock, sample):
    some_items(engine, clock, sample)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        band = band_of(app)
        await go_to(pilot, band, "Laptop stolen")
        await pilot.press("z")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#field-until").value == "2026-11-23 13:00"  # its deadline, not tomorrow
        form.query_one("#field-until").value = "2026-11-24 09:00"
        await pilot.press(*"Waiting for the client's DPO")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "after the client's notification deadline" in str(form.query_one("#error-until").render())
    with db.read(engine) as s:
        assert s.exec(select(Snooze)).all() == []


async def test_a_new_breach_takes_the_clients_only_contract_and_its_delay(engine, paths, clock, sample):
    from msptui.store.breaches import client_breaches
    from msptui.ui.screens.breaches.register import BreachesScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_register(app, pilot, BreachesScreen(sample["DENT"]))
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#field-contract_id").value is not None  # chosen: the client's one contract
        form.query_one("#field-description").text = "Laptop stolen from the car"
        await pilot.press("ctrl+s")
        await settle(pilot)
    [b] = client_breaches(engine, sample["DENT"])
    assert b.contract and b.notification_hours == 24  # the contract's 24 h, not GDPR's 72
