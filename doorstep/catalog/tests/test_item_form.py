"""The catalogue edit page: who may add and change which items."""

from django.test import Client

from doorstep.catalog.models import ServiceItem
from doorstep.catalog.selectors import items_for
from doorstep.conftest import World


def _form(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "社区修伞",
        "category": "",
        "level": "community",
        "mode": "on_the_spot",
        "promise_days": 0,
        "materials": "坏了的雨伞\n",
        "keywords": "修伞 雨伞",
        "examples": "我的伞坏了能修吗\n雨伞骨架断了",
        "active": "on",
    }
    data.update(over)
    return data


def test_secretary_adds_a_local_item_seen_only_in_her_community(world: World) -> None:
    client = Client()
    client.force_login(world.secretary_a)
    category = world.categories["life"]
    response = client.post("/desk/catalog/new/", _form(category=category.pk))
    assert response.status_code == 302
    item = ServiceItem.objects.get(name="社区修伞")
    assert (item.scope, item.community) == ("local", world.a)
    assert item.materials == ["坏了的雨伞"]
    assert item.examples == ["我的伞坏了能修吗", "雨伞骨架断了"]
    assert item in items_for(world.a)
    assert item not in items_for(world.b)


def test_desk_worker_may_not_edit_the_catalogue(world: World) -> None:
    client = Client()
    client.force_login(world.desk_a)
    assert client.get("/desk/catalog/new/").status_code == 403


def test_secretary_may_not_change_a_standard_item(world: World) -> None:
    client = Client()
    client.force_login(world.secretary_a)
    item = world.residence_cert
    response = client.post(
        f"/desk/catalog/{item.pk}/edit/",
        _form(name="被改名", category=item.category_id, mode="promise", promise_days=3),
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.name == "居住证明"


def test_district_admin_changes_a_standard_promise(world: World) -> None:
    client = Client()
    client.force_login(world.district_user)
    item = world.residence_cert
    response = client.post(
        f"/desk/catalog/{item.pk}/edit/",
        _form(name="居住证明", category=item.category_id, mode="promise", promise_days=7),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.promise_days == 7
    assert "jzzm" in item.search_text


def test_promised_item_without_days_is_refused_in_chinese(world: World) -> None:
    client = Client()
    client.force_login(world.secretary_a)
    before = ServiceItem.objects.count()
    response = client.post(
        "/desk/catalog/new/",
        _form(category=world.categories["life"].pk, mode="promise", promise_days=0),
    )
    assert response.status_code == 200
    assert "承诺办结的事项须填写承诺工作日数" in response.content.decode()
    assert ServiceItem.objects.count() == before


def test_local_item_after_a_deletion_gets_a_fresh_code(world: World) -> None:
    """Issue 15: codes were `count()+1` — add two, delete one, add again → duplicate → 500."""
    client = Client()
    client.force_login(world.secretary_a)
    category = world.categories["life"].pk
    for name in ("修伞", "磨刀"):
        assert (
            client.post("/desk/catalog/new/", _form(name=name, category=category)).status_code
            == 302
        )
    ServiceItem.objects.get(name="修伞").delete()
    response = client.post("/desk/catalog/new/", _form(name="配钥匙", category=category))
    assert response.status_code == 302
    codes = set(ServiceItem.objects.filter(community=world.a).values_list("code", flat=True))
    assert len(codes) == 2
    assert ServiceItem.objects.get(name="配钥匙").code not in {"", None}


def test_standard_item_after_a_deletion_gets_a_fresh_code(world: World) -> None:
    client = Client()
    client.force_login(world.district_user)
    category = world.categories["life"].pk
    for name in ("标准一", "标准二"):
        data = _form(name=name, category=category)
        assert client.post("/desk/catalog/new/", data).status_code == 302
    ServiceItem.objects.get(name="标准一").delete()
    response = client.post("/desk/catalog/new/", _form(name="标准三", category=category))
    assert response.status_code == 302
    second, third = (ServiceItem.objects.get(name=n).code for n in ("标准二", "标准三"))
    assert second != third and third.startswith("STD-")
