"""A breached clock's justification in the explain view (issue 16, item 7): shown, or "not
justified"; `j` asks for one (500 characters at most) and a new one supersedes the old."""

from __future__ import annotations

import pytest

from msptui.store.justifications import history, justifications
from msptui.ui.app import MsptuiApp
from msptui.ui.widgets.form import FormScreen
from tests.pilot_helpers import settle

BREACHED = 7  # the sample's most urgent ticket: its response clock is late since Friday 18:00


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def explained(app) -> str:
    return str(app.screen.query_one("#explain-body").render())


async def justify(app, pilot, text: str) -> tuple[FormScreen, str]:
    """`j`, then `text` typed over what the form offered; returns the form and what it offered."""
    await pilot.press("j")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, FormScreen)
    offered = form.query_one("#field-text").text
    form.query_one("#field-text").text = text
    await pilot.press("ctrl+s")
    await settle(pilot)
    return form, offered


async def test_a_breach_is_shown_unjustified_then_justified_and_superseded(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.selected().ticket.id == BREACHED
        await pilot.press("e")
        await settle(pilot)
        assert "Response late — not justified" in explained(app)

        await justify(app, pilot, "The client's site was closed on Friday evening.")
        assert "Response late — justified: The client's site was closed on Friday evening." in explained(app)

        _form, offered = await justify(app, pilot, "Site closed Friday evening; the client confirmed it by phone.")
        assert offered == "The client's site was closed on Friday evening."  # to correct, not retype
        assert "Response late — justified: Site closed Friday evening; the client confirmed it by phone." in explained(
            app
        )
        assert justifications(engine, BREACHED) == {
            "response": "Site closed Friday evening; the client confirmed it by phone."
        }
        assert len(history(engine, BREACHED)) == 2  # the first one kept, superseded


async def test_a_justification_over_500_characters_is_refused_and_nothing_saved(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form, _offered = await justify(app, pilot, "x" * 501)
        assert app.screen is form
        message = str(form.query_one("#error-text").render())
        assert "500" in message
        assert justifications(engine, BREACHED) == {}


async def test_j_is_offered_only_when_a_clock_is_breached(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        board = app.screen
        met = next(tid for tid, cd in board.rows.items() if cd.ticket.status == "resolved")
        board.table.move_cursor(row=board.table.get_row_index(str(met)))
        await pilot.press("e")
        await settle(pilot)
        assert "Breaches" not in explained(app)
        assert app.screen.check_action("justify", ()) is False
        await pilot.press("j")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
