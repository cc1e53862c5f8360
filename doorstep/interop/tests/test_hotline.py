"""12345 exchange: import (file and push), address matching, the person queue, replies."""

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from doorstep.api.services import api_token_create
from doorstep.cases import services as case_services
from doorstep.cases.models import Case
from doorstep.conftest import World
from doorstep.interop import hotline
from doorstep.interop.address import match_address, normalise
from doorstep.interop.choices import OrderStatus
from doorstep.interop.models import HotlineOrder
from doorstep.interop.services import hotline_import

HEADER = ["工单编号", "来电时间", "来电人", "联系电话", "诉求内容", "事发地址", "办理时限", "分类"]


def order(no: str, address: str = "张江镇五四大街76号院3号楼", **kw: Any) -> list[Any]:
    row = {
        "工单编号": no,
        "来电时间": "2025-09-26 09:30:00",
        "来电人": "王女士",
        "联系电话": "13912345678",
        "诉求内容": "楼道灯坏了一个星期，晚上老人上下楼危险",
        "事发地址": address,
        "办理时限": "2025-09-29",
        "分类": "城市管理",
    } | kw
    return [row[h] for h in HEADER]


def xlsx(rows: list[list[Any]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("12345.xlsx", out.getvalue())


def csv_file(rows: list[list[Any]], encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile("12345.csv", out.getvalue().encode(encoding))


def upload(client: Client, user: User, file: SimpleUploadedFile) -> Any:
    client.force_login(user)
    response = client.post("/hotline/", {"file": file})
    assert response.status_code == 200
    return response.context["report"]


def test_normalise_strips_prefixes_and_full_width_digits() -> None:
    text = "陕西省西安市碑林区胜利路街道五四大街７６号院三号楼２单元"
    assert normalise(text) == "五四大街76号3号楼2单元"
    assert normalise("胜利小区5栋") == "胜利小区5栋"  # 小区 is not a district


def test_address_matches_compound_and_building_with_the_right_number(
    world: World, places: dict[str, Any]
) -> None:
    found = match_address("浦东新区张江镇五四大街78号院3号楼", [world.a, world.b])
    assert found.compound == places["wusi78"] and found.building == places["wusi78_b3"]
    assert found.community == world.b


def test_address_nowhere_near_matches_nothing(world: World, places: dict[str, Any]) -> None:
    assert not match_address("张江镇建设路100号", [world.a, world.b]).found


def test_xlsx_import_opens_hotline_cases_with_the_earlier_deadline(
    world: World, places: dict[str, Any], client: Client
) -> None:
    report = upload(client, world.street_user, xlsx([order("GD001")]))
    assert report.matched == ["GD001"]
    o = HotlineOrder.objects.get(order_no="GD001")
    assert o.status == OrderStatus.MATCHED and o.compound == places["wusi76"]
    case = o.case
    assert case is not None
    assert case.channel == "hotline" and case.community == world.a
    assert case.building == places["wusi76_b3"]
    # Our promise would be 5 working days; 12345 wants it by Monday 29 September: that rules.
    assert case.due_date == date(2025, 9, 29) == o.deadline


def test_our_promise_rules_when_the_hotline_deadline_is_later(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order("GD002", 办理时限="2099-12-31")]))
    case = Case.objects.get()
    assert case.due_date is not None and case.due_date < date(2099, 12, 31)


def test_reimporting_the_same_file_never_duplicates(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order("GD001"), order("GD002")]))
    report = upload(client, world.street_user, xlsx([order("GD001"), order("GD002")]))
    assert report.duplicates == ["GD001", "GD002"] and not report.matched
    assert HotlineOrder.objects.count() == 2 and Case.objects.count() == 2


def test_bad_rows_are_reported_with_row_number_and_good_rows_still_import(
    world: World, places: dict[str, Any], client: Client
) -> None:
    rows = [
        order("GD001"),
        order("", 诉求内容="没有编号"),
        order("GD003", 诉求内容=""),
        order("GD004", 办理时限="下周一"),
        order("GD005"),
    ]
    report = upload(client, world.street_user, csv_file(rows))
    assert report.matched == ["GD001", "GD005"]
    reasons = [e.reason for e in report.errors]
    assert reasons[0].startswith("第 3 行") and "工单编号" in reasons[0]
    assert reasons[1].startswith("第 4 行") and "诉求内容" in reasons[1]
    assert reasons[2].startswith("第 5 行") and "办理时限" in reasons[2]
    assert Case.objects.count() == 2


def test_gb18030_csv_reads(world: World, places: dict[str, Any], client: Client) -> None:
    report = upload(client, world.street_user, csv_file([order("GD009")], encoding="gb18030"))
    assert report.matched == ["GD009"]


def test_a_file_without_the_header_is_refused(world: World, client: Client) -> None:
    client.force_login(world.street_user)
    file = SimpleUploadedFile("x.csv", b"a,b\n1,2\n")
    response = client.post("/hotline/", {"file": file})
    assert "工单编号" in response.context["file_error"]


def test_unmatched_order_waits_for_a_person_who_assigns_it(
    world: World, places: dict[str, Any], client: Client
) -> None:
    upload(client, world.street_user, xlsx([order("GD010", address="张江镇建设路100号")]))
    o = HotlineOrder.objects.get(order_no="GD010")
    assert o.status == OrderStatus.NEEDS_PERSON and o.case is None
    response = client.get("/hotline/queue/")
    assert "GD010" in response.content.decode()
    client.post(f"/hotline/{o.pk}/assign/", {"place": f"p:{world.compound_b.pk}"})
    o.refresh_from_db()
    assert o.status == OrderStatus.MATCHED and o.case is not None
    assert o.case.community == world.b and o.case.compound == world.compound_b


