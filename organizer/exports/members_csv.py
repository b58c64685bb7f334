"""The member roster as spreadsheet-safe CSV, in the columns `import members` reads back.

Records are plain dicts with the keys of MEMBER_COLUMNS (dates as YYYY-MM-DD, the
inviter as an email or name); importing the file into the same group changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from organizer.exports.csv_safe import csv_bytes

MEMBER_COLUMNS = (
    "name",
    "business",
    "category",
    "email",
    "phone",
    "website",
    "joined",
    "renewal_due",
    "status",
    "invited_by",
    "good_referral",
    "bio",
    "notes",
)


def members_csv(records: Iterable[Mapping[str, str]]) -> bytes:
    # With a BOM: the members file is the one people open straight in Excel.
    return csv_bytes(
        MEMBER_COLUMNS,
        ([record.get(column, "") for column in MEMBER_COLUMNS] for record in records),
        bom=True,
    )
