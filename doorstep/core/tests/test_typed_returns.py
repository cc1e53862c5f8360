"""No function says it returns `Any` (issue 15: "Small and typed: no `Any` where the type is
known"). API handlers return `JsonObject` / `list[JsonObject]` / `Status[JsonObject]`, model
instances or querysets; a value that really is of any type is `object`.

``ALLOWED`` lists the few that may stay, each with its reason; it may only shrink — type one,
and remove it here.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

ALLOWED: dict[str, str] = {}


def _is_any(annotation: ast.expr | None) -> bool:
    """`Any`, `typing.Any` or the string `"Any"`."""
    if isinstance(annotation, ast.Name):
        return annotation.id == "Any"
    if isinstance(annotation, ast.Attribute):
        return annotation.attr == "Any" and isinstance(annotation.value, ast.Name)
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip() in {"Any", "typing.Any"}
    return False


def returns_any(source: str) -> list[str]:
    """The qualified names (`Class.method`, `outer.inner`) of the functions annotated `-> Any`."""
    found: list[str] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if _is_any(child.returns):
                    found.append(prefix + child.name)
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def _functions_returning_any() -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "doorstep").rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        name = path.relative_to(ROOT).as_posix()
        found |= {f"{name}::{f}" for f in returns_any(path.read_text(encoding="utf-8"))}
    return found


def test_the_detector_sees_any_returns() -> None:
    source = (
        "import typing\n"
        "from typing import Any\n"
        "def f() -> Any: ...\n"
        "def g() -> typing.Any: ...\n"
        "def h() -> 'Any': ...\n"
        "def fine() -> dict[str, Any]: ...\n"
        "def untyped(): ...\n"
        "class C:\n"
        "    async def m(self) -> Any: ...\n"
        "    def outer(self) -> None:\n"
        "        def inner() -> Any: ...\n"
    )
    assert returns_any(source) == ["f", "g", "h", "C.m", "C.outer.inner"]


def test_no_function_returns_any() -> None:
    new = _functions_returning_any() - set(ALLOWED)
    assert new == set(), f"give these their real return type (or `object`): {sorted(new)}"


def test_allowed_any_returns_only_shrink() -> None:
    gone = set(ALLOWED) - _functions_returning_any()
    assert gone == set(), f"these are typed now (or gone): remove them from ALLOWED: {gone}"
