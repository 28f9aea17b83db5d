"""Words the journey shows for codes: rating levels, situations, training kinds, modalities.

French msgids marked with N_, their English from the catalog (careerpath/i18n.py); numbers
through Babel (2,5 — 72 % in French, 2.5 — 72% in English).
"""

from __future__ import annotations

# `Locale` is defined once, in careerpath.i18n; re-exported here for older imports.
from careerpath.i18n import LOCALES, N_, format_decimal, format_percent, gettext, ngettext
from careerpath.i18n import Locale as Locale

_LEVELS = (N_("Pas encore"), N_("Notions"), N_("Application"), N_("Maîtrise"), N_("Expertise"))
_DESCRIPTORS = (
    N_("Je ne l'ai pas encore pratiqué."),
    N_("Je connais les bases, avec de l'aide."),
    N_("Je le fais régulièrement, seul·e."),
    N_("Je le fais avec aisance, même dans les cas difficiles."),
    N_("Je suis la personne de référence : j'organise, j'améliore, je transmets."),
)


def _five(messages: tuple[str, ...]) -> dict[str, tuple[str, str, str, str, str]]:
    out: dict[str, tuple[str, str, str, str, str]] = {}
    for locale in LOCALES:
        a, b, c, d, e = (gettext(m, locale) for m in messages)
        out[locale] = (a, b, c, d, e)
    return out


def _by_locale(table: dict[str, str]) -> dict[str, dict[str, str]]:
    """{code: French} → {locale: {code: words}}, the English from the catalog."""
    return {locale: {k: gettext(v, locale) for k, v in table.items()} for locale in LOCALES}


LEVEL_NAMES = _five(_LEVELS)
GENERIC_DESCRIPTORS = _five(_DESCRIPTORS)
SITUATIONS = _by_locale(
    {
        "en_poste": N_("En poste"),
        "en_recherche": N_("En recherche d'emploi"),
        "en_formation": N_("En formation (étudiant·e, reconversion)"),
    }
)
TRAINING_KINDS = _by_locale(
    {
        "diplome": N_("Diplôme"),
        "titre_pro": N_("Titre professionnel"),
        "certification": N_("Certification"),
        "formation_courte": N_("Formation courte"),
        "vae": N_("VAE (validation des acquis de l'expérience)"),
        "action": N_("Action en situation de travail"),
    }
)
MODALITIES = _by_locale(
    {
        "presentiel": N_("En présentiel"),
        "distance": N_("À distance"),
        "hybride": N_("Hybride"),
        "alternance": N_("En alternance"),
    }
)
GROUPS = _by_locale(
    {
        "ready": N_("Prêt·e maintenant"),
        "one_training": N_("À une formation près"),
        "long_term": N_("Projet à plus long terme"),
    }
)
GROUP_HINTS = _by_locale(
    {
        "ready": N_("Vos compétences couvrent déjà l'essentiel de ces métiers."),
        "one_training": N_("Une formation (ou une VAE) suffit à combler l'écart."),
        "long_term": N_("Plusieurs étapes vous en séparent : c'est un projet à construire."),
    }
)


def level_name(level: int, locale: Locale = "fr") -> str:
    return LEVEL_NAMES[locale][max(0, min(level, 4))]


def qualification_level(level: int | None, locale: Locale = "fr", *, short: bool = False) -> str:
    """'Niveau de qualification 5' ('Niveau 5' when short); '' for an unknown level."""
    if not level:
        return ""
    if short:
        return gettext("Niveau {level}", locale, level=level)
    return gettext("Niveau de qualification {level}", locale, level=level)


_STUDY_LEVELS: dict[int, str] = {
    3: N_("niveau CAP ou BEP"),
    4: N_("niveau bac"),
    5: N_("niveau bac + 2 (BTS, BUT en cours…)"),
    6: N_("niveau bac + 3 (licence, BUT)"),
    7: N_("niveau bac + 5 (master)"),
    8: N_("niveau doctorat"),
}
STUDY_LEVELS: dict[str, dict[int, str]] = {
    locale: {k: gettext(v, locale) for k, v in _STUDY_LEVELS.items()} for locale in LOCALES
}


def study_level(level: int | None, locale: Locale = "fr") -> str:
    """A qualification level in plain words: 5 → 'niveau bac + 2 (BTS, BUT en cours…)'."""
    if not level:
        return ""
    return STUDY_LEVELS[locale].get(level, qualification_level(level, locale))


def label(table: dict[str, dict[str, str]], code: str, locale: Locale = "fr") -> str:
    """The word for a code, or the code itself when the table does not know it."""
    return table[locale].get(code, code)


def capitalise(text: str) -> str:
    """'communication écrite' → 'Communication écrite'."""
    return text[:1].upper() + text[1:]


def decimal(value: float, locale: Locale = "fr", digits: int = 1) -> str:
    """2.5 → '2,5' in French, '2.5' in English; trailing ',0' dropped."""
    return format_decimal(value, locale, digits, grouping=False)


def percent(value: float, locale: Locale = "fr") -> str:
    """72.4 → '72 %' (narrow no-break space in French), whole and at most 100."""
    return format_percent(value, locale)


def weeks_text(weeks: int, locale: Locale = "fr") -> str:
    return ngettext("{n} semaine", "{n} semaines", weeks, locale)
