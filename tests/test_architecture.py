"""The rules of the house (ARCHITECTURE.md), checked on the source: what may import what, and
how long a file may grow. Ruff's banned imports keep Streamlit's internals inside
workbook/server/; these keep the layers."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from workbook.config import PROJECT_ROOT

# Screens: the only code that draws with Streamlit (besides the gate, workbook/server/).
SCREENS = ("app.py", "pages/", "workbook/ui/", "workbook/server/")
# A module may grow to about this many lines; past it, it holds more than one idea.
MAX_LINES = 600
# Modules still over the limit, with their size when this list was made: none are left (issue
# 20 split them); a module that grows past MAX_LINES is split, not listed here.
STILL_TOO_LONG: dict[str, int] = {}
MAX_PAGE_LINES = 40


def _sources() -> Iterator[tuple[str, ast.Module]]:
    paths = [PROJECT_ROOT / "app.py", *PROJECT_ROOT.glob("pages/*.py")]
    paths += sorted((PROJECT_ROOT / "workbook").rglob("*.py"))
    for path in paths:
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        yield relative, ast.parse(path.read_text(encoding="utf-8"), filename=relative)


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            # `from workbook import ui` names a package too.
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_only_the_screens_import_streamlit() -> None:
    found = [
        (path, module)
        for path, tree in _sources()
        if not path.startswith(SCREENS)
        for module in _imports(tree)
        if _is(module, "streamlit")
    ]
    assert found == []


def test_the_domain_never_imports_the_screens_or_the_gate() -> None:
    """workbook/ minus ui/ and server/ (the lessons, the store, the maths, the releases) works
    without a browser: it imports neither the screens nor the gate."""
    found = [
        (path, module)
        for path, tree in _sources()
        if path.startswith("workbook/") and not path.startswith(SCREENS)
        for module in _imports(tree)
        if _is(module, "workbook.ui") or _is(module, "workbook.server")
    ]
    assert found == []


def test_the_gate_never_imports_the_screens() -> None:
    found = [
        (path, module)
        for path, tree in _sources()
        if path.startswith("workbook/server/")
        for module in _imports(tree)
        if _is(module, "workbook.ui")
    ]
    assert found == []


def test_the_app_never_imports_tests_bench_or_the_harness() -> None:
    found = [
        (path, module)
        for path, tree in _sources()
        for module in _imports(tree)
        if any(_is(module, other) for other in ("tests", "bench", "harness"))
    ]
    assert found == []


def test_modules_stay_short_and_pages_thin() -> None:
    too_long = {}
    for path in sorted((PROJECT_ROOT / "workbook").rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        allowed = STILL_TOO_LONG.get(relative, MAX_LINES)
        if lines > allowed:
            too_long[relative] = lines
    assert too_long == {}, f"over {MAX_LINES} lines (or grown past its listed size): split it"
    fat_pages = {
        path.name: lines
        for path in sorted((PROJECT_ROOT / "pages").glob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_PAGE_LINES
    }
    assert fat_pages == {}


def test_the_list_of_long_modules_only_shrinks() -> None:
    """A module split below the limit leaves the list, so it cannot grow back unnoticed."""
    still = {
        relative
        for relative in STILL_TOO_LONG
        if (PROJECT_ROOT / relative).is_file()
        and len((PROJECT_ROOT / relative).read_text(encoding="utf-8").splitlines()) > MAX_LINES
    }
    assert still == set(STILL_TOO_LONG)
