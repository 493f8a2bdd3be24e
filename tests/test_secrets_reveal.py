"""A revealed secret reads in full, in a field of its own, at 80x24 in the client browser.

The values are made-up words, never anything that looks like a real password:
this file's pilots take no snapshot, and nothing here is written to disk.
"""

from __future__ import annotations

from datetime import timedelta

from textual.geometry import Region
from textual.widgets import DataTable, Static

from msptui.store.secrets import SecretCreate, add_secret
from msptui.ui.app import MsptuiApp
from msptui.ui.screens.secrets.panel import MASK
from tests.browser_helpers import settle_browser

# Longer than the detail pane is wide at 80 columns (about 45): it must wrap, not be cut.
LONG_TOKEN = "not-a-real-token-" * 6 + "end"
SHORT = "fake-wifi-pass"


def shown_lines(widget: Static) -> list[str]:
    """The lines the widget paints, as a user reads them."""
    width, height = widget.outer_size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def on_screen(app, widget) -> Region:
    """The part of `widget` visible on the screen (empty when scrolled away)."""
    return app.screen.find_widget(widget).region.intersection(app.screen.region)


async def into_secrets_of(app, pilot, letters: str) -> None:
    """F2, find the client by a few letters, then Tab into its secrets list."""
    await settle_browser(pilot)
    await pilot.press("f2")
    await settle_browser(pilot)
    await pilot.press(*letters, "down")
    await settle_browser(pilot)
    table = app.screen.query_one("#secrets-table", DataTable)
    for _ in range(8):
        if app.focused is table:
            break
        await pilot.press("tab")
        await settle_browser(pilot)
    assert app.focused is table


async def test_at_80x24_a_revealed_value_shows_in_full_beside_its_copy_key(paths, clock, sample, engine):
    add_secret(
        engine, sample["BOUL"], SecretCreate(label="Microsoft 365 admin", username="admin"), LONG_TOKEN, clock.now()
    )
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await into_secrets_of(app, pilot, "boul")
        field = app.screen.query_one("#secret-value", Static)
        keys = app.screen.query_one("#secret-value-keys", Static)
        assert "".join(shown_lines(field)).strip() == MASK
        await pilot.press("v")
        await settle_browser(pilot)
        lines = [line.strip() for line in shown_lines(field)]
        assert "".join(lines) == LONG_TOKEN  # every character, folded over several lines
        assert len(lines) > 1
        visible = on_screen(app, field)
        assert visible.height == len(lines) and visible.width == field.outer_size.width  # on screen, not clipped
        assert "p copy" in "".join(shown_lines(keys)) and on_screen(app, keys).width > 0
        await pilot.press("p")
        await settle_browser(pilot)
        assert app.clipboard == LONG_TOKEN


async def test_the_revealed_value_hides_after_twenty_seconds_or_on_another_secret(paths, clock, sample, engine):
    add_secret(engine, sample["BOUL"], SecretCreate(label="NAS root"), SHORT, clock.now())
    add_secret(engine, sample["BOUL"], SecretCreate(label="Wi-Fi admin"), "other-fake-pass", clock.now())
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await into_secrets_of(app, pilot, "boul")
        field = app.screen.query_one("#secret-value", Static)
        await pilot.press("v")
        await settle_browser(pilot)
        assert "".join(shown_lines(field)).strip() == SHORT
        await pilot.press("down")  # another secret: the field never shows a value under another label
        await settle_browser(pilot)
        assert "".join(shown_lines(field)).strip() == MASK
        await pilot.press("v")
        await settle_browser(pilot)
        assert "".join(shown_lines(field)).strip() == "other-fake-pass"
        clock.advance(timedelta(seconds=21))
        app.screen.query_one("SecretsPanel").hide_if_expired()
        await settle_browser(pilot)
        assert "".join(shown_lines(field)).strip() == MASK
