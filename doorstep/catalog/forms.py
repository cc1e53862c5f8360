"""The catalogue item form (district admins: standard items; secretaries: local items)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ServiceItem


class LinesField(forms.CharField):
    """One entry per line (materials, examples)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: object) -> object:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]


class ItemForm(forms.ModelForm):
    materials = LinesField(label=_("所需材料（每行一项）"), required=False)
    examples = LinesField(label=_("居民说法示例（每行一句，用于智能分派）"), required=False)

    class Meta:
        model = ServiceItem
        fields = [
            "name",
            "category",
            "level",
            "department",
            "mode",
            "promise_days",
            "needs_upper_approval",
            "materials",
            "worker_guidance",
            "resident_guidance",
            "keywords",
            "examples",
            "active",
        ]
        widgets = {
            "worker_guidance": forms.Textarea(attrs={"rows": 3}),
            "resident_guidance": forms.Textarea(attrs={"rows": 3}),
        }
