"""qualcode's packages import each other without a loop (a newcomer can read them bottom-up).

The graph is drawn statically from every ``import`` in the source, lazy ones inside
functions included (a lazy import is still a dependency). Its nodes are the
sub-packages (``qualcode.refi``, ``qualcode.codebook_ops`` ...) and the top-level
modules (``qualcode.codebook`` ...), so a loop that passes through a module
(``refi`` -> ``project`` -> ``codebook_ops`` -> ``refi``) is found as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import qualcode

ROOT = Path(qualcode.__file__).parent


def _unit(module: str) -> str | None:
    """The package or top-level module a module belongs to (``qualcode.refi.archive`` -> ``qualcode.refi``)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "qualcode":
        return None
    name = parts[1]
    if (ROOT / name).is_dir() or (ROOT / f"{name}.py").is_file():
        return f"qualcode.{name}"
    return None


def import_graph() -> dict[str, set[str]]:
    """Unit -> the units it imports."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        module = ".".join(parts)
        package = parts if is_package else parts[:-1]
        source = _unit(module)
        if source is None:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                names = [target, *(f"{target}.{alias.name}" for alias in node.names)]
            for name in names:
                unit = _unit(name)
                if unit is not None and unit != source:
                    graph.setdefault(source, set()).add(unit)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_import_graph_finds_a_planted_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_import_graph_sees_the_known_edges() -> None:
    graph = import_graph()
    assert "qualcode.refi" in graph["qualcode.codebook_ops"]  # codebook_ops reads .qdc files through refi
    assert "qualcode.yamledit" in graph["qualcode.refi"]  # refi adds imported codes to the YAML in place


def test_import_graph_has_no_loop_among_qualcode_packages() -> None:
    assert cycles(import_graph()) == []
