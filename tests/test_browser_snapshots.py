"""Snapshots of the client browser and the contract view at 120x40, sample data, frozen clock."""

from __future__ import annotations

from msptui.ui.app import MsptuiApp
from tests.browser_helpers import settle_browser


def test_client_browser(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        await pilot.press("h", "o", "t")
        await settle_browser(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(120, 40), run_before=run_before)


def test_contract_view(snap_compare, paths, clock, sample):
    async def run_before(pilot):
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        await pilot.press("t", "i", "l", "l", "enter", "enter")
        await settle_browser(pilot)
        await pilot.press("enter")
        await settle_browser(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(120, 40), run_before=run_before)


def test_client_browser_on_a_call_at_80x24(snap_compare, paths, clock, sample):
    """A client on the line at 80x24: its open ticket with its SLA state, its contacts'
    phones and e-mails whole (no secret is revealed in any snapshot)."""

    async def run_before(pilot):
        await settle_browser(pilot)
        await pilot.press("f2")
        await settle_browser(pilot)
        await pilot.press("s", "c", "h", "m", "down")
        await settle_browser(pilot)
        pilot.app.screen.query_one("#client-tickets").scroll_visible(animate=False, top=True)
        await settle_browser(pilot)

    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=run_before)
