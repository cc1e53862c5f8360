"""Seed configuration: the canteen's price rule without a district (the seeds: a ¥9 meal …)."""

from typing import Any

from django.db import migrations


def seed(apps: Any, schema_editor: Any) -> None:
    rule = apps.get_model("canteen", "CanteenPriceRule")
    if not rule.objects.filter(district__isnull=True).exists():
        rule.objects.create()


class Migration(migrations.Migration):
    dependencies = [("canteen", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
