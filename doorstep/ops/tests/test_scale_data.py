"""`doorstep scale-data`: refuses what it cannot do well, and writes history the app agrees with."""

from datetime import UTC, date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from doorstep.cases.choices import Status
from doorstep.cases.models import Case, CaseEvent, Rating
from doorstep.cases.search import case_search, case_search_terms
from doorstep.cases.services import (
    DEFAULT_PROMISE_DAYS,
    ON_THE_SPOT_FALLBACK_DAYS,
    cases_tick,
)
from doorstep.catalog.choices import Mode
from doorstep.conftest import make_categories, make_item, make_staff
from doorstep.core import crypto
from doorstep.ops.demo import DISTRICT
from doorstep.ops.scale_data import SQLITE_LIMIT, copy_text, refuse_reason
from doorstep.places.models import Community, District, Street
from doorstep.rollups.verify import rollup_verify
from doorstep.workdays.selectors import add_working_days


@pytest.fixture
def demo_district(db: None) -> District:
    """The smallest stand-in for `doorstep demo`: its district, a street, a staffed community."""
    district = District.objects.create(name=DISTRICT)
    street = Street.objects.create(district=district, name="胜利路街道")
    community = Community.objects.create(street=street, name="张骞社区")
    make_staff("secretary", "secretary", district=district, community=community)
    make_staff("street", "street", district=district, street=street)
    make_staff("district", "district", district=district)
    categories = make_categories()
    for code in ("GOV-RESIDENCE-CERT", "LEGAL-ANTI-FRAUD", "GOV-TEMP-ASSISTANCE"):
        make_item(code, categories=categories)
    return district


def test_copy_text_escapes_what_copy_would_misread() -> None:
    at = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
    text = copy_text([[7, "一\t二\\n三\n", None, True, False, date(2026, 3, 5), at, Status.CLOSED]])
    assert (
        text == "7\t一\\t二\\\\n三\\n\t\\N\tt\tf\t2026-03-05\t2026-03-05T09:30:00+00:00\tclosed\n"
    )


def test_sqlite_above_a_million_is_refused_with_a_reason(demo_district: District) -> None:
    reason = refuse_reason(SQLITE_LIMIT + 1, "sqlite")
    assert reason is not None and "PostgreSQL" in reason
    assert refuse_reason(SQLITE_LIMIT + 1, "postgresql") is None


def test_without_the_demo_it_refuses(db: None) -> None:
    with pytest.raises(CommandError, match="演示数据"):
        call_command("scale-data", "--cases", "10")


def test_generated_history_is_consistent_and_a_second_run_is_refused(
    demo_district: District,
) -> None:
    call_command("scale-data", "--cases", "300", "--streets", "2", "--communities", "3")
    assert Community.objects.count() == 6
    assert Case.objects.count() == 300
    assert Case.objects.values("tracking_code").distinct().count() == 300
    for case in Case.objects.all()[:50]:
        assert case.search_terms == case_search_terms(case.description)
        assert case.events.exists()
    assert not Case.objects.filter(status__in=[Status.RESOLVED, Status.CLOSED], reply="").exists()
    assert Rating.objects.filter(case__status=Status.CLOSED).count() == Rating.objects.count()
    assert CaseEvent.objects.count() >= 300
    # What `doorstep tick` would have done is already done.
    result = cases_tick()
    assert (result.escalated, result.closed) == (0, 0)
    with pytest.raises(CommandError, match="已经生成过"):
        call_command("scale-data", "--cases", "10")
    assert Case.objects.count() == 300


def test_generated_cases_are_found_and_counted_as_the_services_would(
    demo_district: District,
) -> None:
    call_command("scale-data", "--cases", "400", "--streets", "2", "--communities", "2")
    assert rollup_verify() is None
    # A caller's phone: its ciphertext decrypts to the phone the hash was made from, and the
    # desk's search box finds the case by it (as it finds a resident's case by theirs).
    called = Case.objects.exclude(contact_phone_encrypted="").order_by("pk")[:20]
    assert called
    for case in called:
        phone = crypto.decrypt(case.contact_phone_encrypted)
        assert len(phone) == 11 and case.contact_phone_hash == crypto.lookup_hash(phone)
        assert Case.objects.filter(case_search(phone), pk=case.pk).exists()
    theirs = Case.objects.filter(resident__isnull=False).select_related("resident").first()
    assert theirs is not None and theirs.resident is not None
    assert Case.objects.filter(case_search(theirs.resident.phone), pk=theirs.pk).exists()
    assert not Case.objects.filter(contact_phone_encrypted="").exclude(contact_phone_hash="")
    # Due dates in working days from the day received, as case_create promises them.
    promised = Case.objects.filter(due_date__isnull=False).select_related("item")
    assert promised
    for case in promised[:200]:
        if case.item is None:
            days = DEFAULT_PROMISE_DAYS
        elif case.item.mode == Mode.PROMISE:
            days = case.item.promise_days
        else:
            days = ON_THE_SPOT_FALLBACK_DAYS
        start = timezone.localdate(case.created_at)
        assert case.due_date == add_working_days(start, days, case.district_id), case.pk


def test_generated_cases_are_written_in_the_order_they_came(demo_district: District) -> None:
    """As a live system writes them: a later id is never an earlier day, so "newest first"
    lists read neighbouring table pages (the year is spread evenly, oldest first)."""
    call_command("scale-data", "--cases", "730", "--streets", "1", "--communities", "2")
    days = [
        timezone.localdate(at)
        for at in Case.objects.order_by("pk").values_list("created_at", flat=True)
    ]
    assert days == sorted(days)
    assert (days[-1] - days[0]).days >= 360
