"""No model write outside services (issue 15): views, the API, the admin, forms, filters,
selectors, exports, management commands, the demo loaders and `ops/` read, parse and call
services; only a `services.py` (or a `services/` package) — and migrations, tests and
conftest — writes rows, through the ORM or the bulk writer (`core.bulk.bulk_insert`). The demo
loads through named bulk services (`places_import`, `catalogue_import`, `case_history_load`,
`fund_history_load` …) that check each row as the single services do.

A few modules are services in all but name; they are listed below with the reason, and a new
entry needs one. `ops/scale_data.py`'s COPY writer for the benchmark's generated case history
is raw SQL by design (its docstring says why) and is not an ORM write."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
}
BULK_WRITERS = {"bulk_insert", "insert_rows"}

# Modules that write because they are the write path of their one concern.
SERVICES_BY_ANOTHER_NAME = {
    "doorstep/core/bulk.py": "the bulk writer itself, called only by the named bulk services",
    "doorstep/core/locks.py": "takes and frees the tick's lease row: the lock service",
    "doorstep/core/throttle.py": "counts and locks rate-limit rows: the throttle service",
    "doorstep/workforce/fees.py": "the fee counter's ledger writes (docstring: its services)",
    "doorstep/catalog/translations.py": "saves a field translation with its audit entry",
    "doorstep/cases/submissions.py": "records an intake token in the case's transaction",
}


def writes_in(source: str) -> list[int]:
    """Line numbers of `<Model>.objects….<write>(…)` and `bulk_insert(…)` calls."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        orm = (
            isinstance(func, ast.Attribute)
            and func.attr in WRITES
            and "objects" in ast.unparse(func.value)
        )
        if orm or name in BULK_WRITERS:
            found.append(node.lineno)
    return sorted(found)


def is_service(relative: str) -> bool:
    parts = Path(relative).parts
    return (
        parts[-1] in ("services.py", "conftest.py")
        or "services" in parts[:-1]
        or "migrations" in parts
        or "tests" in parts
    )


def test_the_detector_sees_orm_and_bulk_writes() -> None:
    source = (
        "def view(request):\n"
        "    Case.objects.filter(pk=1).update(status='closed')\n"
        "    rows = [Demand(text='x')]\n"
        "    bulk_insert(rows)\n"
        "    core.bulk.bulk_insert(rows)\n"
        "    Lease.objects.get_or_create(name='tick')\n"
        "    return Case.objects.filter(pk=1).first()\n"
    )
    assert writes_in(source) == [2, 4, 5, 6]
    assert writes_in("def read():\n    return list(Case.objects.all())\n") == []


def test_services_migrations_and_tests_are_the_write_paths() -> None:
    assert is_service("doorstep/places/services.py")
    assert is_service("doorstep/api/services/tokens.py")
    assert is_service("doorstep/cases/migrations/0001_initial.py")
    assert is_service("doorstep/ops/tests/test_demo.py")
    assert not is_service("doorstep/ops/demo.py")
    assert not is_service("doorstep/bookings/views.py")
    assert not is_service("doorstep/ops/management/commands/demo.py")


def test_no_module_but_a_service_writes_rows() -> None:
    found = {}
    for path in sorted((ROOT / "doorstep").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        if is_service(relative) or relative in SERVICES_BY_ANOTHER_NAME:
            continue
        if lines := writes_in(path.read_text(encoding="utf-8")):
            found[relative] = lines
    assert found == {}, f"move these writes into the app's services.py: {found}"


def test_every_module_allowed_to_write_still_writes() -> None:
    """The allow-list only shrinks: an entry whose module no longer writes goes."""
    idle = [
        name
        for name in SERVICES_BY_ANOTHER_NAME
        if not (ROOT / name).exists() or not writes_in((ROOT / name).read_text(encoding="utf-8"))
    ]
    assert idle == []
