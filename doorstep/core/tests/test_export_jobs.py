"""Background exports (后台导出): a list above the row cap is queued, replayed by the worker as
its owner with the screen's filters and search, kept encrypted, downloaded only by its owner,
continued on a second sheet when long, expired by tick; bad requests say why in Chinese."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from doorstep.conftest import World, build_world, make_resident
from doorstep.core import exports, xlsx
from doorstep.core.export_jobs import export_job_run
from doorstep.core.models import AuditEntry, ExportJob, ExportPart
from doorstep.core.services import exports_tick

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def capped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cap of 2 rows: anything longer goes to the background."""
    monkeypatch.setattr(exports, "MAX_ROWS", 2)


def _cases(world: World, n: int, **extra: Any) -> list[str]:
    return [world.intake(description=f"楼道灯坏了 {i}", **extra).tracking_code for i in range(n)]


def _queue(world: World, client: Client) -> None:
    """Desk A asks for the case list's file with 3 cases over a cap of 2: one queued job."""
    _cases(world, 3)
    client.force_login(world.desk_a)
    assert client.get("/desk/cases/", {"format": "xlsx"}).status_code == 302


def _work() -> None:
    """What the worker does with each queued export (the worker's own loop is run for real in
    the transactional test below; here the request's transaction never commits)."""
    for pk in ExportJob.objects.filter(state=ExportJob.State.QUEUED).values_list("pk", flat=True):
        export_job_run(pk)


def _book(response: Any) -> Any:
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body), read_only=True)


def _codes(book: Any) -> list[str]:
    """Tracking codes of every sheet (column 查询码), headers skipped."""
    codes = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[0].index("查询码")
        codes += [row[column] for row in rows[1:]]
    return codes


