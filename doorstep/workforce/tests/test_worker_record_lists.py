"""The worker page's training record: sessions attended and external training in keyset pages
with their own cursors and totals (they stopped at 50), the same rows as xlsx, and only for a
worker in the reader's area."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.conftest import World
from doorstep.workforce.models import (
    Attendance,
    Course,
    ExternalTraining,
    TrainingSession,
    WorkerRecord,
)

from .conftest import Staff

pytestmark = pytest.mark.django_db


def _attended(world: World, worker: WorkerRecord, n: int) -> list[int]:
    """`n` sessions attended, one a day (bulk: the page reads, the services are tested
    elsewhere). Ids newest first, the page's order."""
    course = Course.objects.create(
        district=world.district,
        community=world.a,
        title="社工实务",
        organiser="区民政局",
        created_by=world.secretary_a,
    )
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(course=course, day=date(2026, 1, 1) + timedelta(days=i), hours=2)
        for i in range(n)
    )
    Attendance.objects.bulk_create(
        Attendance(session=s, worker=worker, hours=Decimal(2), recorded_by=world.secretary_a)
        for s in sessions
    )
    return list(worker.attendance.order_by("-pk").values_list("pk", flat=True))


def _external(world: World, worker: WorkerRecord, n: int) -> list[int]:
    ExternalTraining.objects.bulk_create(
        ExternalTraining(
            worker=worker,
            title=f"外部培训{i:03d}",
            day=date(2025, 1, 1) + timedelta(days=i),
            hours=Decimal(1),
            evidence="结业证书",
            entered_by=world.secretary_a,
        )
        for i in range(n)
    )
    return list(worker.external.order_by("-day", "-pk").values_list("pk", flat=True))


def _ids(page: str, kind: str) -> list[int]:
    return [int(i) for i in re.findall(rf'<tr id="{kind}-(\d+)"', page)]


def _next(page: str, name: str) -> str:
    found = re.search(rf'rel="next" href="\?{name}=([^"&#]+)', page)
    assert found is not None, name
    return found.group(1)


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.content[:300]
    body = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def test_the_51st_session_attended_is_on_page_two(
    client: Client, world: World, staff: Staff
) -> None:
    made = _attended(world, staff.desk, 51)
    url = f"/workforce/workers/{staff.desk.pk}/"
    client.force_login(world.secretary_a)
    first = client.get(url).content.decode()
    assert _ids(first, "attendance") == made[:50] and "共 51 条" in first
    second = client.get(f"{url}?tcursor={_next(first, 'tcursor')}").content.decode()
    assert _ids(second, "attendance") == made[50:]


def test_the_51st_external_training_is_on_page_two(
    client: Client, world: World, staff: Staff
) -> None:
    made = _external(world, staff.desk, 51)
    url = f"/workforce/workers/{staff.desk.pk}/"
    client.force_login(world.secretary_a)
    first = client.get(url).content.decode()
    assert _ids(first, "external") == made[:50]
    second = client.get(f"{url}?ecursor={_next(first, 'ecursor')}").content.decode()
    assert _ids(second, "external") == made[50:]


@pytest.mark.parametrize("name", ["tcursor", "ecursor"])
def test_a_forged_training_record_cursor_is_a_clear_400(
    client: Client, world: World, staff: Staff, name: str
) -> None:
    client.force_login(world.secretary_a)
    response = client.get(f"/workforce/workers/{staff.desk.pk}/", {name: "forged"})
    assert response.status_code == 400 and "翻页参数无效" in response.content.decode()


def test_training_record_exports_have_every_row_of_the_screen_lists(
    client: Client, world: World, staff: Staff
) -> None:
    attended = _attended(world, staff.desk, 52)
    external = _external(world, staff.desk, 3)
    ExternalTraining.objects.filter(pk=external[0]).update(title="=HYPERLINK(1)")
    url = f"/workforce/workers/{staff.desk.pk}/"
    client.force_login(world.secretary_a)
    rows = _sheet(client.get(url, {"format": "xlsx"}))
    assert rows[0] == ("培训日期", "课程", "主办单位", "认定学时")
    days = dict(Attendance.objects.values_list("pk", "session__day"))
    assert [r[0].date() for r in rows[1:]] == [days[i] for i in attended]
    rows = _sheet(client.get(url, {"list": "external", "format": "xlsx"}))
    titles = dict(ExternalTraining.objects.values_list("pk", "title"))
    assert rows[0][:2] == ("日期", "培训名称")
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(1)"] + [titles[i] for i in external[1:]]


def test_a_worker_of_another_community_is_404_page_and_export(
    client: Client, world: World, staff: Staff
) -> None:
    _attended(world, staff.desk, 2)
    client.force_login(world.secretary_b)
    url = f"/workforce/workers/{staff.desk.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "xlsx"}).status_code == 404


@pytest.mark.parametrize("n", [2, 60])
def test_the_worker_page_costs_the_same_queries_for_2_or_60_rows(
    client: Client,
    world: World,
    staff: Staff,
    n: int,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    _attended(world, staff.desk, n)
    _external(world, staff.desk, n)
    client.force_login(world.secretary_a)
    with django_assert_max_num_queries(15):
        assert client.get(f"/workforce/workers/{staff.desk.pk}/").status_code == 200


def test_alerts_say_how_many_there_are_when_they_show_the_first_20(
    client: Client, world: World, staff: Staff
) -> None:
    from doorstep.workforce.models import Alert

    start = date.today() + timedelta(days=1)
    Alert.objects.bulk_create(
        Alert(
            worker=staff.desk,
            recipient=world.secretary_a,
            kind="expiry",
            target_date=start + timedelta(days=i),
            lead_days=30,
        )
        for i in range(21)
    )
    client.force_login(world.secretary_a)
    page = client.get("/workforce/").content.decode()
    alerts = page[page.index('id="alerts"') :].split("</section>", 1)[0]
    assert "共 21 条" in alerts and "显示最早到期的 20 条" in alerts
    assert alerts.count("<li>") == 20 and (start + timedelta(days=20)).isoformat() not in alerts
