"""Nothing typed is lost: what each screen holds unsaved, its drafts written before a signal
ends the app, quitting that asks first, and the drafts a crash left offered back."""

from __future__ import annotations

from textual.screen import Screen

from organizer.tui.shell_groups import ShellGroups
from organizer.tui.widgets.choice import Choice


class ShellWork(ShellGroups):
    """Keeping what is typed."""

    def unsaved_work(self) -> list[tuple[Screen, str]]:
        """What quitting now would lose, screen by screen, the top one first."""
        found: list[tuple[Screen, str]] = []
        for screen in reversed(self.screen_stack):
            telling = getattr(screen, "unsaved_work", None)
            if telling is not None:
                found.extend((screen, line) for line in telling())
        return found

    def save_drafts(self) -> None:
        """Write every open screen's draft now (a signal is about to end the app)."""
        for screen in self.screen_stack:
            keep = getattr(screen, "save_draft", None)
            if keep is not None:
                try:
                    keep()
                except Exception:  # one screen failing must not stop the others' drafts
                    continue

    async def action_quit(self) -> None:
        """Quit; with unsaved work, ask first: save it, discard it, or stay."""
        unsaved = self.unsaved_work()
        if not unsaved:
            self.exit()
            return
        if isinstance(self.screen, Choice):
            return

        def answered(answer: str | None) -> None:
            screens = list(dict.fromkeys(screen for screen, _ in unsaved))
            if answer == "save":
                for screen in screens:
                    # A screen that listed unsaved work is a form or meeting mode: it has both.
                    problem = screen.save_unsaved()  # type: ignore[attr-defined]
                    if problem:
                        self.notify(f"Not quitting — {problem}", severity="error", timeout=8)
                        return
                self.exit()
            elif answer == "discard":
                for screen in screens:
                    screen.discard_unsaved()  # type: ignore[attr-defined]
                self.exit()

        lines = [line for _, line in unsaved]
        self.push_screen(
            Choice(
                "Quit with unsaved work?",
                lines,
                [
                    ("save", "Save and quit", "s"),
                    ("discard", "Discard and quit", "d"),
                    ("stay", "Stay", "escape"),
                ],
            ),
            answered,
        )

    def offer_recovered(self) -> None:
        """After a crash: say what was recovered and offer it back into the same screens."""
        from organizer.tui import drafts

        if self.group is None:
            return
        found = drafts.recoverable(self)
        if not found:
            return

        def answered(answer: str | None) -> None:
            if answer == "restore":
                for title in drafts.restore(self, found):
                    self.notify(f"{title}: what it belonged to is gone; the draft was dropped.", severity="warning")
            elif answer == "discard":
                drafts.discard(self, found)

        self.push_screen(
            Choice(
                "Recovered from the last session",
                [drafts.describe(draft) for draft in found],
                [("restore", "Restore", "r"), ("discard", "Discard", "d"), ("later", "Later", "escape")],
                cancel="later",
            ),
            answered,
        )

    def after_restored(self, _result=None) -> None:
        """A restored screen closed: the section under it shows what it saved."""
        if self.screen is self.screen_stack[0] and self.group is not None:
            self.current_section.refresh_data()
