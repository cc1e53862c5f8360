"""`{% load access_tags %}{% may "assistance" as can_assist %}`: the access policy's named
permissions in templates (the programmes' navigation shows 综合帮扶 only to those who may open
it; the case page offers 约请部门现场办公 only to those who may ask for it), instead of comparing
`staff.role` in a template — `places/tests/test_no_inline_role_checks.py` reads the templates
too."""

from __future__ import annotations

from typing import Any

from django import template

from doorstep.places import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: dict[str, Any], permission: str) -> bool:
    request = context.get("request")
    return request is not None and access.may(request.user, permission)
