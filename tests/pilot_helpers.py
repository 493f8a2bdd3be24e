"""Waiting for the app to be still, the one way every pilot test does it.

A key press or a store answer sets off a chain: a worker runs, its result
comes back as a message, the handler may start another worker. A test asserts
only once that chain has ended, never after a fixed number of rounds or a sleep.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.worker import WorkerCancelled

# Generous: a chain is a handful of rounds; more means the app never goes still.
ROUNDS = 200


# Textual's own flags for work left until the next idle: a repaint, a layout, a table's
# column widths. A snapshot taken while one is set shows a half-drawn screen.
PENDING = ("_repaint_required", "_layout_required", "_require_update_dimensions", "_updated_cells", "_dirty_widgets")


def _busy(app) -> bool:
    """A worker still running, a message waiting, or a widget on screen not yet redrawn."""
    if any(worker.is_running for worker in app.workers):
        return True
    try:
        pumps = [app, *app.screen.walk_children(with_self=True)]
    except Exception:  # no screen yet, or the app is closing: only the app's own queue counts
        pumps = [app]
    return any(pump.message_queue_size or any(getattr(pump, flag, False) for flag in PENDING) for pump in pumps)


async def settle(pilot, until: Callable[[], bool] | None = None) -> None:
    """Return once the app has been still for two rounds running (and `until()` holds, if given).

    `until` is for what the app waits on by design, a debounce timer for example,
    which no queue shows; while it does not hold, the round waits a little real time.
    Raises AssertionError if the app is not still after ROUNDS rounds.
    """
    app = pilot.app
    still_rounds = 0
    for _ in range(ROUNDS):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # replaced by a newer call of an exclusive group, as the app means it to be
        await pilot.pause(None if until is None or until() else 0.02)
        still = not _busy(app) and (until is None or until())
        still_rounds = still_rounds + 1 if still else 0
        if still_rounds == 2:
            return
    raise AssertionError(f"the app was not still after {ROUNDS} rounds")
