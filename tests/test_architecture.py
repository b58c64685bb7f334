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


# Below services and exports alike: what both need (errors, text cleaning, words, files,
# the clock, the error boundary's sentences) and nothing that reaches up.
LOWEST = ("errors.py", "text.py", "wording.py", "files.py", "clock.py", "personal.py", "failures.py")
ABOVE = ("organizer.services", "organizer.models", "organizer.db", "organizer.exports", "organizer.recap")


def test_the_lowest_layer_imports_nothing_above_it():
    offenders = [
        (name, module)
        for name in LOWEST
        for module in imported_modules(PACKAGE / name)
        if module.startswith((*ABOVE, "organizer.tui", "organizer.cli", "peewee"))
    ]
    assert offenders == []


def test_exports_do_not_touch_the_database():
    exports = PACKAGE / "exports"
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in exports.rglob("*.py")
        if any(
            name.startswith(("peewee", "organizer.models", "organizer.db", "playhouse"))
            for name in imported_modules(path)
        )
    ]
    assert offenders == []


def test_every_module_has_a_docstring():
    missing = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if path.stat().st_size and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def run_time_nodes(tree: ast.AST):
    """Every node of `tree` but those under `if TYPE_CHECKING:` (never imported when run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from run_time_nodes(node)


def import_graph() -> dict[str, set[str]]:
    """Each module of organizer/ and the modules of organizer/ it imports when run (function
    bodies included: a lazy import still makes a cycle)."""
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        wanted: set[str] = set()
        for node in run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                wanted.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                wanted.add(node.module)
                wanted.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {other for other in wanted if other in paths and other != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


ORM_CALLS = {
    "select",
    "get_by_id",
    "get_or_none",
    "get_or_create",
    "create",
    "insert",
    "insert_many",
    "delete_instance",
    "atomic",
    "transaction",
    "connection_context",
    "execute_sql",
}


def test_screens_call_services_never_the_orm():
    """The app names records (services.records) but reads and writes them through services."""
    tui = PACKAGE / "tui"
    imports = [
        str(path.relative_to(PACKAGE.parent))
        for path in tui.rglob("*.py")
        if any(
            name.split(".")[0] in ("peewee", "playhouse") or name in ("organizer.models", "organizer.db")
            for name in imported_modules(path)
        )
    ]
    calls = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno} .{node.func.attr}()"
        for path in tui.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ORM_CALLS
    ]
    assert imports == []
    assert calls == []


def test_migrations_are_frozen_code():
    """A migration runs as written at its version: no live rules (services) inside it."""
    for path in PACKAGE.glob("migrations*.py"):
        assert not [name for name in imported_modules(path) if name.startswith("organizer.services")], path.name


# Private names of third-party libraries we use anyway, each with its reason. Keep it short:
# none today (peewee's `Model._meta` is its documented metadata, not a private name).
PRIVATE_ALLOWED: dict[tuple[str, str], str] = {}


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
    sample.write_text(
        "import fpdf\nfrom fontTools.ttLib import TTFont\nfrom textual._time import get_time\n"
        "from peewee import _Private\nfpdf.fonts._hb\nx = TTFont._reverseGlyphOrderDict\n"
        "self._fine = fpdf.FPDF()\n",
        encoding="utf-8",
    )
    assert private_third_party_names(sample) == {
        "textual._time",
        "peewee._Private",
        "fpdf.fonts._hb",
        "TTFont._reverseGlyphOrderDict",
    }


def test_the_recap_document_and_printers_do_not_touch_the_database():
    offenders = [
        str(path.relative_to(PACKAGE.parent))
        for path in (PACKAGE / "recap").rglob("*.py")
        if any(
            name.startswith(("peewee", "organizer.models", "organizer.db", "organizer.services", "playhouse"))
            for name in imported_modules(path)
        )
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
