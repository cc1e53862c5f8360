"""Demo data for the interop area: the demo Open311 app and a few 12345 work orders."""

from datetime import timedelta

from django.utils import timezone

from doorstep.core.types import Actor, Log
from doorstep.places.models import Compound, Street

from .choices import OrderSource
from .models import HotlineOrder, Open311Client, api_key_hash
from .services import HotlineRow, RowError, hotline_import, open311_client_create

DEMO_OPEN311_KEY = "demo-open311-key"


def load_demo(log: Log = print) -> None:
    """Idempotent: does nothing when the demo app is already registered."""
    if Open311Client.objects.filter(api_key_hash=api_key_hash(DEMO_OPEN311_KEY)).exists():
        return
    street = Street.objects.filter(name="胜利路街道").first() or Street.objects.first()
    if street is None:
        log("interop: no street yet, run the base demo first")
        return
    open311_client_create("市民服务App（演示）", street=street, key=DEMO_OPEN311_KEY)
    log(f"interop: Open311 app registered for {street.name}, api_key={DEMO_OPEN311_KEY}")
    user = Actor.objects.filter(username="street").first()
    if user is None or HotlineOrder.objects.exists():
        return
    compounds = list(
        Compound.objects.filter(community__street=street).select_related("community")[:40]
    )
    today = timezone.localdate()
    texts = [
        "小区楼道里的灯坏了一个多星期，晚上老人上下楼很危险",
        "楼下垃圾桶满了没人清运，味道很大",
        "想给家里老人办高龄补贴，不知道要什么材料",
        "邻居装修每天早上七点就开始砸墙，影响休息",
        "小区门口人行道上有一个井盖松动",
        "单元门禁坏了，外来人员随意进出",
    ]
    rows: list[tuple[int, HotlineRow | RowError]] = []
    for n, text in enumerate(texts):
        compound = compounds[(n * 5) % len(compounds)] if compounds else None
        if n >= 4 or compound is None:
            address = f"{street.name}附近{['建设路', '东风巷'][n % 2]}{n + 3}号"  # no match
        else:
            address = f"{street.district.name}{street.name}{compound.name}{n + 1}号楼2单元"
        rows.append(
            (
                n + 2,
                HotlineRow(
                    order_no=f"12345-{today:%Y%m%d}-{n + 1:04d}",
                    content=text,
                    called_at=timezone.now() - timedelta(hours=3 + n),
                    caller_name=["王女士", "李先生", "张女士", "赵先生", "刘女士", "陈先生"][n],
                    caller_phone=f"1391234{n:04d}",
                    address=address,
                    deadline=today + timedelta(days=3 + n),
                    category=["城市管理", "环境卫生", "民政", "噪音扰民", "市政设施", "物业管理"][
                        n
                    ],
                ),
            )
        )
    report = hotline_import(actor=user, rows=rows, source=OrderSource.API)
    log(
        f"interop: 12345 orders {len(report.matched)} matched, "
        f"{len(report.needs_person)} waiting for a person"
    )
