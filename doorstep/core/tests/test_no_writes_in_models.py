"""Models hold data and its guards, never a write path (issue 15: `ApiToken.issue` and
`Open311Client.issue` used to create rows from model methods). A row is written by a service;
a model's own `save` / `delete` may only guard and call `super()`."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "update", "bulk_update"}


def writes_in(source: str) -> list[int]:
    """Line numbers of `<something>.objects.<write>(…)` and `cls.objects…` calls."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and "objects" in ast.unparse(node.func.value)
        ):
            found.append(node.lineno)
    return found


def test_the_detector_sees_a_create_from_a_classmethod() -> None:
    source = (
        "class T:\n    @classmethod\n    def issue(cls):\n        return cls.objects.create(a=1)\n"
    )
    assert writes_in(source) == [4]
    assert writes_in("def save(self):\n    super().save()\n") == []


def test_no_model_module_writes_rows() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "doorstep").glob("*/models.py"))
        if (lines := writes_in(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"move these writes into the app's services.py: {found}"
