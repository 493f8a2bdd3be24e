"""The client's score, asked after a ticket is closed on the board and after a delivery is
delivered: 1 to 5 picks it, Enter saves, n records "not asked", Escape is "later" (nothing
recorded). The client browser's card then shows the client's satisfaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Input, Static

from msptui.store import satisfaction as S
from msptui.store import tickets as T
from msptui.store import time_entries as TE
from msptui.store.deliveries import open_delivery
from msptui.store.schemas.satisfaction import SatisfactionCreate
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.satisfaction.form import SatisfactionForm
from msptui.ui.screens.time.timer_keys import TIMER_KEY
from msptui.ui.widgets.confirm import ConfirmScreen
from tests.delivery_fixtures import fill_checklist, make_engagement
from tests.pilot_helpers import settle
from tests.test_tickets import make_contract, open_on

NARROW = (80, 24)


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


@pytest.fixture
def acme(engine):
    return make_contract(engine, code="ACME")


@pytest.fixture
def resolved(engine, clock, acme):
    """A ticket resolved, the only one on the board: `c` closes it."""
    ticket = open_on(engine, acme, clock.now() - timedelta(hours=2), title="Printer down")
    T.resolve(engine, ticket, clock.now() - timedelta(minutes=5), note="Replaced the toner")
    return ticket


def answers(engine, client_id):
    return [(r.ticket_id, r.delivery_id, r.score, r.comment, r.given_by) for r in S.current_answers(engine, client_id)]


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


def shown(widget) -> str:
    return str(widget.render()) if widget.display else ""


async def close_on_board(app, pilot) -> SatisfactionForm:
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, SatisfactionForm)
    return form


async def test_closing_a_ticket_asks_the_score_and_4_then_enter_saves_it(paths, clock, engine, acme, resolved):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        board = app.screen
        form = await close_on_board(app, pilot)
        assert T.get_ticket(engine, resolved).status == "closed"  # closed first, then asked
        assert f"#{resolved} Printer down — Client ACME" in shown(form.query_one("#form-intro"))
        await pilot.press("4")
        await settle(pilot)
        assert form.query_one("#field-comment", Input).has_focus  # the client's words can follow
        await pilot.press(*"Quick", "enter")
        await settle(pilot)
        assert app.screen is board
        assert answers(engine, acme[0]) == [(resolved, None, 4, "Quick", "")]
        assert toasts(app)[-1] == "Satisfaction recorded: 4/5 (satisfied)."


async def test_n_records_not_asked(paths, clock, engine, acme, resolved):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        board = app.screen
        await close_on_board(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is board
        assert answers(engine, acme[0]) == [(resolved, None, None, "", "")]
        assert toasts(app)[-1] == "Satisfaction recorded: not asked."


async def test_escape_is_later_nothing_recorded_nothing_asked_again(paths, clock, engine, acme, resolved):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        board = app.screen
        await close_on_board(app, pilot)
        await pilot.press("4", "escape")
        await settle(pilot)
        assert app.screen is board
        assert answers(engine, acme[0]) == []
        assert T.get_ticket(engine, resolved).status == "closed"
        assert not any("atisfaction" in m for m in toasts(app))


async def test_a_comment_too_long_is_said_next_to_it_and_nothing_is_saved(paths, clock, engine, acme, resolved):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        form = await close_on_board(app, pilot)
        await pilot.press("5")
        form.query_one("#field-comment", Input).value = "x" * 10_001
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form  # still open, what was typed kept
        assert shown(form.query_one("#error-comment")) == "Comment is too long (10001 characters, at most 1000)"
        assert form.query_one("#field-comment", Input).value == "x" * 10_001
        assert answers(engine, acme[0]) == []


async def test_enter_without_a_score_asks_for_one(paths, clock, engine, acme, resolved):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        form = await close_on_board(app, pilot)
        await pilot.press("tab")  # to the comment, no score picked
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert shown(form.query_one("#error-score")) == "Press 1 to 5 for the client's score, or n if you did not ask."
        assert answers(engine, acme[0]) == []


async def test_with_its_timer_running_the_timer_is_asked_first_then_the_score(paths, clock, engine, acme, resolved):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press(TIMER_KEY)
        await settle(pilot)
        clock.advance(timedelta(minutes=10))
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # one question at a time
        assert "Stop it now?" in app.screen.question
        assert len(app.screen_stack) == 2
        await pilot.press("y")
        await settle(pilot)
        assert TE.running_timer(engine) is None
        assert isinstance(app.screen, SatisfactionForm)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert answers(engine, acme[0]) == [(resolved, None, 3, "", "")]


async def test_resolving_does_not_ask_the_score(paths, clock, engine, acme):
    ticket = open_on(engine, acme, clock.now() - timedelta(hours=1), title="Mail bounces")
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        board = app.screen
        await pilot.press("v")
        await settle(pilot)
        await pilot.press(*"Quota raised", "enter")
        await settle(pilot)
        assert app.screen is board
        assert T.get_ticket(engine, ticket).status == "resolved"


async def test_marking_a_delivery_delivered_asks_the_score(paths, clock, engine, acme):
    from msptui.ui.screens.deliveries.checklist import DeliveryScreen

    engagement = make_engagement(engine, acme[0], clock.now())
    delivery = open_delivery(engine, engagement, clock.now())
    fill_checklist(engine, delivery, clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await app.push_screen(DeliveryScreen(engagement))
        await settle(pilot)
        clock.advance(timedelta(minutes=5))
        await pilot.press("m", "y")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SatisfactionForm)
        assert "delivery of “Serveur de fichiers NAS”" in shown(form.query_one("#form-intro"))
        await pilot.press("5", "tab", *"Sophie", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DeliveryScreen)
        assert answers(engine, acme[0]) == [(None, delivery, 5, "", "Sophie")]


async def test_the_client_card_shows_the_satisfaction(paths, clock, engine, acme, resolved):
    from tests.test_browser import card_text, open_browser

    now = clock.now()
    for days, score, comment in ((200, 3, ""), (60, 4, ""), (3, 5, "Quick and polite")):
        data = SatisfactionCreate(ticket_id=resolved, score=score, comment=comment, asked_at=now - timedelta(days=days))
        S.record_satisfaction(engine, data, now)
    S.record_satisfaction(engine, SatisfactionCreate(ticket_id=resolved, score=None, asked_at=now), now)
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        card = " ".join(card_text(app).split())
        assert "Satisfaction: 4.5/5 over 3 months (12 months: 4.0, 75 % answered) — last: «Quick and polite»" in card


async def test_a_client_never_asked_has_no_satisfaction_line(paths, clock, engine, acme):
    from tests.test_browser import card_text, open_browser

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(app, pilot)
        assert "Client ACME" in card_text(app) and "Satisfaction" not in card_text(app)
        assert app.screen.query_one("#client-card", Static) is not None
