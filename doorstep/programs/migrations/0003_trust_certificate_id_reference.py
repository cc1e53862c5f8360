"""Certificates keep a reference to the resident, not the ID number: the number in each
stored text becomes the `{id_number}` placeholder, filled in when the certificate is printed."""

from typing import Any

from django.db import migrations

from doorstep.core import crypto
from doorstep.core.redact import redact

PLACEHOLDER = "{id_number}"


def id_numbers_to_placeholder(apps: Any, schema_editor: Any) -> None:
    Certificate = apps.get_model("programs", "Certificate")
    rows = Certificate.objects.select_related("resident").only(
        "pk", "title", "body", "resident__id_number_encrypted"
    )
    for certificate in rows.iterator():
        number = crypto.decrypt(certificate.resident.id_number_encrypted)
        title, body = certificate.title, certificate.body
        if number:
            title, body = title.replace(number, PLACEHOLDER), body.replace(number, PLACEHOLDER)
        Certificate.objects.filter(pk=certificate.pk).update(title=redact(title), body=redact(body))


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_defaults")]

    operations = [migrations.RunPython(id_numbers_to_placeholder, migrations.RunPython.noop)]
