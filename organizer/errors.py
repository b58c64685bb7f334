"""The errors services raise, for the command line and the app to show as they are."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; its message is one clear line, shown as is."""


class NotFound(UserError):
    """A thing named by the user does not exist."""


class ValidationError(UserError):
    """Bad input: `fields` maps each field name to its message."""

    def __init__(self, fields: dict[str, str]):
        self.fields = dict(fields)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.fields.items()))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class StorageProblem(UserError):
    """The database could not do what was asked (busy, read-only, full, gone): one line
    saying so; nothing was written, and whatever the user typed is still there."""

    def __init__(self, message: str, *, busy: bool = False):
        super().__init__(message)
        self.busy = busy  # another writer holds the lock: trying again later may work
