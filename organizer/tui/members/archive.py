"""Archiving a member, asked first: from the Members list and from a member's page."""

from __future__ import annotations

from organizer.services.members import archive_member
from organizer.services.records import Member
from organizer.tui.widgets.confirm import Confirm


def confirm_archive(app, member: Member, then) -> None:
    """Ask, then archive `member` (status alumni; history kept) and call `then()`."""
    if member.status == "alumni":
        app.notify(f"{member.name} is already alumni.", timeout=3)
        return

    def answered(sure: bool | None) -> None:
        if sure:
            archive_member(member, now=app.clock())
            app.notify(f"{member.name} is now alumni. Their referrals, posts and attendance stay.", timeout=4)
            then()

    app.push_screen(
        Confirm(
            f"Archive {member.name}?",
            "Archive",
            detail="They become alumni and free their category. Nothing they did is deleted.",
        ),
        answered,
    )
