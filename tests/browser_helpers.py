"""Waiting for the client browser to be still: on top of the store's answers,
the detail pane follows the typing once it pauses (ClientBrowser.DETAIL_DELAY)."""

from __future__ import annotations

from tests.pilot_helpers import settle


async def settle_browser(pilot) -> None:
    """Return once the app is still and no detail update is pending."""
    await settle(pilot, until=lambda: getattr(pilot.app.screen, "_detail_timer", None) is None)
