"""The blocks a recap document is made of, and the inline text inside them.

A printer (md, txt, html, pdf) lays these out; `organizer.recap.document` writes them.
Inline text is a tuple of runs, each plain, strong, emphasised or code: a printer marks a
run up its own way and escapes the text for where it goes. User text is never markup.
The "and N more" notes every capped list ends with are made here too (`more`,
`more_in_ledger`), for each section of the document to end its list the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from organizer.wording import plural

LEDGER_COMMAND = "organizer export ledger"  # where a capped list's rest can be read


@dataclass(frozen=True)
class Run:
    text: str
    style: str = ""  # "" | "strong" | "em" | "code"
    # Text from outside (a name, a prospect, a title): a printer that lays out right-to-left
    # text isolates it, so "שרה כהן → فاطمة الزهراء" keeps giver → receiver in reading order.
    user: bool = False


Inline = tuple[Run, ...]


def plain(text: str) -> Inline:
    return (Run(text),)


def u(text: str) -> Run:
    """A run of text from outside (see Run.user)."""
    return Run(text, user=True)


def runs(*parts: str | Run) -> Inline:
    """Inline text from our words (str) and text from outside (u(...)); empty parts dropped."""
    return tuple(
        part if isinstance(part, Run) else Run(part) for part in parts if (part.text if isinstance(part, Run) else part)
    )


@dataclass(frozen=True)
class Heading:
    level: int  # 1 the title, 2 a section, 3 a part of one
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: Inline
    muted: bool = False  # an explanation rather than content


@dataclass(frozen=True)
class Facts:
    """Label: value lines (the header's meetings)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class More:
    """A capped list's "and N more …" (or a capped list's opening line)."""

    runs: Inline


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric_from: int = 1  # columns from this one on are numbers (right-aligned)
    total: tuple[str, ...] | None = None  # a closing totals row
    nowrap: tuple[int, ...] = ()  # columns never broken across lines (dates)
    kind: str = ""  # "matrix": counts under short column labels


@dataclass(frozen=True)
class Chart:
    """Bars, one per month; the last is the recap's month."""

    bars: tuple[tuple[str, int], ...]

    @property
    def top(self) -> int:
        return max((count for _, count in self.bars), default=0) or 1


Block = Heading | Paragraph | Facts | BulletList | More | Table | Chart


@dataclass(frozen=True)
class Document:
    title: str
    group: str
    month_label: str
    blocks: tuple[Block, ...]
    footer: str = ""
    meta: dict = field(default_factory=dict, compare=False)

    def texts(self) -> Iterator[str]:
        """Every piece of text in the document (what a printer may have to draw)."""
        yield self.title
        yield self.footer
        for block in self.blocks:
            if isinstance(block, Heading):
                yield block.text
            elif isinstance(block, (Paragraph, More)):
                yield from (run.text for run in block.runs)
            elif isinstance(block, Facts):
                for label, value in block.rows:
                    yield label
                    yield value
            elif isinstance(block, BulletList):
                for item in block.items:
                    yield from (run.text for run in item)
            elif isinstance(block, Table):
                yield from block.header
                for row in block.rows:
                    yield from row
                yield from block.total or ()
            elif isinstance(block, Chart):
                yield from (label for label, _ in block.bars)


def more(text: str) -> list[Block]:
    return [More(plain(text))] if text else []


def more_in_ledger(n: int, what: str) -> list[Block]:
    """'and 3 more referrals this month: `organizer export ledger` has them all.'"""
    if not n:
        return []
    return [
        More(
            (
                Run(f"and {plural(n, what)} this month: "),
                Run(LEDGER_COMMAND, "code"),
                Run(" has them all."),
            )
        )
    ]
