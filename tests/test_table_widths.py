"""A table's header lines up with its rows, however early the screen is painted.

Seen in CI under load: the engagement's checks table painted its header before
the rows' widths were measured, and the header kept the narrow widths.
"""

from __future__ import annotations

from textual.app import App, ComposeResult

from msptui.ui.widgets.table import Table
from tests.pilot_helpers import settle


class _OneTable(App[None]):
    def compose(self) -> ComposeResult:
        table = Table()
        table.styles.height = 5  # its size does not change as rows come: no resize repaints it
        table.add_columns("#", "Checked at", "I")
        yield table


async def test_the_header_widens_with_rows_added_after_it_was_painted():
    app = _OneTable()
    async with app.run_test(size=(60, 5)) as pilot:
        await settle(pilot)
        table = app.query_one(Table)
        table.add_row("1", "2026-11-13 10:00", "partly")
        table.render_line(0)  # a paint before the table's idle pass measured the new row
        await settle(pilot)
        header, row = table.render_line(0).text, table.render_line(1).text
        assert header.index("I ") == row.index("partly")
