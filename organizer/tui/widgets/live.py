"""A page that shows what other people change while it is open.

The app looks for changes made by another person or process (services/changes.py) and,
when it sees one, refreshes the section in view and every open page that is a `LivePage`.
A page's `refresh_data` reads again what it shows and keeps the reader's place (its
cursors, what is typed in its search). Forms are not live: what is typed in them wins.
"""

from __future__ import annotations


class LivePage:
    """Mixed into a page (a Screen) whose `refresh_data` reads it again in place."""

    def refresh_data(self) -> None:
        raise NotImplementedError
