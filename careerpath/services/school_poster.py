"""A printable poster of a diploma's map (A4 or A3, portrait), with its QR code.

For a classroom wall or an open day: the diploma, its first jobs with their proximity, the
moves after each, the sentence that explains « proximité », and a QR code (drawn as vector
squares from segno's matrix, so it stays sharp at any print size) with the short link that
opens the same map on a phone. Same fonts as the PDF bilan (DejaVu Sans when found).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from careerpath.domain.referential import Referential
from careerpath.i18n import N_, Locale, babel_locale, by_locale_table
from careerpath.services import labels, qr, schools
from careerpath.services.bilan_pdf import FONT_FILES, find_font_dir

PaperSize = Literal["A4", "A3"]
PAPER_SIZES: tuple[PaperSize, ...] = ("A4", "A3")
_WIDTH_MM = {"A4": 210.0, "A3": 297.0}
TEAL = (13, 115, 119)
INK = (20, 20, 20)
GREY = (80, 80, 80)

WORDS = by_locale_table(
    {
        "kicker": N_("Du diplôme au métier"),
        "first": N_("Premiers métiers"),
        "then": N_("Et ensuite, avec l'expérience"),
        "proximity": N_("Proximité"),
        "scan": N_("Scannez pour voir cette carte sur votre téléphone"),
        "note": N_(
            "Repères établis à partir des objectifs du diplôme dans le référentiel de "
            "careerpath : chaque parcours reste personnel."
        ),
    }
)

_LATIN1 = {"\u202f": " ", "\u00a0": " ", "’": "'", "—": "-", "–": "-", "œ": "oe", "…": "..."}


@dataclass(frozen=True)
class Poster:
    """What the poster prints, already in words."""

    locale: Locale
    paper: PaperSize
    progression: schools.Progression
    link: str


def poster(
    code: str,
    paper: PaperSize = "A4",
    locale: Locale = "fr",
    referential: Referential | None = None,
) -> Poster:
    """The poster of diploma `code` (UnknownDiploma; ValueError for another paper size)."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper size must be A4 or A3, not {paper!r}")
    found = schools.progression(referential, code, locale=locale)
    return Poster(locale, paper, found, qr.public_link(f"/ecoles/{code}"))


class _Sheet(FPDF):
    def __init__(self, paper: PaperSize, font_dir: Path | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format=paper)
        self.k_scale = _WIDTH_MM[paper] / _WIDTH_MM["A4"]
        self.unicode = font_dir is not None
        if font_dir is not None:
            for style, name in FONT_FILES.items():
                self.add_font("DejaVu", style, str(font_dir / name))
            self.family_name = "DejaVu"
        else:
            self.family_name = "Helvetica"
        margin = 14 * self.k_scale
        self.set_margins(margin, margin, margin)
        self.set_auto_page_break(False)

    def clean(self, text: str) -> str:
        text = text.replace("\u202f", "\u00a0")
        if self.unicode:
            return text
        for old, new in _LATIN1.items():
            text = text.replace(old, new)
        return text.encode("latin-1", "replace").decode("latin-1")

    def write_block(
        self,
        text: str,
        size: float,
        *,
        style: str = "",
        color: tuple[int, int, int] = INK,
        width: float = 0,
        x: float | None = None,
    ) -> None:
        size *= self.k_scale
        self.set_font(self.family_name, style, size)
        self.set_text_color(*color)
        if x is not None:
            self.set_x(x)
        self.multi_cell(
            width, size * 0.45, self.clean(text), new_x=XPos.LEFT, new_y=YPos.NEXT, align="L"
        )

    def qr_square(self, link: str, x: float, y: float, side: float) -> None:
        modules = qr.qr_modules(link)
        cell = side / len(modules)
        self.set_fill_color(255, 255, 255)
        self.rect(x, y, side, side, style="F")
        self.set_fill_color(0, 0, 0)
        for r, row in enumerate(modules):
            c = 0
            while c < len(row):  # one rectangle per run of dark modules
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < len(row) and row[c]:
                    c += 1
                self.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")


