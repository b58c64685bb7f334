"""What a new group's name must be in a database that may hold other groups.

`--group NAME` finds a group by its exact name and `--group N` by its id, so a new name is
refused when another group has it, or when it is only digits. `group add`, the sample and
restore all ask here.
"""

from __future__ import annotations

from organizer.models import Group
from organizer.text import one_line, tidy


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a new group's name here, or None if it can."""
    name = tidy(name)
    if not name:
        return "a group needs a name"
    if name.isdigit():
        return "a group's name cannot be only digits (--group N means group id N)"
    if Group.select().where(Group.name == name).exists():
        return f"this database already has a group called “{one_line(name)}”"
    return None
