"""The package's shape: which module may import which, and no import cycles.

Read from the source (``ast``), so the test sees every import a module makes, at the top or
inside a function, and not only the ones a particular run happens to execute.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "servicesim"
#: Call-time imports that would close a cycle, allowed only in deprecated shims (each goes in
#: the release named in servicesim.deprecation.REMOVED_IN).
DEPRECATED_SHIMS = {
    ("servicesim.experiment", "servicesim.tables"),  # Replications.table, Comparison.table
    ("servicesim.scenario", "servicesim.loading"),  # Scenario.from_toml
}
#: Modules that draw or show things: nothing below them may import them.
PRESENTATION = {"servicesim.tables", "servicesim.plots", "servicesim.widgets"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(module: str, is_package: bool, node: ast.ImportFrom, files: set[str]) -> list[str]:
    """The servicesim modules an ``from ... import ...`` names (relative or absolute): the
    submodules it imports by name, else the module it imports attributes from."""
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    if not target.startswith("servicesim"):
        return []
    modules = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in files]
    attributes = [a for a in node.names if f"{target}.{a.name}" not in files]
    return [*modules, *([target] if attributes else [])]


def under_type_checking(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside ``if TYPE_CHECKING:`` blocks (never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in ast.walk(node):
                lines.add(getattr(inner, "lineno", -1))
    return lines


def import_graph(top_level_only: bool = False) -> dict[str, set[str]]:
    """servicesim module -> the servicesim modules it imports (anywhere in its source, or
    only at the top of the module)."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = under_type_checking(tree)
        edges: set[str] = set()
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        for node in nodes:
            if getattr(node, "lineno", None) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                targets = resolve(name, path.name == "__init__.py", node, set(files))
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("servicesim")]
            else:
                continue
            edges |= {t for t in targets if t in files and t != name}
        graph[name] = edges
    return graph


GRAPH = import_graph()
TOP_LEVEL = import_graph(top_level_only=True)


def reaches(start: str, goal: str, graph: dict[str, set[str]]) -> bool:
    seen, todo = set(), [start]
    while todo:
        here = todo.pop()
        if here == goal:
            return True
        if here not in seen:
            seen.add(here)
            todo.extend(graph.get(here, ()))
    return False


def test_the_graph_is_read() -> None:
    assert "servicesim.model.centre" in GRAPH and "servicesim.loading" in GRAPH
    assert "servicesim.scenario" in GRAPH["servicesim.loading"], "the reader missed an import"


def test_no_import_cycles_outside_the_deprecated_shims() -> None:
    graph = {m: {t for t in ts if (m, t) not in DEPRECATED_SHIMS} for m, ts in GRAPH.items()}
    cycles = []
    for module, targets in graph.items():
        for target in targets:
            # A package importing its own submodules (re-exports) is not a cycle.
            if target.startswith(module + ".") or module.startswith(target + "."):
                continue
            if reaches(target, module, graph):
                cycles.append(f"{module} -> {target} -> ... -> {module}")
    assert not cycles, "import cycles: " + "; ".join(sorted(cycles))


def test_each_deprecated_shim_is_still_needed() -> None:
    for module, target in DEPRECATED_SHIMS:
        assert target in GRAPH[module], f"{module} no longer imports {target}: drop the entry"


@pytest.mark.parametrize(
    "module",
    [
        "servicesim.model",
        "servicesim.behaviour",
        "servicesim.scenario",
        "servicesim.loading",
        "servicesim.results",
        "servicesim.experiment",
        "servicesim.sweeps",
        "servicesim.staffing",
        "servicesim.kpis",
    ],
)
def test_running_never_imports_presentation(module: str) -> None:
    """At the top of a module never; at call time only the figures a save draws (matplotlib
    is optional), and the deprecated shims."""
    members = [m for m in GRAPH if m == module or m.startswith(module + ".")]
    for member in members:
        for ui in PRESENTATION:
            top = [t for t in TOP_LEVEL[member] if t == ui or t.startswith(ui + ".")]
            assert not top, f"{member} imports {top}: formatting sits above the results"
            late = {t for t in GRAPH[member] if t == ui or t.startswith(ui + ".")}
            late -= {"servicesim.plots"} | {t for m, t in DEPRECATED_SHIMS if m == member}
            assert not late, f"{member} imports {late} at call time"


def test_formatting_builds_on_the_results() -> None:
    assert "servicesim.experiment" in GRAPH["servicesim.tables"]
    assert "servicesim.results" in GRAPH["servicesim.tables"]


def test_the_model_never_imports_the_ui_or_the_files_around_it() -> None:
    allowed = {"servicesim.behaviour", "servicesim.scenario", "servicesim.streams"}
    for module, targets in GRAPH.items():
        if module.startswith("servicesim.model"):
            outside = {t for t in targets if not t.startswith("servicesim.model")}
            assert outside <= allowed, f"{module} imports {outside - allowed}"


def test_one_loader_reads_scenario_files() -> None:
    """Only the reader parses the TOML of users' files (scenarios, sweeps, briefs, uploads:
    one set of limits); --set values and the kit's own texts parse their own."""
    readers = {
        m
        for m, p in ((module_name(p), p) for p in PACKAGE.rglob("*.py"))
        if "tomllib" in p.read_text(encoding="utf-8")
    }
    expected = {"servicesim.reading", "servicesim.cli"}
    expected |= {"servicesim.kit.agendas", "servicesim.kit.pages"}  # agendas.toml, debrief.toml
    assert readers == expected, readers
