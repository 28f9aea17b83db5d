"""The PDF bilan's wording: dates as French writes them, our referential's name, a bound."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pypdf import PdfReader

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Referential
from careerpath.services.assessments import StoredAssessment
from careerpath.services.bilan_pdf import (
    MAX_ITEMS,
    MAX_STRENGTHS,
    bilan_report,
    render_bilan,
    source_text,
)
from careerpath.services.context import context_of
from careerpath.services.referential import CURATED_BUNDLE


@pytest.fixture(scope="module")
def curated() -> Referential:
    return read_bundle(CURATED_BUNDLE).referential


def _assessment(referential: Referential, **changes: object) -> StoredAssessment:
    codes = sorted(c.code for c in referential.competencies)[:30]
    base: dict[str, object] = {
        "id": "a" * 32,
        "device_id": "d" * 32,
        "situation": "en_poste",
        "current_role": "secretaire",
        "ratings": {code: (i % 4) + 1 for i, code in enumerate(codes)},
        "target": "office-manager",
    }
    base.update(changes)
    return StoredAssessment(**base)  # type: ignore[arg-type]


def _text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_the_first_of_the_month_is_written_1er_and_the_referential_is_named(
    curated: Referential,
) -> None:
    report = bilan_report(context_of(curated, "fr"), _assessment(curated), today=date(2026, 12, 1))
    text, _ = _text(render_bilan(report))
    assert "Établi le 1er décembre 2026 avec careerpath." in text
    assert "curé" not in text
    assert "Référentiel careerpath, version" in text


def test_the_english_pdf_dates_in_english(curated: Referential) -> None:
    report = bilan_report(context_of(curated, "en"), _assessment(curated), today=date(2026, 12, 1))
    text, _ = _text(render_bilan(report))
    assert "Made on 1 December 2026 with careerpath." in text
    assert "careerpath referential, version" in text
    assert "Établi" not in text


def test_another_referential_is_credited_by_its_own_name() -> None:
    assert source_text("ROME 4.0", "v460", "2025-01-15", "fr") == (
        "Référentiel : ROME 4.0 v460 15 janvier 2025"
    )
    assert source_text("ESCO", "1.1.1", "", "en") == "Referential: ESCO 1.1.1"


def test_a_very_long_plan_stays_a_few_pages_and_says_what_it_left_out(
    curated: Referential,
) -> None:
    report = bilan_report(context_of(curated, "fr"), _assessment(curated), today=date(2026, 12, 2))
    assert report.plan is not None and report.plan.items and report.strengths
    long_why = "Cette formation couvre : " + "gestion des interruptions, " * 200
    item = dataclasses.replace(report.plan.items[0], why=long_why)
    huge = dataclasses.replace(
        report,
        strengths=report.strengths[:1] * 80,
        plan=dataclasses.replace(report.plan, items=(item,) * 60),
    )
    text, pages = _text(render_bilan(huge))
    assert pages <= 5
    assert f"… et {80 - MAX_STRENGTHS} autres, à voir dans careerpath." in text
    assert f"… et {60 - MAX_ITEMS} autres, à voir dans careerpath." in text
    assert "2 décembre 2026" in text


def test_a_character_the_font_cannot_draw_shows_as_a_box_never_vanishes() -> None:
    from careerpath.services.bilan_pdf import MISSING_GLYPH, Document, find_font_dir

    font_dir = find_font_dir()
    if font_dir is None:  # scripts/test.sh installs fonts-dejavu-core
        pytest.fail("DejaVu Sans is missing")
    doc = Document(font_dir)
    assert doc.clean("Łucja Ğül, élève") == "Łucja Ğül, élève"
    assert doc.clean("Łucja 🙂 中文") == f"Łucja {MISSING_GLYPH} {MISSING_GLYPH}{MISSING_GLYPH}"
    assert doc.clean("Merci ❤\ufe0f") == "Merci ❤"  # the selector adds no box
    assert doc.clean("\U0001d5a0") == MISSING_GLYPH  # in the regular font, not in the bold
