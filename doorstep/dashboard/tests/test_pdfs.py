"""The annual scorecard and the weekly briefing: PDFs with the CJK font embedded, in scope."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from doorstep.conftest import World
from doorstep.dashboard.models import ScorecardWeights
from doorstep.dashboard.pdf import weighted_score
from doorstep.rollups.selectors import Flow

from .conftest import September

pytestmark = pytest.mark.django_db


def text_of(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def fonts_of(body: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(body))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():  # type: ignore[index]
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_scorecard_pdf_embeds_the_font_and_uses_the_streets_weights(
    client: Client, september: September
) -> None:
    w = september.world
    ScorecardWeights.objects.create(
        street=w.street, on_time=50, on_spot=10, attitude=17, capability=13, no_reopen=10
    )
    client.force_login(w.secretary_a)
    response = client.get(f"/dashboard/workers/{w.desk_a.pk}/scorecard.pdf", {"year": "2025"})
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "2025年度社工考评表" in text and "李前台" in text and "样本不足" in text
    assert "17" in text and "态度差" in text
    assert any("Doorstep-Sans-SC" in name for name in fonts_of(response.content))


def test_scorecard_pdf_of_another_communitys_worker_is_a_404(client: Client, world: World) -> None:
    client.force_login(world.secretary_a)
    assert client.get(f"/dashboard/workers/{world.desk_b.pk}/scorecard.pdf").status_code == 404
    client.force_login(world.desk_a)
    assert client.get(f"/dashboard/workers/{world.grid_a.pk}/scorecard.pdf").status_code == 404
    assert client.get(f"/dashboard/workers/{world.desk_a.pk}/scorecard.pdf").status_code == 200


def test_scorecard_pdf_refuses_a_future_year(client: Client, world: World) -> None:
    client.force_login(world.desk_a)
    response = client.get(f"/dashboard/workers/{world.desk_a.pk}/scorecard.pdf", {"year": "2999"})
    assert response.status_code == 400 and "未来年份" in response.content.decode()


def test_weighted_score_uses_the_weights_not_user_text() -> None:
    flow = Flow(received=10, settled_on_spot=5, resolved=10, resolved_on_time=10, rated=0)
    weights = {"on_time": 1, "on_spot": 0, "attitude": 0, "capability": 0, "no_reopen": 0}
    assert weighted_score(flow, weights) == 100.0
    weights = {"on_time": 1, "on_spot": 1, "attitude": 0, "capability": 0, "no_reopen": 0}
    assert weighted_score(flow, weights) == 75.0
    assert weighted_score(Flow(), weights) is None


def test_weekly_briefing_lists_the_weeks_figures_and_overdue_cases(
    client: Client, september: September
) -> None:
    w = september.world
    client.force_login(w.street_user)
    response = client.get("/dashboard/briefing.pdf", {"week": "2025-W38"})
    assert response.status_code == 200
    text = text_of(response.content)
    assert "张江镇 周报" in text and "2025-09-15" in text and "逾期未办结事项" in text
    overdue = next(c for c in september.cases if c.created_at.day == 10)
    assert overdue.tracking_code in text


@pytest.mark.parametrize("week", ["2025-W99", "abc", "2999-01-01"])
def test_weekly_briefing_refuses_a_bad_week(client: Client, world: World, week: str) -> None:
    client.force_login(world.street_user)
    response = client.get("/dashboard/briefing.pdf", {"week": week})
    assert response.status_code == 400


def test_weekly_briefing_defaults_to_last_week_and_is_scoped(client: Client, world: World) -> None:
    client.force_login(world.street_user)
    assert client.get("/dashboard/briefing.pdf").status_code == 200
    assert client.get("/dashboard/briefing.pdf", {"community": world.c.pk}).status_code == 404