def render_poster(data: Poster) -> bytes:
    """The PDF bytes of the poster: one portrait page."""
    words = WORDS[data.locale]
    found = data.progression
    sheet = _Sheet(data.paper, find_font_dir())
    sheet.set_title(f"{found.diploma.title} — careerpath")
    sheet.set_creator("careerpath")
    sheet.set_lang(babel_locale(data.locale).replace("_", "-"))
    sheet.add_page()
    k = sheet.k_scale
    left = sheet.l_margin

    sheet.write_block(words["kicker"].upper(), 11, style="B", color=TEAL)
    sheet.ln(1 * k)
    sheet.write_block(found.diploma.title, 26, style="B")
    level = labels.qualification_level(found.diploma.qualification_level, data.locale, short=True)
    sheet.write_block(" · ".join(f for f in (found.diploma.kind_label, level) if f), 12, color=GREY)
    sheet.ln(2 * k)
    sheet.write_block(schools.PROXIMITY_SENTENCE[data.locale], 10.5, color=GREY)
    sheet.write_block(schools.NEXT_PROXIMITY_SENTENCE[data.locale], 10.5, color=GREY)
    sheet.ln(4 * k)
    sheet.write_block(words["first"], 16, style="B", color=TEAL)
    sheet.ln(2 * k)

    # Two columns of cards, one per first job; the cards of a row share its height.
    gap = 6 * k
    col_w = (sheet.epw - gap) / 2
    inner = col_w - 8 * k
    row_top = sheet.get_y()
    firsts = list(found.first_roles)
    for pair_start in range(0, len(firsts), 2):
        bottoms: list[float] = []
        for column, first in enumerate(firsts[pair_start : pair_start + 2]):
            x = left + column * (col_w + gap) + 4 * k
            sheet.set_xy(x, row_top + 4 * k)
            sheet.write_block(first.title, 15, style="B", width=inner, x=x)
            figure = labels.percent(first.score, data.locale)
            sheet.write_block(f"{words['proximity']} : {figure}", 12, color=TEAL, width=inner, x=x)
            sheet.ln(2 * k)
            sheet.write_block(f"{words['then']} :", 10.5, style="B", width=inner, x=x)
            for move in found.next_steps[first.role]:
                line = f"→ {move.title} — {labels.percent(move.score, data.locale)}"
                sheet.write_block(line, 10.5, width=inner, x=x)
            bottoms.append(sheet.get_y() + 4 * k)
        row_bottom = max(bottoms)
        sheet.set_draw_color(*TEAL)
        sheet.set_line_width(0.5 * k)
        for column in range(len(bottoms)):
            x = left + column * (col_w + gap)
            sheet.rect(x, row_top, col_w, row_bottom - row_top)
        row_top = row_bottom + gap

    # The QR code and its link, bottom of the page.
    side = 70 * k
    page_h = sheet.h
    y = page_h - sheet.b_margin - side - 14 * k
    sheet.qr_square(data.link, left, y, side)
    text_x = left + side + 8 * k
    sheet.set_xy(text_x, y + 10 * k)
    text_w = sheet.epw - side - 8 * k
    sheet.write_block(words["scan"], 16, style="B", width=text_w, x=text_x)
    sheet.ln(3 * k)
    link = qr.short_text(data.link)
    size = 16.0  # on one line, so that it reads as one address to type
    sheet.set_font(sheet.family_name, "", size * k)
    while size > 8 and sheet.get_string_width(sheet.clean(link)) > text_w - 2 * k:
        size -= 0.5
        sheet.set_font(sheet.family_name, "", size * k)
    sheet.write_block(link, size, color=TEAL, width=text_w, x=text_x)
    sheet.set_xy(left, page_h - sheet.b_margin - 10 * k)
    sheet.write_block(words["note"], 9, color=GREY)
    return bytes(sheet.output())


def poster_filename(code: str, paper: PaperSize) -> str:
    return f"affiche-{code}-{paper.lower()}.pdf"
