"""The dashboard's board: six boxes drawn by one widget, a selected box, keys and clicks."""

from __future__ import annotations

from textual.app import App

from organizer.tui.widgets.board import Board, BoardPanel

PANELS = [BoardPanel(f"p{i}", f"Panel {i}") for i in range(6)]


class OneBoard(App):
    def __init__(self):
        super().__init__()
        self.opened: list[str] = []

    def compose(self):
        yield Board(PANELS, columns=3)

    def on_mount(self):
        self.query_one(Board).focus()

    def on_board_opened(self, event):
        self.opened.append(event.panel_id)


def line_text(board: Board, y: int) -> str:
    return "".join(segment.text for segment in board.render_line(y))


async def test_boxes_tile_the_board_with_titles_hints_and_content():
    app = OneBoard()
    async with app.run_test(size=(62, 20)) as pilot:
        board = app.query_one(Board)
        board.update("p4", "[b]hello[/b] world")
        await pilot.pause()
        boxes = board.boxes()
        assert [box.region.width for box in boxes[:3]] == [19, 19, 20]  # 62 − 2 margins − 2 gutters, the rest last
        assert all(box.region.height == 10 for box in boxes)
        assert line_text(board, 0).startswith(" ╭─ Panel 0 ─")
        assert "enter ↵ ─╯" in line_text(board, 9)
        assert "│ hello world" in line_text(board, 11)
        assert all(len(line_text(board, y)) == 62 for y in range(20))


async def test_keys_move_the_selection_and_a_click_opens_a_box():
    app = OneBoard()
    async with app.run_test(size=(62, 20)) as pilot:
        board = app.query_one(Board)
        board.step(-1)
        assert board.selected == 5
        board.step(2)
        board.open()
        await pilot.pause()
        assert app.opened == ["p1"]
        box = board.boxes()[3]
        await pilot.click(Board, offset=(box.region.x + 2, box.region.y + 2))
        assert board.selected == 3 and app.opened == ["p1", "p3"]


async def test_two_columns_of_fixed_boxes_when_the_board_must_scroll():
    app = OneBoard()
    async with app.run_test(size=(50, 20)) as pilot:
        board = app.query_one(Board)
        board.styles.height = "auto"
        board.set_columns(2)
        await pilot.pause()
        assert board.rows == 3 and board.size.height == 33
        assert {box.region.height for box in board.boxes()} == {11}
