from django.db import migrations, models


def backfill(apps, schema_editor):
    """Hash the contact phones already stored (encrypted), in batches."""
    from doorstep.core import crypto

    Case = apps.get_model("cases", "Case")
    batch = []
    for case in Case.objects.exclude(contact_phone_encrypted="").only(
        "pk", "contact_phone_encrypted"
    ).iterator(chunk_size=2000):
        case.contact_phone_hash = crypto.lookup_hash(crypto.decrypt(case.contact_phone_encrypted))
        batch.append(case)
        if len(batch) >= 2000:
            Case.objects.bulk_update(batch, ["contact_phone_hash"])
            batch = []
    if batch:
        Case.objects.bulk_update(batch, ["contact_phone_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0004_a11y_intake_submission"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="contact_phone_hash",
            field=models.CharField(blank=True, db_index=True, max_length=40),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
