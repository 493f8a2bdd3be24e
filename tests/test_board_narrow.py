"""The board at 80x24 (issue 14, item 13): the three clocks share one "Next due"
column so that Client and Title stay readable, the selected row's detail shows
every clock, and no line of the board is cut."""

from __future__ import annotations

from datetime import timedelta

import pytest

from msptui.store import tickets as T
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle

NARROW = (80, 24)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")
    monkeypatch.delenv("MSPTUI_BELL", raising=False)


def cell(board, ticket_id: int, column: str) -> str:
    return board.table.get_cell(str(ticket_id), column).plain


def widths(board) -> dict[str, int]:
    return {c.key.value: c.width for c in board.table.ordered_columns}


def lines(widget) -> list[str]:
    return str(widget.render()).splitlines()


async def test_at_80_columns_client_and_title_are_readable_and_the_clocks_share_a_column(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        assert [c.label.plain for c in board.table.ordered_columns] == [
            "#",
            "P",
            "Client",
            "Title",
            "Status",
            "Next due",
        ]
        assert widths(board)["client"] >= 15 and widths(board)["title"] >= 22
        # The whole row fits: nothing scrolls off to the right.
        assert sum(w + 2 for w in widths(board).values()) <= NARROW[0] - 2
        # The most urgent clock of each row, named: overdue, running, paused, all stopped.
        assert cell(board, 7, "next") == "Resp late"
        assert cell(board, 1, "next") == "Intv 20m"
        assert cell(board, 8, "next") == "Intv ‖ 3h00"
        assert cell(board, 10, "next") == "✓ all met"
        assert cell(board, 11, "next") == "no SLA"


async def test_at_80_columns_the_detail_shows_every_clock_and_no_line_is_cut(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        assert board.selected().ticket.id == 7
        detail = lines(board.query_one("#board-detail"))
        assert detail == [
            "#7 Cabinet Dentaire Lefèvre — Wifi du cabinet instable",
            "Resp late Fri 18:00 · Intv 2h00 Mon 12:00 · Resol 14h00 Tue 17:00",
            "Contract MSP-2026-002 · overdue since Fri 18:00 (Paris, both)",
        ]
        header = str(board.query_one("#board-header").render())
        assert header == "3 breached · 2 warning · 4 paused · 1 undisclosed conflict"
        assert len(header) + len(str(board.query_one("#board-time").render())) + 4 <= NARROW[0]


async def test_the_out_of_hours_count_stays_after_wait_client(paths, clock, engine, sample):
    T.wait_on_client(engine, 2, clock.now())  # ticket 2 was acknowledged at night: ☾1
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        assert cell(board, 2, "status") == "wait cl. ☾1"
        await pilot.press(*["down"] * [int(r.key.value) for r in board.table.ordered_rows].index(2))
        await settle(pilot)
        assert board.selected().ticket.id == 2
        assert lines(board.query_one("#board-detail"))[2].startswith("☾ 1 out of hours")


async def test_the_next_due_column_and_the_detail_tick(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        clock.advance(timedelta(minutes=15))
        board.tick()
        await settle(pilot)
        assert cell(board, 1, "next") == "Intv 5m"
        assert "Intv 1h45 Mon 12:00" in lines(board.query_one("#board-detail"))[1]


async def test_widening_the_terminal_brings_back_one_column_per_clock(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert [c.key.value for c in board.table.ordered_columns][-3:] == ["response", "intervention", "resolution"]
        assert cell(board, 7, "response").strip() == "late"
        assert widths(board)["client"] >= 24
        assert board.selected().ticket.id == 7
        await pilot.resize_terminal(140, 40)
        await settle(pilot)
        assert cell(board, 7, "response").split() == ["late", "Fri", "18:00"]
        await pilot.resize_terminal(*NARROW)
        await settle(pilot)
        assert cell(board, 7, "next") == "Resp late"


@pytest.mark.parametrize(
    ("layout", "status", "night_work", "shown"),
    [
        ("narrow", "waiting_client", 2, "wait cl. ☾2"),
        ("narrow", "waiting_client", 12, "wait cl. ☾12"),
        ("medium", "waiting_client", 2, "wait client ☾2"),
        ("medium", "waiting_client", 12, "wait clie… ☾12"),
        ("narrow", "waiting_third_party", 123, "wait 3… ☾123"),
    ],
)
def test_the_out_of_hours_count_is_never_what_is_cut(clock, layout, status, night_work, shown):
    from zoneinfo import ZoneInfo

    from msptui.store.reads.board import BoardTicket
    from msptui.ui.widgets.cells import NARROW_STATUS, STATUS_CELL
    from msptui.ui.widgets.countdown import TicketCountdown

    ticket = BoardTicket(
        id=1,
        client_id=1,
        client_name="Client",
        client_tz="Europe/Paris",
        contract_id=None,
        contract_reference=None,
        title="Printer",
        priority="P3",
        status=status,
        opened_at=clock.now(),
        billable=True,
        channel=None,
        out_of_hours=night_work,
        surcharge_pct=0,
        events=(),
        version=(1, 1),
    )
    cell = TicketCountdown(ticket, None, clock.now(), ZoneInfo("Europe/Paris"), layout).status_cell().plain
    assert cell == shown
    assert len(cell) <= (NARROW_STATUS if layout == "narrow" else STATUS_CELL)
