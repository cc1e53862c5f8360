"""The one CJK font every PDF embeds (certificates, contact cards, scorecards).

`DoorstepSansSC.ttf` is Noto Sans CJK SC (SIL OFL 1.1, see fonts/OFL.txt) cut to GB2312 plus
the project's own characters and converted to TrueType outlines by scripts/build_pdf_font.py.
reportlab embeds only the glyphs a document uses, so a PDF looks the same in every viewer
instead of depending on the viewer's STSong-Light; the text stays extractable."""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

CJK_FONT = "DoorstepSansSC"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "DoorstepSansSC.ttf"


def cjk_font() -> str:
    """Register the embedded CJK font once per process and return its name for setFont()."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(CJK_FONT, str(FONT_FILE)))
    return CJK_FONT
