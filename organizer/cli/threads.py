"""Thread commands: list the group's threads and post a reply, for scripts.

`organizer threads` prints one tab-separated line per thread (pinned first, then latest
activity) and `organizer post` adds a reply written in a file, printing the new post's id.
"""

from __future__ import annotations

import argparse

from organizer.cli.common import CommandFailed, Context
from organizer.files import read_input
from organizer.models import THREAD_KINDS
from organizer.services.checks import MAX_INTEGER
from organizer.services.groups import zone

THREADS_FORMAT = """\
Each line is one thread, its fields separated by a tab, in this order:
  id        the thread's id (what `organizer post` takes)
  kind      discussion, ask, offer or announcement
  flags     pinned, resolved, carried (comma-separated), or - for none
  title     the thread's title
  author    who started it
  posts     how many posts it has
  activity  its latest post, YYYY-MM-DD HH:MM in the group's timezone
  tags      comma-separated, or - for none
Pinned threads come first, then the most recently active. No header line."""


def register(subparsers: argparse._SubParsersAction) -> None:
    listing = subparsers.add_parser(
        "threads",
        help="list discussion threads, one line per thread",
        description="List the group's discussion threads.",
        epilog=THREADS_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument("--kind", choices=THREAD_KINDS, help="only threads of this kind")
    listing.add_argument("--tag", help="only threads with this tag")
    listing.add_argument("--unresolved", action="store_true", help="only threads not resolved yet")
    listing.add_argument(
        "--search",
        metavar="WORDS",
        help="only threads whose title or posts contain every word (ignores case and accents)",
    )
    listing.add_argument("--limit", type=_positive, metavar="N", help="print at most N threads")
    listing.set_defaults(handler=run_threads)

    post = subparsers.add_parser(
        "post",
        help="reply to a thread with a Markdown file",
        description="Add a post to a thread as a member; prints the new post's id. "
        "An empty body, an unknown member or an unknown thread writes nothing.",
    )
    post.add_argument("thread_id", metavar="THREAD_ID", help="the thread's id (see `organizer threads`)")
    post.add_argument(
        "--as", dest="author", required=True, metavar="EMAIL", help="the member writing, by email (or exact name)"
    )
    post.add_argument(
        "--file", required=True, metavar="BODY.md", help="the post's Markdown body, UTF-8; - reads standard input"
    )
    post.set_defaults(handler=run_post)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("the limit is at least 1")
    if value > MAX_INTEGER:
        raise argparse.ArgumentTypeError(f"{text} is too large (at most {MAX_INTEGER:,})")
    return value


def run_threads(context: Context) -> int:
    from organizer.services.thread_list import ThreadFilter, iter_threads

    args = context.args
    group = context.group()
    tz = zone(group)
    flt = ThreadFilter(kind=args.kind or "", tag=args.tag or "", unresolved=args.unresolved, text=args.search or "")
    for thread in iter_threads(group, flt, limit=args.limit):
        flags = [
            name
            for name, on in (
                ("pinned", thread.pinned),
                ("resolved", thread.resolved),
                ("carried", thread.carried_to_id is not None),
            )
            if on
        ]
        fields = (
            str(thread.id),
            thread.kind,
            ",".join(flags) or "-",
            thread.title,
            thread.author.name,
            str(thread.post_count),
            thread.last_activity_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            thread.tags or "-",
        )
        print("\t".join(_one_field(value) for value in fields))
    return 0


def _one_field(text: str) -> str:
    """A value that cannot break the line into more fields or lines."""
    return " ".join(text.split()) or "-"


def run_post(context: Context) -> int:
    from organizer.services.members import find_member
    from organizer.services.threads import add_post, get_thread

    args = context.args
    body = read_body(args.file)
    group = context.group()
    thread = get_thread(group, args.thread_id)
    author = find_member(group, args.author)
    post = add_post(thread, author=author, body=body, now=context.now())
    print(post.id)
    return 0


def read_body(name: str) -> str:
    """The file's text (UTF-8, a byte-order mark dropped); `-` is standard input."""
    raw = read_input(name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandFailed(f"{name} is not UTF-8 text (byte {error.start} is not valid)") from None
