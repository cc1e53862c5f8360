"""Catalogue names in the reader's language through the field-level translation table."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from doorstep.catalog.translations import field_translation_set, localise
from doorstep.conftest import World
from doorstep.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_english_name_comes_from_the_table_and_is_audited(world: World) -> None:
    item = world.residence_cert
    field_translation_set(
        actor=world.district_user, row=item, field="name", language="en", text="Residence proof"
    )
    with translation.override("en"):
        localise([item])
    assert item.name_shown == "Residence proof"  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="translate", object_id=str(item.pk)).count() == 1


def test_traditional_falls_back_to_opencc_and_other_languages_to_chinese(world: World) -> None:
    item = world.residence_cert
    with translation.override("zh-hant"):
        localise([item])
    assert item.name_shown == "居住證明"  # type: ignore[attr-defined]
    with translation.override("ug"):
        localise([item])
    assert item.name_shown == "居住证明"  # type: ignore[attr-defined]


def test_only_district_admins_translate_the_catalogue(world: World) -> None:
    with pytest.raises(PermissionDenied):
        field_translation_set(
            actor=world.desk_a, row=world.residence_cert, field="name", language="en", text="x"
        )


def test_catalogue_page_shows_translated_category_names(client: Client, world: World) -> None:
    field_translation_set(
        actor=world.district_user,
        row=world.categories[world.residence_cert.category.code],
        field="name",
        language="en",
        text="Government services",
    )
    client.force_login(world.desk_a)
    html = client.get("/desk/catalog/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Government services" in html
