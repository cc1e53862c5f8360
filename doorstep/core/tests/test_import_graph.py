"""The floors of the house (docs/architecture.md): a lower app never imports a higher one, and
no two apps import each other, directly or round a loop.

The graph is built from the source (every ``import doorstep.<app>`` / ``from doorstep.<app>``
in an app's non-test, non-migration modules, also inside functions), so a lazy import does not
hide an edge. ``KNOWN_DEBT`` lists the edges that break the order today; it may only shrink —
an edge that is no longer there must be removed from it (the test says so), and a new app must
be placed on a floor before it can import anything.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# Lowest floor first. Apps on one floor may import each other as long as there is no cycle.
FLOORS: list[set[str]] = [
    {"core"},
    {"places", "workdays", "catalog"},
    {"cases", "routing"},
    {
        "field",
        "programmes",
        "fund",
        "certificates",
        "subsidy",
        "assistance",
        "canteen",
        "participation",
        "volunteers",
        "bookings",
        "workforce",
        "rollups",
    },
    {"portal", "api", "interop", "dashboard"},
    {"ops"},
]

# Edges that break the order today (issue: "Architecture: a ground floor …"). Only shrinks.
KNOWN_DEBT: set[tuple[str, str]] = set()


def floor_of(app: str) -> int:
    for level, apps in enumerate(FLOORS):
        if app in apps:
            return level
    raise AssertionError(f"app {app!r} is on no floor: add it to FLOORS in {__file__}")


def apps() -> list[str]:
    return sorted(
        p.name for p in (ROOT / "doorstep").iterdir() if p.is_dir() and (p / "__init__.py").exists()
    )


def import_graph() -> dict[str, set[str]]:
    known = set(apps())
    edges: dict[str, set[str]] = defaultdict(set)
    for path in (ROOT / "doorstep").rglob("*.py"):
        parts = path.relative_to(ROOT / "doorstep").parts
        if (
            len(parts) < 2
            or "migrations" in parts
            or "tests" in parts
            or parts[-1] == "conftest.py"
        ):
            continue
        source = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                bits = name.split(".")
                target = bits[1] if bits[0] == "doorstep" and len(bits) > 1 else ""
                if target in known and target != source:
                    edges[source].add(target)
    return edges


def test_every_app_is_on_a_floor() -> None:
    for app in apps():
        floor_of(app)


def test_no_app_imports_a_higher_floor() -> None:
    wrong = sorted(
        (source, target)
        for source, targets in import_graph().items()
        for target in targets
        if floor_of(target) > floor_of(source) and (source, target) not in KNOWN_DEBT
    )
    assert wrong == [], f"lower app imports a higher one: {wrong}"


def test_known_debt_only_shrinks() -> None:
    graph = import_graph()
    paid = sorted(edge for edge in KNOWN_DEBT if edge[1] not in graph.get(edge[0], set()))
    assert paid == [], f"these edges are gone: remove them from KNOWN_DEBT: {paid}"


def test_no_import_cycle_between_apps() -> None:
    graph = {
        source: {t for t in targets if (source, t) not in KNOWN_DEBT}
        for source, targets in import_graph().items()
    }
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    path: list[str] = []

    def visit(app: str) -> list[str] | None:
        state[app] = 1
        path.append(app)
        for target in sorted(graph.get(app, set())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[app] = 2
        path.pop()
        return None

    for app in sorted(graph):
        if app not in state and (cycle := visit(app)):
            raise AssertionError(f"import cycle between apps: {' → '.join(cycle)}")
