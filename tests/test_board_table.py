"""The board's table draws what its cells hold, whichever rows were on screen when they changed
(it skips repainting for a row not drawn since the last change: see BoardTable.update_cell)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from msptui.ui.screens.tickets.board_layout import BoardTable
from tests.pilot_helpers import settle
from tests.test_board import one_ticket, technician_in_paris  # noqa: F401 - fixtures

ROWS = 300


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield BoardTable(id="board", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(BoardTable)
        table.add_column("#", width=4, key="id")
        table.add_column("Clock", width=16, key="clock")
        for n in range(ROWS):
            table.add_row(Text(str(n)), Text(f"{n}m left"), key=str(n))


def shown(table: BoardTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def line_of(table: BoardTable, n: int) -> str:
    return next(line for line in shown(table) if line.split() and line.split()[0] == str(n))


async def test_a_row_changed_off_screen_shows_its_new_cells_once_scrolled_to():
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(BoardTable)
        assert "0m left" in line_of(table, 0)

        with app.batch_update():
            table.update_cell("250", "clock", Text("late Tue 18:00"))  # never drawn
            table.update_cell("0", "clock", Text("✓ met"))  # on screen
        await settle(pilot)
        assert "✓ met" in line_of(table, 0)

        table.move_cursor(row=250)
        await settle(pilot)
        assert "late Tue 18:00" in line_of(table, 250)

        # Row 0 was drawn, then scrolled away: its change still shows when it comes back.
        table.update_cell("0", "clock", Text("✗ late"))
        await settle(pilot)
        table.move_cursor(row=0)
        await settle(pilot)
        assert "✗ late" in line_of(table, 0)
        assert table.get_cell("250", "clock").plain == "late Tue 18:00"

        table.update_cell("1", "clock", Text("‖ 4h00"))  # on screen
        await settle(pilot)
        assert "‖ 4h00" in line_of(table, 1)


async def test_rows_added_removed_and_sorted_are_drawn_in_their_new_order():
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(pilot)
        table = app.query_one(BoardTable)
        table.remove_row("0")
        table.add_row(Text("-1"), Text("first"), key="-1")
        table.sort("id", key=lambda cell: int(cell.plain))
        await settle(pilot)
        assert [int(row.key.value) for row in table.ordered_rows][:3] == [-1, 1, 2]
        assert shown(table)[1].split()[:2] == ["-1", "first"]  # under the header line
        assert len(table.ordered_rows) == ROWS


def on_screen(table) -> str:
    """The table's lines as painted, through the widget's own line cache."""
    return "\n".join(strip.text for strip in table.render_lines(table.size.region))


async def test_the_board_shows_a_countdown_move_on_the_next_tick(paths, clock, one_ticket):  # noqa: F811
    # Found in review: DataTable raises its change count on a resize (also when rows
    # come and change its scrollable size) without repainting, and the visible
    # countdown kept its old text on screen, breach included, until the cursor moved.
    from datetime import timedelta

    from msptui.ui.app import MsptuiApp
    from tests.test_board import SIZE, board_of, cell

    app = MsptuiApp(paths, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = board_of(app)
        for _ in range(2):
            clock.advance(timedelta(minutes=7))
            board.tick()
            await settle(pilot)
            now_shown = cell(board, one_ticket, "response").plain.split()[0]
            assert now_shown in on_screen(board.table)
