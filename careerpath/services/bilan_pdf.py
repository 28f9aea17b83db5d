"""The PDF "bilan": what a person carries to a manager, an interview or a counsellor.

One A4 document: the date, the situation, strengths first, levels by category (bars with
their figures), what can grow, the chosen target with its training plan, and the reminder
that every level is self-declared. French accents and the inclusive "·" need a Unicode
font: DejaVu Sans (Debian's fonts-dejavu-core) is embedded when found; otherwise the text is
reduced to Latin-1 and set in Helvetica, so a PDF is always produced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.labels import Locale
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

TEXT = {
    "fr": {
        "title": "Mon bilan de compétences",
        "made_on": "Établi le {date} avec careerpath.",
        "situation": "Situation",
        "current_role": "Métier actuel",
        "aimed_role": "Métier visé",
        "none": "Non précisé",
        "strengths": "Ce que vous maîtrisez",
        "no_strength": "Aucune compétence notée pour l'instant.",
        "value": "Ma valeur en mots (auto-déclaré)",
        "levels": "Niveaux par catégorie (sur 4)",
        "not_rated": "non évaluée",
        "growth": "Ce qui peut grandir",
        "needed_for": "utile pour",
        "target": "Objectif",
        "readiness": "Préparation actuelle",
        "plan": "Plan de formation",
        "no_item": "Aucune formation n'est nécessaire ou possible dans ces conditions.",
        "total": "Total : {hours}, {cost} — environ {weeks} à {pace} h par semaine.",
        "out_of_pocket": "Reste à charge estimé",
        "funding": "Financements possibles",
        "vae": "VAE possible",
        "cpf": "éligible CPF",
        "no_target": "Aucun objectif choisi pour l'instant.",
        "note": (
            "Les niveaux de ce bilan sont auto-déclarés : ils décrivent le ressenti de la "
            "personne, pas une certification."
        ),
        "source": "Référentiel : {source}",
    },
    "en": {
        "title": "My skills review",
        "made_on": "Made on {date} with careerpath.",
        "situation": "Situation",
        "current_role": "Current role",
        "aimed_role": "Role aimed for",
        "none": "Not given",
        "strengths": "What you master",
        "no_strength": "No competency rated yet.",
        "value": "My value in words (self-declared)",
        "levels": "Levels by category (out of 4)",
        "not_rated": "not rated",
        "growth": "What can grow",
        "needed_for": "useful for",
        "target": "Goal",
        "readiness": "Current readiness",
        "plan": "Training plan",
        "no_item": "No training is needed or possible under these conditions.",
        "total": "Total: {hours}, {cost} — about {weeks} at {pace} h a week.",
        "out_of_pocket": "Estimated out-of-pocket",
        "funding": "Possible funding",
        "vae": "VAE possible",
        "cpf": "CPF eligible",
        "no_target": "No goal chosen yet.",
        "note": (
            "The levels in this review are self-declared: they describe the person's own "
            "view, not a certification."
        ),
        "source": "Referential: {source}",
    },
}


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
    source = " ".join(p for p in (provenance.source, provenance.version, provenance.date) if p)
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


class _Document(FPDF):
    def __init__(self, unicode_font: Path | None) -> None:
        super().__init__(format="A4")
        self.unicode = unicode_font is not None
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
            return text
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


def render_bilan(report: BilanReport) -> bytes:
    """The PDF bytes of a bilan."""
    words = TEXT[report.locale]
    doc = _Document(find_font_dir())
    doc.set_title(words["title"])
    doc.set_creator("careerpath")
    doc.set_lang("fr-FR" if report.locale == "fr" else "en")
    doc.add_page()
    doc.para(words["title"], 20, "B", TEAL)
    doc.para(words["made_on"].format(date=_date_text(report.made_on, report.locale)), 10, "", GREY)
    doc.ln(2)
    colon = " :" if report.locale == "fr" else ":"
    doc.para(f"{words['situation']}{colon} {report.situation or words['none']}")
    role_word = words["aimed_role"] if report.role_is_aimed else words["current_role"]
    doc.para(f"{role_word}{colon} {report.current_role or words['none']}")

    doc.heading(report.strengths_title or words["strengths"])
    if report.strengths:
        for strength in report.strengths:
            doc.bullet(f"{strength.label} — {strength.level_name}{colon} {strength.descriptor}")
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
        for growth in report.growth:
            doc.bullet(
                f"{growth.label} ({growth.has_name} → {growth.needs_name}) — "
                f"{words['needed_for']}{colon} {', '.join(growth.roles)}"
            )

    doc.heading(words["target"])
    plan = report.plan
    if plan is None:
        doc.para(words["no_target"])
    else:
        doc.para(plan.target_title, 12, "B")
        doc.para(f"{words['readiness']}{colon} {plan.score_text}")
        doc.heading(words["plan"], 12)
        if plan.route_sentence:
            doc.para(plan.route_sentence, 10.5, "B", TEAL)
        if plan.blocked_sentence:
            doc.para(plan.blocked_sentence, 10)
        if not plan.items:
            doc.para(words["no_item"])
        for item in plan.items:
            flags = [item.kind_label, item.modality, item.hours_text, item.cost_text]
            if item.cpf:
                flags.append(words["cpf"])
            doc.para(item.title, 10.5, "B")
            doc.para(" · ".join(flags), 9.5, "", GREY)
            doc.para(item.why, 10)
            doc.para(f"{words['out_of_pocket']}{colon} {item.out_of_pocket_text}", 10, "B")
            if item.funding:
                routes = " · ".join(
                    f"{f.label}{colon} {f.amount_text}" if f.amount_text else f.label
                    for f in item.funding
                )
                doc.para(f"{words['funding']}{colon} {routes}", 9.5)
            if item.vae_text:
                doc.para(item.vae_text, 9.5)
            doc.ln(1)
        for vae in plan.vae:
            doc.para(f"{words['vae']}{colon} {vae.sentence}", 10, "B", TEAL)
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
                f"{words['out_of_pocket']}{colon} {plan.out_of_pocket_text}. {plan.estimate_note}",
                10,
            )
        if plan.uncovered_sentence:
            doc.para(plan.uncovered_sentence, 10)

    doc.ln(4)
    doc.para(words["note"], 9.5, "", GREY)
    if report.source:
        doc.para(words["source"].format(source=report.source), 8.5, "", GREY)
    return bytes(doc.output())


def _date_text(day: date, locale: Locale) -> str:
    if locale == "en":
        return day.isoformat()
    months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    return f"{day.day} {months[day.month - 1]} {day.year}"