def test_secretary_import_stays_in_her_community(
    world: World, places: dict[str, Any], client: Client
) -> None:
    report = upload(client, world.secretary_a, xlsx([order("GD011", address="不认识的地方")]))
    assert report.matched == ["GD011"]
    assert HotlineOrder.objects.get(order_no="GD011").community == world.a


@pytest.mark.parametrize("role", ["desk_a", "grid_a", "department_user"])
def test_other_roles_may_not_open_hotline_pages(world: World, client: Client, role: str) -> None:
    client.force_login(getattr(world, role))
    assert client.get("/hotline/").status_code == 403


def test_anonymous_is_sent_to_login(db: None, client: Client) -> None:
    assert client.get("/hotline/")["Location"].startswith("/login/")


def test_push_api_needs_a_token_and_is_idempotent(
    world: World, places: dict[str, Any], client: Client
) -> None:
    payload = {"orders": [dict(zip(HEADER, order("API1"), strict=True)), {"order_no": "API2"}]}
    response = client.post("/hotline/api/orders", payload, content_type="application/json")
    assert response.status_code == 401
    _, key = api_token_create(world.street_user, "12345")
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    first = client.post("/hotline/api/orders", payload, content_type="application/json", **auth)
    assert first.json()["matched"] == ["API1"]
    assert first.json()["errors"][0]["row"] == 2
    again = client.post("/hotline/api/orders", payload, content_type="application/json", **auth)
    assert again.json()["duplicates"] == ["API1"]
    assert HotlineOrder.objects.count() == 1


def test_push_api_refuses_a_desk_workers_token(world: World, client: Client) -> None:
    _, key = api_token_create(world.desk_a, "x")
    response = client.post(
        "/hotline/api/orders",
        {"orders": []},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 403


def test_reply_goes_back_by_file_and_api(
    world: World, places: dict[str, Any], client: Client
) -> None:
    hotline_import(
        actor=world.street_user,
        rows=hotline.read_orders("a.csv", csv_file([order("GD020")]).read()),
    )
    o = HotlineOrder.objects.get(order_no="GD020")
    assert o.case is not None
    case_services.case_resolve(actor=world.desk_a, case_id=o.case.pk, reply="已更换灯泡")
    _, key = api_token_create(world.street_user, "12345")
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    replies = client.get("/hotline/api/replies", **auth).json()["replies"]
    assert replies[0]["order_no"] == "GD020" and replies[0]["result"] == "已更换灯泡"
    assert replies[0]["handler"].startswith(world.a.name)
    client.force_login(world.street_user)
    response = client.post("/hotline/replies/export/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("工单编号", "办理结果", "办理单位/人", "办结时间")
    assert rows[1][:2] == ("GD020", "已更换灯泡")
    o.refresh_from_db()
    assert o.status == OrderStatus.REPLIED and o.replied_at is not None
    assert client.get("/hotline/api/replies", **auth).json()["replies"] == []


def test_reply_csv_export(world: World, places: dict[str, Any], client: Client) -> None:
    hotline_import(
        actor=world.street_user,
        rows=hotline.read_orders("a.csv", csv_file([order("GD021")]).read()),
    )
    o = HotlineOrder.objects.get(order_no="GD021")
    assert o.case is not None
    case_services.case_resolve(actor=world.desk_a, case_id=o.case.pk, reply="已修好")
    client.force_login(world.street_user)
    text = client.post("/hotline/replies/export/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "GD021,已修好" in text


def test_raw_row_keeps_no_caller_name_or_phone() -> None:
    from doorstep.interop.hotline import raw_without_personal_data

    raw = raw_without_personal_data(
        {
            "工单编号": "A1",
            "来电人": "王秀英",
            "联系电话": "13812345678",
            "备注": "另一号码13900001111",
        }
    )
    assert raw == {"工单编号": "A1", "备注": "另一号码139****1111"}


def test_secretary_without_a_street_on_her_profile_uses_12345(
    world: World, places: dict[str, Any], client: Client
) -> None:
    """As in the demo: a secretary's post names her community only; her street follows."""
    from doorstep.places.models import StaffProfile

    StaffProfile.objects.filter(user=world.secretary_a).update(street=None)
    report = upload(client, world.secretary_a, xlsx([order("GD012", address="不认识的地方")]))
    assert report.matched == ["GD012"]
    saved = HotlineOrder.objects.get(order_no="GD012")
    assert saved.community == world.a and saved.street == world.a.street
    client.force_login(world.secretary_a)
    assert "GD012" in client.get("/hotline/").content.decode()
    assert client.get("/hotline/replies/").status_code == 200


def test_a_200_kb_csv_cell_is_a_row_error_and_the_other_rows_import(
    world: World, places: dict[str, Any], client: Client
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(order("BIG1", 诉求内容="灯" * 200_000))
    writer.writerow(order("OK1"))
    file = SimpleUploadedFile("orders.csv", out.getvalue().encode("utf-8"), "text/csv")
    report = upload(client, world.street_user, file)
    assert report.matched == ["OK1"]
    assert [e.order_no for e in report.errors] == ["BIG1"]
    assert "第 2 行" in report.errors[0].reason


def test_reply_file_escapes_formula_cells() -> None:
    from doorstep.interop.hotline import REPLY_HEADERS, reply_csv, reply_xlsx

    row = dict.fromkeys(REPLY_HEADERS, "")
    row[REPLY_HEADERS[0]] = '=HYPERLINK("http://evil.example","点我")'
    sheet = load_workbook(io.BytesIO(reply_xlsx([row]))).active
    assert sheet is not None
    assert str(sheet["A2"].value).startswith("'=")
    assert "'=HYPERLINK" in reply_csv([row]).decode("utf-8-sig")
