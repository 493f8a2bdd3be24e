"""The running timer on the board (issue 16, item 1): one key starts and stops it, starting
another says which it stopped, the header shows it with its elapsed time, a timer forgotten
over 12 h is asked about first, resolving a ticket offers to stop its timer, and a timer
started from the command line shows after the header's next look. At 120x40 (the ticket's
title whole in the header), and the header's room at 80x24."""

from __future__ import annotations

from datetime import timedelta

import pytest

from msptui.store import time_entries as TE
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.time.timer_keys import TIMER_KEY
from msptui.ui.widgets.confirm import ConfirmScreen
from msptui.ui.widgets.form import FormScreen
from msptui.ui.widgets.timer import TimerBadge
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on

NARROW = (80, 24)
WIDE = (120, 40)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def two_tickets(engine, clock):
    acme = make_contract(engine, code="ACME")
    return (
        open_on(engine, acme, clock.now(), priority="P2", title="Printer down"),
        open_on(engine, acme, clock.now(), priority="P3", title="Mail bounces"),
    )


def badge(app) -> TimerBadge:
    return app.screen.query_one(TimerBadge)


def shown(widget) -> str:
    return str(widget.render()) if widget.display else ""


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


def recorded(engine, ticket_id) -> list[timedelta | None]:
    return [e.duration for e in TE.entries_for_ticket(engine, ticket_id)]


async def test_the_key_starts_switches_and_stops_the_timer_and_the_header_follows(paths, clock, engine, two_tickets):
    printer, mail = two_tickets
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        board = app.screen
        assert board.selected().ticket.id == printer  # P2 first: the nearest breach
        assert shown(badge(app)) == "" and badge(app).cells == 0

        await pilot.press(TIMER_KEY)
        await settle(pilot)
        assert toasts(app)[-1] == f"Timing #{printer} now: the same key stops it."
        assert shown(badge(app)) == f"⏱ #{printer} Printer down 0:00"

        clock.advance(timedelta(minutes=25, seconds=20))
        badge(app).tick()  # what its one-second interval does
        await settle(pilot)
        assert shown(badge(app)) == f"⏱ #{printer} Printer down 0:25"

        await pilot.press("down")  # the other ticket
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        assert toasts(app)[-1] == f"Stopped the timer on #{printer} Printer down (25 min) — timing #{mail} now."
        assert shown(badge(app)) == f"⏱ #{mail} Mail bounces 0:00"
        assert recorded(engine, printer) == [timedelta(minutes=25, seconds=20)]

        clock.advance(timedelta(minutes=10))
        await pilot.press(TIMER_KEY)  # on the ticket it runs on: stops it
        await settle(pilot)
        assert toasts(app)[-1] == f"Stopped the timer on #{mail} Mail bounces (10 min): recorded."
        assert TE.running_timer(engine) is None
        assert shown(badge(app)) == "" and badge(app).cells == 0
        assert recorded(engine, mail) == [timedelta(minutes=10)]


async def test_the_header_counts_make_room_for_the_timer(paths, clock, engine, two_tickets):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        top = app.screen.query_one("#board-top")
        parts = [w for w in top.children if w.display]
        assert sum(w.outer_size.width for w in parts) <= NARROW[0]
        header = str(app.screen.query_one("#board-header").render())
        assert header == "0 breached · 0 warning · 0 paused"  # whole, beside the timer
        assert str(badge(app).render()) == "⏱ #1 Printer d… 0:00"  # the title cut to fit


async def test_a_timer_forgotten_over_12_hours_is_asked_about_before_the_next_start(paths, clock, engine, two_tickets):
    printer, mail = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=clock.now() - timedelta(hours=13))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("down", TIMER_KEY)  # start on the other ticket
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "has run for 13 h" in app.screen.question
        assert TE.running_timer(engine).ticket_id == printer  # nothing done before the answer

        await pilot.press("n")  # not all of it: say when the work ended
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        ended = (clock.now() - timedelta(hours=12)).astimezone(app.screen_stack[0].zone)  # 1 h after its start
        await pilot.press(*f"{ended:%H:%M}", "ctrl+s")
        await settle(pilot)
        assert recorded(engine, printer) == [timedelta(hours=1)]
        assert TE.running_timer(engine).ticket_id == mail
        assert shown(badge(app)) == f"⏱ #{mail} Mail bounces 0:00"


