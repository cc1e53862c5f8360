"""`{{ day|weekday_cn }}` → 周一 … 周日 (the date filter's `D` is English here)."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()

NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@register.filter
def weekday_cn(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return _(NAMES[value.weekday()])
