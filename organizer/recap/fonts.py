"""Which letters the PDF recap can draw: the bundled DejaVu Sans, then the machine's fonts.

Typst falls back letter by letter to any font it finds, but draws a box for a letter no font
has, without a word. So before typesetting, the PDF printer asks `undrawable(letters)`: those
neither the bundled faces nor a font on this machine draw, to name them in a warning.

The machine's fonts are read from fontconfig (one `fc-list` a process, with each face's
charset); without fontconfig, from the fonts Typst itself finds (`typst.Fonts`), each read
with fontTools. The listing is read again (at most every 30 s) while some letter has no font,
so a font installed after the warning is found. Both are safe to call from several threads.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import overload

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
BUNDLED = (FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf")
FRESH = 30.0  # seconds a listing is trusted to say a letter has no font here

_lock = threading.Lock()
# Every face's charset as (range starts, range ends), each sorted.
Listing = tuple[tuple[tuple[int, ...], tuple[int, ...]], ...]
_listing: tuple[float, Listing] | None = None


@lru_cache(maxsize=64)
def _cmap(path: str, index: int, stamp: tuple[int, int]) -> frozenset[int]:
    """The code points a face draws (`stamp`, the file's mtime and size, tells a replaced file)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(path, fontNumber=index, lazy=True)
    except (
        OSError,
        TTLibError,
    ):  # an unreadable font on the machine is simply not counted
        return frozenset()
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def _charset(path: Path | str, index: int = 0) -> frozenset[int]:
    try:
        stat = Path(path).stat()
    except OSError:
        return frozenset()
    return _cmap(str(path), index, (stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=1)
def bundled() -> frozenset[int]:
    """Code points both bundled faces draw (body text is regular, headings bold): from
    fontconfig's fc-query when there is one (a few ms, where loading fontTools is ~100)."""
    regular, bold = (_fc_query(path) or _charset(path) for path in BUNDLED)
    return regular & bold


def _fc_query(path: Path) -> frozenset[int]:
    fc_query = shutil.which("fc-query")
    if not fc_query:
        return frozenset()
    try:
        result = subprocess.run(
            [fc_query, "--format", "%{charset}", str(path)],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    starts, ends = _ranges(result.stdout)
    return frozenset(point for start, end in zip(starts, ends) for point in range(start, end + 1))


def undrawable(letters: set[str], *, machine: bool = True) -> set[str]:
    """The letters among `letters` that no font (bundled, or on this machine unless
    `machine` is false) draws."""
    drawn = bundled()
    wanted = {ch for ch in letters if ord(ch) not in drawn and not ch.isspace() and ch.isprintable()}
    if not wanted or not machine:
        return wanted
    missing = {ch for ch in wanted if not _machine_draws(ord(ch), _machine())}
    if missing:
        fresh = _machine(refresh_after=FRESH)
        if fresh is not None:
            missing = {ch for ch in missing if not _machine_draws(ord(ch), fresh)}
    return missing


def _machine_draws(point: int, listing: Listing) -> bool:
    for starts, ends in listing:
        i = bisect.bisect_right(starts, point) - 1
        if i >= 0 and point <= ends[i]:
            return True
    return False


@overload
def _machine() -> Listing: ...
@overload
def _machine(refresh_after: float) -> Listing | None: ...
def _machine(refresh_after: float | None = None) -> Listing | None:
    """Every face's charset as sorted ranges; listed once a process. With `refresh_after`,
    listed again if older than that (else None: nothing new to look at)."""
    global _listing
    with _lock:
        if _listing is not None:
            listed_at, listing = _listing
            if refresh_after is None:
                return listing
            if time.monotonic() - listed_at < refresh_after:
                return None
        found = _fontconfig()
        if found is None:
            found = _typst_fonts()
        _listing = (time.monotonic(), found)
        return found


def _fontconfig() -> Listing | None:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        result = subprocess.run(
            [fc_list, "--format", "%{charset}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return tuple(_ranges(line) for line in set(result.stdout.splitlines()) if line.strip())


def _ranges(charset: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """fontconfig's "20-7e a0-17f 2010" as range starts and ends (hex code points)."""
    ranges = []
    for item in charset.split():
        low, _, high = item.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    ranges.sort()
    return tuple(start for start, _ in ranges), tuple(end for _, end in ranges)


def _typst_fonts() -> Listing:
    """Without fontconfig: the system fonts Typst finds, each face's cmap read by fontTools."""
    import typst

    listing: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for info in typst.Fonts(include_system_fonts=True, include_embedded_fonts=False).fonts():
        if info.path:
            points = sorted(_charset(info.path, info.index))
            listing.append((tuple(points), tuple(points)))
    return tuple(listing)
