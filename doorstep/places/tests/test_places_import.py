"""`places_import`: a district's places and people in bulk, each row checked as the single
paths check it, nothing written when one row is wrong, a query count that does not grow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from pytest_django import DjangoAssertNumQueries

from doorstep.core import crypto
from doorstep.core.models import AuditEntry
from doorstep.core.validators import id_check_digit
from doorstep.places.models import (
    Building,
    Community,
    District,
    Grid,
    Household,
    Resident,
    StaffProfile,
    Street,
)
from doorstep.places.services import (
    BuildingRow,
    CommunityRow,
    CompoundRow,
    GridRow,
    HouseholdRow,
    PlacesBatch,
    ResidentRow,
    StaffRow,
    StationRow,
    places_import,
)

FIRST17 = "65312219800101123"
ID_NUMBER = FIRST17 + id_check_digit(FIRST17)
WRONG_CHECK = FIRST17 + ("1" if id_check_digit(FIRST17) != "1" else "2")


def batch(size: int = 3) -> PlacesBatch:
    """Two communities on one street; `size` buildings, households and residents in the first."""
    return PlacesBatch(
        district="和平区",
        streets=["胜利路街道"],
        departments=["区民政局"],
        communities=[
            CommunityRow("胜利路街道", "张骞社区"),
            CommunityRow("胜利路街道", "白马社区"),
        ],
        staff=[
            StaffRow("desk", "李前台", "desk", phone="13812345678", community="张骞社区"),
            StaffRow("grid", "张网格", "grid", community="张骞社区"),
            StaffRow("bm-grid", "王网格", "grid", community="白马社区"),
            StaffRow("street", "王街道", "street", street="胜利路街道"),
            StaffRow("dept", "刘部门", "department", department="区民政局"),
            StaffRow("district", "冯区级", "district"),
        ],
        grids=[GridRow("张骞社区", "第1网格", "grid"), GridRow("白马社区", "第1网格", "bm-grid")],
        compounds=[
            CompoundRow("张骞社区", "五四大街76号院", grid=0),
            CompoundRow("白马社区", "白马新村"),
        ],
        buildings=[BuildingRow(0, f"{n + 1}号楼", contractor="desk") for n in range(size)],
        households=[HouseholdRow(n, "101", "1单元") for n in range(size)],
        residents=[
            ResidentRow(
                "张骞社区", f"居民{n}", household=n, phone="13900001111", id_number=ID_NUMBER
            )
            for n in range(size)
        ],
        stations=[StationRow("张骞社区", "张骞社区家门口服务站")],
    )


def test_a_first_import_writes_every_table_under_its_district_admin(db: None) -> None:
    imported = places_import(actor=None, batch=batch())
    assert Community.objects.filter(street__district=imported.district).count() == 2
    assert imported.users["grid"].staff.community == imported.communities["张骞社区"]
    assert Grid.objects.get(community__name="张骞社区").worker == imported.users["grid"]
    assert Building.objects.filter(contractor__username="desk").count() == 3
    resident = Resident.objects.select_related("household").order_by("pk").first()
    assert resident is not None and resident.household is not None
    assert resident.phone_hash == crypto.lookup_hash("13900001111")
    assert crypto.decrypt(resident.id_number_encrypted) == ID_NUMBER
    assert resident.name_pinyin and resident.gender == "M"  # read from the ID number
    district_admin = User.objects.get(username="district")
    assert district_admin.is_superuser and not User.objects.get(username="desk").is_staff
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (district_admin, "places_import")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL planner statistics")
def test_an_import_leaves_the_planner_statistics_of_what_it_loaded(
    db: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """Autovacuum never analyzes a table of 36 streets; the import does, once it commits."""

    def planner_rows(table: str) -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return float(cursor.fetchone()[0])

    with django_capture_on_commit_callbacks(execute=True):
        places_import(actor=None, batch=batch())
    assert planner_rows("places_street") == 1
    assert planner_rows("places_community") == 2
    assert planner_rows("places_resident") == 3


def _other_street() -> PlacesBatch:
    good = batch()
    wrong = StaffRow("s2", "错街道", "desk", community="张骞社区", street="花木街道")
    return replace(good, streets=[*good.streets, "花木街道"], staff=[*good.staff, wrong])


BAD = {
    "resident ID check digit": lambda b: replace(
        b, residents=[ResidentRow("张骞社区", "王", id_number=WRONG_CHECK)]
    ),
    "resident phone format": lambda b: replace(
        b, residents=[ResidentRow("张骞社区", "王", phone="1381234")]
    ),
    "resident household of another community": lambda b: replace(
        b,
        households=[*b.households, HouseholdRow(0, "102")],
        residents=[ResidentRow("白马社区", "王", household=0)],
    ),
    "grid worker of another community": lambda b: replace(
        b, grids=[GridRow("张骞社区", "第1网格", "bm-grid")]
    ),
    "building contractor of another community": lambda b: replace(
        b, buildings=[BuildingRow(0, "1号楼", contractor="bm-grid")], households=[], residents=[]
    ),
    "compound grid of another community": lambda b: replace(
        b, compounds=[CompoundRow("张骞社区", "五四大街76号院", grid=1)]
    ),
    "desk without a community": lambda b: replace(
        b, staff=[*b.staff, StaffRow("desk2", "无社区", "desk")]
    ),
    "street staff in a community": lambda b: replace(
        b,
        staff=[
            *b.staff,
            StaffRow("s2", "街道", "street", street="胜利路街道", community="张骞社区"),
        ],
    ),
    "community post on another street": lambda b: _other_street(),
    "unknown role": lambda b: replace(b, staff=[*b.staff, StaffRow("x", "某人", "mayor")]),
    "username used twice": lambda b: replace(
        b, staff=[*b.staff, StaffRow("desk", "又一个", "district")]
    ),
    "community on an unknown street": lambda b: replace(
        b, communities=[*b.communities, CommunityRow("无名街道", "新社区")]
    ),
    "first import without a district admin": lambda b: replace(b, staff=b.staff[:-1]),
}


@pytest.mark.parametrize("rule", BAD)
def test_a_wrong_row_is_named_and_nothing_is_written(db: None, rule: str) -> None:
    with pytest.raises(ValidationError) as refused:
        places_import(actor=None, batch=BAD[rule](batch()))
    assert "第 " in refused.value.messages[0] or "区级管理员" in refused.value.messages[0]
    assert not District.objects.exists() and not Street.objects.exists()
    assert not User.objects.exists() and not StaffProfile.objects.exists()
    assert not Resident.objects.exists() and not Household.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_error_names_the_part_and_row(db: None) -> None:
    bad = batch()
    bad = replace(bad, residents=[*bad.residents, ResidentRow("张骞社区", "王", phone="12")])
    with pytest.raises(ValidationError, match="居民第 4 行：手机号码格式不正确"):
        places_import(actor=None, batch=bad)


def test_into_an_existing_district_only_its_admin_may_import(db: None) -> None:
    imported = places_import(actor=None, batch=batch())
    more = PlacesBatch(
        district="和平区",
        communities=[CommunityRow("胜利路街道", "新社区")],
        staff=[StaffRow("new-desk", "新前台", "desk", community="新社区")],
        compounds=[CompoundRow("新社区", "新院")],
        buildings=[BuildingRow(0, "1号楼", contractor="new-desk")],
        grids=[GridRow("张骞社区", "第2网格", "grid")],  # a worker saved before
    )
    with pytest.raises(PermissionDenied):
        places_import(actor=imported.users["desk"], batch=more)
    with pytest.raises(PermissionDenied):
        places_import(actor=None, batch=more)
    places_import(actor=imported.users["district"], batch=more)
    contracted = Building.objects.get(compound__name="新院").contractor
    assert contracted is not None and contracted.username == "new-desk"
    assert Grid.objects.get(name="第2网格").worker == imported.users["grid"]
    assert AuditEntry.objects.filter(action="places_import").count() == 2


# The look-ups, per table one insert (PostgreSQL: also its lock and sequence), the audit.
QUERIES = {"sqlite": 27, "postgresql": 47}


@pytest.mark.parametrize("size", [3, 30])
def test_query_count_does_not_grow_with_rows(
    db: None, size: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(QUERIES[connection.vendor]):
        places_import(actor=None, batch=batch(size))
    assert Resident.objects.count() == size
