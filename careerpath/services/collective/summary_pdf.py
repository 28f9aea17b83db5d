"""The group's one-page summary for a meeting (PDF, fpdf2): the figures in force as bars
(today's level and tomorrow's need per category), strengths, rising needs, the onboarding
checklist and the shared plan. Only what the anonymity rule lets the group see is drawn."""

from __future__ import annotations

from datetime import date

from fpdf.enums import XPos, YPos

from careerpath.i18n import N_, Locale, babel_locale, by_locale_table, format_date, gettext
from careerpath.services.bilan_pdf import GREY, TEAL, Document, find_font_dir
from careerpath.services.collective.groups import GroupView
from careerpath.services.workspace.plans import ActionPlan

AMBER = (196, 120, 20)
MAX_LINES = 6
"""At most this many lines per list, so the summary stays on one page."""
MAX_WORDS = 3
"""At most this many of the members' texts, each cut to `WORDS_CHARS` (the rest: in the CSV)."""
WORDS_CHARS = 160


def _short(text: str) -> str:
    return text if len(text) <= WORDS_CHARS else text[: WORDS_CHARS - 1].rstrip() + "…"


TEXT = by_locale_table(
    {
        "title": N_("Diagnostic collectif"),
        "made_on": N_("Établi le {date} avec careerpath."),
        "counts": N_(
            "Assistant·es : {assistants} · Personnes pour qui elles et ils travaillent : {managers}"
        ),
        "levels": N_("Niveau aujourd'hui et niveau attendu demain, par catégorie (sur 4)"),
        "today": N_("aujourd'hui"),
        "tomorrow": N_("demain"),
        "hidden": N_("masqué"),
        "rising": N_("Besoins en hausse"),
        "onboarding": N_(
            "Parcours d'accueil : ce qu'une nouvelle ou un nouveau doit atteindre d'abord"
        ),
        "plan": N_("Plan d'action du groupe"),
        "words": N_("Ce que des membres ont accepté de partager"),
        "none": N_("Rien pour l'instant."),
    }
)


class _Summary(Document):
    def legend(self, entries: tuple[tuple[str, tuple[int, int, int]], ...]) -> None:
        self.set_font(self.family_name, "", 9)
        self.set_text_color(0, 0, 0)
        y = self.get_y()
        for label, colour in entries:
            self.set_fill_color(*colour)
            self.rect(self.get_x(), y + 1.2, 6, 3, style="F")
            self.set_x(self.get_x() + 8)
            self.cell(self.get_string_width(self.clean(label)) + 6, 5.6, self.clean(label))
        self.ln(6)

    def pair(self, label: str, today: float | None, tomorrow: float | None, hidden: str) -> None:
        """One category: its label, then two bars (today teal, tomorrow amber) out of 4."""
        self.set_font(self.family_name, "", 9.5)
        self.set_text_color(0, 0, 0)
        width = self.epw
        label_w, bar_w = width * 0.38, width * 0.44
        for value, colour, first in ((today, TEAL, True), (tomorrow, AMBER, False)):
            y = self.get_y()
            self.cell(label_w, 4.6, self.clean(label) if first else "")
            x = self.get_x()
            self.set_draw_color(*GREY)
            self.rect(x, y + 0.8, bar_w, 3.0)
            if value is not None and value > 0:
                self.set_fill_color(*colour)
                self.rect(x, y + 0.8, bar_w * min(value, 4) / 4, 3.0, style="F")
            self.set_x(x + bar_w + 2)
            shown = hidden if value is None else f"{value:.1f}".replace(".", ",")
            self.cell(0, 4.6, self.clean(shown), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)


def render_summary(
    name: str, view: GroupView, plan: ActionPlan, locale: Locale, today: date
) -> bytes:
    words = TEXT[locale]
    doc = _Summary(find_font_dir())
    doc.set_auto_page_break(False)
    doc.set_title(f"{words['title']} — {name}")
    doc.set_creator("careerpath")
    doc.set_lang(babel_locale(locale).replace("_", "-"))
    doc.add_page()
    doc.para(f"{words['title']} — {name}", 17, "B", TEAL)
    doc.para(words["made_on"].format(date=format_date(today, locale)), 9, "", GREY)
    if view.published:
        doc.para(view.published, 9, "", GREY)
    doc.para(
        words["counts"].format(
            assistants="–" if view.assistants is None else view.assistants,
            managers="–" if view.managers is None else view.managers,
        ),
        10,
    )
    if view.note:
        doc.para(view.note, 9, "", GREY)
    doc.heading(words["levels"], 12)
    doc.legend(((words["today"], TEAL), (words["tomorrow"], AMBER)))
    for c in view.categories[:12]:
        doc.pair(
            c.category,
            c.today.mean if c.today else None,
            c.tomorrow.mean if c.tomorrow else None,
            words["hidden"],
        )
    sections: list[tuple[str, list[str]]] = [
        (view.strengths_title, [f"{s.label} ({s.words})" for s in view.strengths]),
        (words["rising"], [f"{n.label} : {n.words}" for n in view.rising]),
        (words["onboarding"], [f"{n.label} ({n.words})" for n in view.onboarding]),
        (
            words["plan"],
            [a.title + (f" — {format_date(a.due, locale)}" if a.due else "") for a in plan.actions],
        ),
    ]
    if view.texts:  # the words the group sees now (never a withdrawn one), a few lines each
        sections.append(
            (words["words"], [f"« {_short(text)} »" for text in view.texts[:MAX_WORDS]])
        )
    for title, lines in sections:
        doc.heading(title, 11)
        for line in lines[:MAX_LINES] or [words["none"]]:
            doc.bullet(line)
        if len(lines) > MAX_LINES:
            doc.para(gettext("… et {n} autres", locale, n=len(lines) - MAX_LINES), 9, "", GREY)
    if len(view.texts) > MAX_WORDS:
        rest = len(view.texts) - MAX_WORDS
        doc.para(gettext("… et {n} autres", locale, n=rest), 9, "", GREY)
    return bytes(doc.output())
