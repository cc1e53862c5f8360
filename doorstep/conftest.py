"""Shared factories for the Doorstep test suite: plain functions plus a `world` fixture.

No fixture files: every test builds what it needs through these, in the test database.
Users get no password (fast); tests log in with `client.force_login`.
"""

from __future__ import annotations

import io
import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from doorstep.cases import services
from doorstep.cases.choices import Channel
from doorstep.cases.models import Case
from doorstep.catalog.models import Category, ServiceItem
from doorstep.catalog.seed_data import CATEGORIES, ITEMS
from doorstep.catalog.selectors import item_search_text
from doorstep.catalog.services import item_from_seed
from doorstep.core.validators import id_check_digit
from doorstep.places.models import (
    Building,
    Community,
    Compound,
    Department,
    District,
    Grid,
    Household,
    Resident,
    StaffProfile,
    Street,
)
from doorstep.places.services import resident_create

# Tests run with DEBUG off, as production does, so they need real-looking keys; subprocesses
# (workers, `doorstep` commands) inherit the same ones through the environment.
TEST_KEYS = {
    "SECRET_KEY": "test-secret-key-for-the-doorstep-suite-0123456789",
    "FIELD_ENCRYPTION_KEY": "test-field-key-for-the-doorstep-suite-0123456789",
}
for _name, _value in TEST_KEYS.items():
    os.environ.setdefault(_name, _value)
    setattr(settings, _name, os.environ[_name])

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEED_BY_CODE: dict[str, dict[str, Any]] = {str(row["code"]): row for row in ITEMS}


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware datetime in Asia/Shanghai (the project's time zone)."""
    return datetime(y, m, d, hour, minute, tzinfo=SHANGHAI)


def valid_id_number(first17: str = "31011519800101123") -> str:
    """An 18-character resident ID number with a correct GB 11643 check digit."""
    return first17 + id_check_digit(first17)


def wrong_id_number(first17: str = "31011519800101123") -> str:
    """The same number with its check digit replaced by a wrong one."""
    right = id_check_digit(first17)
    wrong = next(c for c in "0123456789X" if c != right)
    return first17 + wrong


def make_staff(
    username: str,
    role: str,
    *,
    district: District,
    street: Street | None = None,
    community: Community | None = None,
    department: Department | None = None,
    display_name: str = "",
) -> User:
    user = User.objects.create_user(username=username)  # unusable password: force_login
    StaffProfile.objects.create(
        user=user,
        role=role,
        display_name=display_name or username,
        district=district,
        street=street or (community.street if community else None),
        community=community,
        department=department,
    )
    return user


def make_categories() -> dict[str, Category]:
    return {
        code: Category.objects.get_or_create(code=code, defaults={"name": name, "order": n})[0]
        for n, (code, name) in enumerate(CATEGORIES)
    }


def make_item(
    seed_code: str,
    *,
    categories: dict[str, Category] | None = None,
    department: Department | None = None,
    **overrides: Any,
) -> ServiceItem:
    """A catalogue item built from the seed row `seed_code` (realistic names and keywords)."""
    item = item_from_seed(SEED_BY_CODE[seed_code], categories or make_categories())
    item.department = department
    for field, value in overrides.items():
        setattr(item, field, value)
    item.search_text = item_search_text(item)
    item.save()
    return item


def make_resident(
    community: Community,
    name: str = "王秀英",
    phone: str = "13812345678",
    id_number: str = "",
) -> Resident:
    return resident_create(community=community, name=name, phone=phone, id_number=id_number)


@dataclass
class World:
    district: District
    street: Street
    other_street: Street
    a: Community
    b: Community
    c: Community  # in the other street
    department: Department
    desk_a: User
    grid_a: User
    secretary_a: User
    desk_b: User
    grid_b: User
    secretary_b: User
    desk_c: User
    street_user: User
    other_street_user: User
    district_user: User
    department_user: User
    categories: dict[str, Category]
    residence_cert: ServiceItem  # community, promise 10 working days (居住证明)
    on_the_spot: ServiceItem  # community, 即办 (防诈骗咨询)
    street_item: ServiceItem  # street, promise, needs upper approval (临时救助)
    department_item: ServiceItem  # department, promise (公租房与住房保障咨询)
    compound_a: Compound
    building_a: Building
    compound_b: Compound

    def intake(
        self,
        actor: User | None = None,
        *,
        community: Community | None = None,
        description: str = "我要开个居住证明办医保用",
        item: ServiceItem | None = None,
        channel: str = Channel.WALK_IN,
        now: datetime | None = None,
        **extra: Any,
    ) -> Case:
        """Register a case through the real service (default: desk A, 居住证明)."""
        community = community or self.a
        return services.case_create(
            actor=actor if actor is not None else self.desk_a,
            data=services.Intake(
                community=community, channel=channel, description=description, item=item, **extra
            ),
            now=now or at(2025, 9, 26),
        )


def build_world() -> World:
    district = District.objects.create(name="浦东新区")
    street = Street.objects.create(district=district, name="张江镇")
    other_street = Street.objects.create(district=district, name="花木街道")
    a = Community.objects.create(street=street, name="玉兰香苑社区")
    b = Community.objects.create(street=street, name="古桐社区")
    c = Community.objects.create(street=other_street, name="钦洋社区")
    department = Department.objects.create(district=district, name="区住房保障中心")
    categories = make_categories()

    def staff(username: str, role: str, **kw: Any) -> User:
        return make_staff(username, role, district=district, **kw)

    compound_a = Compound.objects.create(community=a, name="玉兰香苑一期")
    compound_b = Compound.objects.create(community=b, name="古桐公寓")
    return World(
        district=district,
        street=street,
        other_street=other_street,
        a=a,
        b=b,
        c=c,
        department=department,
        desk_a=staff("desk_a", "desk", community=a, display_name="李前台"),
        grid_a=staff("grid_a", "grid", community=a, display_name="张网格"),
        secretary_a=staff("secretary_a", "secretary", community=a, display_name="陈书记"),
        desk_b=staff("desk_b", "desk", community=b),
        grid_b=staff("grid_b", "grid", community=b),
        secretary_b=staff("secretary_b", "secretary", community=b),
        desk_c=staff("desk_c", "desk", community=c),
        street_user=staff("street", "street", street=street),
        other_street_user=staff("street_other", "street", street=other_street),
        district_user=staff("district", "district"),
        department_user=staff("housing", "department", department=department),
        categories=categories,
        residence_cert=make_item("GOV-RESIDENCE-CERT", categories=categories),
        on_the_spot=make_item("LEGAL-ANTI-FRAUD", categories=categories),
        street_item=make_item("GOV-TEMP-ASSISTANCE", categories=categories),
        department_item=make_item(
            "GOV-PUBLIC-HOUSING", categories=categories, department=department
        ),
        compound_a=compound_a,
        building_a=Building.objects.create(compound=compound_a, name="3号楼"),
        compound_b=compound_b,
    )


@pytest.fixture(autouse=True)
def site_language() -> Iterator[None]:
    """Every test starts in the site's language (zh-Hans): a request in another language
    leaves it active in the thread (LocaleMiddleware does not undo it), which would leak."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def counts() -> dict[str, int]:
    """Row counts of everything a failed write must not leave behind."""
    from doorstep.cases.models import CaseEvent, Rating
    from doorstep.catalog.models import Demand
    from doorstep.core.models import AuditEntry

    return {
        "case": Case.objects.count(),
        "event": CaseEvent.objects.count(),
        "resident": Resident.objects.count(),
        "rating": Rating.objects.count(),
        "demand": Demand.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def friday_of(day: date) -> date:
    from datetime import timedelta

    return day + timedelta(days=(4 - day.weekday()) % 7)


# ---------------------------------------------------------------- programmes' factories


def make_person(
    world: World,
    name: str,
    birth: date | None,
    *,
    community: Community | None = None,
    household: Household | None = None,
    **flags: bool,
) -> Resident:
    return Resident.objects.create(
        community=community or world.a,
        name=name,
        name_pinyin=name,
        birth_date=birth,
        household=household,
        **flags,
    )


@pytest.fixture
def grid_world(world: World) -> dict[str, object]:
    """Two grids in community A, each with a compound, a building and a household."""
    g1 = Grid.objects.create(community=world.a, name="一网格", worker=world.grid_a)
    g2 = Grid.objects.create(community=world.a, name="二网格")
    world.compound_a.grid = g1
    world.compound_a.save()
    other = Compound.objects.create(community=world.a, name="玉兰香苑二期", grid=g2)
    b2 = Building.objects.create(compound=other, name="7号楼")
    h1 = Household.objects.create(building=world.building_a, unit="1单元", room="101")
    h2 = Household.objects.create(building=b2, unit="2单元", room="502")
    return {"g1": g1, "g2": g2, "h1": h1, "h2": h2}


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    """The cells of a downloaded xlsx (streamed or not), header row first."""
    from openpyxl import load_workbook

    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def background_rows(client: Client, response: Any) -> list[tuple[Any, ...]]:
    """An export over the row cap: it must have sent the user to 我的导出; the queued job is
    run as the worker runs it and its file downloaded (header row first)."""
    from doorstep.core.export_jobs import export_job_run
    from doorstep.core.models import ExportJob

    assert response.status_code == 302 and response["Location"] == "/exports/", response
    job = ExportJob.objects.filter(state=ExportJob.State.QUEUED).latest("pk")
    assert export_job_run(job.pk) == ExportJob.State.DONE
    return xlsx_rows(client.get(f"/exports/{job.pk}/download/"))


CHROMIUM = os.environ.get("DOORSTEP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright, shared by every browser test. Without it the
    browser tests skip, loudly; under DOORSTEP_REQUIRE_BROWSER=1 (CI) they fail instead."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"浏览器测试已跳过：未找到 Chromium（{CHROMIUM}）。请 apt-get install chromium"
        if os.environ.get("DOORSTEP_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        warnings.warn(message, stacklevel=1)
        print("\n" + "!" * 70 + "\n" + message + "\n" + "!" * 70)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in the test thread; the ORM calls in the tests
    # stay plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()
