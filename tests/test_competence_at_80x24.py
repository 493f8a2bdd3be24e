"""On call, at 80x24: whatever needs the technician's attention is on screen.

The competence check is taller than the terminal: a refusal, the partner and
the risk statement are below the questions. Pressing a decision key, or saving
a check that is refused, brings what it concerns into view with the cursor on
it; a long form refused on saving does the same with its first field in error.
And a message follows the state: back from disclosing a conflict, the check no
longer says it is undisclosed.
"""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.widgets import Input, Static

from msptui.store import engagements
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle
from tests.test_engagement_screens import engagement_of, line, open_check, open_engagements

SIZE = (80, 24)


def on_screen(app, selector: str) -> bool:
    """The widget is displayed, inside the part of its scrolling form that can be seen."""
    widget = app.screen.query_one(selector)
    scroller = next(a for a in widget.ancestors if isinstance(a, ScrollableContainer))
    return widget.display and widget.region.height > 0 and scroller.content_region.contains_region(widget.region)


async def answer(pilot, *answers: str) -> None:
    for key in answers:
        await pilot.press(key, "enter")  # the answer, then Enter leaves the evidence as proposed
    await settle(pilot)


async def test_accepting_with_an_undisclosed_conflict_shows_the_refusal_under_the_keys(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(app, pilot, sample["SCHM"])
        await answer(pilot, "y", "y", "y")
        await pilot.press("a")
        await settle(pilot)
        assert "is not disclosed yet" in line(app, "#error-conflicts")
        assert on_screen(app, "#decision") and on_screen(app, "#error-conflicts")


async def test_accepting_against_the_answers_shows_why_it_is_refused(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await answer(pilot, "y", "n", "n")
        await pilot.press("a")
        await settle(pilot)
        assert line(app, "#error-decision").startswith("You did not answer a clear yes on II")
        assert on_screen(app, "#error-decision") and on_screen(app, "#outcome")


async def test_with_a_partner_the_partner_field_is_on_screen_with_the_cursor(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await answer(pilot, "y", "p", "y")
        await pilot.press("w")
        await settle(pilot)
        assert app.screen.focused.id == "partner_name"
        assert on_screen(app, "#partner_name") and on_screen(app, "#error-partner_name")


async def test_at_the_clients_request_the_risk_statement_is_on_screen_with_the_cursor(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await answer(pilot, "y", "n", "y")
        await pilot.press("j")
        await settle(pilot)
        assert app.screen.focused.id == "risk_statement"
        assert "at least 30 characters" in line(app, "#error-risk_statement")
        assert on_screen(app, "#risk_statement") and on_screen(app, "#error-risk_statement")


async def test_a_refused_save_puts_the_cursor_on_the_first_field_in_error_on_screen(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(app, pilot, sample["HORI"])
        await answer(pilot, "y", "p", "y")
        await pilot.press("w", *"Mobile Experts", "enter", *"Intune rollouts")
        # Back to the top of the form, then save without saying to whom the partner was disclosed.
        app.screen.query_one("#check-body").scroll_home(animate=False)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert app.screen.focused.id == "disclosed_to"
        assert line(app, "#error-disclosed_to") != ""
        assert on_screen(app, "#disclosed_to") and on_screen(app, "#error-disclosed_to")
    assert engagements.check_history(engine, engagement_of(engine, "HORI").id) == []


async def test_once_the_conflict_is_disclosed_the_check_no_longer_says_it_is_not(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_check(app, pilot, sample["SCHM"])
        await answer(pilot, "y", "p", "y")
        await pilot.press(
            "w", *"Reseaux Pro", "enter", *"Site surveys", "enter", *"Marc Schmitt", "enter", "enter", "m"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert "is not disclosed yet" in line(app, "#error-conflicts")
        assert on_screen(app, "#error-conflicts")

        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("d")  # the undisclosed conflict is first: disclosed now, by e-mail, accepted
        await settle(pilot)
        await pilot.press(*"Marc Schmitt", "enter", *"E-mail", "enter", "enter", "enter", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConflictsScreen"
        await pilot.press("escape")
        await settle(pilot)

        assert type(app.screen).__name__ == "CompetenceCheckScreen"
        assert line(app, "#check-warning") == ""
        assert line(app, "#error-conflicts") == ""
        assert not app.screen.query_one("#error-conflicts").display


async def test_a_long_form_refused_shows_its_first_field_in_error_and_why(paths, clock, engine, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await open_engagements(app, pilot, sample["NOTW"])
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#field-price", Input).value = "3900"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.focused.id == "field-change_reason"
        assert str(app.screen.query_one("#error-change_reason", Static).render()).startswith(
            "Since this engagement was accepted, its price changes only by a change request."
        )
        assert on_screen(app, "#field-change_reason") and on_screen(app, "#error-change_reason")
    assert str(engagement_of(engine, "NOTW").price) == "3400.00"
