"""The annual scorecard (年度考评表) and the street's weekly briefing (周报) as PDFs, with the
CJK font embedded (`doorstep.core.pdf`)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from doorstep.core.pdf import cjk_font
from doorstep.rollups.selectors import Flow

from .models import DEFAULT_WEIGHTS
from .tiles import mean, percent

Table = Sequence[Sequence[str]]


def weighted_score(flow: Flow, weights: dict[str, int]) -> float | None:
    """Σ weight × part ÷ Σ weights × 100; parts are rates (0–1) and ratings ÷ 5; None when the
    worker resolved nothing."""
    if not flow.resolved:
        return None
    parts = {
        "on_time": flow.on_time_rate or 0,
        "on_spot": flow.on_spot_rate or 0,
        "attitude": (flow.attitude or 0) / 5,
        "capability": (flow.capability or 0) / 5,
        "no_reopen": 1 - min(1.0, flow.reopen_rate or 0),
    }
    total = sum(weights.values()) or 1
    return round(100 * sum(weights[k] * parts[k] for k in DEFAULT_WEIGHTS) / total, 1)


def weight_labels() -> dict[str, str]:
    return {
        "on_time": _("按期办结率"),
        "on_spot": _("即办率"),
        "attitude": _("服务态度（÷5）"),
        "capability": _("服务能力（÷5）"),
        "no_reopen": _("未重新办理率"),
    }


def render_pdf(
    title: str, subtitle: str, sections: list[tuple[str, Table]], notes: list[str]
) -> bytes:
    """A4 document: title, subtitle, then each section's heading and table, then notes."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    font = cjk_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=18, leading=24, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    story: list = [Paragraph(title, h1), Paragraph(subtitle, body), Spacer(1, 4 * mm)]
    for heading, rows in sections:
        story.append(Paragraph(heading, h2))
        if not rows:
            story.append(Paragraph(_("（无）"), body))
            continue
        table = PdfTable(
            [[Paragraph(cell, body) for cell in row] for row in rows], repeatRows=1, hAlign="LEFT"
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9ca3af")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f4f6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    for note in notes:
        story.append(Spacer(1, 2 * mm))
        story.append(Paragraph(note, body))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
    )
    doc.build(story)
    return out.getvalue()


def flow_cells(flow: Flow) -> list[str]:
    return [
        str(flow.received),
        str(flow.resolved),
        percent(flow.on_time_rate),
        percent(flow.on_spot_rate),
        str(flow.reopened),
        str(flow.rated),
        mean(flow.attitude, flow.rated),
        mean(flow.capability, flow.rated),
        str(flow.low_rated),
    ]


def flow_headers() -> list[str]:
    return [
        _("受理"),
        _("办结"),
        _("按期办结率"),
        _("即办率"),
        _("重新办理"),
        _("评价数"),
        _("服务态度"),
        _("服务能力"),
        _("差评"),
    ]


def month_label(day: date) -> str:
    return _("%(m)s月") % {"m": day.month}
