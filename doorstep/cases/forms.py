"""Forms for the desk. They parse input; the rules live in services.py."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from doorstep.catalog.models import ServiceItem
from doorstep.core.validators import validate_id_number, validate_phone
from doorstep.core.widgets import choose_from
from doorstep.places.models import Building, Community, Compound, Department, Resident

from .choices import Channel


class IntakeForm(forms.Form):
    form_token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("这张登记表已失效，请刷新页面后重新填写。")},
    )
    channel = forms.ChoiceField(
        label=_("渠道"),
        choices=[c for c in Channel.choices if c[0] != Channel.PORTAL],
        error_messages={"required": _("请选择渠道（Alt+1…7）。")},
    )
    description = forms.CharField(
        label=_("居民诉求"),
        widget=forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        error_messages={"required": _("请填写居民诉求内容。")},
        max_length=5000,
    )
    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("请选择本社区的居民。")},
    )
    contact_name = forms.CharField(label=_("联系人"), required=False, max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    new_name = forms.CharField(label=_("新居民姓名"), required=False, max_length=50)
    new_phone = forms.CharField(label=_("手机号"), required=False, max_length=20)
    new_id_number = forms.CharField(label=_("身份证号"), required=False, max_length=18)
    compound = forms.ModelChoiceField(
        label=_("小区"),
        queryset=Compound.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本社区的小区。")},
    )
    building = forms.ModelChoiceField(
        label=_("楼栋"),
        queryset=Building.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择该小区的楼栋。")},
    )
    item = forms.ModelChoiceField(
        queryset=ServiceItem.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("该服务事项不存在或已停用。")},
    )
    suggested_item = forms.ModelChoiceField(
        queryset=ServiceItem.objects.all(), required=False, widget=forms.HiddenInput
    )
    routing_confidence = forms.FloatField(required=False, widget=forms.HiddenInput)
    reply = forms.CharField(
        label=_("答复居民"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    settle_now = forms.BooleanField(required=False)

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from doorstep.catalog.selectors import items_for

        self.community = community
        choose_from(self, "resident", Resident.objects.filter(community=community))
        choose_from(self, "compound", Compound.objects.filter(community=community))
        choose_from(self, "building", Building.objects.filter(compound__community=community))
        # A hidden field, checked by id and never listed: no category or department joins.
        choose_from(self, "item", items_for(community).select_related(None))

    def clean(self) -> dict[str, Any]:
        """Check everything the service would refuse, so every error shows at once (the
        service still checks the same rules: it is the one that decides)."""
        data = super().clean() or {}
        checks: list[tuple[str, Callable[[str], str]]] = [
            ("contact_phone", validate_phone),
            ("new_phone", validate_phone),
            ("new_id_number", validate_id_number),
        ]
        for name, validator in checks:
            value = (data.get(name) or "").strip()
            if value:
                try:
                    validator(value)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        new_person = (data.get("new_phone") or "").strip() or (
            data.get("new_id_number") or ""
        ).strip()
        if new_person and not (data.get("new_name") or "").strip():
            self.add_error("new_name", _("请填写居民姓名。"))
        if data.get("settle_now") and not (data.get("reply") or "").strip():
            self.add_error("reply", _("当场办结须填写给居民的答复。"))
        building, compound = data.get("building"), data.get("compound")
        if building is not None and (compound is None or building.compound_id != compound.pk):
            self.add_error("building", _("楼栋与小区不匹配。"))
        return data


class VersionedForm(forms.Form):
    """Every action form carries the case version it was built from (stale-form guard)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class NoteForm(VersionedForm):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(VersionedForm):
    reply = forms.CharField(
        label=_("答复居民"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ClassifyForm(VersionedForm):
    item = forms.ModelChoiceField(
        label=_("服务事项"),
        queryset=ServiceItem.objects.filter(active=True),
        error_messages={"invalid_choice": _("该服务事项不存在或已停用。")},
    )


class AssignForm(NoteForm):
    assignee = forms.ModelChoiceField(
        label=_("指定办理人"),
        queryset=get_user_model().objects.none(),
        empty_label=_("（选择办理人）"),
    )


class EscalateForm(NoteForm):
    target = forms.ChoiceField(
        label=_("上报给"),
        choices=[
            ("fallback", _("社区书记（兜底）")),
            ("street", _("街道")),
            ("department", _("职能部门")),
        ],
    )
    department = forms.ModelChoiceField(
        label=_("职能部门"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("（上报部门时选择）"),
    )


class TransferForm(NoteForm):
    community = forms.ModelChoiceField(
        label=_("转至社区"), queryset=Community.objects.none(), empty_label=_("（选择社区）")
    )


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[("phone", _("电话")), ("id_number", _("身份证号"))])
    reason = forms.CharField(label=_("查看理由"), max_length=200)
