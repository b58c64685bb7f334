"""The app's error boundary (issue 15): an unexpected error in a key's action, a message
handler, a palette command or a screen's callback is one notification line (a crash log for
a bug, the known sentence for a busy database); the app goes on, with the screen and what
was typed where they were. And every handler of ours is guarded (widgets/boundary.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import peewee
import pytest
from textual.message_pump import MessagePump

import organizer.tui
from organizer import failures
from organizer.clock import frozen
from organizer.tui.app import make_app
from organizer.tui.members import section as members_section
from organizer.tui.widgets.boundary import HANDLER_PREFIXES, is_guarded
from organizer.tui.widgets.confirm import Confirm
from organizer.tui.widgets.fast_table import FastTable
from tests.conftest import NOW, until

TUI = Path(organizer.tui.__file__).parent


@pytest.fixture
def crash_logs(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setattr(failures, "crash_folder", lambda: folder)
    return folder


def logs_in(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.exists() else []


def app_telling(monkeypatch) -> tuple:
    app = make_app(frozen(NOW))
    shown: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **options: shown.append(message))
    return app, shown


async def members_with_search_typed(app, pilot, text: str):
    """The Members section with `text` typed in its search, the list focused."""
    await pilot.press("2")
    await pilot.pause()
    await pilot.press("slash", *text)
    await pilot.pause()
    search = app.query_one("#member-search")
    assert search.value == text
    app.query_one("#member-table", FastTable).focus()
    await pilot.pause()
    return search


def broken_get_member(monkeypatch, error: Exception) -> None:
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(members_section, "get_member", broken)


async def test_a_key_whose_action_fails_unexpectedly_is_one_line_and_nothing_is_lost(
    sample_db, crash_logs, monkeypatch
):
    app, shown = app_telling(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await members_with_search_typed(app, pilot, "an")
        broken_get_member(monkeypatch, RuntimeError("a bug behind a key"))
        await pilot.press("e")  # edit the member: its action fails
        await until(pilot, lambda: shown, "the notification")
        assert app.is_running
        assert shown[0].startswith("unexpected error (RuntimeError: a bug behind a key)"), shown
        assert len(logs_in(crash_logs)) == 1
        assert str(logs_in(crash_logs)[0]) in shown[0]
        assert "a bug behind a key" in logs_in(crash_logs)[0].read_text(encoding="utf-8")
        assert search.value == "an"  # what was typed is still there, on the same screen
        assert app.screen is app.screen_stack[0] and app.current_section.id == "members"
        await pilot.press("3")  # and the app still answers
        await pilot.pause()
        assert app.current_section.id == "meetings"
    assert app.return_code in (None, 0)


async def test_a_busy_database_behind_a_key_says_so_without_a_crash_log(sample_db, crash_logs, monkeypatch):
    app, shown = app_telling(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await members_with_search_typed(app, pilot, "an")
        broken_get_member(monkeypatch, peewee.OperationalError("database is locked"))
        await pilot.press("e")
        await until(pilot, lambda: shown, "the notification")
        assert app.is_running
        assert shown == [failures.BUSY]
        assert logs_in(crash_logs) == []
        assert search.value == "an"


async def test_a_message_handler_that_fails_is_one_line_and_the_app_goes_on(sample_db, crash_logs, monkeypatch):
    app, shown = app_telling(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        search = await members_with_search_typed(app, pilot, "an")
        broken_get_member(monkeypatch, RuntimeError("a bug in a handler"))
        table = app.query_one("#member-table", FastTable)
        key = table.row_key_at(table.cursor_row)
        assert key is not None
        # What enter on a row posts; the section's on_fast_table_row_selected opens the member.
        table.post_message(FastTable.RowSelected(table, table.cursor_row, key))
        await until(pilot, lambda: shown, "the notification")
        assert app.is_running
        assert "unexpected error (RuntimeError: a bug in a handler)" in shown[0]
        assert len(logs_in(crash_logs)) == 1
        assert search.value == "an"


async def test_a_palette_command_that_fails_is_one_line_and_the_app_goes_on(sample_db, crash_logs, monkeypatch):
    from organizer.tui.mail import screens as mail_screens

    def broken(app) -> None:
        raise RuntimeError("a bug in a command")

    monkeypatch.setattr(mail_screens, "start_send", broken)
    app, shown = app_telling(monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Email the members…")
        app.call_later(command.callback)  # what the palette does with the chosen command
        await until(pilot, lambda: shown, "the notification")
        assert app.is_running
        assert "unexpected error (RuntimeError: a bug in a command)" in shown[0]
        assert len(logs_in(crash_logs)) == 1


async def test_a_screen_callback_that_fails_is_one_line_and_the_app_goes_on(sample_db, crash_logs, monkeypatch):
    app, shown = app_telling(monkeypatch)

    def answered(yes: bool | None) -> None:
        raise RuntimeError("a bug in a callback")

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.push_screen(Confirm("Sure?", "Yes", "No"), answered)
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, lambda: shown, "the notification")
        assert app.is_running
        assert "unexpected error (RuntimeError: a bug in a callback)" in shown[0]
        assert not isinstance(app.screen, Confirm)
        await pilot.press("2")
        await pilot.pause()
        assert app.current_section.id == "members"


def tui_classes() -> list[type]:
    """Every widget, screen and app class defined under organizer/tui."""
    found = []
    for info in pkgutil.walk_packages(organizer.tui.__path__, "organizer.tui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, MessagePump):
                found.append(cls)
    return found


def test_every_handler_and_action_of_ours_is_guarded():
    """A new screen whose Textual base comes first, or a handler added later, would end the
    app on its first error: mix in OnShell (or Guarded) first."""
    classes = tui_classes()
    assert len(classes) > 40  # the walk found them
    unguarded = sorted(
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in classes
        for name, value in vars(cls).items()
        if name.startswith(HANDLER_PREFIXES) and inspect.isfunction(value) and not is_guarded(value)
    )
    assert unguarded == []


def test_no_handler_is_declared_with_textuals_on_decorator():
    """`@on(...)` handlers are registered before the class is guarded: they would escape."""
    offenders = sorted(
        str(path.relative_to(TUI))
        for path in TUI.rglob("*.py")
        if any(line.lstrip().startswith("@on(") for line in path.read_text(encoding="utf-8").splitlines())
    )
    assert offenders == []
