from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_trust_sealed_description"),
        ("cases", "0005_a11y_contact_phone_hash"),
    ]

    operations: list[migrations.operations.base.Operation] = []
