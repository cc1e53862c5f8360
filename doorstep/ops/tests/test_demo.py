"""`doorstep demo`: progress lines when asked for, and the same data through the bulk paths."""

import io
import re

from django.core.management import call_command
from django.utils import timezone

from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.cases.search import case_search_terms
from doorstep.catalog.models import Demand
from doorstep.core.bulk import bulk_insert
from doorstep.ops.demo import COMMUNITIES
from doorstep.ops.progress import Progress
from doorstep.places.models import Community, District, Household, Resident, Street
from doorstep.rollups.verify import rollup_verify


def test_demo_with_progress_names_each_step_and_loads_the_same_counts(db: None) -> None:
    out = io.StringIO()
    call_command("demo", "--days", "3", "--per-day", "2", "--no-train", "--progress", stdout=out)
    text = out.getvalue()
    finished = re.findall(r"^\[\s*(\d+)/(\d+)\] [█░]{20}  (.+) 完成，[\d.]+ 秒", text, re.M)
    names = [name for _, _, name in finished]
    assert names[:2] == ["地区、人员、事项目录与居民", "一年的历史事项"]
    assert names[-2:] == ["汇总表", "后台导出示例"] and len(names) == int(finished[-1][1]) == 11
    assert finished[-1][0] == finished[-1][1]
    assert re.search(r"^全部完成，共 [\d.]+ 秒。$", text, re.M)

    assert Resident.objects.count() == sum(c["residents"] for c in COMMUNITIES)
    assert Household.objects.count() == sum(c["households"] for c in COMMUNITIES)
    written = re.search(r"写入 (\d+) 件历史事项", text)
    stored = re.search(r"(\d+) 条办理记录, (\d+) 条评价, (\d+) 条需求", text)
    assert written and stored
    assert Case.objects.count() >= int(written[1]) > 0
    assert CaseEvent.objects.count() >= int(stored[1])
    assert Rating.objects.count() >= int(stored[2])
    assert Demand.objects.count() >= int(stored[3])
    case = Case.objects.order_by("pk").first()
    assert case is not None and case.search_terms == case_search_terms(case.description)
    assert rollup_verify() is None


def test_progress_is_silent_unless_enabled() -> None:
    lines: list[str] = []
    progress = Progress(lines.append, total=2, enabled=False)
    with progress.step("一步"):
        progress.count("行", 5, 10)
    assert lines == [] and progress.done == 1


def test_bulk_insert_numbers_rows_and_links_them_to_rows_saved_just_before(db: None) -> None:
    district = District.objects.create(name="测试区")
    street = Street.objects.create(district=district, name="测试街道")
    communities = [Community(street=street, name=f"社区{n}") for n in range(3)]
    bulk_insert(communities)
    assert [c.pk for c in communities] == sorted(c.pk for c in communities)
    cases = [
        Case(
            tracking_code=f"AAAA-BBB{n}",
            community=communities[n],
            street_id=communities[n].street_id,
            district_id=communities[n].street.district_id,
            description="路灯坏了",
            created_at=timezone.now(),
        )
        for n in range(3)
    ]
    bulk_insert(cases)
    demands = [
        Demand(community=c, text="快递柜", case=case)
        for c, case in zip(communities, cases, strict=True)
    ]
    assert bulk_insert(demands) == 3
    stored = Demand.objects.select_related("case").order_by("pk")
    assert [d.case.tracking_code for d in stored if d.case] == [c.tracking_code for c in cases]
    assert all(d.created_at is not None for d in stored)  # auto_now_add, as bulk_create
    assert Community.objects.create(street=street, name="社区之后").pk > communities[-1].pk
