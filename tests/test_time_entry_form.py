"""Time spent typed afterwards (issue 16, item 1): `T` on the board opens the form for the
selected ticket; bad input gets a sentence under its field and nothing is saved; the
contract's exclusions are shown beside the out-of-scope box. At 80x24."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from msptui.store import time_entries as TE
from msptui.store.clients import create_client
from msptui.store.contracts import create_contract
from msptui.store.schemas import ClientCreate, ContractCreate, SlaTargetInput
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.time.entry_form import local_instant, parse_clock, parse_day
from msptui.ui.widgets.form import FormScreen
from tests.pilot_helpers import settle
from tests.test_tickets import HOURS, MONDAY_10, open_on

NARROW = (80, 24)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def ticket(engine, clock):
    client_id = create_client(engine, ClientCreate(name="Client ACME", code="ACME"), MONDAY_10)
    contract_id = create_contract(
        engine,
        ContractCreate(
            reference="C-ACME",
            client_id=client_id,
            title="Support",
            start_date=date(2026, 1, 1),
            business_hours=HOURS,
            timezone="Europe/Paris",
            holiday_country="FR",
            exclusions="Printers not bought from us",
        ),
        MONDAY_10,
        targets=[
            SlaTargetInput(priority="P3", response_minutes=240, intervention_minutes=960, resolution_minutes=2880)
        ],
    )
    return open_on(engine, (client_id, contract_id), clock.now() - timedelta(hours=1), title="Printer jammed")


def shown(widget) -> str:
    return str(widget.render()) if widget.display else ""


async def open_form(app, pilot) -> FormScreen:
    await settle(pilot)
    await pilot.press("T")
    await settle(pilot)
    assert isinstance(app.screen, FormScreen)
    return app.screen


async def fill(pilot, form, **values) -> None:
    for name, text in values.items():
        form.query_one(f"#field-{name}").value = text
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_bad_input_is_explained_under_each_field_and_nothing_is_saved(paths, clock, engine, ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        form = await open_form(app, pilot)
        await fill(pilot, form, date="31/02/2026", started_at="25:00", duration="an hour")
        assert app.screen is form
        assert shown(form.query_one("#error-date")) == (
            "“31/02/2026” is not a day of the calendar. Type the date as 2026-11-23 (or 23/11/2026)."
        )
        assert shown(form.query_one("#error-started_at")) == (
            "“25:00” is not a time of day: type the start time as 14:30 (or 14h30)."
        )
        assert (
            shown(form.query_one("#error-duration"))
            == "“an hour” is not a duration. Type a duration such as 1h30 or 45m."
        )
        assert TE.entries_for_ticket(engine, ticket) == []


async def test_a_length_is_asked_and_only_one_of_duration_or_end(paths, clock, engine, ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        form = await open_form(app, pilot)
        await fill(pilot, form, started_at="08:00")
        assert shown(form.query_one("#error-duration")) == "Type a duration such as 1h30 or 45m, or an end time below."
        await fill(pilot, form, started_at="08:00", duration="45m", ended_at="09:00")
        assert shown(form.query_one("#error-duration")) == "Give either an end time or a duration, not both."
        await fill(pilot, form, started_at="08:00", duration="", ended_at="07:30")
        assert shown(form.query_one("#error-ended_at")) == "The end must be after the start."
        await fill(pilot, form, started_at="09:30", ended_at="11:00")  # it is 10:00 in Paris
        assert shown(form.query_one("#error-ended_at")) == "The end is in the future: record time once it is spent."
        assert app.screen is form
        assert TE.entries_for_ticket(engine, ticket) == []


async def test_a_typed_duration_is_recorded_from_the_start_in_the_technicians_zone(paths, clock, engine, ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        form = await open_form(app, pilot)
        assert form.query_one("#field-date").value == "2026-11-23"  # today, in Paris
        form.query_one("#field-out_of_scope").value = True
        form.query_one("#field-category").value = "on_site"
        await fill(pilot, form, started_at="8h15", duration="1h30", description="Cleared the paper path")
        assert app.screen is not form
        [row] = TE.entries_for_ticket(engine, ticket)
        assert row.started_at == datetime(2026, 11, 23, 7, 15, tzinfo=UTC)  # 08:15 in Paris
        assert row.duration == timedelta(hours=1, minutes=30)
        assert (row.description, row.category, row.out_of_scope) == ("Cleared the paper path", "on_site", True)
        assert [n.message for n in app._notifications][-1] == f"Time recorded on #{ticket}."

        await pilot.press("e")  # the explain view lists the ticket's time
        await settle(pilot)
        text = str(app.screen.query_one("#explain-body").render())
        assert "Time spent: 1 h 30" in text
        assert "Mon 23 Nov 08:15–09:45    1 h 30  on site, out of scope  Cleared the paper path" in text


async def test_the_contracts_exclusions_are_shown_to_decide_out_of_scope(paths, clock, engine, ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        form = await open_form(app, pilot)
        intro = shown(form.query_one("#form-intro"))
        assert "Excluded from the contract: Printers not bought from us" in intro
        assert "out of scope: tick the box, it is billed" in intro


def test_dates_and_times_read_as_typed():
    today = date(2026, 11, 23)
    assert parse_day("", today) == today
    assert parse_day("2026-03-29", today) == date(2026, 3, 29)
    assert parse_day("29/03/2026", today) == parse_day("29/03", today.replace(month=3)) == date(2026, 3, 29)
    assert [parse_clock(t, "start time").strftime("%H:%M") for t in ("14:30", "14h30", "14h", "9:05", "9")] == [
        "14:30",
        "14:30",
        "14:00",
        "09:05",
        "09:00",
    ]
    for bad in ("", "2pm", "24:00", "12:60", "12:5"):
        with pytest.raises(ValueError, match="start time"):
            parse_clock(bad, "start time")
    # 02:30 does not exist in Paris on 29 March 2026: the wall clock read 03:30 (an hour later).
    assert local_instant(date(2026, 3, 29), parse_clock("02:30", "start"), PARIS).astimezone(UTC) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
