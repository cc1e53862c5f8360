from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from doorstep.core.types import Actor
from doorstep.core.widgets import choose_from, date_input
from doorstep.places.access import COMMUNITY_ROLES
from doorstep.places.models import Community, Compound

from .choices import DONE_OUTCOMES, Duty, HalfDay, Period, Weekday
from .selectors import VISIT_RULES

User = get_user_model()


# The stubs make these fields generic in the model, Django at run time does not (no
# `ModelChoiceField[User]` here): `obj` is a User, typed Any as the untyped base passes it.
class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.staff.display_name)


class StaffField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.staff.display_name)


def _workers(community: Community) -> QuerySet[Actor]:
    return (
        User.objects.filter(
            staff__community=community, staff__role__in=COMMUNITY_ROLES, is_active=True
        )
        .select_related("staff")
        .order_by("staff__role", "staff__display_name")
    )


class SessionForm(forms.Form):
    compound = forms.ModelChoiceField(queryset=Compound.objects.none(), label=_("小区"))
    date = forms.DateField(label=_("日期"), widget=date_input())
    starts_at = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}))
    staff = StaffChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("工作人员"),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "compound", community.compounds.order_by("name"))
        choose_from(self, "staff", _workers(community))


class RotaForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, label=_("星期"))
    period = forms.ChoiceField(choices=Period.choices, label=_("时段"))
    worker = StaffField(queryset=User.objects.none(), label=_("工作人员"))
    duty = forms.ChoiceField(choices=[*Duty.choices, ("clear", _("清除"))], label=_("安排"))

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "worker", _workers(community))


class PostPairForm(forms.Form):
    post = forms.CharField(label=_("岗位"), max_length=50)
    a = StaffField(queryset=User.objects.none(), label=_("A岗"))
    b = StaffField(queryset=User.objects.none(), label=_("B岗"))

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            choose_from(self, name, _workers(community))


class ReceptionForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, label=_("星期"))
    half_day = forms.ChoiceField(choices=HalfDay.choices, label=_("时段"))
    place = forms.CharField(label=_("地点"), required=False, max_length=100)


class VisitPlanForm(forms.Form):
    rule = forms.ChoiceField(choices=list(VISIT_RULES.items()), label=_("走访名单"))
    months = forms.IntegerField(label=_("未走访月数"), min_value=1, max_value=36, initial=6)


class VisitRecordForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in DONE_OUTCOMES], label=_("走访结果")
    )
    visited_on = forms.DateField(label=_("走访日期"), widget=date_input())
    note = forms.CharField(
        label=_("走访记录"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    case_description = forms.CharField(
        label=_("居民诉求（填写则登记为事项）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