async def test_keeping_a_forgotten_timer_keeps_all_its_time(paths, clock, engine, two_tickets):
    printer, mail = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=clock.now() - timedelta(hours=13))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("down", TIMER_KEY)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert recorded(engine, printer) == [timedelta(hours=13)]
        assert TE.running_timer(engine).ticket_id == mail
        assert toasts(app)[-1] == f"Stopped the timer on #{printer} Printer down (13 h) — timing #{mail} now."


async def test_escape_on_the_forgotten_timer_changes_nothing(paths, clock, engine, two_tickets):
    printer, _mail = two_tickets
    TE.start_timer(engine, ticket_id=printer, now=clock.now() - timedelta(hours=13))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("down", TIMER_KEY)
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert TE.running_timer(engine).ticket_id == printer
        assert recorded(engine, printer) == [None]  # still running, nothing recorded


async def test_resolving_a_ticket_with_its_timer_running_offers_to_stop_it(paths, clock, engine, two_tickets):
    printer, _mail = two_tickets
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        clock.advance(timedelta(minutes=40))
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*"Replaced the toner", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.question == f"The timer still runs on #{printer} Printer down (40 min so far). Stop it now?"
        await pilot.press("y")
        await settle(pilot)
        assert TE.running_timer(engine) is None
        assert recorded(engine, printer) == [timedelta(minutes=40)]
        assert shown(badge(app)) == ""


async def test_resolving_another_ticket_asks_nothing(paths, clock, engine, two_tickets):
    _printer, mail = two_tickets
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press(TIMER_KEY)  # on the printer
        await settle(pilot)
        board = app.screen
        await pilot.press("down", "v")
        await settle(pilot)
        await pilot.press(*"Mailbox quota raised", "enter")
        await settle(pilot)
        assert app.screen is board
        assert TE.running_timer(engine) is not None
        assert board.rows[mail].ticket.status == "resolved"


async def test_a_timer_started_from_the_command_line_shows_after_the_next_look(
    paths, clock, engine, two_tickets, monkeypatch
):
    import msptui.ui.widgets.timer as timer

    printer, _mail = two_tickets
    monkeypatch.setattr(timer, "POLL_SECONDS", 0.05)  # the header looks every 5 s; not in a test
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert shown(badge(app)) == ""
        TE.start_timer(engine, ticket_id=printer, now=clock.now() - timedelta(minutes=42))  # `msptui time start`
        await settle(pilot, until=lambda: badge(app).running is not None)
        assert shown(badge(app)) == f"⏱ #{printer} Printer down 0:42"
        TE.stop_timer(engine, clock.now())  # `msptui time stop`
        await settle(pilot, until=lambda: badge(app).running is None)
        assert shown(badge(app)) == ""


async def test_the_same_key_times_an_engagement_and_stops_the_tickets_timer(paths, clock, engine, sample):
    from msptui.ui.screens.engagements.overview import EngagementsScreen

    TE.start_timer(engine, ticket_id=7, now=clock.now() - timedelta(minutes=20))  # the most urgent sample ticket
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(EngagementsScreen(client_id=sample["BOUL"]))
        await settle(pilot)
        engagement = app.screen.current_engagement()
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        running = TE.running_timer(engine)
        assert (running.ticket_id, running.engagement_id) == (None, engagement.id)
        assert toasts(app)[-1] == (
            f"Stopped the timer on #7 Wifi du cabinet instable (20 min) — timing the engagement “{engagement.title}” now."
        )
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        assert TE.running_timer(engine) is None
        await pilot.press("escape")  # back on the board: its header shows no timer
        await settle(pilot)
        assert shown(badge(app)) == ""


async def test_the_running_timer_is_in_the_header_of_every_other_screen(paths, clock, engine, two_tickets):
    printer, _mail = two_tickets
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        await pilot.press("f3")  # the tickets history: a screen of its own, with Textual's Header
        await settle(pilot)

        def title() -> str:
            return str(app.screen.query_one("HeaderTitle").render())

        assert f"⏱ #{printer} " in title() and title().endswith("0:00")
        clock.advance(timedelta(minutes=42))
        app.screen_stack[0].query_one(TimerBadge).tick()  # the board's badge ticks under the history
        await settle(pilot)
        assert title().endswith("0:42")
        await pilot.press("escape")
        await settle(pilot)
        assert "⏱" not in str(app.screen.query_one("HeaderTitle").render())  # the board: in its own bar
        await pilot.press(TIMER_KEY)  # stopped: gone from every header
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert "⏱" not in title()
