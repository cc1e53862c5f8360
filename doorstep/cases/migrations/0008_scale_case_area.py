"""The case's street and district (区域冗余列), copied from its community, with the indexes a
street's or district's list reads (docs/scale.md)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_area(apps: Any, schema_editor: Any) -> None:
    """Copy every existing case's street and district from its community (one UPDATE)."""
    Case = apps.get_model("cases", "Case")
    Community = apps.get_model("places", "Community")
    community = Community.objects.filter(pk=OuterRef("community_id"))
    Case.objects.update(
        street_id=Subquery(community.values("street_id")[:1]),
        district_id=Subquery(community.values("street__district_id")[:1]),
    )


def area_field(to: str, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_scale_search_indexes"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField("case", "street", area_field("places.street", null=True)),
        migrations.AddField("case", "district", area_field("places.district", null=True)),
        migrations.RunPython(fill_area, migrations.RunPython.noop),
        migrations.AlterField("case", "street", area_field("places.street", null=False)),
        migrations.AlterField("case", "district", area_field("places.district", null=False)),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["street", "created_at", "id"], name="case_street_new"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["street", "status", "created_at", "id"], name="case_street_status"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["district", "created_at", "id"], name="case_district_new"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["district", "status", "created_at", "id"], name="case_district_status"
            ),
        ),
    ]