# The task queue's worker takes its own transactions, as it does in production.
@pytest.mark.django_db(transaction=True)
def test_a_list_over_the_cap_is_exported_in_the_background_with_every_row(
    client: Client, capped: None
) -> None:
    world = build_world()
    mine = _cases(world, 5)
    world.intake(actor=world.desk_b, community=world.b)  # not desk A's area
    client.force_login(world.desk_a)
    response = client.get("/desk/cases/", {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"] == "/exports/"
    page = client.get("/exports/").content.decode()
    assert "已转为后台导出" in page and "排队中" in page and 'hx-trigger="every 5s"' in page
    job = ExportJob.objects.get()
    assert job.owner == world.desk_a and job.state == ExportJob.State.QUEUED
    assert AuditEntry.objects.filter(action="export_requested", object_id=str(job.pk)).exists()
    call_command("worker", "--batch", verbosity=0)
    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.rows == 5
    page = client.get("/exports/").content.decode()
    assert "可下载" in page and f"/exports/{job.pk}/download/" in page and "every 5s" not in page
    download = client.get(f"/exports/{job.pk}/download/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert sorted(_codes(_book(download))) == sorted(mine)


def test_the_file_keeps_the_screen_filter_and_its_posted_search(
    world: World, client: Client, capped: None
) -> None:
    resident = make_resident(world.a, name="沈佩华", phone=PHONE)
    theirs = _cases(world, 3, resident=resident)
    _cases(world, 2)
    client.force_login(world.desk_a)
    posted = client.post("/desk/cases/", {"q": PHONE, "status": ""})
    assert posted.status_code == 302
    response = client.get(posted["Location"] + "&format=xlsx")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert PHONE not in job.request_data and PHONE not in job.path
    # The session row keeps the search encrypted too.
    assert all(
        PHONE not in s.session_data and PHONE not in str(s.get_decoded())
        for s in Session.objects.all()
    )
    _work()
    download = client.get(f"/exports/{job.pk}/download/")
    assert sorted(_codes(_book(download))) == sorted(theirs)
    assert PHONE.encode() not in b"".join(bytes(p.data) for p in ExportPart.objects.all())


def test_parts_are_encrypted_at_rest(world: World, client: Client, capped: None) -> None:
    _queue(world, client)
    _work()
    part = ExportPart.objects.get()
    assert not bytes(part.data).startswith(b"PK")  # not a zip (xlsx) in the clear


def test_nobody_else_sees_or_downloads_the_file(world: World, client: Client, capped: None) -> None:
    _queue(world, client)
    _work()
    job = ExportJob.objects.get()
    for other in (world.secretary_a, world.street_user, world.district_user):
        client.force_login(other)
        assert f"/exports/{job.pk}/" not in client.get("/exports/").content.decode()
        assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/exports/{job.pk}/download/").status_code == 302  # to log-in


def test_asking_twice_is_one_job_and_a_fourth_open_export_is_refused(
    world: World, client: Client, capped: None
) -> None:
    _queue(world, client)
    again = client.get("/desk/cases/", {"format": "xlsx"}, follow=True)
    assert "已在后台导出中" in again.content.decode()
    assert ExportJob.objects.count() == 1
    client.get("/desk/cases/", {"format": "xlsx", "status": "received"})
    client.get("/desk/cases/", {"format": "xlsx", "view": "mine"})
    refused = client.get("/desk/cases/", {"format": "xlsx", "q": "楼道灯"})
    assert refused.status_code == 400
    assert "您已有 3 个导出正在进行" in refused.content.decode()
    assert ExportJob.objects.count() == 3


def test_access_is_checked_again_when_the_export_runs(
    world: World, client: Client, capped: None
) -> None:
    _queue(world, client)
    world.desk_a.is_active = False
    world.desk_a.save()
    _work()
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.FAILED and "无法导出" in job.error
    assert not ExportPart.objects.exists()


def test_a_long_export_continues_on_the_next_sheet(
    world: World, client: Client, capped: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "SHEET_ROWS", 2)
    mine = _cases(world, 5)
    client.force_login(world.desk_a)
    client.get("/desk/cases/", {"format": "xlsx"})
    _work()
    book = _book(client.get(f"/exports/{ExportJob.objects.get().pk}/download/"))
    assert [s.title for s in book.worksheets] == ["事项台账", "事项台账 (2)", "事项台账 (3)"]
    assert sorted(_codes(book)) == sorted(mine)


def test_unfinished_expired_and_foreign_downloads_say_why(
    world: World, client: Client, capped: None
) -> None:
    _queue(world, client)
    job = ExportJob.objects.get()
    waiting = client.get(f"/exports/{job.pk}/download/")
    assert waiting.status_code == 409 and "还在生成中" in waiting.content.decode()
    _work()
    assert exports_tick(now=timezone.now() + timedelta(days=6)) == 0
    assert exports_tick(now=timezone.now() + timedelta(days=8)) == 1
    job.refresh_from_db()
    assert job.state == ExportJob.State.EXPIRED and not ExportPart.objects.exists()
    gone = client.get(f"/exports/{job.pk}/download/")
    assert gone.status_code == 410 and "已过期" in gone.content.decode()
    assert client.get("/exports/999999/download/").status_code == 404
    assert client.get("/exports/", {"cursor": "forged"}).status_code == 400


def test_tick_fails_an_export_whose_worker_died(world: World, client: Client, capped: None) -> None:
    _queue(world, client)
    ExportJob.objects.update(state=ExportJob.State.RUNNING, started_at=timezone.now())
    assert exports_tick(now=timezone.now() + timedelta(hours=13)) == 1
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.FAILED and "导出中断" in job.error


@pytest.mark.parametrize("n", [2, 25])
def test_my_exports_costs_the_same_queries_for_few_or_many_jobs(
    world: World, client: Client, n: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    ExportJob.objects.bulk_create(
        ExportJob(
            owner=world.desk_a,
            title=f"台账{i}",
            path="/desk/cases/",
            request_data="",
            language="zh-hans",
            state=ExportJob.State.DONE,
            rows=i,
            size=1000,
        )
        for i in range(n)
    )
    client.force_login(world.desk_a)
    with django_assert_max_num_queries(8):
        page = client.get("/exports/")
    assert page.status_code == 200 and page.content.decode().count("/download/") == min(n, 20)
