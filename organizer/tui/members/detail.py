"""A member's page: contact, category, membership dates, who invited them and whom they
invited, give/get, attendance at the last six meetings, one-to-ones and recent referrals.

Reads everything through services.member_detail; `e` edits and `a` archives, as in the list.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from organizer.services.groups import local_today, zone
from organizer.services.meetings import local_date
from organizer.services.member_detail import MemberDetail, member_detail
from organizer.services.members import STATUS_LABELS, reload_member
from organizer.services.records import Member
from organizer.services.relationships import member_gaps
from organizer.services.renewals import member_history
from organizer.tui.meetings.text import PRESENCE_MARKS
from organizer.tui.members.archive import confirm_archive
from organizer.tui.members.form import MemberForm
from organizer.tui.widgets.format import day_text, money
from organizer.tui.widgets.live import LivePage
from organizer.tui.widgets.markup import escape
from organizer.tui.widgets.shell import OnShell


class MemberDetailScreen(OnShell, LivePage, Screen):
    """One member, on a page of their own."""

    HELP_TITLE = "Member"
    SECTION_KEYS = True  # a page to read: 1–6 leave it for a section
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit"),
        Binding("a", "archive", "Archive"),
        Binding("o", "one_to_one", "One-to-one"),
    ]
    DEFAULT_CSS = """
    MemberDetailScreen Grid {
        grid-size: 2;
        grid-gutter: 0 2;
        height: auto;
        padding: 0 1;
    }
    MemberDetailScreen.-narrow Grid {
        grid-size: 1;
    }
    MemberDetailScreen .detail-part {
        height: auto;
        border: round $primary 50%;
        border-title-style: bold;
        border-title-color: $text;
        padding: 0 1;
    }
    MemberDetailScreen #detail-title {
        padding: 0 2;
        height: auto;
    }
    """

    def __init__(self, member: Member):
        super().__init__()
        self.member = member

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="detail-title")
            with Grid():
                for part_id, title in (
                    ("contact", "Contact"),
                    ("network", "Give and get"),
                    ("membership", "Membership"),
                    ("attendance", "Last six meetings"),
                    ("invites", "Invited"),
                    ("referrals", "Recent referrals"),
                ):
                    part = Static(id=f"detail-{part_id}", classes="detail-part")
                    part.border_title = title
                    yield part
        yield Footer()

    def on_mount(self) -> None:
        self.app.sub_title = self.member.name
        self.show_member()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < 100, "-narrow")

    def refresh_data(self) -> None:
        self.show_member()

    def show_member(self) -> None:
        self.member = reload_member(self.member.id)
        detail = member_detail(self.member, now=self.app.clock())
        for part_id, text in self.parts(detail).items():
            self.query_one(f"#detail-{part_id}", Static).update(text)

    def parts(self, detail: MemberDetail) -> dict[str, str]:
        m, group = detail.member, self.member.group
        status = STATUS_LABELS.get(m.status, m.status)
        archived = f" · archived {day_text(m.archived_on)}" if m.archived_on else ""
        title = (
            f"[b]{escape(m.name)}[/b]  {escape(m.business)}  "
            f"[dim]{escape(m.category or 'no category')} · {status}{archived}[/dim]"
        )
        contact = "\n".join(
            [
                f"[dim]Email  [/dim] {escape(m.email or '—')}",
                f"[dim]Phone  [/dim] {escape(m.phone or '—')}",
                f"[dim]Website[/dim] {escape(m.website or '—')}",
                "",
                f"[dim]A good referral:[/dim] {escape(m.good_referral or '—')}",
                f"[dim]Bio:[/dim] {escape(m.bio or '—')}",
            ]
            + ([f"[dim]Notes:[/dim] {escape(m.notes)}"] if m.notes else [])
        )
        today = local_today(group, self.app.clock())
        renewal = day_text(m.renewal_due)
        if m.renewal_due and m.renewal_due < today and m.status in ("active", "on_leave"):
            renewal += "  [yellow](overdue)[/]"
        last = detail.last_one_to_one
        if last:
            other = last.member_b if last.member_a_id == m.id else last.member_a
            one_to_one = f"{day_text(last.met_on)} with {escape(other.name)} ({detail.one_to_ones} in all)"
        else:
            one_to_one = "none yet"
        membership = "\n".join(
            [
                f"[dim]Category   [/dim] {escape(m.category or '—')}",
                f"[dim]Joined     [/dim] {day_text(m.joined_on)}",
                f"[dim]Renewal due[/dim] {renewal}",
                f"[dim]Status     [/dim] {status}{archived}",
                f"[dim]Last 1-to-1[/dim] {one_to_one}",
                *self.gap_lines(m),
            ]
            + [
                f"[dim]{day_text(event.at.astimezone(zone(group)).date()):<11}[/dim] {escape(event.action)}: "
                f"{escape(event.detail)}"
                for event in member_history(m)[-3:]
            ]
        )
        b = detail.balance
        network = "\n".join(
            [
                f"[dim]{'':<10}{'count':>6}  value of won business[/dim]",
                f"{'Given':<10}{b.given:>6}  {money(group, b.value_given)}",
                f"{'Received':<10}{b.received:>6}  {money(group, b.value_received)}",
            ]
        )
        invites = "\n".join(
            [
                f"[dim]Invited by[/dim] {escape(detail.invited_by.name) if detail.invited_by else '—'}",
                "[dim]Invited   [/dim] "
                + (", ".join(escape(x.name) for x in detail.invitees) if detail.invitees else "nobody yet"),
            ]
        )
        if detail.attendance:
            attendance = "\n".join(
                # The day it was held (a moved meeting under its new date), in the group's zone.
                [
                    f"{day_text(local_date(mark.meeting)):<12} "
                    f"{PRESENCE_MARKS.get(mark.presence, escape(mark.presence or ''))}"
                    for mark in detail.attendance
                ]
                + [
                    f"[dim]came to {detail.attended} of {len(detail.attendance)} · "
                    f"since joining {detail.rate.describe()}[/dim]"
                ]
            )
        else:
            attendance = "[dim]No meetings held yet.[/dim]"
        if detail.recent_referrals:
            lines = []
            for r in detail.recent_referrals:
                if r.giver_id == m.id:
                    who = f"→ {escape(r.receiver.name)}"
                else:
                    who = f"← {escape(r.giver.name)}"
                value = f" {money(group, r.value_minor)}" if r.status == "won" and r.value_minor else ""
                lines.append(
                    f"{day_text(r.given_on):<12} {who}: {escape(r.prospect_name)} [dim]{r.status}{value}[/dim]"
                )
            referrals = "\n".join(lines)
        else:
            referrals = "[dim]No referrals yet.[/dim]"
        return {
            "title": title,
            "contact": contact,
            "membership": membership,
            "network": network,
            "invites": invites,
            "attendance": attendance,
            "referrals": referrals,
        }

    def gap_lines(self, member: Member) -> list[str]:
        """Whom this active member has not met one-to-one yet, and not for a year (a nudge)."""
        gaps = member_gaps(member.group, member, now=self.app.clock())
        if not gaps.active:
            return []

        def names(found: list[str]) -> str:
            shown = ", ".join(escape(name) for name in found[:2])
            return f"{len(found)}: {shown}" + (f" … (+{len(found) - 2})" if len(found) > 2 else "")

        lines = [f"[dim]Not met yet[/dim] {names(gaps.never_met) if gaps.never_met else 'nobody: all met'}"]
        if gaps.not_met_12m:
            lines.append(f"[dim]Not in 12 mo[/dim] {names(gaps.not_met_12m)}")
        return lines

    def action_back(self) -> None:
        self.dismiss(None)

    def action_one_to_one(self) -> None:
        from organizer.tui.members.one_to_one_line import OneToOneLine

        def saved(description: str | None) -> None:
            if description:
                self.app.notify(f"Saved: {description}.", timeout=3)
                self.show_member()

        self.app.push_screen(OneToOneLine(self.member.group, self.member.name), saved)

    def action_edit(self) -> None:
        def saved(member: Member | None) -> None:
            if member is not None:
                self.app.notify(f"Saved {member.name}.", timeout=3)
                self.show_member()

        self.app.push_screen(MemberForm(self.member.group, self.member), saved)

    def action_archive(self) -> None:
        confirm_archive(self.app, self.member, self.show_member)
