"""Snapshot of the board at 80x24 with a timer running (issue 16): the header shows the
ticket and its elapsed time, and the counts keep their short words beside it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from msptui.store import time_entries as TE
from msptui.ui.app import MsptuiApp
from tests.pilot_helpers import settle


@pytest.fixture(autouse=True)
def technician_in_paris(monkeypatch):
    monkeypatch.setenv("MSPTUI_TZ", "Europe/Paris")


def test_board_with_a_running_timer_at_80x24(snap_compare, paths, clock, engine, sample):
    # Started 42 minutes ago on the most urgent ticket (#7, "Wifi du cabinet instable").
    TE.start_timer(engine, ticket_id=7, now=clock.now() - timedelta(minutes=42))
    assert snap_compare(MsptuiApp(paths, clock), terminal_size=(80, 24), run_before=settle)
