"""Dependencies point one way: no import loop among Homeroom's modules, and the layers below import nothing above.

grimp reads every import statement under homeroom/: those inside functions count (an import moved into a
function still makes a loop, it only hides it until run time), and so do those under `if TYPE_CHECKING:`.
A failure names the loop, one import per line with the file and line that makes it.

The layers (docs/architecture.md): core → roster (models) → access (scoping, sign-in, the access log) → the apps.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import grimp
import pytest

APPS = ("access", "api", "attendance", "contacts", "core", "demo", "meetings", "messaging", "portal", "roster",
        "schoolcalendar", "surveys")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("homeroom", cache_dir=None)


def tangles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Groups of modules that reach each other through imports (strongly connected components of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        # Tarjan's algorithm without recursion: each frame is a module and the imports still to visit.
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(sorted(graph.find_modules_directly_imported_by(imported)))))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[module])
                if low[module] == index[module]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == module:
                            break
                    if len(members) > 1:
                        found.append(sorted(members))
    return found


def shortest_loop(graph: grimp.ImportGraph, tangle: list[str]) -> list[str]:
    """One concrete loop through the tangle's first module: [a, b, …, a]."""
    start = tangle[0]
    chains = [graph.find_shortest_chain(importer=imported, imported=start)
              for imported in graph.find_modules_directly_imported_by(start) if imported in tangle]
    chain = min((c for c in chains if c), key=lambda c: (len(c), c))
    return [start, *chain]


def describe(graph: grimp.ImportGraph, tangle: list[str]) -> str:
    loop = shortest_loop(graph, tangle)
    lines = [f"import loop: {' → '.join(loop)}"]
    for importer, imported in itertools.pairwise(loop):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = ", ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details) or "?"
        lines.append(f"  {importer} imports {imported} ({where})")
    if len(tangle) > len(loop) - 1:
        lines.append(f"  (the loop is part of a tangle of {len(tangle)} modules: {', '.join(tangle)})")
    return "\n".join(lines)


def test_no_import_loop_among_homerooms_modules(graph):
    problems = [describe(graph, t) for t in tangles(graph)]
    assert not problems, "\n\n".join(problems)


def test_core_imports_no_app_above_it(graph):
    """core (the user, roles, the access-log table, words, security) is the bottom layer."""
    chains = [graph.find_shortest_chain(importer="homeroom.core", imported=f"homeroom.{app}", as_packages=True)
              for app in APPS if app != "core"]
    assert [c for c in chains if c] == []


def test_roster_models_do_not_import_the_permission_layer(graph):
    """access.scoping sits above the roster models it filters."""
    assert graph.find_shortest_chain(importer="homeroom.roster.models", imported="homeroom.access",
                                     as_packages=True) is None


def test_nothing_imports_the_demo_district(graph):
    importers = graph.find_downstream_modules("homeroom.demo", as_package=True)
    assert {m for m in importers if not m.startswith("homeroom.demo")} == set()


# --- the check itself can fail ---------------------------------------------------------------------------------

def _package(root: Path, name: str, modules: dict[str, str]) -> None:
    (root / name).mkdir()
    (root / name / "__init__.py").write_text("")
    for module, source in modules.items():
        (root / name / f"{module}.py").write_text(source)


def test_the_check_finds_and_names_a_loop_even_through_an_import_inside_a_function(tmp_path, monkeypatch):
    _package(tmp_path, "loopy", {
        "a": "from loopy import b\n",
        "b": "import loopy.c\n",
        "c": "def later():\n    from loopy.a import thing\n    return thing\n",
        "d": "from loopy import a\n",  # imports into the loop without being part of it
    })
    monkeypatch.syspath_prepend(str(tmp_path))
    loopy = grimp.build_graph("loopy", cache_dir=None)

    found = tangles(loopy)

    assert found == [["loopy.a", "loopy.b", "loopy.c"]]
    message = describe(loopy, found[0])
    assert message.splitlines()[0] == "import loop: loopy.a → loopy.b → loopy.c → loopy.a"
    assert "loopy.c imports loopy.a (line 2: from loopy.a import thing)" in message

