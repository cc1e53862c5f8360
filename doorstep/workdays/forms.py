"""Forms of the working-day calendar page. They only read input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from doorstep.core.widgets import date_input

from .choices import DayKind
from .parsing import Arrangement, parse_arrangement

ARRANGEMENT_PLACEHOLDER = (
    "元旦 2026-01-01 至 2026-01-03\n"
    "调休上班 2026-01-04\n"
    "春节 2026-02-15 至 2026-02-23\n"
    "调休上班 2026-02-14、2026-02-28\n"
    "国庆节 2026-10-01 至 2026-10-07\n"
    "调休上班 2026-09-20、2026-10-10"
)


DATE_INPUT = date_input()


class OfficialYearForm(forms.Form):
    """A year's arrangement pasted as lines (see parsing.parse_arrangement)."""

    year = forms.TypedChoiceField(label=_("年份"), coerce=int)
    text = forms.CharField(
        label=_("放假与调休安排（每行一项）"),
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": ARRANGEMENT_PLACEHOLDER}),
    )
    note = forms.CharField(
        label=_("备注（如：国务院办公厅通知文号）"), max_length=200, required=False
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(y, str(y)) for y in years]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, text = data.get("year"), data.get("text")
        if year is not None and text:
            try:
                data["arrangement"] = parse_arrangement(text, year=year)
            except forms.ValidationError as exc:
                self.add_error("text", exc)
        return data

    @property
    def arrangement(self) -> Arrangement:
        return self.cleaned_data["arrangement"]


class LocalDayForm(forms.Form):
    """One local extra day of the admin's own district."""

    day = forms.DateField(label=_("日期"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("类型"), choices=DayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=50, required=False)


class TryForm(forms.Form):
    """试算: start date + N working days → due date."""

    start = forms.DateField(label=_("登记日期"), widget=DATE_INPUT)
    n = forms.IntegerField(label=_("工作日数"), min_value=0, max_value=1000, initial=10)
