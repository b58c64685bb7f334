"""House rules that hold for the whole tree."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "organizer"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_tui_imports_textual():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if "tui" not in path.relative_to(PACKAGE).parts
        and any(name == "textual" or name.startswith("textual.") for name in imported_modules(path))
    ]
    assert offenders == []


def test_exports_do_not_touch_the_database():
    exports = PACKAGE / "exports"
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in exports.rglob("*.py")
        if any(name.startswith(("peewee", "organizer.models", "organizer.db", "playhouse"))
               for name in imported_modules(path))
    ]
    assert offenders == []


def test_every_module_has_a_docstring():
    missing = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


# Private names of third-party libraries we use anyway, each with its reason. Keep it short.
PRIVATE_ALLOWED = {
    ("organizer/tui/widgets/search.py", "textual._time"):
        "the search times keys on Textual's own event clock, which Textual does not export",
}


def _third_party(module: str) -> bool:
    top = module.split(".")[0]
    return top != "organizer" and top not in sys.stdlib_module_names and top != "__future__"


def private_third_party_names(path: Path) -> set[str]:
    """`lib._x` / `from lib._x import y` / `from lib import _y`, and `name._x` on a name bound
    by importing a third-party module or one of its names."""
    source = path.read_text(encoding="utf-8")
    found: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _third_party(alias.name):
                    if any(part.startswith("_") for part in alias.name.split(".")):
                        found.add(alias.name)
                    bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and _third_party(node.module):
            if any(part.startswith("_") for part in node.module.split(".")):
                found.add(node.module)
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.add(f"{node.module}.{alias.name}")
                bound.add(alias.asname or alias.name)
    if bound:
        pattern = re.compile(r"(?<![\w.])(" + "|".join(map(re.escape, sorted(bound))) + r")((?:\.\w+)*\._[a-z]\w*)")
        found.update(match.group(1) + match.group(2) for match in pattern.finditer(source))
    return found


def test_no_private_names_of_third_party_libraries():
    """Only public APIs of the libraries we depend on: private names change without notice
    (the fpdf2 internals the old PDF recap used pinned fpdf2 to one minor line)."""
    offenders = sorted(
        (str(path.relative_to(PACKAGE.parent)), name)
        for path in PACKAGE.rglob("*.py")
        for name in private_third_party_names(path)
        if (str(path.relative_to(PACKAGE.parent)), name) not in PRIVATE_ALLOWED
    )
    assert offenders == []


def test_the_private_names_check_finds_them(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import fpdf\nfrom fontTools.ttLib import TTFont\nfrom textual._time import get_time\n"
                      "from peewee import _Private\nfpdf.fonts._hb\nx = TTFont._reverseGlyphOrderDict\n"
                      "self._fine = fpdf.FPDF()\n", encoding="utf-8")
    assert private_third_party_names(sample) == {
        "textual._time", "peewee._Private", "fpdf.fonts._hb", "TTFont._reverseGlyphOrderDict"}


def test_the_recap_document_and_printers_do_not_touch_the_database():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in (PACKAGE / "recap").rglob("*.py")
        if any(name.startswith(("peewee", "organizer.models", "organizer.db", "organizer.services", "playhouse"))
               and name != "organizer.services.errors"  # the project's one error type
               for name in imported_modules(path))
    ]
    assert offenders == []


def test_services_take_only_the_recap_model_not_its_printers():
    offenders = [
        (str(path.relative_to(PACKAGE.parent)), name)
        for path in (PACKAGE / "services").rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(("organizer.recap", "organizer.exports.recap")) and name != "organizer.recap.model"
    ]
    assert offenders == []
