"""A certificate as an A4 PDF (证明打印件): CJK text in the embedded font from
doorstep.core.pdf (extractable, same glyphs in every viewer), serial number and a QR code to
the verify page."""

from __future__ import annotations

import io

import qrcode
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from doorstep.core.pdf import cjk_font

from .models import Certificate


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break Chinese text into lines by measured width (no spaces to break on)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = "　　" if paragraph.strip() else ""
        for char in paragraph.strip():
            if pdfmetrics.stringWidth(line + char, cjk_font(), size) > width:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines


def _qr(url: str) -> ImageReader:
    image = qrcode.make(url, box_size=6, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def certificate_pdf(certificate: Certificate, title: str, body: str, verify_url: str) -> bytes:
    font = cjk_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    page.setTitle(f"{title} {certificate.serial}")
    page.setFont(font, 11)
    page.drawRightString(
        width - 25 * mm, height - 20 * mm, _("编号：%(serial)s") % {"serial": certificate.serial}
    )
    page.setFont(font, 24)
    page.drawCentredString(width / 2, height - 45 * mm, title)
    size = 14
    page.setFont(font, size)
    y = height - 70 * mm
    for line in _wrap(body, width - 50 * mm, size):
        page.drawString(25 * mm, y, line)
        y -= size * 1.9
    y -= 20 * mm
    page.drawRightString(
        width - 30 * mm, y, _("%(name)s居民委员会（盖章）") % {"name": certificate.community.name}
    )
    page.drawRightString(
        width - 30 * mm, y - 9 * mm, certificate.issued_on.strftime("%Y年%m月%d日")
    )
    page.setFont(font, 10)
    page.drawImage(_qr(verify_url), 25 * mm, 22 * mm, 32 * mm, 32 * mm)
    page.drawString(
        62 * mm, 46 * mm, _("有效期至：%(d)s") % {"d": f"{certificate.valid_until:%Y年%m月%d日}"}
    )
    page.drawString(62 * mm, 39 * mm, _("扫描二维码或访问以下网址核验真伪："))
    page.drawString(62 * mm, 32 * mm, verify_url)
    page.showPage()
    page.save()
    return buffer.getvalue()
