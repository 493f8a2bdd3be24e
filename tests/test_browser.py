"""The client and contract browser, driven from the keyboard as on a call."""

from __future__ import annotations

from textual.widgets import Input, Static

from msptui.ui.app import MsptuiApp
from msptui.ui.screens.clients.client_list import ClientList
from tests.browser_helpers import settle_browser


async def open_browser(app, pilot):
    await settle_browser(pilot)
    await pilot.press("f2")
    await settle_browser(pilot)


def plain(static: Static) -> str:
    """The text a user reads in a Static, whatever renderable it holds."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(static.content)
    return console.export_text()


def card_text(app) -> str:
    return plain(app.screen.query_one("#client-card", Static))


async def test_three_letters_find_the_client_and_enter_opens_its_contract(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("s", "c", "h")
        await settle_browser(pilot)
        table = app.screen.query_one("#clients", ClientList)
        assert table.row_count == 1
        assert "Transports Schmitt & Fils" in card_text(app)
        await pilot.press("enter", "enter")  # to the list, then to the client's contracts
        await settle_browser(pilot)
        await pilot.press("enter")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ContractScreen"
        hours = plain(app.screen.query_one("#notion-hours", Static))
        assert "Mon–Fri 08:00-19:00" in hours and "FR-57" in hours and "24/7" in hours
        parties = plain(app.screen.query_one("#notion-parties", Static))
        assert "OVHcloud" in parties and "cloud provider" in parties


async def test_a_bad_field_shows_a_message_and_the_form_keeps_what_was_typed(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down")  # from the filter to the list, where letters are commands
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormScreen"
        await pilot.click("#field-name")
        await pilot.press(*"Chez Zoé")
        app.screen.query_one("#field-code", Input).value = "ZOE"
        app.screen.query_one("#field-timezone", Input).value = "Europe/Pariss"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        error = plain(app.screen.query_one("#error-timezone", Static))
        assert "'Europe/Pariss' is not a known time zone" in error
        assert app.screen.query_one("#field-name", Input).value == "Chez Zoé"
        app.screen.query_one("#field-timezone", Input).value = "Europe/Paris"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"
        assert "Chez Zoé" in card_text(app)


async def test_deleting_a_client_with_a_contract_is_refused_in_words(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down", "delete")
        await settle_browser(pilot)
        # Refused at once, before any "Delete for good?" question.
        assert type(app.screen).__name__ == "ClientBrowser"
        messages = [n.message for n in app._notifications]
        assert any("Archive it instead" in m for m in messages)
        assert app.screen.query_one("#clients", ClientList).row_count == len(sample)


async def test_every_footer_key_is_in_the_command_palette(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("down")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"New client", "Edit", "Add contact", "New contract", "Archive", "Delete"} <= titles
        assert "Go to clients and contracts" in titles


async def test_contract_hours_error_is_shown_under_the_weekday_and_nothing_is_saved(paths, clock, sample, engine):
    from msptui.store.contracts import client_contracts
    from msptui.ui.screens.contracts.view import ContractScreen

    contract = client_contracts(engine, sample["BOUL"])[0]
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle_browser(pilot)
        app.push_screen(ContractScreen(contract.id))
        await settle_browser(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#field-hours_2", Input).value = "18:00-09:00"
        app.screen.query_one("#field-title", Input).value = "Changed title"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert "18:00-09:00: the end must be after the start" in plain(app.screen.query_one("#error-hours_2", Static))
        assert app.screen.query_one("#field-hours_2", Input).value == "18:00-09:00"
    assert client_contracts(engine, sample["BOUL"])[0].title == contract.title


async def test_the_clients_projects_and_conflicts_are_one_key_away(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        await pilot.press("s", "c", "h", "m", "enter")
        await settle_browser(pilot)
        await pilot.press("i")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        assert app.screen.client_id == sample["SCHM"]
        await pilot.press("escape")
        await settle_browser(pilot)
        await pilot.press("p")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "EngagementsScreen"


async def test_on_an_empty_list_the_hint_names_a_key_that_works_from_the_filter(paths, clock, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_browser(pilot)
        await pilot.press("e")  # the welcome screen of an empty database: start empty
        await open_browser(app, pilot)
        assert "ctrl+n adds a client" in plain(app.screen.query_one("#match-count", Static))
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormScreen"


async def test_at_80_columns_the_contract_notions_read_1_to_5(paths, clock, sample, engine):
    from msptui.store.contracts import client_contracts
    from msptui.ui.screens.contracts.view import ContractScreen

    contract = client_contracts(engine, sample["TILL"])[0]
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_browser(pilot)
        app.push_screen(ContractScreen(contract.id))
        await settle_browser(pilot)
        titles = [str(w.border_title) for w in app.screen.query(".notion")]
        assert [t.split()[0] for t in titles] == ["1", "2", "3", "4", "5"]
