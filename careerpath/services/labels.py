"""Words the journey shows for codes: rating levels, situations, training kinds, modalities.

French first, English as the alternative; numbers are formatted the French way (2,5 — 72 %).
"""

from __future__ import annotations

from typing import Literal

Locale = Literal["fr", "en"]

LEVEL_NAMES: dict[str, tuple[str, str, str, str, str]] = {
    "fr": ("Pas encore", "Notions", "Application", "Maîtrise", "Expertise"),
    "en": ("Not yet", "Basics", "Practice", "Proficient", "Expert"),
}
GENERIC_DESCRIPTORS: dict[str, tuple[str, str, str, str, str]] = {
    "fr": (
        "Je ne l'ai pas encore pratiqué.",
        "Je connais les bases, avec de l'aide.",
        "Je le fais régulièrement, seul·e.",
        "Je le fais avec aisance, même dans les cas difficiles.",
        "Je suis la personne de référence : j'organise, j'améliore, je transmets.",
    ),
    "en": (
        "I have not practised it yet.",
        "I know the basics, with some help.",
        "I do it regularly, on my own.",
        "I do it with ease, even in difficult cases.",
        "I am the go-to person: I organise, improve and teach it.",
    ),
}
SITUATIONS: dict[str, dict[str, str]] = {
    "fr": {
        "en_poste": "En poste",
        "en_recherche": "En recherche d'emploi",
        "en_formation": "En formation (étudiant·e, reconversion)",
    },
    "en": {
        "en_poste": "In a job",
        "en_recherche": "Looking for a job",
        "en_formation": "In training (student, career change)",
    },
}
TRAINING_KINDS: dict[str, dict[str, str]] = {
    "fr": {
        "diplome": "Diplôme",
        "titre_pro": "Titre professionnel",
        "certification": "Certification",
        "formation_courte": "Formation courte",
        "vae": "VAE (validation des acquis de l'expérience)",
        "action": "Action en situation de travail",
    },
    "en": {
        "diplome": "Diploma",
        "titre_pro": "Professional title",
        "certification": "Certification",
        "formation_courte": "Short course",
        "vae": "VAE (accreditation of prior experience)",
        "action": "On-the-job action",
    },
}
MODALITIES: dict[str, dict[str, str]] = {
    "fr": {
        "presentiel": "En présentiel",
        "distance": "À distance",
        "hybride": "Hybride",
        "alternance": "En alternance",
    },
    "en": {
        "presentiel": "On site",
        "distance": "Remote",
        "hybride": "Blended",
        "alternance": "Work-study",
    },
}
GROUPS: dict[str, dict[str, str]] = {
    "fr": {
        "ready": "Prêt·e maintenant",
        "one_training": "À une formation près",
        "long_term": "Projet à plus long terme",
    },
    "en": {
        "ready": "Ready now",
        "one_training": "One training away",
        "long_term": "Longer-term project",
    },
}
GROUP_HINTS: dict[str, dict[str, str]] = {
    "fr": {
        "ready": "Vos compétences couvrent déjà l'essentiel de ces métiers.",
        "one_training": "Une formation (ou une VAE) suffit à combler l'écart.",
        "long_term": "Plusieurs étapes vous en séparent : c'est un projet à construire.",
    },
    "en": {
        "ready": "Your competencies already cover most of these roles.",
        "one_training": "One training (or a VAE) closes the gap.",
        "long_term": "Several steps away: a project to build.",
    },
}


def level_name(level: int, locale: Locale = "fr") -> str:
    return LEVEL_NAMES[locale][max(0, min(level, 4))]


def qualification_level(level: int | None, locale: Locale = "fr", *, short: bool = False) -> str:
    """'Niveau de qualification 5' ('Niveau 5' when short); '' for an unknown level."""
    if not level:
        return ""
    if locale == "fr":
        return f"Niveau {level}" if short else f"Niveau de qualification {level}"
    return f"Level {level}" if short else f"Qualification level {level}"


STUDY_LEVELS: dict[str, dict[int, str]] = {
    "fr": {
        3: "niveau CAP ou BEP",
        4: "niveau bac",
        5: "niveau bac + 2 (BTS, BUT en cours…)",
        6: "niveau bac + 3 (licence, BUT)",
        7: "niveau bac + 5 (master)",
        8: "niveau doctorat",
    },
    "en": {
        3: "vocational certificate level (CAP, BEP)",
        4: "baccalauréat level",
        5: "two years after the bac (BTS…)",
        6: "bachelor's level",
        7: "master's level",
        8: "doctorate level",
    },
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
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale == "fr" else text


def percent(value: float, locale: Locale = "fr") -> str:
    """72.4 → '72 %' (narrow no-break space in French)."""
    number = int(value) if value < 100 else 100
    return f"{number}\u202f%" if locale == "fr" else f"{number}%"


def weeks_text(weeks: int, locale: Locale = "fr") -> str:
    if locale == "fr":
        return f"{weeks} semaine" + ("s" if weeks > 1 else "")
    return f"{weeks} week" + ("s" if weeks != 1 else "")
