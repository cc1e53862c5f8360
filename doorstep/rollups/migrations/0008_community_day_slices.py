from django.db import migrations
from django.db.models import Q


def fill(apps, schema_editor):
    """Sum the community-day item and channel slices from the detail rows kept so far (the
    same INSERT … SELECT as `doorstep rollup rebuild`). Rows a rebuild already wrote are
    replaced, so the migration may follow `0002_coarser_rows` on any database."""
    from doorstep.rollups.rebuild import COMMUNITY_DAY_SLICES, insert_derived

    DailyFlow = apps.get_model("rollups", "DailyFlow")
    slices = Q(community_id__gt=0, monthly=False, total=True, worker_id=-1) & (
        ~Q(item_id=-1) | ~Q(channel="")
    )
    DailyFlow.objects.filter(slices).delete()
    if DailyFlow.objects.filter(total=False).exists():
        insert_derived(COMMUNITY_DAY_SLICES)


def drop(apps, schema_editor):
    DailyFlow = apps.get_model("rollups", "DailyFlow")
    slices = Q(community_id__gt=0, monthly=False, total=True, worker_id=-1) & (
        ~Q(item_id=-1) | ~Q(channel="")
    )
    DailyFlow.objects.filter(slices).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("rollups", "0007_community_slice_indexes"),
    ]

    operations = [
        migrations.RunPython(fill, drop),
    ]
