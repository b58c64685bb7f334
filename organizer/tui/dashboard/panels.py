"""What the dashboard's panels say: each a Rich renderable built from the services.

Plain functions of (group, now, list size), run by the dashboard's thread worker after
the first frame; this module (and the services behind it) loads then, not at start-up.
"""

from __future__ import annotations

from datetime import timedelta

from rich.console import Group as RichGroup
from rich.console import JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from organizer.services.attendance import rsvp_counts
from organizer.services.balances import (
    closed_totals,
    give_get,
    month_bounds,
    open_too_long,
    thanks_owed,
    totals,
)
from organizer.services.dashboard import active_threads
from organizer.services.groups import local_today
from organizer.services.meetings import next_meeting
from organizer.services.money import format_money
from organizer.services.pipeline import conversion, year_bounds
from organizer.services.records import Group
from organizer.services.relationships import coverage
from organizer.services.renewals import due_soon_count
from organizer.tui.widgets.format import ago, countdown, local_time
from organizer.tui.widgets.markup import escape

TOP_GIVERS = 5


def render_all(group: Group, now, list_size: int) -> dict[str, RenderableType]:
    """Every panel's content, by panel id."""
    renderers = {
        "panel-next-meeting": next_meeting_panel,
        "panel-this-month": this_month,
        "panel-top-givers": top_givers,
        "panel-waiting": waiting,
        "panel-thanks": thanks,
        "panel-threads": threads,
    }
    return {panel_id: render(group, now, list_size) for panel_id, render in renderers.items()}


def next_meeting_panel(group: Group, now, list_size: int) -> str:
    meeting = next_meeting(group, now)
    if meeting is None:
        return "\n".join(["[dim]No meeting scheduled.[/dim]\nPlan one in Meetings (3).", *year_lines(group, now)])
    rsvps = rsvp_counts(meeting)
    lines = [
        f"[b]{escape(local_time(group, meeting.starts_at))}[/b]",
        f"[b $accent]{countdown(meeting.starts_at - now)}[/]  · {meeting.minutes} min",
        escape(meeting.place or group.default_place or "place to be decided"),
        "",
        f"[green]{rsvps['accepted']} yes[/]  {rsvps['tentative']} maybe  "
        f"{rsvps['declined']} no  [dim]{rsvps['needs_action']} no reply[/dim]",
    ]
    if meeting.intent:
        lines += ["", f"[i]{escape(meeting.intent)}[/i]"]
    return "\n".join(lines + year_lines(group, now))


def year_lines(group: Group, now) -> list[str]:
    """The membership year, when there is something to act on: renewals due within 30
    days (Members, R), and the year's visitors and how many joined (Members, v)."""
    today = local_today(group, now)
    lines = []
    if due := due_soon_count(group, today):
        lines.append(f"[b $warning]{due} renewal{'s' if due != 1 else ''} due within 30 days[/]")
    figures = conversion(group, *year_bounds(group, now))
    if figures.visitors or figures.joined:
        lines.append(
            f"{figures.visitors} visitor{'s' if figures.visitors != 1 else ''} this year, {figures.joined} joined"
        )
        if figures.brought_by:
            brought = ", ".join(f"{name} {count}" for name, count in figures.brought_by[:3])
            lines.append(f"[dim]brought by[/dim] {escape(brought)}")
    return ["", *lines] if lines else []


def this_month(group: Group, now, list_size: int) -> RenderableType:
    """This month so far against the same days of last month (1–4 December against
    1–4 November), so a month just begun is not set against a whole one."""
    today = local_today(group, now)
    start, _ = month_bounds(today)
    before_start, before_month_end = month_bounds(start - timedelta(days=1))
    before_end = min(before_start + (today - start), before_month_end)
    given, given_before = totals(group, start, today), totals(group, before_start, before_end)
    closed, closed_before = closed_totals(group, start, today), closed_totals(group, before_start, before_end)
    table = _table(("", "left"), (f"{start:%b}", "right"), (f"{before_start:%b}", "right"), ("change", "right"))
    table.columns[0].min_width = len("Closed")
    table.add_row(
        "Given", str(given.referrals), str(given_before.referrals), _trend(given.referrals, given_before.referrals)
    )
    table.add_row("Closed", str(closed.won), str(closed_before.won), _trend(closed.won, closed_before.won))
    table.add_row(
        "Won",
        format_money(closed.won_value, group.currency, locale=group.locale),
        format_money(closed_before.won_value, group.currency, locale=group.locale),
        _trend(closed.won_value, closed_before.won_value, percent=True),
    )
    days = f"{start.day}–{today.day}" if today.day > 1 else f"{start.day}"
    before_days = f"{before_start.day}–{before_end.day}" if before_end.day > 1 else f"{before_start.day}"
    cover = coverage(group, now=now)  # pairs of active members who have met one-to-one
    met = Text.assemble(
        "\n", f"Pairs met 1-to-1 {cover.percent:.0f}% ", (f"(a year ago {cover.percent_year_ago:.0f}%)", "dim")
    )
    note = Text(
        f"\nreferrals given, closed and won: {days} {start:%b} against {before_days} "
        f"{before_start:%b} · won in {group.currency}",
        style="dim",
    )
    return RichGroup(_fit(table), met, note)


