"""iCal export of 12 meetings × 100 attendees.

Budget (design.md): ≤ 100 ms. A small database of its own (100 active members with
emails and RSVPs, 12 upcoming meetings, made by the generator) is exported one invite per
meeting, after a warm-up; the figure is the total for the 12:

- through the service, `services.invites.invite_bytes(meeting, now)` (reading the meeting,
  its agenda and attendees, and the exporter's bytes), held to the budget;
- through the command, `organizer ics --meeting ID -o FILE` in this process: each call
  also parses its arguments, opens the database and writes the file (informational).
"""

from __future__ import annotations

from bench.generate import Scale, generate
from bench.metrics import Bench, NotBuilt, Row, cli_has, median, metric, ms, run_cli, timed

MEETINGS, ATTENDEES = 12, 100
ICS_SCALE = Scale(
    members=ATTENDEES,
    referrals=0,
    meetings=MEETINGS,
    threads=0,
    posts=0,
    attendees=ATTENDEES,
    one_to_ones=0,
    all_active=True,
)


def ics_database(bench: Bench):
    path = bench.out_dir / "ics.db"
    if not path.exists():
        generate(ICS_SCALE, path)
    return path


@metric("iCal: 12 invites × 100 attendees (services.invites.invite_bytes)")
def service(bench: Bench) -> list[Row]:
    from bench.generate import NOW
    from organizer import db as dbmod
    from organizer.models import Meeting
    from organizer.services.invites import invite_bytes

    dbmod.open_database(str(ics_database(bench)))
    try:
        meetings = list(Meeting.select().order_by(Meeting.starts_at))
        samples = timed(lambda: [invite_bytes(Meeting.get_by_id(m.id), NOW) for m in meetings], 5)
        attendees = invite_bytes(meetings[-1], NOW).count(b"ATTENDEE")
    finally:
        dbmod.close_database()
    return [
        Row(
            "iCal: 12 invites × 100 attendees (services.invites.invite_bytes)",
            ms(median(samples)),
            "ms",
            100.0,
            note=f"{len(meetings)} meetings, {attendees} ATTENDEE lines in the last",
        )
    ]


@metric("iCal: 12 invites × 100 attendees (organizer ics --meeting, informational)")
def command(bench: Bench) -> list[Row]:
    if not cli_has("ics"):
        raise NotBuilt("no `organizer ics` command yet")
    path = ics_database(bench)
    target = bench.out_dir / "invite.ics"

    def twelve():
        for meeting_id in range(1, MEETINGS + 1):
            status, _, err = run_cli(["--db", str(path), "ics", "--meeting", str(meeting_id), "-o", str(target)])
            if status != 0:
                raise RuntimeError(f"ics --meeting {meeting_id} failed: {err.strip()}")

    samples = timed(twelve, 5)
    attendees = target.read_text(encoding="utf-8").count("ATTENDEE")
    return [
        Row(
            "iCal: 12 invites × 100 attendees (organizer ics --meeting, informational)",
            ms(median(samples)),
            "ms",
            None,
            note=f"{attendees} ATTENDEE lines in the last invite; includes 12 × start-up of a command",
        )
    ]
