"""Email commands: `send …` mails invites, cancellations, the digest and nudges (one
message per recipient, a send log so nothing goes twice); `import mail` reads replies
back in (RSVPs and posts); `thread add` starts a thread from a script; `mail-opt-out`
records which mail a member does not want."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from organizer.cli.common import CommandFailed, Context, subcommand_group
from organizer.models import THREAD_KINDS

SEND_EPILOG = """\
SMTP settings come from the [smtp] table of config.toml in your config folder (host, port,
security = starttls|tls|none, user, from, rate, retry_delay), each overridable by
ORGANIZER_SMTP_HOST, _PORT, _SECURITY, _USER, _FROM, _RATE (messages a minute) and
_RETRY_DELAY (seconds). The password comes from the system keyring (service
"organizer-smtp", your user name) or ORGANIZER_SMTP_PASSWORD, and is never stored or shown.

Ends with `sent: N`, `skipped (already sent): N` and `failed: N` lines; exit status 1 when
anything failed. A recipient who already has this very message is skipped, so running the
same send again after an interruption sends only what is missing."""


def register(subparsers: argparse._SubParsersAction) -> None:
    send = subparsers.add_parser(
        "send",
        help="email invites, a cancellation, the digest or nudges to the members",
        description="Email the members: one message per recipient, each logged so it never goes twice.",
        epilog=SEND_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = send.add_subparsers(
        dest="send_what",
        metavar="WHAT",
        required=True,
        parser_class=subparsers._parser_class,
    )
    invite = _send_parser(kinds, "invite", "the meeting's invitation (with its calendar invite)")
    invite.add_argument(
        "--meeting",
        default="next",
        metavar="next|ID|DATE",
        help="the next meeting (default), its id, or its local date YYYY-MM-DD",
    )
    cancel = _send_parser(kinds, "cancel", "the cancellation of a cancelled meeting")
    cancel.add_argument("date", metavar="DATE", help="the meeting's local date YYYY-MM-DD")
    digest = _send_parser(kinds, "digest", "the threads with new posts since the last digest")
    digest.add_argument("--since", type=_date, metavar="DATE", help="posts since this date instead")
    renewals = _send_parser(
        kinds,
        "renewals",
        "a reminder to each member whose renewal is due within 30 days",
    )
    thanks = _send_parser(
        kinds,
        "thanks",
        "a nudge to each member who owes a thank-you or has referrals waiting",
    )
    pairings = _send_parser(kinds, "pairings", "each member's one-to-one partner for the month")
    pairings.add_argument("month", metavar="YYYY-MM", help="the month")
    for nudge in (renewals, thanks, pairings):
        nudge.add_argument(
            "--min-days",
            type=_days,
            metavar="N",
            help="leave out members sent this kind of nudge within N days (default 7)",
        )

    imports = subcommand_group(subparsers, "import", help="import members, referrals or mail")
    mail = imports.add_parser(
        "mail",
        help="read replies: calendar answers become RSVPs, digest replies become posts",
        description="Read an .eml file, an mbox file or a Maildir folder. Calendar replies "
        "(METHOD:REPLY in any part) set RSVPs; replies to a digest become posts in their thread "
        "by the member who sent them. Unknown senders, bounces and auto-replies are reported "
        "on stderr, one line each, and not imported. A message already imported (same "
        "Message-ID) is skipped. Ends with `imported: N rsvps`, `imported: N posts` and "
        "`skipped: N` lines.",
    )
    mail.add_argument("source", metavar="FILE.eml|FILE.mbox|MAILDIR")
    mail.set_defaults(handler=run_import_mail)

    fetch = subparsers.add_parser(
        "fetch-mail",
        help="import the replies in the organizer's mailbox over IMAP",
        description="Read the [imap] settings' folder (host, port, security = tls|starttls|none, "
        "user, folder; ORGANIZER_IMAP_* override them; the password from the keyring service "
        "organizer-imap or ORGANIZER_IMAP_PASSWORD) read-only, and import its messages of the "
        "last DAYS days as `import mail` does, with the same report.",
    )
    fetch.add_argument(
        "--days",
        type=_days,
        default=30,
        metavar="DAYS",
        help="how far back (default 30)",
    )
    fetch.set_defaults(handler=run_fetch_mail)

    thread = subparsers.add_parser(
        "thread",
        help="start a thread from a script",
        description="Start a discussion thread.",
    )
    actions = thread.add_subparsers(
        dest="thread_what",
        metavar="WHAT",
        required=True,
        parser_class=subparsers._parser_class,
    )
    add = actions.add_parser(
        "add",
        help="start a thread with a Markdown file; prints its id",
        description="Start a thread as a member; prints the new thread's id.",
    )
    add.add_argument("--title", required=True, help="the thread's title")
    add.add_argument(
        "--kind",
        choices=THREAD_KINDS,
        default="discussion",
        help="(default: discussion)",
    )
    add.add_argument(
        "--as",
        dest="author",
        required=True,
        metavar="EMAIL",
        help="the member starting it",
    )
    add.add_argument(
        "--file",
        required=True,
        metavar="BODY.md",
        help="the first post, UTF-8 Markdown; - reads stdin",
    )
    add.set_defaults(handler=run_thread_add)

    opt = subparsers.add_parser(
        "mail-opt-out",
        help="which mail a member does not want (digest, renewals, thanks, pairings)",
        description="Record the kinds of mail a member does not want; with no --kind, they want all "
        "again. Invites and cancellations always go. Prints what the member now opts out of.",
    )
    opt.add_argument("member", metavar="EMAIL", help="the member, by email (or exact name)")
    opt.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="KIND",
        help="digest, renewals, thanks or pairings (repeat for several; 'all' for every one)",
    )
    opt.set_defaults(handler=run_opt_out)


def _send_parser(kinds: argparse._SubParsersAction, name: str, help: str) -> argparse.ArgumentParser:
    parser = kinds.add_parser(
        name,
        help=help,
        description=f"Email {help}.",
        epilog=SEND_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="send nothing: with --out, write each message as DIR/NNN-kind-address.eml; "
        "without, print the first message and the count",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="with --dry-run: the folder for the .eml files (or FILE.mbox: one mbox)",
    )
    parser.set_defaults(handler=run_send)
    return parser


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"“{text}” is not a number of days")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date YYYY-MM-DD") from None


def run_send(context: Context) -> int:
    from organizer.services import mail_plans, mail_send
    from organizer.services.mail_settings import load_settings

    args = context.args
    if args.out and not args.dry_run:
        raise CommandFailed("--out goes with --dry-run")
    settings = load_settings(need_host=not args.dry_run)
    group, now = context.group(), context.now()
    plan = mail_plans.plan_send(
        group,
        args.send_what,
        now,
        settings=settings,
        meeting=getattr(args, "meeting", ""),
        day=getattr(args, "date", ""),
        since=getattr(args, "since", None),
        month=getattr(args, "month", ""),
        min_days=getattr(args, "min_days", None),
    )
    if args.dry_run:
        if args.out:
            for path in mail_send.write_dry_run(plan, args.out):
                print(path)
        elif plan.outgoing:
            print(plan.preview.rstrip("\n"))
            print()
        print(f"would send: {len(plan.outgoing)}")
        for email, problem in plan.unaddressable:
            print(f"organizer: cannot write to {email}: {problem}", file=sys.stderr)
        print(f"skipped (already sent): {plan.already_sent}")
        _print_left_out(plan.opted_out, plan.too_soon)
        return 0
    transport = mail_send.SmtpTransport(settings)
    report = mail_send.deliver(group, plan, transport, settings=settings, clock=context.now)
    print(f"sent: {report.sent}")
    print(f"skipped (already sent): {report.already_sent}")
    print(f"failed: {report.failed}")
    _print_left_out(report.opted_out, report.too_soon)
    for email, problem in report.failures:
        print(f"organizer: not sent to {email}: {problem}", file=sys.stderr)
    return 1 if report.failed else 0


def _print_left_out(opted_out: int, too_soon: int) -> None:
    if opted_out:
        print(f"skipped (opted out): {opted_out}")
    if too_soon:
        print(f"skipped (nudged recently): {too_soon}")


def run_import_mail(context: Context) -> int:
    from organizer.services.mail_import import import_mail

    group = context.group()
    return _import_report(import_mail(group, context.args.source, context.now()))


def run_fetch_mail(context: Context) -> int:
    from organizer.services.mail_fetch import fetch_messages
    from organizer.services.mail_import import import_messages
    from organizer.services.mail_settings import load_imap_settings

    settings = load_imap_settings()
    group, now = context.group(), context.now()
    messages = fetch_messages(settings, now, days=context.args.days)
    return _import_report(import_messages(group, messages, now))


def _import_report(report) -> int:
    print(f"imported: {report.rsvps} rsvps")
    print(f"imported: {report.posts} posts")
    print(f"skipped: {len(report.skipped)}")
    for sender, why in report.skipped:
        print(
            f"organizer: skipped a message from {sender or 'no sender'}: {why}",
            file=sys.stderr,
        )
    return 0


def run_thread_add(context: Context) -> int:
    from organizer.cli.threads import read_body
    from organizer.services.members import find_member
    from organizer.services.threads import start_thread

    args = context.args
    body = read_body(args.file)
    group = context.group()
    author = find_member(group, args.author)
    thread = start_thread(
        group,
        author=author,
        title=args.title,
        body=body,
        kind=args.kind,
        now=context.now(),
    )
    print(thread.id)
    return 0


def run_opt_out(context: Context) -> int:
    from organizer.services.mail_opt_out import OPT_OUT_KINDS, opt_outs, set_opt_out
    from organizer.services.members import find_member

    args = context.args
    member = find_member(context.group(), args.member)
    kinds = [kind for value in args.kind for kind in value.split(",")]
    if any(kind.strip().lower() == "all" for kind in kinds):
        kinds = list(OPT_OUT_KINDS)
    set_opt_out(member, kinds)
    print(", ".join(opt_outs(member)) or "none")
    return 0
