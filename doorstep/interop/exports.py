"""The 12345 order list as a spreadsheet (12345工单台账): caller's phone masked, text escaped."""

from django.utils.translation import gettext as _

from doorstep.core import crypto
from doorstep.core.exports import Column

from .models import HotlineOrder


def _place(order: HotlineOrder) -> str:
    parts = [p.name for p in (order.community, order.compound, order.building) if p is not None]
    return " · ".join(parts)


def order_columns() -> list[Column[HotlineOrder]]:
    return [
        Column(_("工单编号"), lambda o: o.order_no),
        Column(_("来电时间"), lambda o: o.called_at),
        Column(_("来电人"), lambda o: o.caller_name),
        Column(
            _("联系电话"),
            lambda o: (
                crypto.mask_phone(crypto.decrypt(o.caller_phone_encrypted))
                if o.caller_phone_encrypted
                else ""
            ),
        ),
        Column(_("分类"), lambda o: o.category),
        Column(_("诉求内容"), lambda o: o.content),
        Column(_("事发地址"), lambda o: o.address),
        Column(_("派往"), _place),
        Column(_("12345时限"), lambda o: o.deadline),
        Column(_("我方承诺"), lambda o: o.case.due_date if o.case else None),
        Column(_("状态"), lambda o: o.get_status_display()),
        Column(_("事项查询码"), lambda o: o.case.tracking_code if o.case else ""),
        Column(_("导入时间"), lambda o: o.imported_at),
        Column(_("回单时间"), lambda o: o.replied_at),
    ]
