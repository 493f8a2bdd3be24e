"""Waiting for the client browser to be still: the store's answers and the
detail pane that follows the typing once it pauses (ClientBrowser.DETAIL_DELAY)."""

from __future__ import annotations


async def settle(app, pilot, rounds: int = 200) -> None:
    """Return once no worker runs and no detail update is pending (bounded, never a fixed sleep)."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause(0.02)
        pending = getattr(app.screen, "_detail_timer", None) is not None
        if not pending and not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the browser never settled")
