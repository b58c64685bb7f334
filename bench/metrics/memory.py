"""Peak memory of the benchmark process, after every other metric has run.

design.md names no budget; the ceiling here is ours: the import of 200,000 referrals (the
largest job, run in this process) should not need more than 1 GB. The app's own peak at
its first screen is measured by the start-up metric, in its own process.
"""

from __future__ import annotations

import resource
import sys

from bench.metrics import Bench, Row, metric


@metric("peak memory: bench process (import of 200,000 included)", unit="MB", needs_db=False)
def peak(bench: Bench) -> list[Row]:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there, KiB on Linux
        kib //= 1024
    return [Row("peak memory: bench process (import of 200,000 included)", round(kib / 1024, 1), "MB", 1024.0)]
