"""Forms of the workforce pages: they parse input; the services decide and validate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.core.widgets import date_input, set_choices

from .choices import CertificateKind, LeaveKind, PayMethod, Utility

DATE = date_input()
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("证书类别"), choices=CertificateKind.choices)
    number = forms.CharField(label=_("证书编号"), max_length=50)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE, required=False)
    period_years = forms.IntegerField(
        label=_("登记周期（年）"), min_value=1, max_value=10, required=False
    )
    period_hours = forms.DecimalField(
        label=_("每周期继续教育学时"), min_value=0, max_value=1000, required=False
    )


class RecordForm(forms.Form):
    hire_date = forms.DateField(label=_("入职日期"), widget=DATE)
    birth_date = forms.DateField(label=_("出生日期"), widget=DATE)


class ExternalForm(forms.Form):
    title = forms.CharField(label=_("培训名称"), max_length=100)
    day = forms.DateField(label=_("日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), max_digits=6, decimal_places=1)
    evidence = forms.CharField(label=_("证明材料（证书编号、主办单位等）"), max_length=200)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=100)
    organiser = forms.CharField(label=_("主办单位"), max_length=100)
    day = forms.DateField(label=_("首场日期"), widget=DATE)
    hours = forms.DecimalField(label=_("学时"), max_digits=6, decimal_places=1)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)


class LeaveForm(forms.Form):
    worker = forms.TypedChoiceField(label=_("工作人员"), coerce=int)
    kind = forms.ChoiceField(label=_("类型"), choices=LeaveKind.choices)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, workers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "worker", workers)


class OnSiteForm(forms.Form):
    department = forms.TypedChoiceField(label=_("职能部门"), coerce=int)
    topic = forms.CharField(label=_("议题"), max_length=200)
    slot1 = forms.DateTimeField(label=_("建议时段一（开始）"), widget=DATETIME)
    slot2 = forms.DateTimeField(label=_("建议时段二（开始）"), widget=DATETIME, required=False)
    slot3 = forms.DateTimeField(label=_("建议时段三（开始）"), widget=DATETIME, required=False)
    duration = forms.IntegerField(label=_("时长（分钟）"), min_value=15, max_value=480, initial=120)

    def __init__(self, *args: Any, departments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department", departments)


class OutcomeForm(forms.Form):
    case = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    outcome = forms.CharField(
        label=_("办理结果"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VideoForm(forms.Form):
    topic = forms.CharField(label=_("连线事项"), max_length=100, initial=_("病历卡换卡"))
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    duration = forms.IntegerField(label=_("时长（分钟）"), min_value=10, max_value=120, initial=20)


class PaymentForm(forms.Form):
    payer_name = forms.CharField(label=_("缴费人"), max_length=50)
    utility = forms.ChoiceField(label=_("费用类别"), choices=Utility.choices)
    account_number = forms.CharField(label=_("户号"), max_length=30)
    period = forms.CharField(label=_("所属期"), max_length=7, help_text=_("如 2026-11"))
    amount = forms.CharField(label=_("金额（元）"), max_length=20)
    method = forms.ChoiceField(label=_("方式"), choices=PayMethod.choices)


class ReversalForm(forms.Form):
    payment = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("冲正原因"), max_length=200)


class CloseForm(forms.Form):
    cash_counted = forms.CharField(label=_("实点现金（元）"), max_length=20)
    note = forms.CharField(label=_("差额说明"), max_length=200, required=False)
