"""The SLA board as a technician uses it: keys, clocks that tick, colours, alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msptui.store import tickets as T
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on, paris

SIZE = (140, 40)  # wide: each clock with its due time (board_layout.WIDE_FROM)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")
    monkeypatch.delenv("MSPTUI_BELL", raising=False)


def board_of(app):
    from msptui.ui.screens.tickets.board import BoardScreen

    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen


def cell(board, ticket_id: int, column: str):
    return board.table.get_cell(str(ticket_id), column)


def row_order(board) -> list[int]:
    return [int(row.key.value) for row in board.table.ordered_rows]


@pytest.fixture
def one_ticket(engine, clock):
    """A client with a contract (Mon-Fri 09:00-18:00 Paris) and one P2 ticket opened at the frozen instant."""
    contract = make_contract(engine, code="ACME")
    return open_on(engine, contract, clock.now(), priority="P2", title="Mail server down")


async def test_the_first_frame_says_the_database_is_opening(paths, clock, one_ticket):
    app = MsptuiApp(paths, clock, open_store=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Opening the database…" in str(app.screen.query_one("#board-header").render())
        assert not app.screen.table.display


async def test_the_board_shows_one_row_per_open_ticket(paths, clock, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        assert row_order(board) == [one_ticket]
        assert cell(board, one_ticket, "client").plain == "Client ACME"
        assert cell(board, one_ticket, "response").plain.split() == ["1h00", "Mon", "11:00"]
        assert "0 breached · 0 warning · 0 paused" in str(board.query_one("#board-header").render())


async def test_an_empty_board_says_how_to_open_a_ticket(paths, clock, engine):
    make_contract(engine, code="ACME")  # a client, so no welcome screen
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        empty = app.screen.query_one("#board-empty")
        assert empty.display and "press N to open one" in str(empty.render())
        assert not app.screen.table.display


async def test_open_acknowledge_pause_resume_and_resolve_with_the_keyboard(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        before = set(board.rows)

        # N, a few letters of the client, Enter, a title, Ctrl+S.
        await pilot.press("N")
        await settle(pilot)
        await pilot.press(*"boul", "enter")
        await settle(pilot)
        await pilot.press(*"Till printer", "ctrl+s")
        await settle(pilot)
        [tid] = set(board.rows) - before
        assert app.screen is board and board.selected().ticket.id == tid
        assert board.rows[tid].ticket.contract_reference == "MSP-2026-001"  # the client's only contract
        assert cell(board, tid, "status").plain == "new"
        assert cell(board, tid, "response").plain.split()[0] == "4h00"  # P3 by default

        await pilot.press("a")
        await settle(pilot)
        assert cell(board, tid, "status").plain == "ack'd"
        assert cell(board, tid, "response").plain.strip() == "✓ met"

        clock.advance(timedelta(minutes=30))
        board.tick()
        assert cell(board, tid, "intervention").plain.split()[0] == "15h30"

        await pilot.press("w")  # waiting on the client: clocks paused
        await settle(pilot)
        paused = cell(board, tid, "intervention")
        assert paused.plain.split() == ["‖", "15h30", "paused"]
        assert str(paused.style) == "cyan"
        clock.advance(timedelta(hours=2))
        board.tick()
        assert cell(board, tid, "intervention").plain.split()[1] == "15h30"  # nothing counted while waiting

        await pilot.press("r")
        await settle(pilot)
        clock.advance(timedelta(minutes=45))
        board.tick()
        assert cell(board, tid, "intervention").plain.split()[0] == "14h45"

        await pilot.press("v")  # asks the one-line resolution summary
        await settle(pilot)
        await pilot.press(*"New cable", "enter")
        await settle(pilot)
        assert cell(board, tid, "status").plain == "resolved"
        assert [cell(board, tid, c).plain.strip() for c in ("response", "intervention", "resolution")] == ["✓ met"] * 3
        assert [e.kind for e in T.ticket_events(engine, tid)] == ["opened", "status", "status", "status", "status"]


async def test_colours_follow_the_clock_and_an_alert_fires_once(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        assert str(cell(board, one_ticket, "response").style) == "green"

        clock.advance(timedelta(minutes=44))  # 73 % of the hour
        board.tick()
        assert str(cell(board, one_ticket, "response").style) == "green"
        assert board.alerts == []

        clock.advance(timedelta(minutes=1))  # 75 %
        board.tick()
        assert str(cell(board, one_ticket, "response").style) == "bold yellow"
        assert board.alerts == [f"#{one_ticket} Client ACME: response has used 75% of its target"]
        for _ in range(3):
            clock.advance(timedelta(seconds=1))
            board.tick()
        assert len(board.alerts) == 1  # once per clock

        clock.advance(timedelta(minutes=20))
        board.tick()
        response = cell(board, one_ticket, "response")
        assert str(response.style) == "bold red" and response.plain.split() == ["late", "Mon", "11:00"]
        assert board.alerts[-1] == f"#{one_ticket} Client ACME: response has breached"
        assert "1 breached" in str(board.query_one("#board-header").render())
        board.tick()
        assert len(board.alerts) == 2

        await pilot.press("a")  # a late answer stops the clock: shown as late, no longer counted
        await settle(pilot)
        assert cell(board, one_ticket, "response").plain.split() == ["✗", "late", "Mon", "11:00"]
        assert "0 breached" in str(board.query_one("#board-header").render())


async def test_a_tick_touches_only_the_cells_that_changed(paths, clock, engine, sample, monkeypatch):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        table = board.table
        updated = []
        monkeypatch.setattr(table, "update_cell", lambda row, column, value, **kw: updated.append((row, column)))
        monkeypatch.setattr(table, "clear", lambda *a, **kw: pytest.fail("the board must never clear per tick"))

        clock.advance(timedelta(seconds=10))  # whole minutes at the frozen instant: 10 s later, one less
        board.tick()
        updated.clear()
        clock.advance(timedelta(seconds=20))  # same displayed minute for every clock
        board.tick()
        assert updated == []

        clock.advance(timedelta(seconds=40))  # the next minute: only ticking clocks shown to the minute change
        board.tick()
        now = clock.now()
        to_the_minute = {
            (str(tid), name)
            for tid, cd in board.rows.items()
            for name, c in cd.clocks.items()
            if c.state.ticking
            and c.state.status != "breached"  # "late Mon 11:00" holds
            and abs(c.state.remaining_at(now)) < timedelta(days=1)  # "40h" waits an hour
        }
        assert to_the_minute and set(updated) == to_the_minute


async def test_rows_are_sorted_by_the_nearest_breach(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        order = row_order(board)
        keys = [board.rows[tid].sort_key for tid in order]
        assert keys == sorted(keys)
        first = board.rows[order[0]]
        assert first.worst == "breached"
        assert board.rows[order[-1]].ticket.status == "resolved"
        assert board.selected() is first  # the cursor starts on the most urgent ticket


async def test_user_text_is_never_read_as_markup(paths, clock, engine):
    from msptui.store.clients import create_client
    from msptui.store.schemas import ClientCreate

    client = create_client(engine, ClientCreate(name="[bold red]Acme[/]", code="BRKT"), clock.now())
    T.open_ticket(engine, T.TicketCreate(client_id=client, title="[link=x]click[/link]"), clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        [tid] = board.rows
        assert cell(board, tid, "client").plain == "[bold red]Acme[/]"
        assert cell(board, tid, "title").plain == "[link=x]click[/link]"
        assert "[bold red]Acme[/]" in str(board.query_one("#board-detail").render())
        assert cell(board, tid, "response").plain.strip() == "no SLA"


async def test_keys_offered_follow_the_selected_ticket(paths, clock, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        offered = lambda: {
            a for a in ("acknowledge", "resume", "close", "reopen", "resolve") if board.check_action(a, ())
        }  # noqa: E731
        assert offered() == {"acknowledge", "resolve"}
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*"Restarted", "enter")
        await settle(pilot)
        assert offered() == {"close", "reopen"}
        ids = {b.id for b in board.BINDINGS}
        assert {"board.acknowledge", "board.new_ticket", "board.explain", "board.priority"} <= ids


async def test_priority_is_two_keystrokes_and_retargets_the_clocks(paths, clock, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        clock.advance(timedelta(minutes=25))
        await pilot.press("p", "1")
        await settle(pilot)
        assert board.rows[one_ticket].ticket.priority == "P1"
        # P1 is round the clock, 30 minutes: re-targeted from the opening, 25 already used.
        assert cell(board, one_ticket, "response").plain.split()[0] == "5m"
        assert str(cell(board, one_ticket, "response").style) == "bold yellow"


async def test_intervention_asks_on_site_or_remote(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        await pilot.press("i", "r")
        await settle(pilot)
        assert cell(board, one_ticket, "status").plain == "remote"
        assert T.ticket_events(engine, one_ticket)[-1].channel == "remote"


async def test_a_note_is_added_to_the_log(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Rebooted", "ctrl+s")
        await settle(pilot)
        assert T.ticket_events(engine, one_ticket)[-1].note == "Rebooted"
        assert type(app.screen).__name__ == "BoardScreen"


async def test_out_of_hours_work_the_contract_does_not_sell_is_flagged_not_surcharged(paths, clock, engine, one_ticket):
    # The contract (see one_ticket) offers no out-of-hours service; a note is never work.
    T.add_note(engine, one_ticket, T.NoteCreate(note="called back at night"), paris(23, 22))
    T.acknowledge(engine, one_ticket, paris(23, 22, 5))
    clock.set(paris(23, 22, 10))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        assert cell(board, one_ticket, "status").plain == "ack'd ☾1"
        detail = str(board.query_one("#board-detail").render())
        assert detail.splitlines()[1].startswith("☾ 1 outside the contract · Contract C-ACME")
        assert "%" not in detail


async def test_the_toast_says_whether_night_work_is_surcharged_or_outside_the_contract(paths, clock, engine):
    sold = make_contract(engine, code="SOLD", out_of_hours=True, covered=["P1"])
    p1 = open_on(engine, sold, paris(23, 21), priority="P1", title="Server down")
    p3 = open_on(engine, sold, paris(23, 21, 1), priority="P3", title="Printer jammed")
    clock.set(paris(23, 22))
    app = MsptuiApp(paths, clock)
    toasts = []
    app.notify = lambda message, **kw: toasts.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        for ticket_id in (p1, p3):
            board.table.move_cursor(row=row_order(board).index(ticket_id))
            await pilot.press("a")
            await settle(pilot)
        assert toasts[-2].endswith("— ☾ out of hours, +30 %")
        assert toasts[-1].endswith("— ☾ outside the contract: goodwill or billable extra, your call")
        board.table.move_cursor(row=row_order(board).index(p1))
        await settle(pilot)
        assert "☾ 1 out of hours, +30 %" in str(board.query_one("#board-detail").render())


async def test_explain_shows_the_calendar_intervals_pauses_and_both_zones(
    paths, clock, engine, one_ticket, monkeypatch
):
    monkeypatch.setenv("MSPTUI_TZ", "America/New_York")
    T.acknowledge(engine, one_ticket, paris(23, 10, 10))
    T.wait_on_client(engine, one_ticket, paris(23, 10, 30))
    T.resume(engine, one_ticket, paris(23, 11, 30))
    T.change_priority(engine, one_ticket, "P1", paris(23, 11, 40))
    clock.set(paris(23, 12))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        # The board's due times are in the technician's zone (New York: 6 hours behind Paris).
        assert cell(board, one_ticket, "intervention").plain.split()[1:] == ["Mon", "07:00"]
        await pilot.press("e")
        await settle(pilot)
        text = "\n".join(line for _style, line in app.screen.lines)
        assert "Calendar Europe/Paris" in text
        assert "Paused Mon 2026-11-23 10:30 CET -> Mon 2026-11-23 11:30 CET" in text
        assert "Priority P2 -> P1" in text
        assert "Due Mon 2026-11-23 13:00 CET (Europe/Paris) = Mon 2026-11-23 07:00 EST (America/New_York)" in text
        assert "Counted Mon 2026-11-23 10:00-10:30" in text
        await pilot.press("escape")
        assert app.screen is board


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.integers(1, 6 * 3600), min_size=1, max_size=12))
def test_ticking_shows_what_a_fresh_evaluation_would(engine, sample, clock, steps):
    """Skipping tickets whose cells cannot change yet never leaves a stale cell."""
    from zoneinfo import ZoneInfo

    from msptui.store.reads.board import load_board
    from msptui.ui.widgets.countdown import TicketCountdown, epoch_us

    zone = ZoneInfo("Europe/Paris")
    data = load_board(engine)
    start = clock.now()
    live = {t.id: TicketCountdown(t, data.policy(t), start, zone, True) for t in data.tickets}
    shown = {tid: cd.cells(start) for tid, cd in live.items()}
    now = start
    for seconds in steps:
        now += timedelta(seconds=seconds)
        for tid, cd in live.items():
            if epoch_us(now) >= cd.next_change:
                cells, _changes = cd.tick(now)
                shown[tid].update(cells)
    for t in data.tickets:
        fresh = TicketCountdown(t, data.policy(t), now, zone, True).cells(now)
        assert {k: v.plain for k, v in shown[t.id].items()} == {k: v.plain for k, v in fresh.items()}, t.title


async def test_a_calendar_edge_for_every_ticket_is_spread_over_a_few_ticks(paths, clock, sample, monkeypatch):
    from msptui.ui.screens.tickets import board as board_module
    from msptui.ui.widgets.countdown import TicketCountdown, epoch_us

    monkeypatch.setattr(board_module, "EVALUATIONS_PER_TICK", 2)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        clock.advance(timedelta(hours=9))  # 19:00 in Paris: every office calendar has closed
        stale = lambda: [cd for cd in board.rows.values() if epoch_us(clock.now()) >= cd.window_end]  # noqa: E731
        before = len(stale())
        board.tick()
        assert len(stale()) == before - 2 > 0
        for _ in range(before):
            board.tick()
        assert stale() == []
        for tid, cd in board.rows.items():
            fresh = TicketCountdown(cd.ticket, cd.policy, clock.now(), board.zone, board.table_layout).cells(
                clock.now()
            )
            assert {k: cell(board, tid, k).plain for k in fresh} == {k: v.plain for k, v in fresh.items()}


async def test_a_change_made_in_another_window_shows_up(paths, clock, engine, one_ticket):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        T.acknowledge(engine, one_ticket, clock.now())  # another msptui on the same database
        board._check_version()  # what the board does every few seconds
        await settle(pilot)
        assert cell(board, one_ticket, "status").plain == "ack'd"
