"""Reading a member spreadsheet: bytes in, rows of member fields out, with line numbers.

Files come from spreadsheets and chapter tools, so this module is forgiving about the
container and strict about nothing else (the values are checked by the member rules):

- encoding and delimiter: as services.csv_input reads every spreadsheet file;
- headers: matched ignoring case, spaces and punctuation against the aliases below
  ("Email Address", "E-mail" and "email" are the same column); "First Name" and
  "Last Name" are joined into the name. Unknown columns are reported and ignored;
- a cell that a spreadsheet-safe export escaped ('=…, '+…, '-…, '@…) loses its quote.

Line numbers are physical lines (the header is line 1), so a quoted cell that spans
lines does not throw off the numbers of the rows after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from organizer.errors import UserError
from organizer.services.csv_input import read_table, unescape
from organizer.text import one_line

# Every column the import understands, by member field, each with the header spellings
# seen in spreadsheets and chapter rosters (normalised: lower case, letters and digits only).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "membername", "contactname", "displayname", "member", "nameofmember"),
    "first_name": ("firstname", "givenname", "first", "forename"),
    "middle_name": ("middlename", "additionalname", "middle"),
    "last_name": ("lastname", "surname", "familyname", "last"),
    "business": (
        "business",
        "businessname",
        "company",
        "companyname",
        "organization",
        "organisation",
        "organizationname",
        "organisationname",
        "organization1name",
        "org",
        "employer",
        "firm",
        "companybusiness",
    ),
    "category": (
        "category",
        "classification",
        "profession",
        "professionspecialty",
        "primaryclassification",
        "memberclassification",
        "businesscategory",
        "specialty",
        "speciality",
        "trade",
    ),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "primaryemail",
        "primaryemailaddress",
        "businessemail",
        "workemail",
        "email1value",
        "emailaddress1",
    ),
    "phone": (
        "phone",
        "phonenumber",
        "mobile",
        "mobilephone",
        "mobilenumber",
        "mobilephonenumber",
        "cell",
        "cellphone",
        "cellphonenumber",
        "businessphone",
        "businessphonenumber",
        "workphone",
        "officephone",
        "directphone",
        "telephone",
        "tel",
        "primaryphone",
        "primaryphonenumber",
        "phone1value",
    ),
    "website": (
        "website",
        "websiteurl",
        "websiteaddress",
        "web",
        "webpage",
        "webaddress",
        "url",
        "homepage",
        "businesswebsite",
        "companywebsite",
        "website1value",
    ),
    "joined": (
        "joined",
        "joinedon",
        "joindate",
        "datejoined",
        "joiningdate",
        "membersince",
        "startdate",
        "memberstartdate",
        "membershipstartdate",
        "inductiondate",
    ),
    "renewal_due": (
        "renewaldue",
        "renewalduedate",
        "renewaldate",
        "renewal",
        "renewalon",
        "duedate",
        "expirationdate",
        "expirydate",
        "membershipexpires",
        "membershipexpiration",
        "paidthrough",
    ),
    "status": ("status", "memberstatus", "membershipstatus"),
    "invited_by": ("invitedby", "sponsor", "sponsorname", "sponsoredby", "referredby", "inviter", "broughtby"),
    "good_referral": (
        "goodreferral",
        "agoodreferralforme",
        "agoodreferralformeis",
        "idealreferral",
        "goodreferralforme",
    ),
    "bio": ("bio", "about", "aboutme", "biography", "description", "profile"),
    "notes": ("notes", "note", "comments", "comment"),
}
_NAME_PARTS = ("first_name", "middle_name", "last_name")
_FIELD_OF = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def normalise_header(text: str) -> str:
    """'E-mail Address ' → 'emailaddress': case, spaces, underscores and punctuation ignored."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass
class FileRow:
    """One data row: its first physical line and its values by member field."""

    line: int
    values: dict[str, str]
    extra_cells: int = 0  # non-empty cells beyond the header's columns


