"""Forms: a message under a field speaks of what is typed now."""

from __future__ import annotations

from textual.widgets import Input, Static

from msptui.ui.app import MsptuiApp
from tests.browser_helpers import settle_browser
from tests.test_browser import open_browser, plain


async def _client_form_with_a_bad_time_zone(app, pilot):
    await open_browser(app, pilot)
    await pilot.press("down", "n")
    await pilot.pause()
    form = app.screen
    form.query_one("#field-name", Input).value = "Chez Zoé"
    form.query_one("#field-code", Input).value = "ZOE"
    form.query_one("#field-timezone", Input).value = "Europe/Pariss"
    await pilot.press("ctrl+s")
    await settle_browser(pilot)
    return form


async def test_the_message_under_a_field_goes_once_the_field_is_changed(paths, clock, sample):
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _client_form_with_a_bad_time_zone(app, pilot)
        error = form.query_one("#error-timezone", Static)
        assert "is not a known time zone" in plain(error)
        await pilot.press("backspace")  # the cursor is in the time zone field
        await pilot.pause()
        assert plain(error).strip() == "" and error.has_class("-empty")


async def test_an_empty_note_field_can_be_seen_and_says_what_to_write(paths, clock, engine):
    from textual.widgets import TextArea

    from msptui.ui.screens.tickets.forms import note_form

    app = MsptuiApp(paths, clock, open_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(note_form(1, clock))
        await pilot.pause()
        field = app.screen.query_one("#field-note", TextArea)
        assert field.placeholder == "What was done or said"
        assert field.styles.background != app.screen.query_one("Vertical").styles.background
