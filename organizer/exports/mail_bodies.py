"""What the group's emails say: the digest and the nudges, as (subject, text, HTML).

Pure: plain data in, strings out. Posts are Markdown: the text part keeps them as
written (Markdown reads well as text), the HTML part renders them with markdown-it
(raw HTML in a post is shown as text, never run; unsafe links are not linked).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast
from urllib.parse import quote

from organizer.exports.ical import one_line, plain_text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

escape = html.escape


@dataclass(frozen=True)
class DigestPost:
    author: str
    when: str  # already written in the group's zone
    body: str  # Markdown


@dataclass(frozen=True)
class DigestThread:
    thread_id: int
    title: str
    kind: str
    reply_to: str  # the address that carries the thread (plus-addressing)
    posts: tuple[DigestPost, ...]


@dataclass(frozen=True)
class Owed:
    """A won referral the recipient has not thanked for, or one waiting for them."""

    giver: str
    prospect: str
    note: str  # "won, 1,250.00" or "open since 2026-10-01"


def thread_token(thread_id: int) -> str:
    """The tag a reply's subject carries so it finds its thread: '[#12]'."""
    return f"[#{thread_id}]"


@lru_cache(maxsize=512)
def markdown_html(text: str) -> str:
    """A post's Markdown as HTML; raw HTML escaped, javascript: and such links refused.
    Cached: a digest renders the same posts for every member."""
    return cast(str, _markdown().render(plain_text(text)))  # render() is typed Any (pluggable renderers)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # loaded when a digest is written

    return MarkdownIt("commonmark", {"html": False})


def digest(group: str, member: str, threads: list[DigestThread]) -> tuple[str, str, str]:
    posts = sum(len(thread.posts) for thread in threads)
    subject = (
        f"{one_line(group)}: {posts} new post{'s' * (posts != 1)} in {len(threads)} thread{'s' * (len(threads) != 1)}"
    )
    text = [
        f"Hello {one_line(member)},",
        "",
        f"What the members of {one_line(group)} wrote since the last digest.",
        "",
    ]
    page = [
        f"<p>Hello {escape(one_line(member))},</p>",
        f"<p>What the members of {escape(one_line(group))} wrote since the last digest.</p>",
    ]
    for thread in threads:
        title = one_line(thread.title)
        reply_subject = f"Re: {title} {thread_token(thread.thread_id)}"
        mailto = f"mailto:{thread.reply_to}?subject={quote(reply_subject)}"
        text += [
            "=" * 60,
            f"{title} ({thread.kind}) {thread_token(thread.thread_id)}",
            "",
        ]
        page.append(f"<h2>{escape(title)} <small>({escape(thread.kind)})</small></h2>")
        for post in thread.posts:
            text += [
                f"{one_line(post.author)}, {post.when}:",
                "",
                plain_text(post.body).strip(),
                "",
            ]
            page.append(f"<p><strong>{escape(one_line(post.author))}</strong>, {escape(post.when)}:</p>")
            page.append(f"<blockquote>{markdown_html(post.body)}</blockquote>")
        text += [
            f"Reply to this email to post: write to {thread.reply_to}",
            f"with “{reply_subject}” as the subject.",
            "",
        ]
        page.append(f'<p><a href="{escape(mailto)}">Reply to this email to post</a> ({escape(thread.reply_to)})</p>')
    return subject, "\n".join(text) + "\n", _page(subject, page)


def thanks(group: str, member: str, owed: list[Owed], waiting: list[Owed]) -> tuple[str, str, str]:
    subject = f"{one_line(group)}: " + " and ".join(
        part
        for part, items in (
            ("a thank-you to send", owed),
            ("referrals waiting for you", waiting),
        )
        if items
    )
    text = [f"Hello {one_line(member)},", ""]
    page = [f"<p>Hello {escape(one_line(member))},</p>"]
    for heading, items in (
        (
            "Business you won through the group; a thank-you to the giver goes a long way:",
            owed,
        ),
        (
            "Referrals passed to you that are still open; a quick call keeps them warm:",
            waiting,
        ),
    ):
        if not items:
            continue
        lines = [f"{one_line(item.giver)}: {one_line(item.prospect)} ({item.note})" for item in items]
        text += [heading, *[f"- {line}" for line in lines], ""]
        page += [
            f"<p>{escape(heading)}</p>",
            "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>",
        ]
    return subject, "\n".join(text) + _unsubscribe_text(), _page(subject, page)


def renewal(group: str, member: str, due: str, overdue: bool) -> tuple[str, str, str]:
    subject = f"{one_line(group)}: your membership {'was due' if overdue else 'renews'} on {due}"
    line = (
        f"Your membership of {one_line(group)} was due for renewal on {due}."
        if overdue
        else f"Your membership of {one_line(group)} is due for renewal on {due}."
    )
    closing = "Reply to this email if anything changed, or to renew."
    text = f"Hello {one_line(member)},\n\n{line}\n{closing}\n"
    page = [
        f"<p>Hello {escape(one_line(member))},</p>",
        f"<p>{escape(line)}<br>{escape(closing)}</p>",
    ]
    return subject, text + _unsubscribe_text(), _page(subject, page)


def pairing(group: str, member: str, partner: str, partner_email: str, month: str) -> tuple[str, str, str]:
    subject = f"{one_line(group)}: your one-to-one for {month}"
    line = f"This month your one-to-one partner is {one_line(partner)}"
    line += f" ({one_line(partner_email)})." if partner_email else "."
    text = f"Hello {one_line(member)},\n\n{line}\nA coffee or a call: learn what a good referral for them is.\n"
    page = [f"<p>Hello {escape(one_line(member))},</p>", f"<p>{escape(line)}</p>"]
    return subject, text + _unsubscribe_text(), _page(subject, page)


def _unsubscribe_text() -> str:
    return "\n-- \nRather not get these reminders? Reply and say so.\n"


def _page(title: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
