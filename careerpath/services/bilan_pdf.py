"""The PDF "bilan": what a person carries to a manager, an interview or a counsellor.

One A4 document: the date, the situation, strengths first, levels by category (bars with
their figures), what can grow, the chosen target with its training plan, and the reminder
that every level is self-declared. French accents and the inclusive "·" need a Unicode
font: DejaVu Sans (Debian's fonts-dejavu-core) is embedded when found; otherwise the text is
reduced to Latin-1 and set in Helvetica, so a PDF is always produced.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from careerpath.i18n import (
    N_,
    Locale,
    babel_locale,
    by_locale_table,
    format_date,
    gettext,
    ngettext,
)
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.plan_view import PlanView, plan_view
from careerpath.services.profile import CategoryLevel, GrowthItem, StrengthItem, profile_view
from careerpath.services.role_titles import role_title
from careerpath.services.value_words import ValueText

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
TEAL = (13, 115, 119)
GREY = (90, 90, 90)

TEXT = by_locale_table(
    {
        "title": N_("Mon bilan de compétences"),
        "made_on": N_("Établi le {date} avec careerpath."),
        "situation": N_("Situation"),
        "current_role": N_("Métier actuel"),
        "aimed_role": N_("Métier visé"),
        "none": N_("Non précisé"),
        "strengths": N_("Ce que vous maîtrisez"),
        "no_strength": N_("Aucune compétence notée pour l'instant."),
        "value": N_("Ma valeur en mots (auto-déclaré)"),
        "levels": N_("Niveaux par catégorie (sur 4)"),
        "not_rated": N_("non évaluée"),
        "growth": N_("Ce qui peut grandir"),
        "needed_for": N_("utile pour"),
        "target": N_("Objectif"),
        "readiness": N_("Préparation actuelle"),
        "plan": N_("Plan de formation"),
        "no_item": N_("Aucune formation n'est nécessaire ou possible dans ces conditions."),
        "total": N_("Total : {hours}, {cost} — environ {weeks} à {pace} h par semaine."),
        "out_of_pocket": N_("Reste à charge estimé"),
        "funding": N_("Financements possibles"),
        "vae": N_("VAE possible"),
        "cpf": N_("éligible CPF"),
        "no_target": N_("Aucun objectif choisi pour l'instant."),
        "note": N_(
            "Les niveaux de ce bilan sont auto-déclarés : ils décrivent le ressenti de la "
            "personne, pas une certification."
        ),
        "source": N_("Référentiel : {source}"),
        "source_careerpath": N_("Référentiel careerpath, version {version} du {date}."),
    }
)


@dataclass(frozen=True)
class BilanReport:
    """Everything the PDF shows, already in words."""

    locale: Locale
    made_on: date
    situation: str
    current_role: str
    role_is_aimed: bool  # a person in training: the role is the one aimed for
    strengths: tuple[StrengthItem, ...]
    strengths_title: str
    value: ValueText
    categories: tuple[CategoryLevel, ...]
    growth: tuple[GrowthItem, ...]
    target_title: str
    plan: PlanView | None
    source: str


def bilan_report(ctx: Context, stored: StoredAssessment, today: date | None = None) -> BilanReport:
    """Gather the person's profile, target and plan for the PDF."""
    ref, locale = ctx.referential, ctx.locale
    profile = profile_view(ctx, stored)
    plan = plan_view(ctx, stored)
    provenance = ref.provenance
    source = source_text(provenance.source, provenance.version, provenance.date, locale)
    return BilanReport(
        locale=locale,
        made_on=today or date.today(),
        situation=labels.label(labels.SITUATIONS, stored.situation, locale)
        if stored.situation
        else "",
        current_role=role_title(ref, stored.current_role)
        or (role_title(ref, stored.target) if stored.situation == "en_formation" else ""),
        role_is_aimed=not stored.current_role and stored.situation == "en_formation",
        strengths=profile.strengths,
        strengths_title=profile.strengths_title,
        value=profile.value,
        categories=profile.categories,
        growth=profile.growth,
        target_title=plan.target_title if plan else "",
        plan=plan,
        source=source,
    )


def source_text(source: str, version: str, day: str, locale: Locale) -> str:
    """The referential credited at the foot of the PDF, its date in words when it is one.

    Our own referential is « référentiel careerpath » (its provenance row calls itself
    « careerpath (référentiel curé) », a word the reader does not need).
    """
    try:
        when = format_date(date.fromisoformat(day), locale) if day else ""
    except ValueError:
        when = day
    if source.startswith("careerpath") and version and when:
        return TEXT[locale]["source_careerpath"].format(version=version, date=when)
    text = " ".join(p for p in (source, version, when) if p)
    return TEXT[locale]["source"].format(source=text) if text else ""


