"""The booking list as a spreadsheet (场地预约台账): the rows the desk filters."""

from django.utils.translation import gettext as _

from doorstep.core.exports import Column

from .models import Booking


def booking_columns() -> list[Column[Booking]]:
    return [
        Column(_("开始"), lambda b: b.starts_at),
        Column(_("结束"), lambda b: b.ends_at),
        Column(_("场地"), lambda b: b.facility.name),
        Column(_("预约人"), lambda b: b.holder),
        Column(_("联系电话"), lambda b: b.resident.phone_masked if b.resident else ""),
        Column(_("渠道"), lambda b: b.get_channel_display()),
        Column(_("状态"), lambda b: b.get_status_display()),
        Column(_("到场时间"), lambda b: b.checked_in_at),
    ]
