"""Resolving asks a one-line summary, kept in the log; closing asks nothing and is
undone by reopening (issue 14, item 25). At 80x24, as on a laptop at night."""

from __future__ import annotations

import pytest

from msptui.store import tickets as T
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on

NARROW = (80, 24)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def one_ticket(engine, clock):
    return open_on(engine, make_contract(engine, code="ACME"), clock.now(), priority="P2", title="Mail server down")


def shown(widget) -> str:
    return str(widget.render())


async def test_resolving_asks_a_summary_and_the_log_keeps_it(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        assert "Resolve ticket #" in shown(form.query_one("#form-title"))
        await pilot.press(*"Restarted the mail service", "enter")
        await settle(pilot)
        assert app.screen is board
        assert board.table.get_cell(str(one_ticket), "status").plain == "resolved"
        resolved = [e for e in T.ticket_events(engine, one_ticket) if e.status == "resolved"]
        assert [e.note for e in resolved] == ["Restarted the mail service"]

        await pilot.press("e")  # the explain view says how it was resolved
        await settle(pilot)
        text = shown(app.screen.query_one("#explain-body"))
        assert "Resolution: Restarted the mail service" in text
        assert "resolved — resolution: Restarted the mail service" in text


async def test_an_empty_summary_is_refused_next_to_the_field(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        await pilot.press("space", "enter")  # a blank is no summary
        await settle(pilot)
        assert app.screen is form
        message = form.query_one("#error-summary")
        assert message.display and shown(message) == "Resolution is required: write what fixed it"
        assert message.region.bottom <= NARROW[1]  # visible without scrolling
        assert T.get_ticket(engine, one_ticket).status == "new"
        await pilot.press("escape")
        await settle(pilot)
        assert T.get_ticket(engine, one_ticket).status == "new"


def test_a_summary_is_one_line_of_at_most_200_characters():
    from pydantic import ValidationError

    assert T.ResolutionCreate(summary="  Replaced the switch  ").summary == "Replaced the switch"
    for bad in ("", "   ", "x" * 201, "two\nlines"):
        with pytest.raises(ValidationError):
            T.ResolutionCreate(summary=bad)


async def test_closing_asks_only_the_clients_score_and_O_reopens_the_closed_ticket(paths, clock, engine, one_ticket):
    T.resolve(engine, one_ticket, clock.now(), note="Restarted")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")  # the satisfaction form (issue 17): later
        await settle(pilot)
        assert app.screen is board
        assert T.get_ticket(engine, one_ticket).status == "closed"
        assert not board.rows  # off the board
        toasts = [n.message for n in app._notifications]
        assert any(m.startswith(f"#{one_ticket} closed — O reopens it") for m in toasts)

        await pilot.press("O")
        await settle(pilot)
        picker = app.screen
        assert picker is not board
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is board
        assert T.get_ticket(engine, one_ticket).status == "acknowledged"
        assert board.selected().ticket.id == one_ticket
        assert board.table.get_cell(str(one_ticket), "next").plain.startswith("Resol ")  # its clock resumed

        await pilot.press("e")  # the log says it was reopened, not merely "acknowledged"
        await settle(pilot)
        text = shown(app.screen.query_one("#explain-body"))
        assert "closed" in text and "reopened, back to acknowledged" in text


async def test_reopen_closed_says_when_there_is_nothing_to_reopen(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.press("O")
        await settle(pilot)
        assert app.screen is board
        assert [n.message for n in app._notifications][-1] == "No closed ticket to reopen."
