"""No inline role checks outside the access policy (issue 15, "One access policy").

Who may do what is decided in ``doorstep/places/access.py`` — its role sets, its named
permissions and its ``visible_to`` scopes. Anywhere else, ``profile.role == Role.DISTRICT``,
``role in ("desk", "grid")`` or ``x in COMMUNITY_ROLES`` is a second policy that drifts. This
test reads every non-test, non-migration module and fails on a comparison that involves a
post's ``role``, a ``Role.<MEMBER>`` or a ``*_ROLES`` set. Querying staff by role
(``filter(role=Role.SECRETARY)``: "the community's secretary") is data, not a check, and is
allowed.

``KNOWN_DEBT`` counts the checks left per file; it may only shrink (it is empty since the
programmes moved onto the policy: keep it so).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# The policy itself, and the menu whose entries each name one of its role sets.
POLICY = {Path("doorstep/places/access.py"), Path("doorstep/places/menu.py")}
# Demo and scale-data builders pick staff by post to give them work ("the grid workers of this
# community walk the grids"): data, not a decision about who may do what.
DATA_BUILDERS = {"demo.py", "scale_data.py"}

# file → inline role checks still there. Only shrinks: lower a number when you remove one.
KNOWN_DEBT: dict[str, int] = {}


def _is_role_operand(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "role":
        return True
    if isinstance(node, ast.Name) and (node.id == "role" or node.id.endswith("_ROLES")):
        return True
    if isinstance(node, ast.Attribute) and node.attr.endswith("_ROLES"):
        return True
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "Role"
        and node.attr.isupper()
    ):
        return True
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role_operand(item) for item in node.elts)
    if isinstance(node, ast.BinOp):
        return _is_role_operand(node.left) or _is_role_operand(node.right)
    if isinstance(node, ast.Starred):
        return _is_role_operand(node.value)
    return False


def inline_role_checks(source: str) -> list[int]:
    """Line numbers of comparisons that decide something by a post's role."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            _is_role_operand(operand) for operand in [node.left, *node.comparators]
        ):
            lines.append(node.lineno)
    return lines


def modules() -> list[Path]:
    found = []
    for path in sorted((ROOT / "doorstep").rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel in POLICY or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        if rel.name == "conftest.py" or rel.name in DATA_BUILDERS:
            continue
        found.append(rel)
    return found


def counts() -> dict[str, int]:
    result = {}
    for rel in modules():
        found = inline_role_checks((ROOT / rel).read_text(encoding="utf-8"))
        if found:
            result[str(rel)] = len(found)
    return result


def test_the_detector_sees_the_usual_shapes() -> None:
    source = "\n".join(
        [
            "a = profile.role == Role.DISTRICT",
            "b = profile.role in (Role.DESK, Role.GRID)",
            "c = profile.role not in COMMUNITY_ROLES",
            'd = u.staff.role == "grid"',
            "e = role in {Role.STREET}",
            "f = x in services.HOTLINE_ROLES",
            "g = Role.SECRETARY == p",
            'h = p.role in (*COMMUNITY_ROLES, "street")',
        ]
    )
    assert inline_role_checks(source) == [1, 2, 3, 4, 5, 6, 7, 8]


def test_queries_by_role_and_policy_calls_are_not_checks() -> None:
    source = "\n".join(
        [
            "a = StaffProfile.objects.filter(role=Role.SECRETARY)",
            'b = access.may(user, "hotline")',
            "c = access.is_role(target, Role.STREET)",
            "d = self.post in Role.values",
            "e = membership.role",
        ]
    )
    assert inline_role_checks(source) == []


def test_no_inline_role_checks_outside_the_access_policy() -> None:
    found = counts()
    new = {path: n for path, n in found.items() if n > KNOWN_DEBT.get(path, 0)}
    assert new == {}, (
        "inline role checks outside doorstep/places/access.py — add a permission or a role "
        f"set there and call access.may / access.require / access.has_role: {new}"
    )


def test_known_debt_only_shrinks() -> None:
    found = counts()
    paid = {
        path: (n, found.get(path, 0)) for path, n in KNOWN_DEBT.items() if found.get(path, 0) < n
    }
    assert paid == {}, f"fewer inline role checks now: lower KNOWN_DEBT to match: {paid}"


# A template deciding by a post's role (`{% if staff.role == 'street' %}`) is the same second
# policy; templates ask `{% may "permission" as x %}` (places/templatetags/access_tags.py).
# A membership's own role (`m.role == 'leader'`, a volunteer team's leader) is data and allowed.
TEMPLATE_ROLE_CHECK = re.compile(r"\b(?:staff|profile|post|user\.staff)\.role\s*(?:==|!=|\bin\b)")


def template_role_checks() -> list[str]:
    found = []
    for path in sorted((ROOT / "doorstep").rglob("templates/**/*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_ROLE_CHECK.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    return found


def test_the_template_detector_sees_a_role_comparison() -> None:
    assert TEMPLATE_ROLE_CHECK.search("{% if staff.role == 'street' %}")
    assert TEMPLATE_ROLE_CHECK.search("{% if profile.role != 'department' %}")
    assert not TEMPLATE_ROLE_CHECK.search("{% if m.role == 'leader' %}")
    assert not TEMPLATE_ROLE_CHECK.search('{% may "hotline.street" as x %}')


def test_no_role_checks_in_templates() -> None:
    assert template_role_checks() == [], "ask {% may %} instead of comparing a role"
