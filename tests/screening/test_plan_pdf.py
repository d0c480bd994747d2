"""The plan PDF in Arabic and Bengali: shaped text in the right fonts, readable back with pypdf."""
from __future__ import annotations

import importlib.util
import re
import unicodedata

import pytest
from pypdf import PdfReader

from actions import settings
from actions.library import library
from actions.plan_pdf import render_plan_pdf
from actions.return_plan import build_plan
from actions.texts import text
from knowledge.eligibility import Answers

pytestmark = [
    pytest.mark.skipif(not (settings.fonts_dir() / "NotoSansArabic-Regular.ttf").exists(),
                       reason="needs Debian's fonts-noto-core"),
    pytest.mark.skipif(importlib.util.find_spec("uharfbuzz") is None, reason="needs the uharfbuzz package"),
]


def _letters(value: str, block: tuple[str, str]) -> str:
    """Only the letters of one script, so glyph-order artefacts and spacing do not matter."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in value if block[0] <= ch <= block[1])


ARABIC = ("\u0600", "\u06ff")
BENGALI = ("\u0980", "\u09ff")


def _render(tmp_path, lang: str, origin: str):
    plan = build_plan(library(), origin, Answers(host="BE", travel_document="no"), lang)
    path = render_plan_pdf(plan, tmp_path / f"plan-{lang}.pdf")
    reader = PdfReader(str(path))
    return plan, reader, "\n".join(page.extract_text() for page in reader.pages)


def test_arabic_plan_reads_back_in_arabic(tmp_path) -> None:
    plan, reader, extracted = _render(tmp_path, "ar", "TN")
    assert plan.title in extracted  # Arabic comes back in logical order
    for key in ("screening.plan.documents", "screening.plan.alternatives", "screening.plan.questions"):
        assert text("ar", key) in extracted
    assert "0800 32 745" in extracted  # Belgium's free number, from the host profile (still in English)
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert reader.metadata.title == plan.title and fonts


def test_bengali_plan_reads_back_in_bengali(tmp_path) -> None:
    plan, _reader, extracted = _render(tmp_path, "bn", "BD")
    letters = _letters(extracted, BENGALI)
    for phrase in (plan.title, text("bn", "screening.plan.alternatives"), text("bn", "screening.plan.q4")):
        assert _letters(phrase, BENGALI) in letters
    assert re.search(r"laissez-passer", extracted)


def test_every_language_renders(tmp_path) -> None:
    for lang in ("en", "fr", "fa"):
        _plan, reader, extracted = _render(tmp_path, lang, "IQ")
        assert len(reader.pages) >= 1 and extracted.strip()
