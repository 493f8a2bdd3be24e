"""The project's DataTable: a header that always lines up with its rows.

Textual 8.2.8 measures new rows on the table's idle pass and widens the
columns, but keeps the lines it painted before that pass in a cache keyed by
its update count, which widening does not change. A header painted between
`add_row` and the idle pass (a busy machine, a screen painted as its data
arrives) stays at the old widths until the cursor moves. Seen in CI as a
flaky snapshot of the engagement's checks table. Re-check on a Textual upgrade.
"""

from __future__ import annotations

from textual.widgets import DataTable


class Table(DataTable):  # type: ignore[type-arg]
    def _update_dimensions(self, new_rows):  # noqa: ANN001, ANN202 - DataTable's own hook (textual pinned)
        widths = [column.content_width for column in self.columns.values()]
        super()._update_dimensions(new_rows)
        if widths != [column.content_width for column in self.columns.values()]:
            self._update_count += 1  # the key of every cached line: those painted at the old widths
            self.refresh()