def top_givers(group: Group, now, list_size: int) -> RenderableType:
    today = local_today(group, now)
    balances = [b for b in give_get(group, today - timedelta(days=365), today, include_idle=False) if b.given]
    if not balances:
        return Text("No referrals given in the last 12 months yet.", style="dim")
    table = _table(("", "left"), ("given", "right"), ("got", "right"), (f"won ({group.currency})", "right"))
    for balance in balances[:TOP_GIVERS]:
        table.add_row(
            Text(balance.name),
            str(balance.given),
            str(balance.received),
            format_money(balance.value_given, group.currency, locale=group.locale),
        )
    return RichGroup(_fit(table), Text("\nwon: business closed from their referrals", style="dim"))


def waiting(group: Group, now, list_size: int) -> RenderableType:
    waiting = open_too_long(group, now, limit=list_size + 1)
    if not waiting:
        return Text(f"Every referral has been followed up within {group.followup_days} days. ✓")
    today = local_today(group, now)
    table = _table(("receiver", "left"), ("prospect", "left"), ("days", "right"))
    for referral in waiting[:list_size]:
        table.add_row(Text(referral.receiver.name), Text(referral.prospect_name), str((today - referral.given_on).days))
    note = f"open more than {group.followup_days} days"
    if len(waiting) > list_size:
        note += " · more in the Ledger (5)"
    return RichGroup(_fit(table), Text("\n" + note, style="dim"))


def thanks(group: Group, now, list_size: int) -> RenderableType:
    owed = thanks_owed(group, limit=list_size + 1)
    if not owed:
        return Text("Every closed referral has been thanked. ✓")
    table = _table(("from", "left"), ("to", "left"), (group.currency, "right"))
    for referral in owed[:list_size]:
        table.add_row(
            Text(referral.receiver.name),
            Text(referral.giver.name),
            format_money(referral.value_minor or 0, group.currency, locale=group.locale),
        )
    note = "business won: a thank-you to the giver"
    if len(owed) > list_size:
        note += " · more in the Ledger (5)"
    return RichGroup(_fit(table), Text("\n" + note, style="dim"))


def threads(group: Group, now, list_size: int) -> RenderableType:
    threads = active_threads(group, limit=list_size)
    if not threads:
        return Text("No open threads. Start one in Threads (4).", style="dim")
    lines = []
    for thread in threads:
        lines.append(Text(("★ " if thread.pinned else "") + thread.title, no_wrap=True, overflow="ellipsis"))
        lines.append(Text(f"  {thread.kind} · {ago(now - thread.last_activity_at)}", style="dim"))
    return RichGroup(*lines)


def _table(*columns: tuple[str, JustifyMethod]) -> Table:
    """A borderless table: numbers (right-aligned) keep their width, text columns share the rest
    and end in an ellipsis when the panel is narrow."""
    table = Table(box=None, padding=(0, 0, 0, 1), show_edge=False, header_style="dim", expand=True)
    for header, justify in columns:
        table.add_column(
            header, justify=justify, no_wrap=True, overflow="ellipsis", ratio=1 if justify == "left" else None
        )
    return table


def _fit(table: Table) -> Table:
    """Numbers are never clipped: right-aligned columns keep their widest cell; names give way."""
    for column in table.columns:
        if column.justify == "right":
            cells = [
                Text.from_markup(c).cell_len if isinstance(c, str) else Text(str(c)).cell_len for c in column.cells
            ]
            column.min_width = max(cells + [len(str(column.header))])
    return table


def _trend(now_value: int, before: int, *, percent: bool = False) -> Text:
    """The change with its size: ▲ 3, or for money (too wide to repeat) ▲ 119%."""
    change = abs(now_value - before)
    size = str(change)
    if percent:
        size = f"{round(100 * change / before)}%" if before else "new"
    if now_value > before:
        return Text(f"▲ {size}", style="green")
    if now_value < before:
        return Text(f"▼ {size}", style="dim")
    return Text("=", style="dim")
