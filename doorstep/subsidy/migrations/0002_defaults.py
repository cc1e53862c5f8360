"""Seed configuration: the elderly-subsidy age bands (demo defaults; local policy varies)."""

from decimal import Decimal
from typing import Any

from django.db import migrations

DEMO = "演示默认值，各地政策不同，请按本地标准修改"


def seed(apps: Any, schema_editor: Any) -> None:
    band = apps.get_model("subsidy", "SubsidyBand")
    if not band.objects.filter(district__isnull=True).exists():
        band.objects.bulk_create(
            [
                band(min_age=80, max_age=89, monthly_amount=Decimal("100.00"), note=DEMO),
                band(min_age=90, max_age=99, monthly_amount=Decimal("300.00"), note=DEMO),
                band(min_age=100, max_age=None, monthly_amount=Decimal("500.00"), note=DEMO),
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("subsidy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