@dataclass
class MemberTable:
    """A decoded, delimited file with its columns mapped to member fields."""

    encoding: str
    delimiter: str
    columns: dict[str, str]  # member field → the header as written ("Email Address")
    rows: list[FileRow]
    warnings: list[str] = field(default_factory=list)

    def column(self, member_field: str) -> str:
        """The header a field's value came from, for messages."""
        return self.columns.get(member_field, member_field)


def read_member_file(data: bytes) -> MemberTable:
    """Parse a member file; raises UserError if it has no rows or no name column."""
    table = read_table(data, empty_hint=", such as name,business,category,email")
    columns, indexes, warnings = _map_header(table.header)
    if "name" not in columns:
        found = one_line(", ".join(cell.strip() for cell in table.header if cell.strip()))
        raise UserError(
            f"line {table.header_line}: no name column (expected “name”, or “First Name” and "
            f"“Last Name”); found: {found}"
        )
    width = len(table.header)
    single = [(name, found[0]) for name, found in indexes.items() if len(found) == 1]
    several = {name: found for name, found in indexes.items() if len(found) > 1}
    rows = [_row(line, cells, single, several, width) for line, cells in table.rows]
    return MemberTable(
        encoding=table.encoding, delimiter=table.delimiter, columns=columns, rows=rows, warnings=warnings
    )


def _map_header(header: list[str]) -> tuple[dict[str, str], dict[str, list[int]], list[str]]:
    """Member field → header text, member field → cell indexes (first non-empty wins), warnings."""
    columns: dict[str, str] = {}
    indexes: dict[str, list[int]] = {}
    warnings: list[str] = []
    unknown: list[str] = []
    for index, raw in enumerate(header):
        title = raw.strip()
        if not title:
            continue
        member_field = _FIELD_OF.get(normalise_header(title))
        if member_field is None:
            unknown.append(title)
            continue
        columns.setdefault(member_field, title)
        indexes.setdefault(member_field, []).append(index)
    if unknown:
        warnings.append(_ignored(unknown))
    if "name" in columns:
        for part in _NAME_PARTS:
            if part in columns:
                warnings.append(f"column “{columns.pop(part)}” was ignored: the file has a name column")
                indexes.pop(part)
    elif "first_name" in columns or "last_name" in columns:
        columns["name"] = " + ".join(columns[part] for part in _NAME_PARTS if part in columns)
    elif "middle_name" in columns:
        warnings.append(f"column “{columns.pop('middle_name')}” was ignored: no first or last name")
        indexes.pop("middle_name")
    return columns, indexes, warnings


def _ignored(titles: list[str], shown: int = 5) -> str:
    """One warning for the columns that are not member fields, however many (a spreadsheet
    export can carry hundreds)."""
    if len(titles) == 1:
        return f"column “{titles[0]}” is not a member field; it was ignored"
    named = ", ".join(f"“{title}”" for title in titles[:shown])
    more = f" and {len(titles) - shown:,} more" if len(titles) > shown else ""
    return f"{len(titles):,} columns are not member fields and were ignored: {named}{more}"


def _row(
    line: int, cells: list[str], single: list[tuple[str, int]], several: dict[str, list[int]], width: int
) -> FileRow:
    """`single`: the fields read from one column (most), with its index; `several`: the
    fields with more than one column, the first non-blank of which counts."""
    count = len(cells)
    values: dict[str, str] = {}
    for member_field, index in single:
        cell = cells[index] if index < count else ""
        values[member_field] = unescape(cell) if cell.strip() else ""
    for member_field, positions in several.items():
        found = [unescape(cells[i]) for i in positions if i < count and cells[i].strip()]
        values[member_field] = found[0] if found else ""
    if any(part in values for part in _NAME_PARTS):
        parts = [values.pop(part, "").strip() for part in _NAME_PARTS]
        values["name"] = " ".join(part for part in parts if part)
    extra = sum(1 for cell in cells[width:] if cell.strip()) if count > width else 0
    return FileRow(line=line, values=values, extra_cells=extra)
