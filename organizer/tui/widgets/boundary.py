"""The app's error boundary for what a person does: a key's action, a palette command, a
message handler (a button pressed, enter in a line), a screen's answer to its caller.

Textual ends the app on any error there. Here an unexpected error becomes one notification
line instead (`organizer.failures.one_line`: a crash log for a bug, the known sentence for a
busy, read-only or full database; a UserError says itself), and the app goes on with the
screen and everything typed where they were.

Two doors, both Textual's public API: the app guards what passes through it (`App.run_action`
for every key binding, `push_screen`'s callback, the palette's commands: see
tui/shell_state.py); and every class of ours that handles messages mixes in `Guarded` (first,
before its Textual base; `OnShell` brings it), which wraps its own `on_*` and `action_*`
methods when the class is made. tests/test_architecture.py checks that none is left out.
A form's save and a section's background job keep their own, more precise boundaries
(widgets/form.py, widgets/section.py).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from textual.actions import SkipAction
from textual.app import App

from organizer import failures
from organizer.errors import UserError

GUARDED = "_organizer_guarded"  # the mark a guarded method or callback carries
HANDLER_PREFIXES = ("on_", "action_")

Call = TypeVar("Call", bound=Callable[..., Any])


def report(app: App, error: Exception) -> None:
    """Tell what failed in one line; the app goes on."""
    line = str(error) if isinstance(error, UserError) else failures.one_line(error)
    app.notify(line, severity="error", timeout=10)


def guarded_call(app: App, call: Call) -> Call:
    """`call` (sync or async) with its errors told by `app` instead of ending it; it keeps
    `call`'s signature, which Textual reads to pass a callback its arguments."""
    if is_guarded(call):
        return call

    @functools.wraps(call)
    def run(*args: Any, **kwargs: Any) -> Any:
        return _run(app, call, args, kwargs)

    setattr(run, GUARDED, True)
    return cast(Call, run)


def guarded(method: Call) -> Call:
    """A handler or action method of a widget, screen or app, guarded the same way."""
    if is_guarded(method):
        return method

    @functools.wraps(method)
    def run(node: Any, *args: Any, **kwargs: Any) -> Any:
        app = node if isinstance(node, App) else node.app
        return _run(app, method, (node, *args), kwargs)

    setattr(run, GUARDED, True)
    return cast(Call, run)


def is_guarded(call: object) -> bool:
    return bool(getattr(call, GUARDED, False))


def _run(app: App, call: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    try:
        result = call(*args, **kwargs)
    except SkipAction:  # an action declining its key: Textual passes the key on
        raise
    except Exception as error:
        report(app, error)
        return None
    if inspect.isawaitable(result):
        return _settle(app, result)
    return result


async def _settle(app: App, pending: Awaitable[Any]) -> Any:
    try:
        return await pending
    except SkipAction:
        raise
    except Exception as error:
        report(app, error)
        return None


class Guarded:
    """Mixed in first: the class's own `on_*` and `action_*` methods are guarded (`guarded`).

    Handlers are named `on_*`: one declared with Textual's `@on(...)` is registered before
    this runs, so it would escape (the architecture test refuses `@on` under tui/)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith(HANDLER_PREFIXES) and inspect.isfunction(value) and not is_guarded(value):
                setattr(cls, name, guarded(value))
