"""Forms of the booking pages: they parse; the services decide."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstep.core.widgets import date_input

from .choices import FacilityKind, WhoMayBook

WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]
DATE = date_input()
TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")


class SlotForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    start = forms.TimeField(label=_("开始"), widget=TIME)
    end = forms.TimeField(label=_("结束"), widget=TIME)

    def slot(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.combine(data["day"], data["start"])),
            timezone.make_aware(datetime.combine(data["day"], data["end"])),
        )


class OnBehalfForm(SlotForm):
    resident = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**62
    )
    group_name = forms.CharField(label=_("团体名称"), required=False, max_length=100)


class SeriesForm(forms.Form):
    group_name = forms.CharField(label=_("团体"), max_length=100)
    weekday = forms.TypedChoiceField(label=_("每周"), choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label=_("开始"), widget=TIME)
    end = forms.TimeField(label=_("结束"), widget=TIME)
    first_day = forms.DateField(label=_("起始日期"), widget=DATE)
    last_day = forms.DateField(label=_("结束日期"), widget=DATE)


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=FacilityKind.choices)
    place = forms.CharField(label=_("位置"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("容纳人数"), min_value=1, max_value=10000, initial=4)
    opens_at = forms.TimeField(label=_("开放时间"), widget=TIME, initial="08:30")
    closes_at = forms.TimeField(label=_("关闭时间"), widget=TIME, initial="20:00")
    min_minutes = forms.IntegerField(
        label=_("最短（分钟）"), min_value=5, max_value=1440, initial=30
    )
    max_minutes = forms.IntegerField(
        label=_("最长（分钟）"), min_value=5, max_value=1440, initial=120
    )
    advance_days = forms.IntegerField(
        label=_("最多提前天数"), min_value=0, max_value=366, initial=7
    )
    weekly_limit = forms.IntegerField(
        label=_("每人每周次数"), min_value=1, max_value=100, initial=3
    )
    who_may_book = forms.ChoiceField(label=_("预约对象"), choices=WhoMayBook.choices)
    needs_approval = forms.BooleanField(label=_("需要审批"), required=False)
    rules_note = forms.CharField(label=_("使用须知"), max_length=300, required=False)
