"""« Ma valeur en mots »: a short text a person can reuse, built from their own ratings.

Sentences are the person's own level descriptors (« Je gère plusieurs agendas chargés… »),
grouped by the invisible work the assistant professions do: coordination, anticipation,
prioritisation, influence without authority, and running the tools others use. Every
sentence is self-declared, and the text says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.i18n import N_, gettext
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context

MIN_LEVEL = 2
"""« Application » and above: what the person does on their own."""
PER_THEME = 2
MAX_THEMES = 5

THEMES: tuple[tuple[str, tuple[str, str], tuple[str, ...]], ...] = (
    (
        "coordination",
        (N_("Coordination"), "Coordination"),
        (
            "coord-suivre-actions",
            "org-planifier-agenda",
            "org-organiser-reunions",
            "coord-prestataires",
            "proj-planning",
            "org-organiser-evenements",
            "org-organiser-deplacements",
            "proj-gerer-projet",
            "org-suivi-dossiers",
        ),
    ),
    (
        "anticipation",
        (N_("Anticipation"), "Anticipation"),
        (
            "org-anticiper",
            "jur-procedures-delais",
            "org-procedures",
            "proj-veille",
            "rh-sante-securite",
        ),
    ),
    (
        "prioritisation",
        (N_("Priorisation"), "Prioritisation"),
        (
            "org-prioriser",
            "coord-arbitrer-demandes",
            "org-gerer-interruptions",
            "rel-filtrer-representer",
            "org-gerer-courrier",
        ),
    ),
    (
        "influence",
        (N_("Influence sans autorité"), "Influence without authority"),
        (
            "coord-sans-autorite",
            "rel-convaincre",
            "rel-negocier",
            "rel-gerer-conflits",
            "proj-accompagner-changement",
            "rel-cooperer",
            "com-animer-reunion",
            "rel-reseau",
        ),
    ),
    (
        "tools",
        (N_("Les outils dont les autres dépendent"), "Running the tools others rely on"),
        (
            "num-administrer-outils",
            "num-outils-collaboratifs",
            "num-logiciel-gestion",
            "num-tableur-avance",
            "num-site-web",
            "num-securite-numerique",
            "org-logistique-bureaux",
        ),
    ),
)


@dataclass(frozen=True)
class ValueTheme:
    theme: str
    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class ValueText:
    themes: tuple[ValueTheme, ...]
    text: str  # the whole text, ready to paste
    note: str  # « auto-déclaré »

    @property
    def empty(self) -> bool:
        return not self.themes


def _sentence(descriptor: str) -> str:
    text = descriptor.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def value_text(ctx: Context, stored: StoredAssessment) -> ValueText:
    """The person's value in a few sentences, by kind of invisible work.

    A referential without these competencies (ROME, ESCO) is grouped by its categories.
    """
    ref, locale = ctx.referential, ctx.locale
    ratings = stored.ratings
    by_code = ref.competency_by_code

    def picked(codes: tuple[str, ...] | list[str]) -> list[str]:
        rated = [c for c in codes if c in by_code and ratings.get(c, 0) >= MIN_LEVEL]
        rated.sort(key=lambda c: -ratings[c])  # stable: the theme's own order breaks ties
        sentences = []
        for code in rated[:PER_THEME]:
            level = ratings[code]
            competency = by_code[code]
            descriptor = (
                competency.levels[level - 1]
                if level - 1 < len(competency.levels) and competency.levels[level - 1].strip()
                else f"{competency.label} ({labels.level_name(level, locale).lower()})"
            )
            sentences.append(_sentence(descriptor))
        return sentences

    themes = []
    if any(code in by_code for _, _, codes in THEMES for code in codes):
        for theme, titles, codes in THEMES:
            sentences = picked(codes)
            if sentences:
                themes.append(ValueTheme(theme, gettext(titles[0], locale), tuple(sentences)))
    else:
        grouped: dict[str, list[str]] = {}
        for competency in ref.competencies:
            grouped.setdefault(competency.category, []).append(competency.code)
        scored = sorted(
            grouped.items(),
            key=lambda kv: -max((ratings.get(c, 0) for c in kv[1]), default=0),
        )
        for category, members in scored[:MAX_THEMES]:
            sentences = picked(members)
            if sentences:
                themes.append(ValueTheme(category, labels.capitalise(category), tuple(sentences)))
    note = gettext(
        "Auto-déclaré : ces phrases reprennent vos propres réponses au bilan careerpath.", locale
    )
    text = "\n".join(
        gettext("{title} : {sentences}", locale, title=t.title, sentences=" ".join(t.sentences))
        for t in themes
    )
    if text:
        text = f"{text}\n({note})"
    return ValueText(tuple(themes), text, note)
