"""The client browser on a call, at 80x24: the client's tickets and contacts readable
in its detail pane, a ticket opened for it with N, and the cursor on what was created."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Input, Static

from msptui.store import db
from msptui.store.contracts import client_contracts
from msptui.store.models import Ticket
from msptui.store.reads.client_detail import client_detail
from msptui.store.tickets import TicketCreate, clocks_from_log, close, open_ticket, resolve
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.clients.client_list import ClientList
from tests.browser_helpers import settle_browser
from tests.test_secrets_reveal import on_screen, shown_lines


async def find(app, pilot, letters: str) -> None:
    """F2, a few letters, then down into the list (where letters are commands)."""
    await settle_browser(pilot)
    await pilot.press("f2")
    await settle_browser(pilot)
    await pilot.press(*letters, "down")
    await settle_browser(pilot)


def pane_text(app, selector: str) -> str:
    return "\n".join(line.rstrip() for line in shown_lines(app.screen.query_one(selector, Static)))


def cursor_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


def tickets_of(engine, client_id: int) -> list[Ticket]:
    with db.read(engine) as s:
        return list(s.scalars(select(Ticket).where(Ticket.client_id == client_id).order_by(Ticket.id)))


# --- contacts: nothing cut ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_contact_phones_and_emails_are_shown_whole(paths, clock, sample, engine, size):
    from msptui.store.clients import client_contacts

    contacts = client_contacts(engine, sample["SCHM"])
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=size) as pilot:
        await find(app, pilot, "schm")
        widget = app.screen.query_one("#contacts", Static)
        text = pane_text(app, "#contacts")
        for person in contacts:
            assert person.name in text
            for reach in filter(None, (person.phone, person.email)):
                assert reach in text  # on one line, not cut at a column's edge
        assert any("@" in p.email for p in contacts)
        assert app.screen.find_widget(widget).region.right <= size[0]


# --- the client's tickets in its pane ------------------------------------------------------------


def test_the_detail_read_lists_open_tickets_with_the_engines_sla_state(engine, sample, clock):
    client_id = sample["BOUL"]
    detail = client_detail(engine, client_id, clock.now())
    assert detail is not None and detail.client.id == client_id
    assert [t.id for t in detail.open_tickets]  # the sample gives the bakery open tickets
    worst = ("breached", "warning", "running", "paused", "met")
    for ticket in detail.open_tickets:
        states = {str(c.status) for c in clocks_from_log(engine, ticket.id, clock.now()).values()}
        expected = next((w for w in worst if w in states), "no SLA")
        assert ticket.sla == expected


def test_the_detail_read_keeps_the_last_five_closed_newest_first(engine, sample, clock):
    client_id = sample["DENT"]
    now = clock.now()
    closed = []
    for n in range(6):
        at = now - timedelta(days=10 - n)
        tid = open_ticket(engine, TicketCreate(client_id=client_id, title=f"Old issue {n}", priority="P3"), at)
        resolve(engine, tid, at + timedelta(minutes=30))
        close(engine, tid, at + timedelta(hours=1))
        closed.append(tid)
    detail = client_detail(engine, client_id, now)
    assert [t.id for t in detail.closed_tickets] == closed[::-1][:5]
    assert all(t.id not in closed for t in detail.open_tickets)
    assert detail.closed_tickets[0].when == now - timedelta(days=5) + timedelta(hours=1)


async def test_n_opens_a_ticket_for_the_selected_client_listed_at_once_and_b_shows_it_on_the_board(
    paths, clock, sample, engine
):
    client_id = sample["BOUL"]
    before = {t.id for t in tickets_of(engine, client_id)}
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await find(app, pilot, "boul")
        await pilot.press("N")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert "Boulangerie Martin" in str(app.screen.form_title)
        await pilot.press(*"Caisse bloquée")
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"
        (new,) = [t for t in tickets_of(engine, client_id) if t.id not in before]
        assert new.title == "Caisse bloquée"
        assert new.contract_id == client_contracts(engine, client_id)[0].id  # its only active contract
        messages = [n.message for n in app._notifications]
        assert any(f"Ticket #{new.id} opened for Boulangerie Martin" in m and "b " in m for m in messages)
        tickets = pane_text(app, "#client-tickets")
        assert f"#{new.id} P3" in tickets and "Caisse bloquée" in tickets
        await pilot.press("b")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "BoardScreen"
        assert app.screen.selected().ticket.id == new.id


async def test_n_with_no_client_selected_does_nothing(paths, clock, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle_browser(pilot)
        await pilot.press("e")  # the welcome screen of an empty database: start empty
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        app.screen.query_one("#clients", ClientList).focus()
        await pilot.press("N")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"


# --- after a create, the cursor is on what was created -------------------------------------------


async def test_after_creating_a_client_the_list_cursor_is_on_it(paths, clock, sample, engine):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await find(app, pilot, "")
        await pilot.press("n")
        await settle_browser(pilot)
        app.screen.query_one("#field-name", Input).value = "Zinguerie Abel"
        app.screen.query_one("#field-code", Input).value = "ZING"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert app.screen.query_one("#clients", ClientList).cursor_client.name == "Zinguerie Abel"
        assert "Zinguerie Abel" in pane_text(app, "#client-card")


async def test_after_creating_a_contract_the_contracts_cursor_is_on_it(paths, clock, sample, engine):
    client_id = sample["SCHM"]
    existing = client_contracts(engine, client_id)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await find(app, pilot, "schm")
        await pilot.press("k")
        await settle_browser(pilot)
        app.screen.query_one("#field-reference", Input).value = "MSP-2019-001"
        app.screen.query_one("#field-title", Input).value = "Ancien contrat repris"
        # Started long ago: listed after the client's other contracts, not on the first row.
        app.screen.query_one("#field-start_date", Input).value = "2019-01-01"
        await pilot.press("ctrl+s")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ContractScreen"
        await pilot.press("escape")
        await settle_browser(pilot)
        assert type(app.screen).__name__ == "ClientBrowser"
        new = next(k for k in client_contracts(engine, client_id) if k.reference == "MSP-2019-001")
        table = app.screen.query_one("#contracts", DataTable)
        assert table.row_count == len(existing) + 1 and table.cursor_row == len(existing)
        assert cursor_key(table) == str(new.id)
        assert on_screen(app, table).height > 0
        await pilot.press("enter", "enter")  # to the contracts, then open the one under the cursor
        await settle_browser(pilot)
        assert app.screen.contract_id == new.id


async def test_at_80_columns_the_list_gives_the_city_room_to_the_name(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await find(app, pilot, "schm")
        clients = app.screen.query_one(ClientList)
        header, first = clients.render_line(0).text, clients.render_line(1).text
        assert "City" not in header and "Transports Schmitt &" in first and "SCHM" in first
    async with MsptuiApp(paths, clock).run_test(size=(120, 40)) as pilot:
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        assert "City" in pilot.app.screen.query_one(ClientList).render_line(0).text
