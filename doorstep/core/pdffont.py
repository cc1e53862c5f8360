"""A CJK font embedded in our PDFs (字体嵌入): the characters a document uses, cut from Debian's
Noto Sans CJK SC (SIL Open Font License 1.1, which allows embedding subsets in documents).

Noto CJK ships PostScript (CFF) outlines, which reportlab cannot embed; the subset's outlines are
converted to TrueType quadratics with fontTools, then reportlab embeds them (subset again) in the
PDF. Without the font file the built-in CID font STSong-Light is used (readers supply glyphs).
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC_INDEX = 2  # JP, KR, SC, TC, HK in the collection
FALLBACK = "STSong-Light"
ASCII = "".join(chr(c) for c in range(32, 127))


def _truetype_subset(text: str) -> bytes:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(NOTO_CJK), fontNumber=NOTO_SC_INDEX)
    options = Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(text=text + ASCII)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=32)
def _register(chars: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportlabTTFont

    name = "NotoSansSC-" + hashlib.sha1(chars.encode()).hexdigest()[:10]
    font = ReportlabTTFont(name, io.BytesIO(_truetype_subset(chars)))
    # reportlab maps a font family by its face name; keep each subset's face apart.
    font.face.name = name.encode()
    pdfmetrics.registerFont(font)
    return name


def cjk_font(text: str) -> str:
    """The name of a registered font that has every character of `text` (embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if NOTO_CJK.exists():
        return _register("".join(sorted(set(text))))
    if FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK
