"""Street and district staff pick a community on the field pages; the mobile desk's default
month is the current one in the site's time zone (本月安排)."""

from datetime import UTC, date, datetime, time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorstep.conftest import World
from doorstep.field import services
from doorstep.field.models import MobileDeskSession

pytestmark = pytest.mark.django_db
FIELD_PAGES = ("field:mobile_desk", "field:rota", "field:visits", "field:coverage")


def picker_options(html: str) -> str:
    start = html.index('id="community-picker"')
    return html[start : html.index("</form>", start)]


@pytest.mark.parametrize("page", FIELD_PAGES)
def test_street_user_picks_any_community_of_their_street_only(world: World, page: str) -> None:
    client = Client()
    client.force_login(world.street_user)
    html = client.get(reverse(page), {"community": world.b.pk}).content.decode()
    picker = picker_options(html)
    assert f'value="{world.b.pk}" selected' in picker
    assert f'value="{world.a.pk}"' in picker
    assert f'value="{world.c.pk}"' not in picker  # another street's community
    assert world.b.name in html.split("</h1>")[0]
    assert client.get(reverse(page), {"community": world.c.pk}).status_code == 404


def test_district_user_sees_communities_grouped_by_street(world: World) -> None:
    client = Client()
    client.force_login(world.district_user)
    picker = picker_options(client.get(reverse("field:rota")).content.decode())
    assert f'<optgroup label="{world.street.name}">' in picker
    assert f'<optgroup label="{world.other_street.name}">' in picker
    assert f'value="{world.c.pk}"' in picker


def test_community_staff_get_no_picker(world: World) -> None:
    client = Client()
    client.force_login(world.secretary_a)
    assert 'id="community-picker"' not in client.get(reverse("field:rota")).content.decode()


def test_my_grid_lists_only_the_picked_communitys_grid_workers(world: World) -> None:
    client = Client()
    client.force_login(world.street_user)
    html = client.get(reverse("field:grid"), {"community": world.b.pk}).content.decode()
    start = html.index('name="worker"')
    workers = html[start : html.index("</select>", start)]
    assert f'<option value="{world.grid_b.pk}"' in workers
    assert f'<option value="{world.grid_a.pk}"' not in workers
    assert f'value="{world.b.pk}" selected' in picker_options(html)
    assert client.get(reverse("field:grid"), {"community": world.c.pk}).status_code == 404


def test_the_picker_keeps_the_month_and_no_personal_data_in_the_url(world: World) -> None:
    client = Client()
    client.force_login(world.street_user)
    query = {"community": str(world.a.pk), "month": "2026-03"}
    picker = picker_options(client.get(reverse("field:mobile_desk"), query).content.decode())
    assert '<input type="hidden" name="month" value="2026-03">' in picker
    assert 'name="community"' in picker and picker.count("name=") == 2  # community, month


def at_utc(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 11, 30, 15, 59, tzinfo=UTC), "2026年11月"),  # 23:59 in Shanghai
        (datetime(2026, 11, 30, 16, 1, tzinfo=UTC), "2026年12月"),  # 00:01 on 1 December
    ],
)
def test_mobile_desk_shows_this_month_in_the_sites_time_zone(
    world: World, monkeypatch: pytest.MonkeyPatch, moment: datetime, shown: str
) -> None:
    at_utc(monkeypatch, moment)
    client = Client()
    client.force_login(world.secretary_a)
    html = client.get(reverse("field:mobile_desk")).content.decode()
    assert f"· {shown}</h1>" in html
    assert "本月安排" in html


def test_this_months_sessions_are_listed_under_this_month(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_utc(monkeypatch, datetime(2026, 11, 10, 2, 0, tzinfo=UTC))
    for day in (date(2026, 11, 20), date(2026, 12, 4)):
        services.session_create(
            actor=world.secretary_a,
            community=world.a,
            data=services.SessionData(
                compound=world.compound_a,
                date=day,
                starts_at=time(9, 0),
                ends_at=time(11, 0),
                staff=(),
                note="",
            ),
        )
    assert MobileDeskSession.objects.count() == 2
    client = Client()
    client.force_login(world.secretary_a)
    html = client.get(reverse("field:mobile_desk")).content.decode()
    start = html.index('id="sessions"')
    listed = html[start : html.index("</table>", start)]
    assert "11月20日" in listed and "12月4日" not in listed
    later = client.get(reverse("field:mobile_desk"), {"month": "2026-12"}).content.decode()
    assert "2026年12月安排" in later and "本月安排" not in later
