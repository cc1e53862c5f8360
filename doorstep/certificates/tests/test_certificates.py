"""Certificates (证明): issue, PDF, public verify page without personal data, revocation."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from doorstep.cases.choices import Status
from doorstep.certificates import services
from doorstep.certificates.choices import CertificateKind
from doorstep.certificates.models import Certificate, PendingCertificate, VolunteerRecord
from doorstep.certificates.pdf import certificate_pdf
from doorstep.conftest import World, at, make_resident, valid_id_number
from doorstep.places.models import Household, Resident
from doorstep.workdays.selectors import add_working_days

TODAY = date(2026, 3, 16)
ID_NUMBER = valid_id_number("31011519800101123")


@pytest.fixture
def resident(world: World) -> Resident:
    person = make_resident(world.a, name="王秀英", id_number=ID_NUMBER)
    person.household = Household.objects.create(building=world.building_a, unit="2单元", room="301")
    person.save()
    return person


def issue(world: World, resident: Resident, kind: str = CertificateKind.RESIDENCE) -> Certificate:
    return services.certificate_issue(
        actor=world.desk_a, resident_id=resident.pk, kind=kind, purpose="办理医保", today=TODAY
    )


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_residence_certificate_has_unguessable_serial(world: World, resident: Resident) -> None:
    certificate = issue(world, resident)
    assert re.fullmatch(r"ZM2026-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", certificate.serial)
    assert certificate.valid_until == date(2026, 6, 14)  # 90 days
    assert "王秀英" in certificate.body and "3号楼2单元301" in certificate.body


def test_certificate_pdf_is_a4_with_extractable_chinese(world: World, resident: Resident) -> None:
    certificate = issue(world, resident)
    title, body = services.certificate_text(certificate, full=False)
    data = certificate_pdf(
        certificate, title, body, f"http://testserver/verify/{certificate.serial}/"
    )
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = pdf_text(data)
    assert "居住证明" in text and "王秀英" in text and certificate.serial in text
    assert "玉兰香苑社区" in text


def test_residence_certificate_needs_an_address(world: World) -> None:
    homeless = make_resident(world.a, name="刘建国", phone="13900000000")
    with pytest.raises(ValidationError) as error:
        issue(world, homeless)
    assert "住址" in str(error.value)
    assert not Certificate.objects.exists()


def test_volunteer_certificate_sums_recorded_hours(world: World, resident: Resident) -> None:
    VolunteerRecord.objects.create(
        resident=resident, day=date(2026, 1, 10), activity="敬老院慰问", hours=Decimal("3.5")
    )
    VolunteerRecord.objects.create(
        resident=resident, day=date(2026, 2, 20), activity="垃圾分类宣传", hours=Decimal("2.0")
    )
    certificate = issue(world, resident, CertificateKind.VOLUNTEER)
    assert "累计服务时长5.5小时" in certificate.body
    assert "2次" in certificate.body


def test_volunteer_certificate_without_hours_is_refused(world: World, resident: Resident) -> None:
    with pytest.raises(ValidationError):
        issue(world, resident, CertificateKind.VOLUNTEER)


def test_hardship_certificate_needs_subsistence_or_low_income(
    world: World, resident: Resident
) -> None:
    with pytest.raises(ValidationError):
        issue(world, resident, CertificateKind.HARDSHIP)
    resident.subsistence_allowance = True
    resident.save()
    assert "低保家庭" in issue(world, resident, CertificateKind.HARDSHIP).body


def test_another_communitys_resident_does_not_exist_for_desk(world: World) -> None:
    stranger = make_resident(world.b, name="外社区居民", phone="13900000001")
    with pytest.raises(ObjectDoesNotExist):
        issue(world, stranger)


def test_verify_page_shows_only_public_facts(
    world: World, resident: Resident, client: Client
) -> None:
    today = timezone.localdate()
    certificate = services.certificate_issue(
        actor=world.desk_a, resident_id=resident.pk, kind=CertificateKind.RESIDENCE, today=today
    )
    response = client.get(f"/verify/{certificate.serial}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert certificate.serial in text and "居住证明" in text and "玉兰香苑社区" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text and "真实有效" in text
    assert "王秀英" not in text
    assert ID_NUMBER not in text and ID_NUMBER[-4:] not in text
    assert "301" not in text and "13812345678" not in text


def test_expired_certificate_says_so(world: World, resident: Resident, client: Client) -> None:
    certificate = issue(world, resident)  # issued 2026-03-16, valid 90 days
    text = client.get(f"/verify/{certificate.serial}/").content.decode()
    assert ("已过有效期" in text) == (timezone.localdate() > date(2026, 6, 14))


def test_unknown_serial_is_404(client: Client, db: None) -> None:
    assert client.get("/verify/ZM2026-AAAAAAAA/").status_code == 404


def test_revoked_certificate_shows_revocation_date(
    world: World, resident: Resident, client: Client
) -> None:
    certificate = issue(world, resident)
    services.certificate_revoke(
        actor=world.secretary_a,
        certificate_id=certificate.pk,
        reason="居民已迁出",
        now=at(2026, 4, 2),
    )
    text = client.get(f"/verify/{certificate.serial}/").content.decode()
    assert "已作废" in text and "2026年4月2日" in text
    assert "迁出" not in text  # the reason may be personal


def test_revocation_needs_a_reason(world: World, resident: Resident) -> None:
    certificate = issue(world, resident)
    with pytest.raises(ValidationError):
        services.certificate_revoke(
            actor=world.secretary_a, certificate_id=certificate.pk, reason=""
        )


def test_desk_worker_cannot_revoke(world: World, resident: Resident) -> None:
    certificate = issue(world, resident)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=world.desk_a, certificate_id=certificate.pk, reason="x")


def test_case_with_data_on_file_is_issued_and_resolved(world: World, resident: Resident) -> None:
    case = world.intake(resident=resident, item=world.residence_cert)
    result = services.certificate_issue_for_case(
        actor=world.desk_a, case_id=case.pk, kind=CertificateKind.RESIDENCE, now=at(2025, 9, 26, 11)
    )
    assert isinstance(result, Certificate)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    assert result.serial in case.reply and result.case_id == case.pk


def test_case_without_data_gets_the_ten_working_day_promise(world: World) -> None:
    homeless = make_resident(world.a, name="刘建国", phone="13900000000")
    case = world.intake(resident=homeless, item=world.residence_cert)
    result = services.certificate_issue_for_case(
        actor=world.desk_a, case_id=case.pk, kind=CertificateKind.RESIDENCE, now=at(2025, 9, 26, 11)
    )
    assert isinstance(result, PendingCertificate)
    expected = add_working_days(date(2025, 9, 26), 10, world.district.pk)
    assert result.due_on == expected
    case.refresh_from_db()
    assert case.is_open
    assert f"{expected:%Y年%m月%d日}" in case.reply and "住址" in case.reply
    assert not Certificate.objects.exists()


def test_district_edits_template_and_new_certificates_use_it(
    world: World, resident: Resident
) -> None:
    services.certificate_template_save(
        actor=world.district_user,
        kind=CertificateKind.RESIDENCE,
        title="居住情况证明",
        body="{name}居住在{address}。",
        validity_days=30,
    )
    certificate = issue(world, resident)
    assert certificate.title == "居住情况证明"
    assert certificate.body.startswith("王秀英居住在")
    assert certificate.valid_until == date(2026, 4, 15)


def test_template_with_unknown_placeholder_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.certificate_template_save(
            actor=world.district_user, kind="residence", title="x", body="{salary}", validity_days=9
        )
    assert "salary" in str(error.value)


def test_only_district_edits_templates(world: World, client: Client) -> None:
    with pytest.raises(PermissionDenied):
        services.certificate_template_save(
            actor=world.secretary_a, kind="residence", title="x", body="y", validity_days=9
        )
    client.force_login(world.secretary_a)
    assert client.get("/programs/certificates/templates/").status_code == 403
    client.force_login(world.district_user)
    assert client.get("/programs/certificates/templates/").status_code == 200


def test_pdf_download_for_staff_only(world: World, resident: Resident, client: Client) -> None:
    certificate = issue(world, resident)
    url = f"/programs/certificates/{certificate.pk}/pdf/"
    assert client.get(url).status_code == 302
    client.force_login(world.desk_b)
    assert client.get(url).status_code == 404
    client.force_login(world.desk_a)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_printing_a_certificate_with_the_id_number_is_audited(
    world: World, resident: Resident, client: Client
) -> None:
    from doorstep.core.models import AuditEntry

    certificate = issue(world, resident)
    client.force_login(world.desk_a)
    url = f"/programs/certificates/{certificate.pk}/pdf/"
    masked = pdf_text(client.get(url).content)
    assert ID_NUMBER not in masked and ID_NUMBER[-4:] in masked
    assert not AuditEntry.objects.exists()
    full = pdf_text(client.post(url, {"reason": "居民办理医保需原件"}).content)
    assert ID_NUMBER in full
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.object_id, entry.field, entry.reason) == (
        world.desk_a,
        certificate.serial,
        "id_number",
        "居民办理医保需原件",
    )


def test_certificate_stores_no_id_number(world: World, resident: Resident) -> None:
    certificate = issue(world, resident)
    assert ID_NUMBER not in certificate.body
    assert services.ID_NUMBER_PLACEHOLDER in certificate.body


def test_full_print_without_reason_is_refused(
    world: World, resident: Resident, client: Client
) -> None:
    certificate = issue(world, resident)
    client.force_login(world.desk_a)
    response = client.post(f"/programs/certificates/{certificate.pk}/pdf/", {"reason": " "})
    assert response.status_code == 302


def test_only_issuing_roles_print_certificates(
    world: World, resident: Resident, client: Client
) -> None:
    certificate = issue(world, resident)
    client.force_login(world.grid_a)
    assert client.get(f"/programs/certificates/{certificate.pk}/pdf/").status_code == 403


def test_certificates_page_lists_masked_ids(
    world: World, resident: Resident, client: Client
) -> None:
    client.force_login(world.desk_a)
    response = client.post("/programs/certificates/", {"q": "王秀英"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "王秀英" in text and ID_NUMBER not in text


def test_promise_is_kept_when_the_data_arrives(world: World) -> None:
    person = make_resident(world.a, name="刘建国", phone="13900000000")
    case = world.intake(resident=person, item=world.residence_cert)
    services.certificate_issue_for_case(
        actor=world.desk_a, case_id=case.pk, kind=CertificateKind.RESIDENCE, now=at(2025, 9, 26, 11)
    )
    person.household = Household.objects.create(building=world.building_a, room="102")
    person.save()
    certificate = services.certificate_issue_for_case(
        actor=world.desk_a, case_id=case.pk, kind=CertificateKind.RESIDENCE, now=at(2025, 9, 29, 9)
    )
    assert PendingCertificate.objects.get().certificate == certificate
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
