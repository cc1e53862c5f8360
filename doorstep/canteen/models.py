"""社区食堂 (community canteen): the data. Money is `Decimal` throughout."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doorstep.core.money import money
from doorstep.places import access
from doorstep.places.models import Community, District, Resident


class CanteenPriceRule(models.Model):
    """Price rules (价格规则). The row without a district holds the seeds: a ¥9 meal; 60+ on
    低保 pay ¥3 and the street pays ¥6; free delivery for the bedridden 60+ and everyone 80+."""

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    base_price = money(_("餐标"), default=Decimal("9.00"))
    subsidy_min_age = models.PositiveIntegerField(_("补贴起始年龄"), default=60)
    subsistence_subsidy = money(_("低保老人补贴"), default=Decimal("6.00"))
    free_delivery_bedridden_age = models.PositiveIntegerField(_("卧床老人免费送餐年龄"), default=60)
    free_delivery_age = models.PositiveIntegerField(_("免费送餐年龄"), default=80)
    delivery_fee = money(_("送餐费（演示默认值）"), default=Decimal("2.00"))

    class Meta:
        verbose_name = _("食堂价格规则")
        verbose_name_plural = _("食堂价格规则")

    def __str__(self) -> str:
        return f"¥{self.base_price}"


class Meal(models.Model):
    """One resident's meal on one day, priced by the rule in force when it was recorded."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="meals")
    day = models.DateField(_("日期"))
    delivered = models.BooleanField(_("送餐"), default=False)
    price = money(_("餐标"))
    subsidy = money(_("街道补贴"))
    delivery_fee = money(_("送餐费"))
    paid = money(_("个人支付"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("用餐记录")
        verbose_name_plural = _("用餐记录")
        ordering = ["day", "resident__name"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "day"], name="one_meal_per_day"),
            models.CheckConstraint(
                condition=models.Q(paid__gte=0) & models.Q(subsidy__gte=0), name="meal_money_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.resident}"


# Area scope (places.access): a programme's rows belong to their community; department staff
# have no programme pages and see none of them.
access.register(Meal, access.Scope(community="community", departments_see_nothing=True))
