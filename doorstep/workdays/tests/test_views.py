"""The 工作日历 page (needs the project's URLs and base template)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doorstep.workdays.models import CalendarDay, OfficialYear

from .factories import make_district, make_user

pytestmark = pytest.mark.django_db

URL = "/workdays/"

TEXT_2027 = "国庆节 2027-10-01 至 2027-10-07\n调休上班 2027-10-09"


@pytest.fixture
def district_admin() -> User:
    return make_user("district-admin", role="district")


@pytest.fixture
def admin_client(client: Client, district_admin: User) -> Client:
    client.force_login(district_admin)
    return client


def test_url_name() -> None:
    assert reverse("workdays:years") == URL


def test_anonymous_goes_to_login(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_non_admin_gets_403(client: Client) -> None:
    client.force_login(make_user("street-worker", role="street", district=make_district()))
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"action": "official", "year": "2027", "text": TEXT_2027})
    assert response.status_code == 403
    assert not OfficialYear.objects.exists()


def test_page_shows_years_and_forms(admin_client: Client) -> None:
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    this_year = timezone.localdate().year
    for year in (this_year - 1, this_year, this_year + 1):
        assert str(year) in html
    assert "试算" in html
    assert 'name="text"' in html
    assert "地方性日期" in html


def test_enter_a_year(admin_client: Client) -> None:
    this_year = timezone.localdate().year
    text = TEXT_2027.replace("2027", str(this_year + 1))
    response = admin_client.post(
        URL, {"action": "official", "year": str(this_year + 1), "text": text, "note": "通知"}
    )
    assert response.status_code == 302
    assert OfficialYear.objects.get().year == this_year + 1
    assert CalendarDay.objects.filter(kind="workday").count() == 1
    page = admin_client.get(response["Location"])
    html = page.content.decode()
    assert "已保存" in html
    assert "已录入" in html


def test_bad_text_names_the_line_and_writes_nothing(admin_client: Client) -> None:
    this_year = timezone.localdate().year
    text = f"元旦 {this_year + 1}-01-01\n春节 正月初一"
    response = admin_client.post(
        URL, {"action": "official", "year": str(this_year + 1), "text": text}
    )
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode()
    assert not OfficialYear.objects.exists()
    assert not CalendarDay.objects.exists()


def test_local_day_set_and_delete(admin_client: Client, district_admin: User) -> None:
    response = admin_client.post(
        URL, {"action": "local_set", "day": "2025-10-13", "kind": "holiday", "name": "地方节日"}
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert day.district == district_admin.staff.district
    response = admin_client.post(URL, {"action": "local_delete", "day": "2025-10-13"})
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()


def test_try_it(admin_client: Client) -> None:
    response = admin_client.get(URL, {"start": "2025-09-26", "n": "10"})
    assert response.status_code == 200
    assert "2025-10-16" in response.content.decode()
