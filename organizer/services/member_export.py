"""The roster as plain records for the CSV and vCard exports (which never see the database),
and the export itself, by the file's suffix, shared by `organizer export members` and the app."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from peewee import JOIN

from organizer.errors import UserError
from organizer.exports.members_csv import MEMBER_COLUMNS, members_csv
from organizer.exports.vcard import members_vcard
from organizer.exports.xlsx import xlsx_bytes
from organizer.files import write_private
from organizer.models import Group, Member
from organizer.services.members import STATUS_LABELS

EXPORT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".vcf": "vcard", ".vcard": "vcard"}
WRONG_SUFFIX = "the file name must end in .csv, .xlsx or .vcf"


def export_kind(path: Path | str) -> str:
    """ "csv", "xlsx" or "vcard", by the file name's suffix; a UserError for any other."""
    path = Path(path)
    kind = EXPORT_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise UserError(f"{path.name}: {WRONG_SUFFIX}")
    return kind


def export_members(group: Group, path: Path | str, statuses: Sequence[str] | None = None) -> tuple[Path, int]:
    """Write the members (or those in `statuses`) to `path`, private and atomic.

    CSV, a spreadsheet or vCard by the suffix (see `export_kind`); returns the file written and how
    many members it holds.
    """
    kind = export_kind(path)
    records = member_records(group, statuses)
    if kind == "csv":
        data = members_csv(records)
    elif kind == "xlsx":
        data = xlsx_bytes(
            "Members", MEMBER_COLUMNS, ([record[column] for column in MEMBER_COLUMNS] for record in records)
        )
    else:
        data = members_vcard(records, categories=group.name)
    return write_private(path, data), len(records)


def member_records(group: Group, statuses: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Every member (or those in `statuses`) by name, as dicts of text.

    Keys are the import's columns (so an exported file imports back unchanged) plus a
    stable `uid` for vCard. The inviter is named by email when they have one, else by name.
    """
    inviter = Member.alias()
    query = (
        Member.select(Member, inviter)
        .join(inviter, JOIN.LEFT_OUTER, on=(Member.invited_by == inviter.id), attr="inviter")
        .where(Member.group == group)
        .order_by(Member.name, Member.id)
    )
    if statuses:
        query = query.where(Member.status.in_(list(statuses)))
    records = []
    for member in query:
        invited = getattr(member, "inviter", None)
        records.append(
            {
                "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"organizer:group:{group.id}:member:{member.id}")),
                "name": member.name,
                "business": member.business,
                "category": member.category,
                "email": member.email,
                "phone": member.phone,
                "website": member.website,
                "joined": member.joined_on.isoformat() if member.joined_on else "",
                "renewal_due": member.renewal_due.isoformat() if member.renewal_due else "",
                "status": STATUS_LABELS.get(member.status, member.status),
                "invited_by": (invited.email or invited.name) if invited and invited.id else "",
                "good_referral": member.good_referral,
                "bio": member.bio,
                "notes": member.notes,
            }
        )
    return records
