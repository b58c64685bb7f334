"""FastTable, the line-API list behind the Members and Ledger sections: rows, cursor, keys, clicks, widths."""

from __future__ import annotations

from rich.text import Text
from textual.app import App

from organizer.tui.widgets.fast_table import FastTable, _cut


class OneTable(App):
    def __init__(self):
        super().__init__()
        self.highlighted: list[str | None] = []
        self.selected: list[str] = []

    def compose(self):
        yield FastTable(id="t")

    def on_mount(self):
        table = self.query_one(FastTable)
        table.add_column("Name", width=12)
        table.add_column("City", width=8)
        for index in range(100):
            table.add_row(Text(f"Person {index:02d}"), "Kitchener", key=str(index))
        table.focus()

    def on_fast_table_row_highlighted(self, event):
        self.highlighted.append(event.row_key)

    def on_fast_table_row_selected(self, event):
        self.selected.append(event.row_key)


def test_cells_are_cut_to_their_width_in_cells_with_an_ellipsis():
    assert _cut("Zoë", 5) == " Zoë   "
    assert _cut("Lefèvre Design Studio", 8) == " Lefèvre… "
    assert _cut("陈静陈静", 5) == " 陈静… "  # wide letters count two cells


async def test_keys_move_the_cursor_and_keep_it_in_view_and_enter_selects():
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(FastTable)
        assert table.row_count == 100 and table.get_row_at(3)[0].plain == "Person 03"
        await pilot.press("down", "down")
        assert table.cursor_row == 2 and app.highlighted[-1] == "2"
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 99 and table.scroll_y > 80  # the last row is on screen
        await pilot.press("home", "pagedown")
        await pilot.pause()
        assert 0 < table.cursor_row < 12
        await pilot.press("enter")
        assert app.selected == [table.row_key_at(table.cursor_row)]
        table.clear()
        assert table.row_count == 0 and table.cursor_row == 0 and table.row_key_at(0) is None


async def test_a_click_moves_the_cursor_and_a_click_on_it_selects():
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(FastTable)
        await pilot.click(FastTable, offset=(2, 4))  # the header is line 0: row 3
        assert table.cursor_row == 3 and app.selected == []
        await pilot.click(FastTable, offset=(2, 4))
        assert app.selected == ["3"]


async def test_a_cells_own_style_and_a_right_justified_number_are_drawn():
    app = OneTable()
    async with app.run_test(size=(40, 12)) as pilot:
        table = app.query_one(FastTable)
        table.clear()
        amount = Text("$1,250", justify="right")
        table.add_row(Text("Voided row", style="dim strike"), amount, key="v")
        await pilot.pause()
        line = table.render_line(1)
        name = next(segment for segment in line if segment.text.startswith("Voided"))
        assert name.style.strike and name.style.dim
        # The second column's 8 cells start after the first's 12 and three paddings.
        assert line.text.index("$1,250") == 12 + 3 + 8 - len("$1,250")
