"""The floors hold: store/ imports nothing above it, only the app factory reaches into handlers/, and no module
imports itself round a cycle. Imports inside functions count too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("store", "bot", "handlers")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The project's modules that `path` imports (a `from package import name` counts the submodule)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    return {name: _imports(path, set(files)) - {name} for name, path in files.items()}


def _floor(module: str) -> str:
    return module.split(".")[0]


def test_the_graph_sees_the_project() -> None:
    graph = import_graph()
    assert "store.activities" in graph["bot.export"]
    assert {"store.models", "store.errors"} <= set().union(*graph.values())


def test_store_imports_nothing_above_it() -> None:
    upward = {
        (module, imported)
        for module, imports in import_graph().items()
        if _floor(module) == "store"
        for imported in imports
        if _floor(imported) != "store"
    }
    assert upward == set()


def test_only_the_app_factory_reaches_into_handlers() -> None:
    reaching = {
        (module, imported)
        for module, imports in import_graph().items()
        if _floor(module) == "bot" and module != "bot.app"
        for imported in imports
        if _floor(imported) == "handlers"
    }
    assert reaching == set()


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules round it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                return path[path.index(imported) :] + [imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def _parents_first(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's `__init__` importing its own submodules is how packages work, not a cycle between floors."""
    return {
        module: {imported for imported in imports if not imported.startswith(module + ".")}
        for module, imports in graph.items()
    }


def test_no_import_cycle() -> None:
    assert _cycle(_parents_first(import_graph())) is None


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_the_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert _cycle(graph) == expected
