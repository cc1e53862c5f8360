"""Build doorstep/core/fonts/DoorstepSansSC.ttf, the CJK font every PDF embeds.

reportlab embeds only TrueType (quadratic, `glyf`) outlines, while Debian's Noto Sans CJK is
CFF. This script takes Noto Sans CJK SC Regular (fonts-noto-cjk, SIL OFL 1.1), keeps ASCII,
CJK punctuation, full-width forms and every GB2312 character plus any extra character found in
the project's own templates and seeds, and converts the outlines to quadratic curves.
reportlab then embeds a per-document subset of this file. Rerun after a Noto update:

    pip install fonttools==4.68.0
    python scripts/build_pdf_font.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "doorstep" / "core" / "fonts" / "DoorstepSansSC.ttf"
FAMILY = "Doorstep Sans SC"


def _gb2312() -> set[str]:
    chars: set[str] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def _project_chars() -> set[str]:
    chars: set[str] = set()
    for folder in (ROOT / "doorstep", Path("/work/shared/seeds")):
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".py", ".txt", ".csv", ".json", ".po"} and path.is_file():
                chars.update(path.read_text(encoding="utf-8", errors="ignore"))
    return chars


def wanted() -> set[int]:
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    chars |= {"·", "—", "…", "“", "”", "‘", "’", "№", "×", "÷", "°", "￥", "•"}
    chars |= _gb2312() | _project_chars()
    return {ord(c) for c in chars if ord(c) >= 0x20}


def _sc_face() -> TTFont:
    for face in TTCollection(str(SOURCE)).fonts:
        if "SC" in face["name"].getDebugName(1):
            return face
    raise SystemExit("Noto Sans CJK SC not found in " + str(SOURCE))


def build() -> Path:
    face = _sc_face()
    options = Options()
    options.layout_features = []
    options.name_IDs = []
    options.notdef_outline = True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=wanted() & set(face.getBestCmap()))
    subsetter.subset(face)

    glyph_order = face.getGlyphOrder()
    glyph_set = face.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()

    head, hhea, os2 = face["head"], face["hhea"], face["OS/2"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(glyph_order)
    builder.setupCharacterMap(face.getBestCmap())
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict(face["hmtx"].metrics))
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    builder.setupOS2(
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        fsType=0,  # OFL: installable embedding
    )
    builder.setupPost()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(TARGET))
    return TARGET


if __name__ == "__main__":
    path = build()
    print(f"{path}: {path.stat().st_size // 1024} KiB", file=sys.stdout)
