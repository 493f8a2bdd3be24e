"""A store answer reaches only the screen that asked, and only while it is open.

Each test makes one store call slow with a real `threading.Event`, closes the
screen that asked while the call runs, then lets the call finish: the answer
(or the refusal) is dropped, the app keeps running, and no crash report is written.
"""

from __future__ import annotations

import threading

import pytest

from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle

WAIT = 10  # seconds: a bound on a thread that is already released, never a pause


class SlowCall:
    """Stands in for a store function: holds its thread until `release()`."""

    def __init__(self, answer=None, refusal: Exception | None = None) -> None:
        self.started = threading.Event()
        self._go = threading.Event()
        self.finished = threading.Event()
        self.answer = answer
        self.refusal = refusal

    def __call__(self, engine, *args, **kwargs):
        self.started.set()
        try:
            assert self._go.wait(WAIT), "the test never released the call"
            if self.refusal is not None:
                raise self.refusal
            return self.answer
        finally:
            self.finished.set()

    def release(self) -> None:
        self._go.set()
        assert self.finished.wait(WAIT)


def crash_reports(paths) -> list:
    folder = paths.data / "crash"
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_leaving_deliveries_before_they_are_read_drops_the_answer(paths, clock, sample, monkeypatch):
    """The issue's scenario: open Deliveries, press Escape while the list is read."""
    from msptui.store import deliveries
    from msptui.ui.screens.deliveries.overview import DeliveriesScreen
    from msptui.ui.screens.tickets.board import BoardScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        slow = SlowCall(answer=deliveries.deliveries_overview(app.store.engine))
        monkeypatch.setattr(deliveries, "deliveries_overview", slow)
        app.action_section("Deliveries")
        await pilot.pause()
        assert isinstance(app.screen, DeliveriesScreen)
        assert slow.started.wait(WAIT)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        slow.release()
        await settle(pilot)

        assert isinstance(app.screen, BoardScreen)
        assert app.is_running
        assert crash_reports(paths) == []


async def test_the_answer_still_reaches_a_screen_that_stays_open(paths, clock, sample, monkeypatch):
    """The same slow read, but the user waits: the list shows (the seam drops only what is stale)."""
    from textual.widgets import DataTable

    from msptui.store import deliveries
    from msptui.ui.screens.deliveries.overview import DeliveriesScreen

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        rows = deliveries.deliveries_overview(app.store.engine)
        assert rows, "the sample data has deliveries"
        slow = SlowCall(answer=rows)
        monkeypatch.setattr(deliveries, "deliveries_overview", slow)
        app.action_section("Deliveries")
        await pilot.pause()
        assert slow.started.wait(WAIT)
        slow.release()
        await settle(pilot)

        assert isinstance(app.screen, DeliveriesScreen)
        assert app.screen.query_one("#deliveries", DataTable).row_count == len(rows)


def _slow_form(slow: SlowCall):
    from msptui.ui.widgets.form import FieldSpec, FormScreen

    return FormScreen("Slow form", [FieldSpec("title", "Title", value="Printer jam")], slow)


@pytest.mark.parametrize("outcome", ["saved", "refused"])
async def test_a_form_closed_while_saving_neither_closes_another_screen_nor_crashes(paths, clock, sample, outcome):
    """Ctrl+S, then Escape before the store answers: the form is gone; its late answer
    must not dismiss the screen beneath it, nor write errors into a form no longer shown."""
    from msptui.store.clients import RefusedError
    from msptui.ui.screens.tickets.board import BoardScreen

    slow = SlowCall(answer=42) if outcome == "saved" else SlowCall(refusal=RefusedError("No, and here is why."))
    app = MsptuiApp(paths, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        dismissed: list[object] = []
        app.push_screen(_slow_form(slow), dismissed.append)
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert slow.started.wait(WAIT)
        await pilot.press("escape")
        await pilot.pause()
        assert dismissed == [None]

        slow.release()
        await settle(pilot)

        assert dismissed == [None]
        assert isinstance(app.screen, BoardScreen)
        assert app.is_running
        assert crash_reports(paths) == []
