"""The yardstick for cold start: a bare Textual app showing one DataTable.

It imports nothing but Textual, fills a screenful of rows before its first
frame, and (like msptui with MSPTUI_BENCH_EXIT=first-frame) prints
"msptui-bench first-frame <time.monotonic()>" and exits once that frame is out.

    python bench/bare_app.py
"""

from __future__ import annotations

import atexit
import os
import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable

ROWS = 40


class BareTableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("client", "title", "priority", "status", "due")
        table.add_rows((f"Client {n}", f"Ticket {n}", f"P{1 + n % 4}", "new", f"{n % 24:02d}:00") for n in range(ROWS))

    def on_ready(self) -> None:
        # Same moment as msptui's hook: Textual's Ready follows the first frame.
        if os.environ.get("MSPTUI_BENCH_EXIT") == "first-frame":
            atexit.register(print, f"msptui-bench first-frame {time.monotonic():.6f}", flush=True)
            self.exit()


if __name__ == "__main__":
    BareTableApp().run()
