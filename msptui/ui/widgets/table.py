"""The project's DataTable: a header that always lines up with its rows, and a cursor kept by identity.

Textual 8.2.8 measures new rows on the table's idle pass and widens the
columns, but keeps the lines it painted before that pass in a cache keyed by
its update count, which widening does not change. A header painted between
`add_row` and the idle pass (a busy machine, a screen painted as its data
arrives) stays at the old widths until the cursor moves. Seen in CI as a
flaky snapshot of the engagement's checks table. Re-check on a Textual upgrade.

A list re-read from the store (on resume, after a change) is cleared and
refilled, and its order may change: `cursor_key` before the refill and
`keep_cursor_on` after it keep the cursor on the same record, not the same
row number.
"""

from __future__ import annotations

from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist


class Table(DataTable):  # type: ignore[type-arg]
    def _update_dimensions(self, new_rows):  # noqa: ANN001, ANN202 - DataTable's own hook (textual pinned)
        widths = [column.content_width for column in self.columns.values()]
        super()._update_dimensions(new_rows)
        if widths != [column.content_width for column in self.columns.values()]:
            self._update_count += 1  # the key of every cached line: those painted at the old widths
            self.refresh()

    def cursor_key(self) -> str | None:
        """The key of the row under the cursor (None on an empty table)."""
        if not self.row_count or not 0 <= self.cursor_row < self.row_count:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    def keep_cursor_on(self, key: str | None) -> bool:
        """Put the cursor on the row whose key is `key`, wherever it now is; False when no row has it
        (the cursor then stays where the table put it)."""
        if key is None:
            return False
        try:
            row = self.get_row_index(key)
        except RowDoesNotExist:
            return False
        self.move_cursor(row=row, animate=False)
        return True
