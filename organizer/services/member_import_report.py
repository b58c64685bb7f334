"""What a member import did to each row: the report the command and the app show."""

from __future__ import annotations

from dataclasses import dataclass, field

from organizer.text import one_line


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or one cell of it) could not be imported."""

    line: int
    column: str
    message: str
    name: str = ""

    def __str__(self) -> str:
        """One line, even when a cell held line breaks or control characters."""
        who = f" ({self.name})" if self.name else ""
        return one_line(f"line {self.line}{who}, column {self.column}: {self.message}")


@dataclass
class ImportReport:
    """What an import did (or, when not `written`, would have done)."""

    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ","
    dry_run: bool = False
    skip_invalid: bool = False
    written: bool = False

    @property
    def invalid(self) -> int:
        """How many rows were bad (a row with two bad cells counts once)."""
        return len({problem.line for problem in self.problems})

    def count_lines(self) -> list[str]:
        """`name: N` lines for scripts and the screen."""
        return [
            f"added: {self.added}",
            f"updated: {self.updated}",
            f"unchanged: {self.unchanged}",
            f"invalid: {self.invalid}",
        ]

    def problem_lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]
