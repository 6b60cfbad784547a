"""The messaging package's imports point one way: no module imports itself back through others, no module
imports inside a function to dodge a loop, and no private name crosses a module boundary."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "homeroom" / "messaging"
# Django's app registry is filled after import time; AppConfig.ready is where an app reaches its own modules.
FUNCTION_IMPORTS_ALLOWED = {"homeroom.messaging.apps"}  # AppConfig.ready registers what it must late


def _modules() -> dict[str, ast.Module]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found[name] = ast.parse(path.read_text(), filename=str(path))
    return found


def _imports(tree: ast.AST, modules: dict[str, ast.Module]) -> list[tuple[ast.stmt, str, list[str]]]:
    """(statement, imported module, imported names) for every import of a messaging module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("homeroom.messaging"):
            names = [alias.name for alias in node.names]
            for name in names:  # `from package import module` imports the module
                if f"{node.module}.{name}" in modules:
                    found.append((node, f"{node.module}.{name}", []))
            rest = [n for n in names if f"{node.module}.{n}" not in modules]
            if rest:
                found.append((node, node.module, rest))
        elif isinstance(node, ast.Import):
            found.extend((node, a.name, []) for a in node.names if a.name.startswith("homeroom.messaging"))
    return found


def _function_level(tree: ast.Module) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            ids.update(id(child) for child in ast.walk(node) if isinstance(child, ast.Import | ast.ImportFrom))
    return ids


def test_no_import_loop_within_messaging():
    modules = _modules()
    graph = {name: {target for _node, target, _names in _imports(tree, modules) if target in modules}
             for name, tree in modules.items()}
    loops = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                loops.append(" → ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert loops == []


def test_no_function_level_imports_and_no_private_names_across_modules():
    modules = _modules()
    inner, private = [], []
    for name, tree in modules.items():
        hidden = _function_level(tree)
        for node, target, names in _imports(tree, modules):
            if id(node) in hidden and name not in FUNCTION_IMPORTS_ALLOWED:
                inner.append(f"{name} imports {target} inside a function")
            private.extend(f"{name} imports {target}.{n}" for n in names if n.startswith("_") and target != name)
    assert inner == [] and private == []
