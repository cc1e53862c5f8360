"""`{% may "assistance" as can_assist %}`: the access policy's named permissions in the
programme templates (the navigation shows 综合帮扶 only to those who may open it), instead of
comparing `staff.role` in the template."""

from __future__ import annotations

from typing import Any

from django import template

from doorstep.places import access

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: dict[str, Any], permission: str) -> bool:
    request = context.get("request")
    return request is not None and access.may(request.user, permission)
