"""One sentence per recommended item, in French (default) or English.

Sentences are built from counts and competency labels only, so they are deterministic and
never claim more than the data says (ratings are self-declared).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

Locale = Literal["fr", "en"]
LISTED_AT_MOST = 3


@lru_cache(maxsize=65536)
def lower_first(label: str) -> str:
    """'Gestion de la paie' → 'gestion de la paie'; acronyms such as 'RGPD' stay as they are."""
    label = label.strip()
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def enumerate_labels(labels: Sequence[str], total: int, locale: Locale = "fr") -> str:
    """'a, b et c' — or 'a, b, c et 3 autres' when `total` exceeds the labels shown."""
    shown = [lower_first(x) for x in labels[:LISTED_AT_MOST]]
    rest = max(total - len(shown), 0)
    conj = " et " if locale == "fr" else " and "
    if rest:
        other = (
            ("autre" if rest == 1 else "autres")
            if locale == "fr"
            else ("other" if rest == 1 else "others")
        )
        return ", ".join(shown) + f"{conj}{rest} {other}"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + conj + shown[-1]


def hours_text(hours: float, locale: Locale = "fr") -> str:
    value = int(round(hours))
    if locale == "fr":
        return f"{value:,} h".replace(",", "\u202f")
    return f"{value:,} h"


def euros_text(amount: float, locale: Locale = "fr") -> str:
    value = int(round(amount))
    if locale == "fr":
        return f"{value:,} €".replace(",", "\u202f")
    return f"€{value:,}"


Voice = Literal["person", "diploma"]
"""Whom a role's reason speaks of: the person assessed, or a diploma (the schools' map)."""

_ROLE_PHRASES: dict[tuple[Locale, Voice], dict[str, str]] = {
    ("fr", "person"): {
        "has": "Vous maîtrisez déjà",
        "has_none": "Vous ne maîtrisez encore aucune des",
        "has_not": "Vous ne maîtrisez pas encore",
        "missing": "il vous manque",
        "to_strengthen": "il vous reste à renforcer",
    },
    ("fr", "diploma"): {
        "has": "Le diplôme couvre déjà",
        "has_none": "Le diplôme ne couvre encore aucune des",
        "has_not": "Le diplôme ne couvre pas encore",
        "missing": "il manque",
        "to_strengthen": "il reste à renforcer",
    },
    ("en", "person"): {
        "has": "You already master",
        "has_none": "You do not master any of the",
        "missing": "missing",
        "to_strengthen": "still to strengthen",
    },
    ("en", "diploma"): {
        "has": "The diploma already covers",
        "has_none": "The diploma does not cover any of the",
        "missing": "missing",
        "to_strengthen": "still to strengthen",
    },
}


def why_role(
    *,
    essentials_met: int,
    essentials_total: int,
    requirements_met: int,
    requirements_total: int,
    missing: Sequence[str],
    missing_total: int,
    missing_are_essential: bool,
    locale: Locale = "fr",
    voice: Voice = "person",
) -> str:
    """Why a role is where it is: what already matches and what is still missing."""
    if requirements_total == 0:
        return (
            "Ce métier ne décrit encore aucune compétence requise."
            if locale == "fr"
            else "This role does not list any required competency yet."
        )
    say = _ROLE_PHRASES[locale, voice]
    if missing_total == 0:
        if locale == "fr":
            return (
                f"{say['has']} toutes les compétences demandées "
                f"({requirements_total} sur {requirements_total})."
            )
        return f"{say['has']} all {requirements_total} required competencies."
    listed = enumerate_labels(missing, missing_total, locale)
    if essentials_total > 0:
        met, total = essentials_met, essentials_total
        noun_fr, noun_en = "compétences clés", "key competencies"
        single_fr = "la compétence clé"
    else:
        met, total = requirements_met, requirements_total
        noun_fr, noun_en = "compétences demandées", "required competencies"
        single_fr = "la compétence demandée"
    verb = say["missing"] if missing_are_essential else say["to_strengthen"]
    if locale == "fr":
        if met == total:
            head = (
                f"{say['has']} les {total} {noun_fr}" if total > 1 else f"{say['has']} {single_fr}"
            )
            return f"{head} ; {say['to_strengthen']} : {listed}."
        if met == 0:
            if total > 1:
                return f"{say['has_none']} {total} {noun_fr} ; {verb} : {listed}."
            return f"{say['has_not']} {single_fr} ; {verb} : {listed}."
        share = f"{met} des {total}" if total > 1 else f"{met} sur {total}"
        return f"{say['has']} {share} {noun_fr} ; {verb} : {listed}."
    if met == total:
        return f"{say['has']} all {total} {noun_en}; {say['to_strengthen']}: {listed}."
    if met == 0:
        return f"{say['has_none']} {total} {noun_en} yet; {verb}: {listed}."
    return f"{say['has']} {met} of the {total} {noun_en}; {verb}: {listed}."


def why_training(
    covers: Sequence[str], hours: float, cost_eur: float, is_vae: bool, locale: Locale = "fr"
) -> str:
    """What a plan item brings, and at what price."""
    listed = enumerate_labels(covers, len(covers), locale)
    price = f"{hours_text(hours, locale)}, {euros_text(cost_eur, locale)}"
    if locale == "fr":
        lead = "Cette VAE fait reconnaître" if is_vae else "Cette formation couvre"
        return f"{lead} : {listed} ({price})."
    lead = "This VAE recognises" if is_vae else "This training covers"
    return f"{lead}: {listed} ({price})."


def why_path(titles: Sequence[str], effort_hours: float, locale: Locale = "fr") -> str:
    """A path in words: its steps and its effort."""
    chain = " → ".join(titles)
    if locale == "fr":
        return f"{chain} : environ {hours_text(effort_hours, locale)} d'apprentissage."
    return f"{chain}: about {hours_text(effort_hours, locale)} of learning."


def why_vae(met: int, total: int, title: str, locale: Locale = "fr") -> str:
    """Why a VAE is suggested: experience already covers most of the certification."""
    if locale == "fr":
        return (
            f"Vos compétences couvrent déjà {met} des {total} acquis de « {title} » : "
            "la VAE peut faire reconnaître votre expérience."
        )
    return (
        f"Your competencies already cover {met} of the {total} outcomes of '{title}': "
        "a VAE can recognise your experience."
    )


def uncovered_sentence(labels: Sequence[str], locale: Locale = "fr") -> str:
    """Gaps that no chosen training closes, stated rather than hidden."""
    if not labels:
        return ""
    listed = enumerate_labels(labels, len(labels), locale)
    if locale == "fr":
        return f"Aucune formation retenue ne couvre : {listed}."
    return f"No chosen training covers: {listed}."
