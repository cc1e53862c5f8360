import io
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from reportlab.pdfgen import canvas

from doorstep.core.pdf import cjk_font


def _pdf_with(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont(cjk_font(), 14)
    page.drawString(50, 700, text)
    page.save()
    return buffer.getvalue()


def _fonts(data: bytes) -> list[DictionaryObject]:
    page = PdfReader(io.BytesIO(data)).pages[0]
    resources = cast(DictionaryObject, page["/Resources"].get_object())
    fonts = cast(DictionaryObject, resources["/Font"].get_object())
    return [cast(DictionaryObject, fonts[name].get_object()) for name in fonts]


def _descriptors(fonts: list[DictionaryObject]) -> list[DictionaryObject]:
    found = []
    for font in fonts:
        for child in cast(list[Any], font.get("/DescendantFonts", [])) or [font]:
            descriptor = cast(DictionaryObject, child.get_object()).get("/FontDescriptor")
            if descriptor is not None:
                found.append(cast(DictionaryObject, descriptor.get_object()))
    return found


def test_pdf_embeds_a_subset_of_the_cjk_font_instead_of_stsong() -> None:
    data = _pdf_with("社区连心卡 居住证明")
    fonts = _fonts(data)
    names = [str(font["/BaseFont"]) for font in fonts]
    assert not any("STSong" in name for name in names)
    assert any("/FontFile2" in descriptor for descriptor in _descriptors(fonts))
    # a subset: the document is far smaller than the 2 MB font file
    assert len(data) < 100_000


def test_embedded_font_text_stays_extractable() -> None:
    text = PdfReader(io.BytesIO(_pdf_with("家门口服务 12345"))).pages[0].extract_text()
    assert "家门口服务 12345" in text