# A PDF stays a few pages whatever the plan: past these counts, one line says how many more
# are on careerpath, and a very long text is cut.
MAX_STRENGTHS = 12
MAX_GROWTH = 8
MAX_ITEMS = 10
MAX_VAE = 3
MAX_TEXT = 600


def _bounded(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _more_line(hidden: int, locale: Locale) -> str:
    return ngettext(
        "… et {n} autre, à voir dans careerpath.",
        "… et {n} autres, à voir dans careerpath.",
        hidden,
        locale,
    )


def find_font_dir() -> Path | None:
    """The folder holding DejaVu Sans (regular and bold), if this machine has it."""
    for folder in FONT_DIRS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    return None


_LATIN1_REPLACEMENTS = {
    "\u202f": " ",
    "\u00a0": " ",
    "€": "EUR",
    "→": "->",
    "’": "'",
    "—": "-",
    "–": "-",
    "œ": "oe",
    "Œ": "OE",
    "…": "...",
}


_INVISIBLE = dict.fromkeys((0xFE0E, 0xFE0F, 0x200D))
MISSING_GLYPH = "\u25a1"  # □: a character the font cannot draw shows as a box, never vanishes


@functools.lru_cache(maxsize=4)
def _drawable(font_file: Path) -> frozenset[int]:
    """The code points the font has a glyph for (its best cmap)."""
    from fontTools.ttLib import TTFont  # fpdf2's own dependency

    with TTFont(str(font_file), lazy=True) as font:
        return frozenset(font.getBestCmap())


class Document(FPDF):
    def __init__(self, unicode_font: Path | None) -> None:
        super().__init__(format="A4")
        self.unicode = unicode_font is not None
        # What both the regular and the bold font can draw (headings are bold).
        self._glyphs: frozenset[int] = (
            frozenset.intersection(*(_drawable(unicode_font / n) for n in FONT_FILES.values()))
            if unicode_font is not None
            else frozenset()
        )
        if unicode_font is not None:
            for style, name in FONT_FILES.items():
                self.add_font("DejaVu", style, str(unicode_font / name))
            self.family_name = "DejaVu"
        else:
            self.family_name = "Helvetica"
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)

    def clean(self, text: str) -> str:
        text = text.replace("\u202f", "\u00a0")
        if self.unicode:
            # An emoji or a CJK name in a label: fpdf2 would drop it silently. Variation
            # selectors and joiners only modify the character before them: dropped.
            text = text.translate(_INVISIBLE)
            if all(ord(ch) in self._glyphs or ch in "\n\r\t" for ch in text):
                return text
            return "".join(
                ch if ord(ch) in self._glyphs or ch in "\n\r\t" else MISSING_GLYPH for ch in text
            )
        for old, new in _LATIN1_REPLACEMENTS.items():
            text = text.replace(old, new)
        return text.encode("latin-1", "replace").decode("latin-1")

    def para(
        self,
        text: str,
        size: float = 10.5,
        style: str = "",
        color: tuple[int, int, int] = (0, 0, 0),
    ) -> None:
        self.set_font(self.family_name, style, size)
        self.set_text_color(*color)
        self.multi_cell(
            0, size * 0.5, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, text: str, size: float = 14) -> None:
        self.ln(3)
        self.para(text, size, "B", TEAL)
        self.ln(1)

    def bullet(self, text: str) -> None:
        self.para(f"•  {text}" if self.unicode else f"-  {text}")

    def bar(self, label: str, value: float, figure: str) -> None:
        self.set_font(self.family_name, "", 10)
        self.set_text_color(0, 0, 0)
        width = self.epw
        label_w, bar_w = width * 0.42, width * 0.40
        y = self.get_y()
        self.cell(label_w, 6, self.clean(label))
        x = self.get_x()
        self.set_draw_color(*GREY)
        self.rect(x, y + 1.2, bar_w, 3.6)
        if value > 0:
            self.set_fill_color(*TEAL)
            self.rect(x, y + 1.2, bar_w * min(value, 4) / 4, 3.6, style="F")
        self.set_x(x + bar_w + 3)
        self.cell(0, 6, self.clean(figure), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def new_document(title: str, locale: Locale) -> Document:
    """An A4 document titled `title`, in DejaVu Sans when this machine has it."""
    doc = Document(find_font_dir())
    doc.set_title(title)
    doc.set_creator("careerpath")
    doc.set_lang(babel_locale(locale).replace("_", "-"))
    return doc


def render_bilan(report: BilanReport) -> bytes:
    """The PDF bytes of a bilan."""
    doc = new_document(TEXT[report.locale]["title"], report.locale)
    doc.add_page()
    write_bilan(doc, report)
    return bytes(doc.output())


def write_bilan(doc: Document, report: BilanReport) -> None:
    """The bilan's pages, from the current position of `doc` (also the counsellor's export)."""
    words = TEXT[report.locale]
    doc.para(words["title"], 20, "B", TEAL)
    made_on = words["made_on"].format(date=format_date(report.made_on, report.locale))
    doc.para(made_on, 10, "", GREY)
    doc.ln(2)
    colon = gettext(" :", report.locale)
    doc.para(f"{words['situation']}{colon} {report.situation or words['none']}")
    role_word = words["aimed_role"] if report.role_is_aimed else words["current_role"]
    doc.para(f"{role_word}{colon} {report.current_role or words['none']}")

    doc.heading(report.strengths_title or words["strengths"])
    if report.strengths:
        for strength in report.strengths[:MAX_STRENGTHS]:
            doc.bullet(
                _bounded(f"{strength.label} — {strength.level_name}{colon} {strength.descriptor}")
            )
        if len(report.strengths) > MAX_STRENGTHS:
            doc.para(_more_line(len(report.strengths) - MAX_STRENGTHS, report.locale), 9.5)
    else:
        doc.para(words["no_strength"])

    if report.value.themes:
        doc.heading(words["value"])
        for theme in report.value.themes:
            doc.bullet(f"{theme.title}{colon} {' '.join(theme.sentences)}")
        doc.para(report.value.note, 9, "", GREY)

    doc.heading(words["levels"])
    for category in report.categories:
        figure = f"{category.average_text} / 4" if category.answered else words["not_rated"]
        doc.bar(category.category, category.average, figure)

    if report.growth:
        doc.heading(words["growth"])
        for growth in report.growth[:MAX_GROWTH]:
            doc.bullet(
                _bounded(
                    f"{growth.label} ({growth.has_name} → {growth.needs_name}) — "
                    f"{words['needed_for']}{colon} {', '.join(growth.roles)}"
                )
            )
        if len(report.growth) > MAX_GROWTH:
            doc.para(_more_line(len(report.growth) - MAX_GROWTH, report.locale), 9.5)

    doc.heading(words["target"])
    plan = report.plan
    if plan is None:
        doc.para(words["no_target"])
    else:
        doc.para(plan.target_title, 12, "B")
        doc.para(f"{words['readiness']}{colon} {plan.score_text}")
        doc.heading(words["plan"], 12)
        if plan.route_sentence:
            doc.para(_bounded(plan.route_sentence), 10.5, "B", TEAL)
        if plan.blocked_sentence:
            doc.para(_bounded(plan.blocked_sentence), 10)
        if not plan.items:
            doc.para(words["no_item"])
        for item in plan.items[:MAX_ITEMS]:
            flags = [item.kind_label, item.modality, item.hours_text, item.cost_text]
            if item.cpf:
                flags.append(words["cpf"])
            doc.para(_bounded(item.title, 200), 10.5, "B")
            doc.para(" · ".join(flags), 9.5, "", GREY)
            doc.para(_bounded(item.why), 10)
            doc.para(f"{words['out_of_pocket']}{colon} {item.out_of_pocket_text}", 10, "B")
            if item.funding:
                routes = " · ".join(
                    f"{f.label}{colon} {f.amount_text}" if f.amount_text else f.label
                    for f in item.funding
                )
                doc.para(_bounded(f"{words['funding']}{colon} {routes}"), 9.5)
            if item.vae_text:
                doc.para(_bounded(item.vae_text), 9.5)
            if item.blocs_text:
                doc.para(_bounded(item.blocs_text), 9.5)
            doc.ln(1)
        if len(plan.items) > MAX_ITEMS:
            doc.para(_more_line(len(plan.items) - MAX_ITEMS, report.locale), 9.5)
        for vae in plan.vae[:MAX_VAE]:
            doc.para(_bounded(f"{words['vae']}{colon} {vae.sentence}"), 10, "B", TEAL)
        if plan.items:
            doc.para(
                words["total"].format(
                    hours=plan.hours_text,
                    cost=plan.cost_text,
                    weeks=plan.weeks_text,
                    pace=labels.decimal(plan.constraints.hours_per_week, report.locale),
                ),
                10.5,
                "B",
            )
        if plan.items:
            doc.para(
                _bounded(
                    f"{words['out_of_pocket']}{colon} {plan.out_of_pocket_text}. "
                    f"{plan.estimate_note}"
                ),
                10,
            )
        if plan.in_progress_sentence:
            doc.para(_bounded(plan.in_progress_sentence), 10)
        if plan.uncovered_sentence:
            doc.para(_bounded(plan.uncovered_sentence), 10)

    doc.ln(4)
    doc.para(words["note"], 9.5, "", GREY)
    if report.source:
        doc.para(report.source, 8.5, "", GREY)
