"""The benchmark's metrics: small functions, one module per area, registered in order.

A metric is a function `fn(bench) -> list[Row]` decorated with `@metric("row name", ...)`,
naming the rows it produces. When the feature it needs is not in the tree yet (an
ImportError or AttributeError on the service, or `NotBuilt` raised by a probe), the runner
prints those rows as "not built yet" with pass = false instead of crashing, so the lead
can re-run the same command as features land.

To add a metric: write a function in the area's module (or a new module listed in
MODULES) and decorate it.
"""

from __future__ import annotations

import importlib
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# Area modules, in the order their rows are printed.
MODULES = (
    "startup",
    "search",
    "ledger",
    "balances",
    "recap",
    "ical",
    "importing",
    "import_budget",
    "memory",
    "relationships",
    "member_import",
)


class NotBuilt(Exception):
    """The feature a metric measures is not in the tree yet; the message says what is missing."""


@dataclass
class Row:
    metric: str
    value: float | None  # None: not measured (not built yet, or failed)
    unit: str
    budget: float | None  # None: informational, no budget
    op: str = "<="  # "<=": the figure must stay under the budget; ">=": over it
    note: str = ""

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        if self.budget is None:
            return True
        return self.value <= self.budget if self.op == "<=" else self.value >= self.budget

    @property
    def ratio(self) -> float | None:
        """Figure over budget, oriented so that ≤ 1 passes for either direction."""
        if self.value is None or not self.budget:
            return None
        if self.op == "<=":
            return self.value / self.budget
        return self.budget / self.value if self.value else float("inf")

    def as_json(self) -> dict:
        return {
            "metric": self.metric,
            "value": self.value,
            "unit": self.unit,
            "budget": self.budget,
            "pass": self.passed,
        }


@dataclass
class Bench:
    """What every metric gets: the scale, its database, a scratch folder, repeat counts."""

    scale: str
    db_path: Path
    out_dir: Path
    repeats: int = 7
    cache: dict = field(default_factory=dict)  # shared between metrics of one run

    @property
    def large(self) -> bool:
        return self.scale == "L"


@dataclass
class Metric:
    fn: Callable[[Bench], list[Row]]
    names: tuple[str, ...]
    unit: str
    needs_db: bool


REGISTRY: list[Metric] = []


def metric(*names: str, unit: str = "ms", needs_db: bool = True):
    """Register `fn` as producing the rows `names` (used for its 'not built yet' rows)."""

    def register(fn):
        REGISTRY.append(Metric(fn, names, unit, needs_db))
        return fn

    return register


def load() -> list[Metric]:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return REGISTRY


# -- helpers the area modules share ---------------------------------------------------------


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def timed(fn: Callable[[], object], repeats: int, warmup: int = 1, limit: float = 20.0) -> list[float]:
    """Seconds per call of `fn`, after `warmup` calls that are not counted.

    A slow `fn` is run fewer times, so one far over its budget cannot stretch the whole
    run past its ten minutes: at most about `limit` seconds of timed calls, at least one;
    and when a warm-up call alone took longer than `limit`, that call is the sample.
    """
    from time import perf_counter

    slowest = 0.0
    for _ in range(warmup):
        started = perf_counter()
        fn()
        slowest = max(slowest, perf_counter() - started)
    if slowest > limit:
        return [slowest]
    if slowest:
        repeats = max(1, min(repeats, int(limit / slowest)))
    samples = []
    for _ in range(repeats):
        started = perf_counter()
        fn()
        samples.append(perf_counter() - started)
    return samples


def cli_has(*words: str) -> bool:
    """Whether `organizer WORDS...` is a registered command (e.g. cli_has("import", "referrals"))."""
    import argparse

    from organizer.cli import build_parser

    parser = build_parser()
    for word in words:
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not actions or word not in actions[0].choices:
            return False
        parser = actions[0].choices[word]
    return True


def run_cli(args: list[str]) -> tuple[int, str, str]:
    """Run `organizer.cli.main(args)` in this process; (exit status, stdout, stderr)."""
    import contextlib
    import io

    from organizer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(args)
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
    return status or 0, out.getvalue(), err.getvalue()
