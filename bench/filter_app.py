"""Reference for typing in a filter: an Input above a DataTable refilled with the first
50 matches of the query among N names on each keystroke.

Imports nothing but Textual: a plain substring match over lower-cased names
(the list is made once), then `clear()` and `add_rows` of the first 50. This
is what a straightforward Textual app would do; msptui's client browser is
measured against it (bench/filter_bench.py, same harness, same run).

    python bench/filter_app.py [N]
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

SHOWN = 50


class FilterTableApp(App[None]):
    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names
        self.folded = [name.lower() for name in names]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Filter", id="filter")
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("name", "code")
        self._fill("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        needle = query.lower()
        shown = []
        for n, folded in enumerate(self.folded):
            if needle in folded:
                shown.append((self.names[n], f"C{n + 1:05d}"))
                if len(shown) == SHOWN:
                    break
        table = self.query_one(DataTable)
        table.clear()
        table.add_rows(shown)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    FilterTableApp([f"Client {n} Dupont Lyon" for n in range(count)]).run()
