"""Reference for idle CPU: the bare DataTable app (bench/bare_app.py) with a one-second clock.

A Static updated every second, as an application's header clock would be
(an honest one: an ordinary `update`, which lays the screen out again).
Imports nothing but Textual. With MSPTUI_BENCH_EXIT=first-frame it behaves as
the bare app; otherwise it runs until quit (ctrl+q), ticking.

    python bench/clock_app.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import DataTable, Static

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: its sibling
from bare_app import BareTableApp  # noqa: E402


class ClockTableApp(BareTableApp):
    def compose(self) -> ComposeResult:
        yield Static(time.strftime("%H:%M:%S"), id="clock")
        yield DataTable()

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(1, self._tick)

    def _tick(self) -> None:
        self.query_one("#clock", Static).update(time.strftime("%H:%M:%S"))


if __name__ == "__main__":
    ClockTableApp().run()
