"""Seed configuration: elderly-subsidy bands and canteen prices (demo defaults)."""

from decimal import Decimal
from typing import Any

from django.db import migrations

DEMO = "演示默认值，各地政策不同，请按本地标准修改"


def seed(apps: Any, schema_editor: Any) -> None:
    band = apps.get_model("programs", "SubsidyBand")
    if not band.objects.filter(district__isnull=True).exists():
        band.objects.bulk_create(
            [
                band(min_age=80, max_age=89, monthly_amount=Decimal("100.00"), note=DEMO),
                band(min_age=90, max_age=99, monthly_amount=Decimal("300.00"), note=DEMO),
                band(min_age=100, max_age=None, monthly_amount=Decimal("500.00"), note=DEMO),
            ]
        )
    rule = apps.get_model("programs", "CanteenPriceRule")
    if not rule.objects.filter(district__isnull=True).exists():
        rule.objects.create()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
