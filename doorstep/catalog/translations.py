"""Catalogue data in the reader's language (字段译文): one query per page, never per row."""

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from doorstep.core.hant import to_traditional
from doorstep.core.models import AuditEntry
from doorstep.core.types import Actor
from doorstep.places import access

from .models import Category, FieldTranslation, ServiceItem

TRANSLATABLE = {"name", "keywords"}
Row = ServiceItem | Category


def _kind(row: Row) -> str:
    return (
        FieldTranslation.Kind.ITEM
        if isinstance(row, ServiceItem)
        else FieldTranslation.Kind.CATEGORY
    )


def localise(rows: Iterable[Row], fields: Sequence[str] = ("name",)) -> None:
    """Set `<field>_shown` on every row for the active language: a stored translation, else
    OpenCC for Traditional, else the Chinese text."""
    rows = list(rows)
    language = (translation.get_language() or "zh-hans").lower()
    found: dict[tuple[str, int, str], str] = {}
    if rows and language != "zh-hans":
        by_kind: dict[str, set[int]] = {}
        for row in rows:
            by_kind.setdefault(_kind(row), set()).add(row.pk)
        for kind, ids in by_kind.items():
            for t in FieldTranslation.objects.filter(
                kind=kind, object_id__in=ids, field__in=fields, language=language
            ):
                found[(t.kind, t.object_id, t.field)] = t.text
    for row in rows:
        for field in fields:
            original = str(getattr(row, field))
            text = found.get((_kind(row), row.pk, field))
            if text is None:
                text = to_traditional(original) if language == "zh-hant" else original
            setattr(row, f"{field}_shown", text)


@transaction.atomic
def field_translation_set(
    *, actor: Actor, row: Row, field: str, language: str, text: str
) -> FieldTranslation:
    """District admins keep the catalogue's translations; one audit entry per change."""
    access.require(actor, "catalog.translate", _("只有区级管理员可以维护服务清单译文。"))
    if field not in TRANSLATABLE:
        raise ValidationError({"field": _("该字段不能翻译。")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写译文。")})
    saved, _created = FieldTranslation.objects.update_or_create(
        kind=_kind(row),
        object_id=row.pk,
        field=field,
        language=language.lower(),
        defaults={"text": text},
    )
    AuditEntry.objects.create(
        actor=actor,
        action="translate",
        object_type=_kind(row),
        object_id=str(row.pk),
        field=field,
        reason=language[:200],
    )
    return saved
