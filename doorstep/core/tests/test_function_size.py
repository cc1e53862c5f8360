"""Small functions: none over 60 lines unless its docstring says why (issue: "Architecture").

A function may run longer when its docstring holds a line starting ``Long because`` (a demo
table, a generator's one pass). ``KNOWN_LONG`` lists the ones found when this test was written;
it may only shrink — split one, and remove it here.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 60

KNOWN_LONG: set[str] = set()


def _long_functions() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted((ROOT / "doorstep").rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            reason = "Long because" in (ast.get_docstring(node) or "")
            if length > LIMIT and not reason:
                found[f"{path.relative_to(ROOT).as_posix()}::{node.name}"] = length
    return found


def test_no_new_function_over_60_lines() -> None:
    new = {name: n for name, n in _long_functions().items() if name not in KNOWN_LONG}
    assert new == {}, f"split these (or give the reason in the docstring): {new}"


def test_known_long_functions_only_shrink() -> None:
    gone = KNOWN_LONG - set(_long_functions())
    assert gone == set(), f"these are short now (or gone): remove them from KNOWN_LONG: {gone}"
