"""12345 orders: drop the caller's name and phone from the stored raw row, mask numbers in
the raw row and the content (the content as sent is kept encrypted in `content_sealed`)."""

from typing import Any

from django.db import migrations, models

from doorstep.core.redact import redact, seal

PERSONAL_HEADINGS = {
    "caller_name",
    "caller_phone",
    "来电人",
    "来电人姓名",
    "诉求人",
    "联系人",
    "联系电话",
    "来电号码",
    "联系方式",
    "电话",
}


def seal_orders(apps: Any, schema_editor: Any) -> None:
    HotlineOrder = apps.get_model("interop", "HotlineOrder")
    for order in HotlineOrder.objects.only("pk", "content", "raw").iterator():
        content = seal(order.content)
        raw = {
            key: redact(str(value))
            for key, value in (order.raw or {}).items()
            if key not in PERSONAL_HEADINGS
        }
        HotlineOrder.objects.filter(pk=order.pk).update(
            content=content.text, content_sealed=content.encrypted, raw=raw
        )


class Migration(migrations.Migration):
    dependencies = [("interop", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="hotlineorder",
            name="content_sealed",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(seal_orders, migrations.RunPython.noop),
    ]
