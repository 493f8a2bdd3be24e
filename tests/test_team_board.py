"""The board in a team (issue 20): the technician's name at first start, assignment with `m`,
the filter with `f`, and who did what in the explain view."""

from __future__ import annotations

import pytest

from msptui import config
from msptui.store import team
from msptui.store import tickets as T
from msptui.ui.app import MsptuiApp
from msptui.ui.widgets.form import FormScreen
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def two_tickets(engine, clock):
    contract = make_contract(engine, code="ACME")
    return (
        open_on(engine, contract, clock.now(), priority="P2", title="Mail server down"),
        open_on(engine, contract, clock.now(), priority="P3", title="Printer jammed"),
    )


def shown(app) -> set[int]:
    return {int(row.key.value) for row in app.screen.table.ordered_rows}


def field(app, name: str):
    return app.screen.query_one(f"#field-{name}")


async def test_m_assigns_the_ticket_to_me_and_f_filters_mine_then_the_unassigned(paths, clock, engine, two_tickets):
    mail, printer = two_tickets
    config.set_technician(paths, "sophie")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = app.screen
        board.table.move_cursor(row=board.table.get_row_index(str(mail)))
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert field(app, "assignee").value == "sophie"  # Enter: to me
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is board
        assert T.get_ticket(engine, mail).assignee == "sophie"
        [assigned] = [e for e in T.ticket_events(engine, mail) if e.kind == "assigned"]
        assert (assigned.technician, assigned.note) == ("sophie", "sophie")
        assert shown(app) == {mail, printer}

        await pilot.press("f")
        await settle(pilot)
        assert shown(app) == {mail}
        assert "filter: my tickets" in board.sub_title
        await pilot.press("f")
        await settle(pilot)
        assert shown(app) == {printer}
        assert "filter: unassigned" in board.sub_title
        await pilot.press("f")
        await settle(pilot)
        assert shown(app) == {mail, printer}
        assert "filter" not in board.sub_title


async def test_assigning_to_a_colleague_or_to_nobody_and_a_bad_name_is_said_next_to_the_field(
    paths, clock, engine, two_tickets
):
    mail, _printer = two_tickets
    config.set_technician(paths, "sophie")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = app.screen
        board.table.move_cursor(row=board.table.get_row_index(str(mail)))
        await pilot.press("m")
        await settle(pilot)
        field(app, "assignee").value = "marc dupont"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)  # kept open, with what was typed
        assert "letters without accents" in str(app.screen.query_one("#form-error").render())
        field(app, "assignee").value = "marc"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert T.get_ticket(engine, mail).assignee == "marc"

        await pilot.press("f", "f")  # unassigned: Marc's ticket is hidden
        await settle(pilot)
        assert mail not in shown(app)
        await pilot.press("f")
        await settle(pilot)
        board.table.move_cursor(row=board.table.get_row_index(str(mail)))
        await pilot.press("m")
        await settle(pilot)
        field(app, "assignee").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert T.get_ticket(engine, mail).assignee is None


async def test_an_empty_board_under_a_filter_says_so(paths, clock, engine, two_tickets):
    config.set_technician(paths, "sophie")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")  # nothing is mine yet
        await settle(pilot)
        empty = app.screen.query_one("#board-empty")
        assert empty.display and "No ticket under the filter “my tickets” — f shows all" in str(empty.render())


async def test_the_explain_view_says_who_did_what(paths, clock, engine, two_tickets):
    mail, _printer = two_tickets  # opened before team mode: no name
    team.set_acting("marc")
    T.acknowledge(engine, mail, clock.now())
    team.assign(engine, mail, "sophie", clock.now())
    team.set_acting("")
    config.set_technician(paths, "sophie")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = app.screen
        board.table.move_cursor(row=board.table.get_row_index(str(mail)))
        await pilot.press("e")
        await settle(pilot)
        text = "\n".join(line for _style, line in app.screen.lines)
        assert "Assigned to sophie" in text
        log = text.split("\nLog\n", 1)[1].splitlines()
        assert log[0].endswith("opened as P2")  # before team mode: no name
        assert log[1].endswith("acknowledged — by marc")
        assert log[2].endswith("assigned to sophie — by marc")


@pytest.mark.asks_technician
async def test_at_first_start_the_name_is_asked_after_the_board_prefilled_with_the_login(
    paths, clock, engine, two_tickets, monkeypatch
):
    monkeypatch.setattr("getpass.getuser", lambda: "Hélène Dupont")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert len(app.screen_stack) == 2  # the board under it, with its rows
        assert set(app.screen_stack[0].rows) == set(two_tickets)
        assert field(app, "name").value == "helene.dupont"
        await pilot.press("enter")
        await settle(pilot)
        assert config.technician(paths) == "helene.dupont"
        assert team.acting() == "helene.dupont"
        T.add_note(engine, two_tickets[0], T.NoteCreate(note="called"), clock.now())
        assert T.ticket_events(engine, two_tickets[0])[-1].technician == "helene.dupont"


@pytest.mark.asks_technician
async def test_a_name_saved_is_not_asked_again_and_the_settings_change_it(paths, clock, engine, two_tickets):
    config.set_technician(paths, "sophie")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
        assert team.acting() == "sophie"
        await pilot.press("f9")
        await settle(pilot)
        assert "Technician on this machine: sophie" in str(app.screen.query_one("#technician-line").render())
        await pilot.press("t")
        await settle(pilot)
        field(app, "name").value = "sophie martin"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "no space" in str(app.screen.query_one("#error-name").render())
        field(app, "name").value = "s.martin"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert config.technician(paths) == "s.martin" and team.acting() == "s.martin"
        assert "Technician on this machine: s.martin" in str(app.screen.query_one("#technician-line").render())
