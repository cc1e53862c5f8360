"""考评权重 page: who may set a street's weights, what input is refused, the audit entry."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from doorstep.conftest import World
from doorstep.core.models import AuditEntry
from doorstep.dashboard import services
from doorstep.dashboard.models import DEFAULT_WEIGHTS, ScorecardWeights
from doorstep.places.models import Street

pytestmark = pytest.mark.django_db

GOOD = {"on_time": "40", "on_spot": "10", "attitude": "20", "capability": "20", "no_reopen": "10"}


def test_street_leader_saves_weights_with_one_audit_entry(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    response = client.post("/dashboard/weights/", {"street": world.street.pk, **GOOD})
    assert response.status_code == 302
    row = ScorecardWeights.objects.get(street=world.street)
    assert row.as_dict() == {k: int(v) for k, v in GOOD.items()}
    entry = AuditEntry.objects.get(action="scorecard_weights_set")
    assert entry.actor == world.street_user and entry.object_id == str(world.street.pk)
    assert "按期办结率权重 30→40" in entry.reason and "服务态度" not in entry.reason


def test_page_shows_the_streets_current_weights(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    page = client.get("/dashboard/weights/").content.decode()
    assert world.street.name in page
    assert f'name="on_time" value="{DEFAULT_WEIGHTS["on_time"]}"' in page


@pytest.mark.parametrize("who", ["desk_a", "grid_a", "secretary_a", "department_user"])
def test_community_and_department_staff_cannot_set_weights(
    client: Client, world: World, who: str
) -> None:
    client.force_login(getattr(world, who))
    assert client.get("/dashboard/weights/").status_code == 403
    response = client.post("/dashboard/weights/", {"street": world.street.pk, **GOOD})
    assert response.status_code == 403
    assert not ScorecardWeights.objects.exists() and not AuditEntry.objects.exists()


def test_street_leader_cannot_set_another_streets_weights(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    response = client.post("/dashboard/weights/", {"street": world.other_street.pk, **GOOD})
    assert response.status_code == 404
    assert client.get("/dashboard/weights/", {"street": "abc"}).status_code == 404
    assert not ScorecardWeights.objects.exists()
    with pytest.raises(Street.DoesNotExist):
        services.scorecard_weights_set(
            actor=world.street_user, street_id=world.other_street.pk, weights=GOOD
        )


def test_district_sets_any_street_of_the_district(client: Client, world: World) -> None:
    client.force_login(world.district_user)
    page = client.get("/dashboard/weights/").content.decode()
    assert world.street.name in page and world.other_street.name in page
    response = client.post("/dashboard/weights/", {"street": world.other_street.pk, **GOOD})
    assert response.status_code == 302
    assert ScorecardWeights.objects.get(street=world.other_street).on_time == 40


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("on_time", "abc"),
        ("on_spot", "-5"),
        ("attitude", "1.5"),
        ("capability", "101"),
        ("no_reopen", ""),
        ("on_time", "=1+1"),
        ("on_spot", "３"),
    ],
)
def test_bad_weight_is_refused_in_chinese_and_nothing_saved(
    client: Client, world: World, field: str, value: str
) -> None:
    client.force_login(world.street_user)
    response = client.post("/dashboard/weights/", {"street": world.street.pk, **GOOD, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "须为 0 到 100 之间的整数" in page and 'aria-invalid="true"' in page
    assert not ScorecardWeights.objects.exists() and not AuditEntry.objects.exists()


def test_all_zero_weights_are_refused(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    zeros = dict.fromkeys(DEFAULT_WEIGHTS, "0")
    response = client.post("/dashboard/weights/", {"street": world.street.pk, **zeros})
    assert response.status_code == 400
    assert "不能全部为 0" in response.content.decode()
    with pytest.raises(ValidationError):
        services.scorecard_weights_set(
            actor=world.street_user, street_id=world.street.pk, weights=zeros
        )
    assert not ScorecardWeights.objects.exists()


def test_service_refuses_a_community_worker(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.scorecard_weights_set(
            actor=world.secretary_a, street_id=world.street.pk, weights=GOOD
        )


def test_scorecard_page_links_to_weights_only_for_leaders(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    assert "/dashboard/weights/" in client.get("/dashboard/workers/").content.decode()
    client.force_login(world.secretary_a)
    assert "/dashboard/weights/" not in client.get("/dashboard/workers/").content.decode()


def test_saved_weights_feed_the_scorecard_pdf_weights(world: World) -> None:
    from doorstep.dashboard.documents import weights_for

    services.scorecard_weights_set(actor=world.street_user, street_id=world.street.pk, weights=GOOD)
    assert weights_for(world.a.pk)["on_time"] == 40
    assert weights_for(world.c.pk)["on_time"] == DEFAULT_WEIGHTS["on_time"]
