"""A request body that does not fit the schema (422), said in the user's language: pydantic's
messages are English ("Field required", "Input should be a valid integer"); each error *type*
is mapped to a translatable sentence here, with the limits pydantic reports (`ctx`) filled in.
A type not listed gets a general "格式不正确" rather than English."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "missing": _("必填。"),
    "string_type": _("应为文字。"),
    "string_too_short": _("至少 %(min_length)s 个字。"),
    "string_too_long": _("最多 %(max_length)s 个字。"),
    "string_pattern_mismatch": _("格式不正确。"),
    "int_type": _("应为整数。"),
    "int_parsing": _("应为整数。"),
    "int_from_float": _("应为整数。"),
    "float_type": _("应为数字。"),
    "float_parsing": _("应为数字。"),
    "decimal_type": _("应为数字。"),
    "decimal_parsing": _("应为数字。"),
    "bool_type": _("应为 true 或 false。"),
    "bool_parsing": _("应为 true 或 false。"),
    "greater_than": _("应大于 %(gt)s。"),
    "greater_than_equal": _("不能小于 %(ge)s。"),
    "less_than": _("应小于 %(lt)s。"),
    "less_than_equal": _("不能大于 %(le)s。"),
    "too_short": _("至少 %(min_length)s 项。"),
    "too_long": _("最多 %(max_length)s 项。"),
    "literal_error": _("取值应为 %(expected)s 之一。"),
    "enum": _("取值应为 %(expected)s 之一。"),
    "date_type": _("应为日期（如 2026-12-01）。"),
    "date_parsing": _("应为日期（如 2026-12-01）。"),
    "date_from_datetime_parsing": _("应为日期（如 2026-12-01）。"),
    "datetime_type": _("应为日期时间（如 2026-12-01T09:30:00+08:00）。"),
    "datetime_parsing": _("应为日期时间（如 2026-12-01T09:30:00+08:00）。"),
    "datetime_from_date_parsing": _("应为日期时间（如 2026-12-01T09:30:00+08:00）。"),
    "list_type": _("应为列表。"),
    "dict_type": _("应为对象。"),
    "model_type": _("应为对象。"),
    "model_attributes_type": _("应为对象。"),
    "json_invalid": _("不是有效的 JSON。"),
    "json_type": _("不是有效的 JSON。"),
    "extra_forbidden": _("没有这个字段。"),
    "uuid_parsing": _("应为 UUID。"),
}
FALLBACK = _("格式不正确。")


def schema_message(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence in the active language."""
    template = MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(FALLBACK)
    ctx = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return str(template) % ctx if "%(" in str(template) else str(template)
    except (KeyError, ValueError):
        return str(FALLBACK)


def schema_fields(errors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """`{"field.path": [sentences]}` of a 422 (the location after `body` / `query`)."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        loc = ".".join(str(p) for p in list(error.get("loc", []))[1:]) or "body"
        fields.setdefault(loc, []).append(schema_message(error))
    return fields
