"""Property tests: no control character survives the boundary into storage, exports or lines.

Text from a file, a form or an iCal reply goes through services.text (tidy / clean);
output goes through drop_controls (the command line, CSV) or one_line (a screen line).
"""

from __future__ import annotations

import csv
import io
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organizer.exports.csv_safe import csv_bytes
from organizer.exports.vcard import escape
from organizer.models import Member
from organizer.services.member_export import member_records
from organizer.services.members import add_member
from organizer.text import clean, drop_controls, one_line, tidy
from tests.conftest import NOW

# Every code point class, with the controls and escape sequences weighted in.
HOSTILE = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(
            [
                "\x1b",
                "\x00",
                "\x07",
                "\x9b",
                "\x85",
                "\x7f",
                "\t",
                "\n",
                "\r",
                "\x1b[2J",
                "\x1b]0;",
            ]
        ),
    ),
    max_size=40,
).map("".join)


def controls(text: str) -> set[str]:
    return {ch for ch in text if unicodedata.category(ch) == "Cc"}


@given(HOSTILE)
def test_a_one_line_field_keeps_no_control_character(text):
    assert controls(clean(text)) == set()
    assert controls(tidy(text)) == set()
    assert tidy(tidy(text)) == tidy(text)


@given(HOSTILE)
def test_a_multi_line_field_keeps_only_tabs_and_line_breaks(text):
    assert controls(clean(text, multiline=True)) <= {"\t", "\n"}
    assert controls(tidy(text, multiline=True)) <= {"\t", "\n"}


@given(HOSTILE)
def test_output_helpers_leave_no_escape(text):
    assert controls(drop_controls(text)) <= {"\t", "\n", "\r"}
    assert "\n" not in one_line(text) and "\x1b" not in one_line(text)
    assert controls(escape(text)) <= {"\t"}  # vCard: line breaks become \n; a tab is text (WSP)
    assert "\x1b" not in csv_bytes(["a"], [[text]]).decode()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=HOSTILE.filter(lambda text: tidy(text)), business=HOSTILE, notes=HOSTILE)
def test_no_control_character_reaches_a_stored_member_or_its_exports(group, name, business, notes):
    member = add_member(group, now=NOW, name=name[:200], business=business, notes=notes)
    stored = Member.get_by_id(member.id)
    assert controls(stored.name) == set() and controls(stored.business) == set()
    assert controls(stored.notes) <= {"\t", "\n"}
    records = member_records(group)
    data = csv_bytes(list(records[0]), [list(record.values()) for record in records]).decode()
    for row in csv.reader(io.StringIO(data, newline="")):
        for cell in row:
            assert controls(cell) <= {"\t", "\n"}
    Member.delete().where(Member.id == member.id).execute()
