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
) -> str:
    """Why a role is where it is: what already matches and what is still missing."""
    if requirements_total == 0:
        return (
            "Ce métier ne décrit encore aucune compétence requise."
            if locale == "fr"
            else "This role does not list any required competency yet."
        )
    if missing_total == 0:
        if locale == "fr":
            return (
                "Vous maîtrisez déjà toutes les compétences demandées "
                f"({requirements_total} sur {requirements_total})."
            )
        return f"You already master all {requirements_total} required competencies."
    listed = enumerate_labels(missing, missing_total, locale)
    if essentials_total > 0:
        met, total = essentials_met, essentials_total
        noun_fr, noun_en = "compétences clés", "key competencies"
        single_fr = "la compétence clé"
    else:
        met, total = requirements_met, requirements_total
        noun_fr, noun_en = "compétences demandées", "required competencies"
        single_fr = "la compétence demandée"
    if locale == "fr":
        if met == total:
            head = (
                f"Vous maîtrisez déjà les {total} {noun_fr}"
                if total > 1
                else ("Vous maîtrisez déjà la compétence clé")
            )
            return f"{head} ; il vous reste à renforcer : {listed}."
        verb = "il vous manque" if missing_are_essential else "il vous reste à renforcer"
        if met == 0:
            if total > 1:
                return f"Vous ne maîtrisez encore aucune des {total} {noun_fr} ; {verb} : {listed}."
            return f"Vous ne maîtrisez pas encore {single_fr} ; {verb} : {listed}."
        share = f"{met} des {total}" if total > 1 else f"{met} sur {total}"
        return f"Vous maîtrisez déjà {share} {noun_fr} ; {verb} : {listed}."
    if met == total:
        return f"You already master all {total} {noun_en}; still to strengthen: {listed}."
    verb = "missing" if missing_are_essential else "still to strengthen"
    if met == 0:
        return f"You do not master any of the {total} {noun_en} yet; {verb}: {listed}."
    return f"You already master {met} of the {total} {noun_en}; {verb}: {listed}."


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
