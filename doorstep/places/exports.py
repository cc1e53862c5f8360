"""The resident register as a spreadsheet (居民台账): phone and ID number masked, always."""

from django.utils.translation import gettext as _

from doorstep.core.exports import Column

from .models import Resident


def _yes(value: bool) -> str:
    return _("是") if value else ""


def resident_columns() -> list[Column[Resident]]:
    return [
        Column(_("姓名"), lambda r: r.name),
        Column(_("性别"), lambda r: r.get_gender_display()),
        Column(_("出生日期"), lambda r: r.birth_date),
        Column(_("民族"), lambda r: r.ethnic_group),
        Column(_("社区"), lambda r: r.community.name),
        Column(_("住址"), lambda r: str(r.household) if r.household else ""),
        Column(_("联系电话"), lambda r: r.phone_masked if r.phone_encrypted else ""),
        Column(_("身份证号"), lambda r: r.id_number_masked if r.id_number_encrypted else ""),
        Column(_("独居"), lambda r: _yes(r.lives_alone)),
        Column(_("卧床"), lambda r: _yes(r.bedridden)),
        Column(_("残疾"), lambda r: _yes(r.disabled)),
        Column(_("低保"), lambda r: _yes(r.subsistence_allowance)),
        Column(_("低收入"), lambda r: _yes(r.low_income)),
    ]
