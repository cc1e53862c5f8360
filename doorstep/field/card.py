"""The community contact card (社区连心卡) as a printable PDF.

Chinese text uses the embedded CJK font from doorstep.core.pdf, so every viewer shows the same
glyphs and the text stays extractable (copy, search, screen readers)."""

import io

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from doorstep.core.pdf import cjk_font

from .selectors import CardData

GREEN = HexColor("#2f7d5b")


def _qr_png(url: str) -> ImageReader:
    image = qrcode.make(url, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _office_lines(card: CardData) -> list[tuple[str, str]]:
    """(label, value) lines under the title: secretary, office phone, hours, address."""
    community = card.community
    lines = [
        (_("办公电话"), community.office_phone or "—"),
        (
            _("开放时间"),
            _("每天 %(opens)s–%(closes)s")
            % {
                "opens": community.opens_at.strftime("%H:%M"),
                "closes": community.closes_at.strftime("%H:%M"),
            },
        ),
        (_("地址"), community.address or "—"),
    ]
    if card.secretary is not None:
        lines.insert(
            0, (_("书记/主任"), f"{card.secretary.display_name}  {card.secretary.phone or '—'}")
        )
    return lines


def contact_card_pdf(card: CardData, portal_url: str) -> bytes:
    """One A5 page: title, secretary, grid workers with phones, office phone, hours, QR."""
    font = cjk_font()
    buffer = io.BytesIO()
    width, height = A5
    pdf = canvas.Canvas(buffer, pagesize=A5)
    community = card.community
    title = _("社区连心卡")
    pdf.setTitle(f"{community.name} {title}")
    pdf.setFillColor(GREEN)
    pdf.rect(0, height - 32 * mm, width, 32 * mm, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#ffffff"))
    pdf.setFont(font, 22)
    pdf.drawString(14 * mm, height - 16 * mm, f"{community.name} {title}")
    pdf.setFont(font, 11)
    subtitle = card.grid.name if card.grid else _("有事找社区，服务在家门口")
    pdf.drawString(14 * mm, height - 25 * mm, subtitle)

    pdf.setFillColor(HexColor("#1d2b24"))
    y = height - 44 * mm
    for label, value in _office_lines(card):
        pdf.setFont(font, 11)
        pdf.drawString(14 * mm, y, f"{label}：{value}")
        y -= 8 * mm

    y -= 2 * mm
    pdf.setFont(font, 13)
    pdf.setFillColor(GREEN)
    pdf.drawString(14 * mm, y, _("网格员"))
    pdf.setFillColor(HexColor("#1d2b24"))
    y -= 8 * mm
    pdf.setFont(font, 11)
    for grid_name, worker in card.grid_workers:
        pdf.drawString(14 * mm, y, f"{grid_name}  {worker.display_name}  {worker.phone or '—'}")
        y -= 7 * mm
        if y < 50 * mm:
            pdf.showPage()
            pdf.setFont(font, 11)
            y = height - 20 * mm

    size = 34 * mm
    pdf.drawImage(_qr_png(portal_url), width - size - 12 * mm, 14 * mm, size, size)
    pdf.setFont(font, 9)
    pdf.drawString(14 * mm, 22 * mm, _("扫码在线办事、查询办理进度"))
    pdf.drawString(14 * mm, 16 * mm, portal_url)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
