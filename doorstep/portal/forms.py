from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.places.models import Community


class SubmitForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("所在社区"),
        queryset=Community.objects.order_by("pk"),
        empty_label=_("请选择您住的社区"),
        error_messages={"required": _("请选择所在社区。"), "invalid_choice": _("请选择所在社区。")},
    )
    description = forms.CharField(
        label=_("您遇到了什么事？"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写您要办的事或反映的问题。")},
    )
    contact_name = forms.CharField(label=_("怎么称呼您"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class RateForm(forms.Form):
    attitude = forms.IntegerField(
        min_value=1, max_value=5, error_messages={"required": _("请为服务态度打分。")}
    )
    capability = forms.IntegerField(
        min_value=1, max_value=5, error_messages={"required": _("请为服务能力打分。")}
    )
    comment = forms.CharField(max_length=1000, required=False, widget=forms.Textarea)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        error_messages={"required": _("请输入 11 位手机号码。")},
    )
    code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
