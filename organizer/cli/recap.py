"""`organizer recap YYYY-MM`: the monthly recap as Markdown, text, HTML or PDF.

Markdown goes to stdout unless -o names a file (whose suffix picks the format when
--format is not given). A PDF is binary: it needs -o, or a stdout that is not a
terminal (a pipe or a redirect). Files are written atomically and private (0600). PDF font warnings
(a letter no font on this machine can draw) are printed on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from organizer.cli.common import CommandFailed, Context
from organizer.files import check_folder, write_private
from organizer.models import RECAP_AMOUNTS
from organizer.recap import formats as recap_formats

FORMATS, SUFFIXES = recap_formats.FORMATS, recap_formats.SUFFIXES


def register(subparsers: argparse._SubParsersAction) -> None:
    recap = subparsers.add_parser(
        "recap",
        help="the monthly recap (Markdown, text, HTML or PDF)",
        description="The recap of one month: who referred whom, chains, closed business and "
        "thank-yous, give/get, attendance, visitors, new members, threads and the last twelve "
        "months. Markdown on stdout by default. A PDF needs -o FILE or a redirected stdout.",
    )
    recap.add_argument("month", metavar="YYYY-MM", help="the month, e.g. 2026-10")
    recap.add_argument(
        "--format",
        choices=FORMATS,
        help="md (default), txt, html or pdf; with -o, the file's suffix decides when omitted",
    )
    recap.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    recap.add_argument(
        "--paper",
        choices=("a4", "letter"),
        help="page size for html and pdf (default: letter for groups in the Americas, else a4)",
    )
    recap.add_argument(
        "--amounts",
        choices=RECAP_AMOUNTS,
        help="override the group's privacy setting for amounts: show, bucket or hide",
    )
    recap.set_defaults(handler=run_recap)


def run_recap(context: Context) -> int:
    from organizer.services.recap import build_recap, default_paper, parse_month

    args = context.args
    year, month = parse_month(args.month)
    fmt = args.format or (SUFFIXES.get(Path(args.output).suffix.lower(), "md") if args.output else "md")
    if fmt == "pdf" and not args.output and sys.stdout.isatty():
        raise CommandFailed("a PDF is binary: give -o FILE.pdf or redirect stdout to a file")
    if args.output:
        check_folder(args.output)  # before rendering, so its warnings do not bury the error
    group = context.group()
    recap = build_recap(group, year, month, now=context.now(), amounts=args.amounts)
    paper = args.paper or default_paper(group)
    data = _render(recap, fmt, paper)
    if args.output:
        write_private(args.output, data)  # the recap names people and their business: 0600
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _render(recap, fmt: str, paper: str) -> bytes:
    data, warnings = recap_formats.render(recap, fmt, paper=paper)
    for warning in warnings:
        print(f"organizer: warning: {warning}", file=sys.stderr)
    return data
