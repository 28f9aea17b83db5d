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


# -- the route, its funding and its blocking constraints ------------------------------------

ROUTE_LABELS: dict[Locale, dict[str, str]] = {
    "fr": {
        "apprenticeship": "Contrat d'apprentissage",
        "contrat_pro": "Contrat de professionnalisation",
        "pro_a": "Reconversion ou promotion par alternance (Pro-A)",
        "cpf": "Compte personnel de formation (CPF)",
        "employer_plan": "Plan de développement des compétences de l'employeur",
        "transitions_pro": "Projet de transition professionnelle (Transitions Pro)",
        "aif": "Aide individuelle à la formation (AIF, France Travail)",
    },
    "en": {
        "apprenticeship": "Apprenticeship contract",
        "contrat_pro": "Professionalisation contract",
        "pro_a": "Retraining or promotion through work-study (Pro-A)",
        "cpf": "Personal training account (CPF)",
        "employer_plan": "Employer's skills development plan",
        "transitions_pro": "Career transition project (Transitions Pro)",
        "aif": "Individual training grant (AIF, France Travail)",
    },
}

CONSTRAINT_LABELS: dict[Locale, dict[str, str]] = {
    "fr": {
        "max_cost_eur": "votre budget",
        "hours_per_week": "vos heures par semaine",
        "horizon_months": "votre horizon",
        "max_hours": "votre nombre d'heures maximum",
        "modalities": "les modalités choisies",
    },
    "en": {
        "max_cost_eur": "your budget",
        "hours_per_week": "your hours per week",
        "horizon_months": "your time horizon",
        "max_hours": "your maximum number of hours",
        "modalities": "the ways of training you chose",
    },
}

ESTIMATE_NOTE: dict[Locale, str] = {
    "fr": "Reste à charge estimé, à confirmer avec votre conseiller·ère ou votre OPCO.",
    "en": "Estimated out-of-pocket cost, to confirm with your adviser or your OPCO.",
}


def why_item(
    step: str,
    covers: Sequence[str],
    hours: float,
    out_of_pocket: float,
    locale: Locale = "fr",
    *,
    met: int = 0,
    total: int = 0,
) -> str:
    """One sentence per plan item: which gaps it closes, its hours and what is left to pay."""
    listed = enumerate_labels(covers, len(covers), locale)
    if locale == "fr":
        price = (
            f"{hours_text(hours, locale)} ; reste à charge estimé : "
            f"{euros_text(out_of_pocket, locale)}"
        )
        if step == "vae":
            head = f"Cette VAE fait reconnaître votre expérience ({met} des {total} compétences de la certification)"
            return f"{head} et couvre : {listed} ({price})." if covers else f"{head} ({price})."
        lead = {
            "action": "Cette action au travail développe",
            "long": "Cette formation certifiante couvre",
        }.get(step, "Cette formation couvre")
        return f"{lead} : {listed} ({price})."
    price = (
        f"{hours_text(hours, locale)}; estimated out-of-pocket: {euros_text(out_of_pocket, locale)}"
    )
    if step == "vae":
        head = f"This VAE recognises your experience ({met} of the certification's {total} competencies)"
        return f"{head} and covers: {listed} ({price})." if covers else f"{head} ({price})."
    lead = {
        "action": "This on-the-job action develops",
        "long": "This certifying training covers",
    }.get(step, "This training covers")
    return f"{lead}: {listed} ({price})."


def why_route(
    kind: str,
    title: str,
    met: int,
    total: int,
    alternative_title: str,
    closes: int,
    gaps: int,
    target_title: str,
    locale: Locale = "fr",
) -> str:
    """Why this route and not the alternatives, in one sentence."""
    fr = locale == "fr"
    if kind == "vae":
        name = title.removeprefix("VAE ").strip()
        if fr:
            rather = " plutôt que la formation" if alternative_title else ""
            return f"La VAE du {name}{rather} : vous en couvrez déjà {met} des {total} compétences."
        rather = " rather than the training" if alternative_title else ""
        return (
            f"The VAE of the {name}{rather}: you already cover {met} of its {total} competencies."
        )
    if kind == "training":
        if fr:
            tail = (
                f" ; sa VAE n'est pas encore à votre portée (vous couvrez {met} des {total} compétences)"
                if total
                else ""
            )
            return (
                f"Le {title} vers {target_title} : il couvre {closes} de vos {gaps} écarts, "
                f"plus que des formations courtes{tail}."
            )
        tail = (
            f"; its VAE is not within reach yet (you cover {met} of its {total} competencies)"
            if total
            else ""
        )
        return (
            f"The {title} toward {target_title}: it covers {closes} of your {gaps} gaps, "
            f"more than short courses{tail}."
        )
    if kind == "short":
        if fr:
            return (
                f"Des formations courtes et des actions au travail suffisent pour {closes} de vos "
                f"{gaps} écarts : aucune formation longue n'est nécessaire."
            )
        return (
            f"Short courses and on-the-job actions are enough for {closes} of your {gaps} gaps: "
            "no long training is needed."
        )
    if gaps == 0:
        return (
            "Vous avez déjà tout ce que demande ce métier."
            if fr
            else "You already have everything this role asks for."
        )
    return (
        "Aucune formation du catalogue ne tient dans vos contraintes pour l'instant."
        if fr
        else "No training of the catalogue fits your constraints for now."
    )


def vae_steps(accompaniment_hours: float, to_show: Sequence[str], locale: Locale = "fr") -> str:
    """What a VAE involves, and what remains to show."""
    rest = enumerate_labels(to_show, len(to_show), locale)
    if locale == "fr":
        text = (
            "Une VAE se prépare sur France VAE (vae.gouv.fr) : un·e architecte accompagnateur·rice "
            "vérifie avec vous la recevabilité, puis vous décrivez votre expérience avec environ "
            f"{hours_text(accompaniment_hours, locale)} d'accompagnement, et un jury décide. Il faut "
            "une expérience en lien direct avec la certification, sans durée minimale depuis la "
            "loi du 21 décembre 2022 ; la VAE peut viser toute la certification ou certains blocs "
            "de compétences."
        )
        return text + (f" Reste à montrer : {rest}." if to_show else "")
    text = (
        "A VAE is prepared on France VAE (vae.gouv.fr): an adviser checks admissibility with you, "
        "then you describe your experience with about "
        f"{hours_text(accompaniment_hours, locale)} of support, and a jury decides. It needs "
        "experience directly related to the certification, with no minimum duration since the "
        "law of 21 December 2022; a VAE may aim at the whole certification or some of its "
        "skill blocks."
    )
    return text + (f" Still to show: {rest}." if to_show else "")


def blocked_sentence(blocked_by: Sequence[str], relaxed_items: int, locale: Locale = "fr") -> str:
    """Which constraints empty the plan, and what relaxing them gives."""
    if not blocked_by:
        return ""
    names = [CONSTRAINT_LABELS[locale][b] for b in blocked_by]
    listed = enumerate_labels(names, len(names), locale)
    if locale == "fr":
        verb = "bloque" if len(names) == 1 else "bloquent"
        lead = "c'est" if len(names) == 1 else "ce sont"
        return (
            f"Aucune formation ne tient dans vos contraintes : {lead} {listed} qui {verb}. "
            f"Sans cette limite, le plan compte {relaxed_items} étape"
            + ("s." if relaxed_items > 1 else ".")
        )
    return (
        f"No training fits your constraints: {listed} blocks it. Without that limit, the plan "
        f"has {relaxed_items} step" + ("s." if relaxed_items > 1 else ".")
    )
