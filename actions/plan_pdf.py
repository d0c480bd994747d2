"""Renders a return preparation plan as a PDF in the user's language and script.

Arabic, Persian and Bengali need shaping (joined letters, conjuncts) and, for Arabic script,
right-to-left lines: fpdf2 does both with its HarfBuzz text shaping (the uharfbuzz package).
Fonts are Debian's Noto fonts (fonts-noto-core); Latin text inside another script falls back to
Noto Sans.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

from fpdf import FPDF

from actions import settings

if TYPE_CHECKING:
    from actions.return_plan import Plan

FONT_FILES = {
    "latin": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "arabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "bengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
}
SCRIPT_OF = {"ar": "arabic", "fa": "arabic", "bn": "bengali"}
RIGHT_TO_LEFT = {"ar", "fa"}


def render_plan_pdf(plan: Plan, path: Path, fonts_dir: Optional[Path] = None) -> Path:
    """Write the plan to ``path`` (its folder is created); return the path."""
    fonts = fonts_dir or settings.fonts_dir()
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(plan.title)
    pdf.set_lang(plan.lang)
    script = SCRIPT_OF.get(plan.lang, "latin")
    for family in {script, "latin"}:
        regular, bold = FONT_FILES[family]
        pdf.add_font(family, fname=str(fonts / regular))
        pdf.add_font(family, style="B", fname=str(fonts / bold))
    if script != "latin":
        pdf.set_fallback_fonts(["latin"], exact_match=False)
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if plan.lang in RIGHT_TO_LEFT else "ltr")
    align = "R" if plan.lang in RIGHT_TO_LEFT else "L"
    pdf.add_page()

    def paragraph(body: str, size: float = 11, bold: bool = False, gap: float = 1.5) -> None:
        if plan.lang in RIGHT_TO_LEFT:
            # A fact not yet translated stays English: keep its punctuation where English puts it.
            rtl = any("\u0600" <= char <= "\u06ff" for char in body)
            pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
        pdf.set_font(script, style="B" if bold else "", size=size)
        pdf.multi_cell(0, size * 0.55, body, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    paragraph(plan.title, size=17, bold=True, gap=3)
    paragraph(plan.intro)
    for section in plan.sections:
        pdf.ln(2)
        paragraph(section.title, size=13, bold=True)
        for item in section.items:
            paragraph(f"• {item}")
    if plan.sources:
        pdf.ln(2)
        pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
        pdf.set_font("latin", size=8)
        for line in plan.sources:
            pdf.multi_cell(0, 4.2, line, align="L", new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
