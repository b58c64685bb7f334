"""Who gets what email: one send (an invite, a cancellation, the digest, a nudge) planned
as built messages, one per recipient, without writing anything.

Recipients who already have this very send (the send log), who opted out of its kind, or
who had a nudge of the same kind within the cap are left out and counted. Invites and
cancellations go to every active member with an email. `organizer.services.mail_send`
sends a plan. Here: each kind of send; the plan and its builder are in mail_builder, the
opt-outs and the nudge cap in mail_opt_out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from organizer.errors import UserError, ValidationError
from organizer.exports import mail_bodies
from organizer.exports.ical import Person
from organizer.models import Group, Member, Post, Thread
from organizer.rows import row_tuples
from organizer.services.groups import get_setting, local_today, zone
from organizer.services.mail_builder import Builder, SendPlan, recipients
from organizer.services.mail_settings import SmtpSettings

KINDS = ("invite", "cancel", "digest", "renewals", "thanks", "pairings")
RENEWAL_DAYS = 30
DIGEST_DAYS = 30  # the first digest looks this far back
_DIGEST_SETTING = "mail.digest.until"


# -- planning ------------------------------------------------------------------------------


def plan_send(
    group: Group,
    kind: str,
    now: datetime,
    *,
    settings: SmtpSettings | None = None,
    meeting: str = "",
    day: str = "",
    since: date | None = None,
    month: str = "",
    min_days: int | None = None,
) -> SendPlan:
    """The messages of one send, built, and what was left out; writes nothing.

    `min_days` (nudges): leave out members sent a nudge of the same kind within that many
    days (default: the group's setting, else a week)."""
    settings = settings or SmtpSettings()
    if kind == "invite":
        return _plan_invite(group, now, settings, meeting or "next", cancel=False)
    if kind == "cancel":
        return _plan_invite(group, now, settings, day, cancel=True)
    if kind == "digest":
        return _plan_digest(group, now, settings, since)
    if kind == "renewals":
        return _plan_renewals(group, now, settings, min_days)
    if kind == "thanks":
        return _plan_thanks(group, now, settings, min_days)
    if kind == "pairings":
        return _plan_pairings(group, now, settings, month, min_days)
    raise ValidationError.single("kind", f"a send is one of {', '.join(KINDS)}")


def _plan_invite(group: Group, now: datetime, settings: SmtpSettings, selector: str, *, cancel: bool) -> SendPlan:
    from organizer.exports.invite_email import bodies, subject
    from organizer.services import invites

    if cancel and not selector:
        raise ValidationError.single("date", "name the cancelled meeting by its date YYYY-MM-DD")
    meeting = invites.resolve_meeting(group, selector, now)
    day = meeting.starts_at.astimezone(zone(group)).date().isoformat()
    if cancel and meeting.status not in invites.GONE:
        raise UserError(
            f"the meeting on {day} is {meeting.status}, not cancelled: cancel it first with `organizer cancel {day}`"
        )
    if not cancel and meeting.status in invites.GONE:
        raise UserError(
            f"the meeting on {day} is {meeting.status}: send its cancellation with `organizer send cancel {day}`"
        )
    kind = "cancel" if cancel else "invite"
    info = invites.group_info(group)
    # A changed meeting (SEQUENCE rose) is a new invite: it goes again to everyone.
    builder = Builder(group, kind, now, settings, f"{kind}:{meeting.uid}:{meeting.sequence}")
    members: dict[str, int] = dict(
        row_tuples(Member.select(Member.email, Member.id).where((Member.group == group) & (Member.status == "active")))
    )
    for invitee, event, ics in invites.personal_invites(meeting, now, cancel=cancel):
        member_id = members.get(invitee.email)
        if not builder.wants(member_id, invitee.email):
            continue
        text, page = bodies(info, event, cancel)
        builder.add(
            member_id,
            invitee.name,
            invitee.email,
            subject(info, event, cancel),
            text,
            page,
            calendar=ics,
            method="CANCEL" if cancel else "REQUEST",
        )
    return builder.plan


def thread_address(group: Group, thread_id: int) -> str:
    """The organizer's address plus the thread: olu+thread-12@example.com."""
    local, _, domain = group.organizer_email.rpartition("@")
    return f"{local.split('+', 1)[0]}+thread-{thread_id}@{domain}"


def digest_since(group: Group, now: datetime) -> datetime:
    """Where the next digest starts: the end of the last finished one, else 30 days back."""
    stored = get_setting(group, _DIGEST_SETTING)
    if stored:
        return datetime.fromisoformat(stored)
    return now - timedelta(days=DIGEST_DAYS)


def _plan_digest(group: Group, now: datetime, settings: SmtpSettings, since: date | None) -> SendPlan:
    tz = zone(group)
    start = datetime.combine(since, datetime.min.time(), tzinfo=tz) if since is not None else digest_since(group, now)
    posts = list(
        Post.select(Post, Thread, Member)
        .join(Thread)
        .switch(Post)
        .join(Member)
        .where((Thread.group == group) & (Post.created_at > start) & (Post.created_at <= now))
        .order_by(Thread.last_activity_at.desc(), Thread.id, Post.created_at, Post.id)
    )
    threads: dict[int, mail_bodies.DigestThread] = {}
    for post in posts:
        thread = post.thread
        found = threads.get(thread.id) or mail_bodies.DigestThread(
            thread.id, thread.title, thread.kind, thread_address(group, thread.id), ()
        )
        entry = mail_bodies.DigestPost(
            post.author.name,
            post.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            post.body,
        )
        threads[thread.id] = mail_bodies.DigestThread(
            found.thread_id,
            found.title,
            found.kind,
            found.reply_to,
            found.posts + (entry,),
        )
    key = f"digest:{start.astimezone(tz).isoformat(timespec='seconds')}"
    builder = Builder(group, "digest", now, settings, key)
    builder.plan.on_done = (_DIGEST_SETTING, now.isoformat())
    if not threads:
        return builder.plan
    listed = list(threads.values())
    reply_to = Person(group.organizer_name, listed[0].reply_to) if len(listed) == 1 else None
    for member in recipients(group):
        if builder.wants(member.id, member.email):
            subject, text, page = mail_bodies.digest(group.name, member.name, listed)
            builder.add(
                member.id,
                member.name,
                member.email,
                subject,
                text,
                page,
                reply_to=reply_to,
            )
    return builder.plan


def _plan_renewals(group: Group, now: datetime, settings: SmtpSettings, min_days: int | None) -> SendPlan:
    today = local_today(group, now)
    builder = Builder(group, "renewals", now, settings, f"renewals:{today.isoformat()}", min_days)
    due = recipients(group, ("active", "on_leave")).where(
        Member.renewal_due.is_null(False) & (Member.renewal_due <= today + timedelta(days=RENEWAL_DAYS))
    )
    for member in due.order_by(Member.renewal_due, Member.name):
        due_on = member.renewal_due  # never None here (the query's is_null(False))
        if due_on is not None and builder.wants(member.id, member.email):
            subject, text, page = mail_bodies.renewal(
                group.name,
                member.name,
                due_on.isoformat(),
                due_on < today,
            )
            builder.add(member.id, member.name, member.email, subject, text, page)
    return builder.plan


def _plan_thanks(group: Group, now: datetime, settings: SmtpSettings, min_days: int | None) -> SendPlan:
    from organizer.services.balances import open_too_long, thanks_owed
    from organizer.services.money import format_money

    today = local_today(group, now)
    builder = Builder(group, "thanks", now, settings, f"thanks:{today.isoformat()}", min_days)
    owed: dict[int, list[mail_bodies.Owed]] = {}
    waiting: dict[int, list[mail_bodies.Owed]] = {}
    for referral in thanks_owed(group):
        value = f", {format_money(referral.value_minor, group.currency)}" if referral.value_minor else ""
        owed.setdefault(referral.receiver_id, []).append(
            mail_bodies.Owed(referral.giver.name, referral.prospect_name, f"won{value}")
        )
    for referral in open_too_long(group, now):
        waiting.setdefault(referral.receiver_id, []).append(
            mail_bodies.Owed(
                referral.giver.name,
                referral.prospect_name,
                f"{referral.status} since {referral.given_on.isoformat()}",
            )
        )
    ids = set(owed) | set(waiting)
    for member in recipients(group, ("active", "on_leave")).where(Member.id.in_(list(ids) or [0])):
        if builder.wants(member.id, member.email):
            subject, text, page = mail_bodies.thanks(
                group.name,
                member.name,
                owed.get(member.id, []),
                waiting.get(member.id, []),
            )
            builder.add(member.id, member.name, member.email, subject, text, page)
    return builder.plan


def _plan_pairings(
    group: Group,
    now: datetime,
    settings: SmtpSettings,
    month: str,
    min_days: int | None,
) -> SendPlan:
    try:
        year, number = (int(part) for part in month.split("-"))
        date(year, number, 1)
    except ValueError:
        raise ValidationError.single("month", f"“{month}” is not a month YYYY-MM") from None
    from organizer.services.pairings import suggest  # loads networkx: only for this mail

    builder = Builder(group, "pairings", now, settings, f"pairings:{month}", min_days)
    members = {member.id: member for member in recipients(group)}
    for pair in suggest(group, month, now=now).pairs:  # the pairs `organizer pairings` shows
        for one, other in ((pair.a, pair.b), (pair.b, pair.a)):
            member, partner = members.get(one.id), members.get(other.id)
            if member is None or partner is None or not builder.wants(member.id, member.email):
                continue
            subject, text, page = mail_bodies.pairing(group.name, member.name, partner.name, partner.email, month)
            builder.add(member.id, member.name, member.email, subject, text, page)
    return builder.plan
