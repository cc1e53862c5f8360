"""Forms of the volunteer pages: they parse; the services decide."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doorstep.bookings.models import Facility
from doorstep.core.widgets import choose_from, date_input
from doorstep.places.models import Community

from .choices import TeamKind
from .models import Team
from .services import ActivityData, ShiftData

DATE = date_input()
TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
ROLE = re.compile(r"^\s*(?P<role>[^:：]+?)\s*[:：]\s*(?P<spots>\d{1,3})\s*$")


class TeamForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=TeamKind.choices)
    description = forms.CharField(label=_("简介"), max_length=300, required=False)
    facility = forms.ModelChoiceField(
        label=_("负责维护的场地"), queryset=Facility.objects.none(), required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "facility", Facility.objects.filter(community=community))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    content = forms.CharField(label=_("服务内容"), max_length=300)
    place = forms.CharField(label=_("服务地点"), max_length=200)
    team = forms.ModelChoiceField(label=_("组织团队"), queryset=Team.objects.none(), required=False)
    day = forms.DateField(label=_("日期"), widget=DATE)
    start = forms.TimeField(label=_("开始"), widget=TIME)
    end = forms.TimeField(label=_("结束"), widget=TIME)
    roles = forms.CharField(
        label=_("岗位与名额"),
        max_length=300,
        help_text=_("如：理发:2、修鞋:2、引导:3"),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "team", Team.objects.filter(community=community))

    def clean_roles(self) -> list[tuple[str, int]]:
        parts = [p for p in re.split(r"[、，,;；\n]", self.cleaned_data["roles"]) if p.strip()]
        roles = []
        for part in parts:
            match = ROLE.match(part)
            if match is None:
                raise forms.ValidationError(_("岗位格式应为“岗位:名额”，如 理发:2。"))
            roles.append((match["role"], int(match["spots"])))
        if not roles:
            raise forms.ValidationError(_("请至少设置一个岗位。"))
        return roles

    def activity_data(self, community_id: int) -> ActivityData:
        data = self.cleaned_data
        start = timezone.make_aware(datetime.combine(data["day"], data["start"]))
        end = timezone.make_aware(datetime.combine(data["day"], data["end"]))
        return ActivityData(
            community_id=community_id,
            title=data["title"],
            content=data["content"],
            place=data["place"],
            starts_at=start,
            ends_at=end,
            shifts=[ShiftData(role, start, end, spots) for role, spots in data["roles"]],
            team_id=data["team"].pk if data["team"] else None,
        )


class CorrectionForm(forms.Form):
    minutes = forms.IntegerField(label=_("分钟"), min_value=0, max_value=1440)
    reason = forms.CharField(label=_("理由"), max_length=200, required=False)
