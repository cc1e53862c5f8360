"""Mask phones and ID numbers in existing case descriptions (and the demand list made from
them); the original text is kept encrypted in `description_sealed`."""

from typing import Any

from django.db import migrations, models

from doorstep.core.redact import seal


def seal_descriptions(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("cases", "Case")
    Demand = apps.get_model("catalog", "Demand")
    for case in Case.objects.filter(description_sealed="").only("pk", "description").iterator():
        sealed = seal(case.description)
        if sealed.flagged:
            Case.objects.filter(pk=case.pk).update(
                description=sealed.text, description_sealed=sealed.encrypted
            )
    for demand in Demand.objects.only("pk", "text").iterator():
        sealed = seal(demand.text)
        if sealed.flagged:
            Demand.objects.filter(pk=demand.pk).update(text=sealed.text)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_alter_caseevent_kind"),
        ("catalog", "0002_alter_serviceitem_local_items_belong_to_a_community_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="description_sealed",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(seal_descriptions, migrations.RunPython.noop),
    ]
