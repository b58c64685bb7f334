"""What every model shares: the database they are bound to, the stored values' choices,
the UTC time field and the base class.

Times are stored as UTC text (`UTCDateTimeField`) and come back timezone-aware; dates
(a member's join date, a referral's date) are plain calendar dates in the group's zone.
Money is integer minor units of the group's currency.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, overload

from peewee import AutoField, DatabaseProxy, Model, TextField

database = DatabaseProxy()

MEMBER_STATUSES = ("active", "on_leave", "alumni", "visitor", "applicant")
PROSPECT_STATUSES = ("visitor", "applicant")  # on the way in: visited, then applied
RSVP_STATES = ("needs_action", "accepted", "tentative", "declined")
PRESENCE_STATES = ("present", "absent", "late", "medical", "substitute")
MEETING_STATUSES = ("scheduled", "held", "skipped", "cancelled")
AGENDA_KINDS = (
    "open_networking",
    "education",
    "sixty_second_round",
    "spotlight",
    "referral_round",
    "carried_thread",
    "other",
)
THREAD_KINDS = ("discussion", "ask", "offer", "announcement")
REFERRAL_KINDS = ("inside", "outside")
REFERRAL_STATUSES = ("open", "contacted", "won", "lost")
ONE_TO_ONE_MODES = ("in_person", "video", "phone")
RECAP_AMOUNTS = ("show", "bucket", "hide")

_UTC_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


class UTCDateTimeField(TextField):
    """An aware datetime stored as sortable UTC text ('YYYY-MM-DD HH:MM:SS.ffffff').

    Naive datetimes are refused: a time without a zone is a bug waiting for daylight saving.
    """

    def db_value(self, value: datetime | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if value.tzinfo is None:
            raise ValueError(f"{self.name}: a naive datetime cannot be stored")
        return value.astimezone(UTC).strftime(_UTC_FORMAT)

    @overload
    def python_value(self, value: None) -> None: ...
    @overload
    def python_value(self, value: datetime | str) -> datetime: ...
    def python_value(self, value: datetime | str | None) -> datetime | None:
        if value is None or isinstance(value, datetime):
            return value
        return datetime.strptime(value, _UTC_FORMAT).replace(tzinfo=UTC)


class BaseModel(Model):
    id = AutoField()

    class Meta:
        database = database
        legacy_table_names = False

    if TYPE_CHECKING:
        # peewee adds a row's `<foreign key>_id` values and its backrefs (`group.members`)
        # when each model class is made, where a type checker cannot see them.
        def __getattr__(self, name: str) -> Any: ...
