"""One sentence per recommended item, in French (default) or English.

Sentences are built from counts and competency labels only, so they are deterministic and
never claim more than the data says (ratings are self-declared).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

# `Locale` is defined once, in careerpath.i18n; re-exported here for older imports.
from careerpath.i18n import (
    N_,
    N_plural,
    by_locale,
    by_locale_table,
    format_euros,
    format_integer,
    format_list,
    gettext,
    ngettext,
)
from careerpath.i18n import Locale as Locale

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
    if rest:
        return ngettext(
            "{listed} et {n} autre", "{listed} et {n} autres", rest, locale, listed=", ".join(shown)
        )
    if len(shown) <= 1:
        return "".join(shown)
    return format_list(shown, locale)


def hours_text(hours: float, locale: Locale = "fr") -> str:
    """'1 200 h' (fr, narrow no-break space) or '1,200 h'."""
    return f"{format_integer(hours, locale)}\u00a0h"


def euros_text(amount: float, locale: Locale = "fr") -> str:
    """'1 200 €' (fr) or '€1,200'."""
    return format_euros(amount, locale)


Voice = Literal["person", "diploma"]
"""Whom a role's reason speaks of: the person assessed, or a diploma (the schools' map)."""


def _role_sentence(key: str, voice: Voice, locale: Locale, count: int, **params: object) -> str:
    """One of why_role's sentences, in the voice asked (each voice is its own msgid)."""
    person = voice == "person"
    if key == "all":
        if person:
            return ngettext(
                "Vous maîtrisez déjà la compétence demandée.",
                "Vous maîtrisez déjà toutes les compétences demandées ({n} sur {n}).",
                count,
                locale,
                **params,
            )
        return ngettext(
            "Le diplôme couvre déjà la compétence demandée.",
            "Le diplôme couvre déjà toutes les compétences demandées ({n} sur {n}).",
            count,
            locale,
            **params,
        )
    table = {
        # every key competency met, others to strengthen
        ("met_all", True): N_plural(
            "Vous maîtrisez déjà {the_one} ; il vous reste à renforcer : {listed}.",
            "Vous maîtrisez déjà les {n} {nouns} ; il vous reste à renforcer : {listed}.",
        ),
        ("met_all", False): N_plural(
            "Le diplôme couvre déjà {the_one} ; il reste à renforcer : {listed}.",
            "Le diplôme couvre déjà les {n} {nouns} ; il reste à renforcer : {listed}.",
        ),
        ("met_none_missing", True): N_plural(
            "Vous ne maîtrisez pas encore {the_one} ; il vous manque : {listed}.",
            "Vous ne maîtrisez encore aucune des {n} {nouns} ; il vous manque : {listed}.",
        ),
        ("met_none_missing", False): N_plural(
            "Le diplôme ne couvre pas encore {the_one} ; il manque : {listed}.",
            "Le diplôme ne couvre encore aucune des {n} {nouns} ; il manque : {listed}.",
        ),
        ("met_none_strengthen", True): N_plural(
            "Vous ne maîtrisez pas encore {the_one} ; il vous reste à renforcer : {listed}.",
            "Vous ne maîtrisez encore aucune des {n} {nouns} ; il vous reste à renforcer : "
            "{listed}.",
        ),
        ("met_none_strengthen", False): N_plural(
            "Le diplôme ne couvre pas encore {the_one} ; il reste à renforcer : {listed}.",
            "Le diplôme ne couvre encore aucune des {n} {nouns} ; il reste à renforcer : {listed}.",
        ),
        ("met_some_missing", True): N_plural(
            "Vous maîtrisez déjà {met} sur {n} {nouns} ; il vous manque : {listed}.",
            "Vous maîtrisez déjà {met} des {n} {nouns} ; il vous manque : {listed}.",
        ),
        ("met_some_missing", False): N_plural(
            "Le diplôme couvre déjà {met} sur {n} {nouns} ; il manque : {listed}.",
            "Le diplôme couvre déjà {met} des {n} {nouns} ; il manque : {listed}.",
        ),
        ("met_some_strengthen", True): N_plural(
            "Vous maîtrisez déjà {met} sur {n} {nouns} ; il vous reste à renforcer : {listed}.",
            "Vous maîtrisez déjà {met} des {n} {nouns} ; il vous reste à renforcer : {listed}.",
        ),
        ("met_some_strengthen", False): N_plural(
            "Le diplôme couvre déjà {met} sur {n} {nouns} ; il reste à renforcer : {listed}.",
            "Le diplôme couvre déjà {met} des {n} {nouns} ; il reste à renforcer : {listed}.",
        ),
    }
    singular, plural = table[key, person]
    return ngettext(singular, plural, count, locale, **params)


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
        return gettext("Ce métier ne décrit encore aucune compétence requise.", locale)
    if missing_total == 0:
        return _role_sentence("all", voice, locale, requirements_total)
    listed = enumerate_labels(missing, missing_total, locale)
    if essentials_total > 0:
        met, total = essentials_met, essentials_total
        nouns, the_one = N_("compétences clés"), N_("la compétence clé")
    else:
        met, total = requirements_met, requirements_total
        nouns, the_one = N_("compétences demandées"), N_("la compétence demandée")
    params = {
        "listed": listed,
        "nouns": gettext(nouns, locale),
        "the_one": gettext(the_one, locale),
        "met": met,
    }
    if met == total:
        key = "met_all"
    else:
        how = "missing" if missing_are_essential else "strengthen"
        key = f"met_none_{how}" if met == 0 else f"met_some_{how}"
    return _role_sentence(key, voice, locale, total, **params)


def why_path(titles: Sequence[str], effort_hours: float, locale: Locale = "fr") -> str:
    """A path in words: its steps and its effort."""
    return gettext(
        "{chain} : environ {hours} d'apprentissage.",
        locale,
        chain=" → ".join(titles),
        hours=hours_text(effort_hours, locale),
    )


def why_vae(met: int, total: int, title: str, locale: Locale = "fr") -> str:
    """Why a VAE is suggested: experience already covers most of the certification."""
    return gettext(
        "Vos compétences couvrent déjà {met} des {total} acquis de « {title} » : "
        "la VAE peut faire reconnaître votre expérience.",
        locale,
        met=met,
        total=total,
        title=title,
    )


def _quoted(titles: Sequence[str], locale: Locale) -> str:
    quoted = [gettext("« {title} »", locale, title=t) for t in titles]
    return enumerate_labels(quoted, len(titles), locale)


def why_partial_vae(title: str, blocs: Sequence[str], total: int, locale: Locale = "fr") -> str:
    """A partial VAE: some blocs of the certification are already mastered in full."""
    return ngettext(
        "VAE partielle de « {title} » : vous maîtrisez déjà {n} de ses {total} blocs "
        "professionnels ({listed}). Une VAE peut le faire valider ; la certification "
        "s'obtient quand tous ses blocs sont validés, par la VAE ou par la formation.",
        "VAE partielle de « {title} » : vous maîtrisez déjà {n} de ses {total} blocs "
        "professionnels ({listed}). Une VAE peut les faire valider ; la certification "
        "s'obtient quand tous ses blocs sont validés, par la VAE ou par la formation.",
        len(blocs),
        locale,
        title=title,
        total=total,
        listed=_quoted(blocs, locale),
    )


def blocs_met_sentence(blocs: Sequence[str], locale: Locale = "fr") -> str:
    """For a long training: the blocs already mastered, which a partial VAE can validate."""
    if not blocs:
        return ""
    return ngettext(
        "Vous maîtrisez déjà le bloc {listed} : une VAE partielle peut le faire valider, et la "
        "formation ne porte alors que sur les autres blocs.",
        "Vous maîtrisez déjà les blocs {listed} : une VAE partielle peut les faire valider, et "
        "la formation ne porte alors que sur les autres blocs.",
        len(blocs),
        locale,
        listed=_quoted(blocs, locale),
    )


def uncovered_sentence(labels: Sequence[str], locale: Locale = "fr") -> str:
    """Gaps that no chosen training closes, stated rather than hidden."""
    if not labels:
        return ""
    listed = enumerate_labels(labels, len(labels), locale)
    return gettext("Aucune formation retenue ne couvre : {listed}.", locale, listed=listed)


def in_progress_sentence(diploma: str, labels: Sequence[str], locale: Locale = "fr") -> str:
    """What the diploma the person is preparing will bring toward the target."""
    if not diploma or not labels:
        return ""
    listed = enumerate_labels(labels, len(labels), locale)
    return gettext(
        "Le diplôme que vous préparez (« {diploma} ») vous apportera : {listed}. Le plan "
        "ne vous le propose donc pas une seconde fois.",
        locale,
        diploma=diploma,
        listed=listed,
    )


# -- the route, its funding and its blocking constraints ------------------------------------

ROUTE_LABELS: dict[Locale, dict[str, str]] = by_locale_table(
    {
        "apprenticeship": N_("Contrat d'apprentissage"),
        "contrat_pro": N_("Contrat de professionnalisation"),
        "pro_a": N_("Reconversion ou promotion par alternance (Pro-A)"),
        "cpf": N_("Compte personnel de formation (CPF)"),
        "employer_plan": N_("Plan de développement des compétences de l'employeur"),
        "transitions_pro": N_("Projet de transition professionnelle (Transitions Pro)"),
        "aif": N_("Aide individuelle à la formation (AIF, France Travail)"),
    }
)

CONSTRAINT_LABELS: dict[Locale, dict[str, str]] = by_locale_table(
    {
        "max_cost_eur": N_("votre budget"),
        "hours_per_week": N_("vos heures par semaine"),
        "horizon_months": N_("votre horizon"),
        "max_hours": N_("votre nombre d'heures maximum"),
        "modalities": N_("les modalités choisies"),
    }
)

ESTIMATE_NOTE: dict[Locale, str] = by_locale(
    "Reste à charge estimé, à confirmer avec votre conseiller·ère ou votre OPCO."
)


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
    params = {
        "listed": enumerate_labels(covers, len(covers), locale),
        "price": gettext(
            "{hours} ; reste à charge estimé : {cost}",
            locale,
            hours=hours_text(hours, locale),
            cost=euros_text(out_of_pocket, locale),
        ),
        "met": met,
        "total": total,
    }
    if step == "vae":
        if covers:
            return gettext(
                "Cette VAE fait reconnaître votre expérience ({met} des {total} compétences de "
                "la certification) et couvre : {listed} ({price}).",
                locale,
                **params,
            )
        return gettext(
            "Cette VAE fait reconnaître votre expérience ({met} des {total} compétences de "
            "la certification) ({price}).",
            locale,
            **params,
        )
    if step == "action":
        return gettext("Cette action au travail développe : {listed} ({price}).", locale, **params)
    if step == "long":
        return gettext("Cette formation certifiante couvre : {listed} ({price}).", locale, **params)
    return gettext("Cette formation couvre : {listed} ({price}).", locale, **params)


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
    params = {
        "title": title,
        "name": title.removeprefix("VAE ").strip(),
        "met": met,
        "total": total,
        "closes": closes,
        "gaps": gaps,
        "target": target_title,
    }
    if kind == "vae":
        if alternative_title:
            return gettext(
                "La VAE du {name} plutôt que la formation : vous en couvrez déjà {met} des "
                "{total} compétences.",
                locale,
                **params,
            )
        return gettext(
            "La VAE du {name} : vous en couvrez déjà {met} des {total} compétences.",
            locale,
            **params,
        )
    if kind == "training":
        if total:
            return gettext(
                "Le {title} vers {target} : il couvre {closes} de vos {gaps} écarts, plus que "
                "des formations courtes ; sa VAE n'est pas encore à votre portée (vous couvrez "
                "{met} des {total} compétences).",
                locale,
                **params,
            )
        return gettext(
            "Le {title} vers {target} : il couvre {closes} de vos {gaps} écarts, plus que "
            "des formations courtes.",
            locale,
            **params,
        )
    if kind == "short":
        return gettext(
            "Des formations courtes et des actions au travail suffisent pour {closes} de vos "
            "{gaps} écarts : aucune formation longue n'est nécessaire.",
            locale,
            **params,
        )
    if gaps == 0:
        return gettext("Vous avez déjà tout ce que demande ce métier.", locale)
    return gettext(
        "Aucune formation du catalogue ne tient dans vos contraintes pour l'instant.", locale
    )


def vae_steps(accompaniment_hours: float, to_show: Sequence[str], locale: Locale = "fr") -> str:
    """What a VAE involves, and what remains to show."""
    text = gettext(
        "Une VAE se prépare sur France VAE (vae.gouv.fr) : un·e architecte "
        "accompagnateur·rice vérifie avec vous la recevabilité, puis vous décrivez votre "
        "expérience avec environ {hours} d'accompagnement, et un jury décide. Il faut une "
        "expérience en lien direct avec la certification, sans durée minimale depuis la loi du "
        "21 décembre 2022 ; la VAE peut viser toute la certification ou certains blocs de "
        "compétences.",
        locale,
        hours=hours_text(accompaniment_hours, locale),
    )
    if not to_show:
        return text
    rest = enumerate_labels(to_show, len(to_show), locale)
    return text + " " + gettext("Reste à montrer : {rest}.", locale, rest=rest)


def blocked_sentence(blocked_by: Sequence[str], relaxed_items: int, locale: Locale = "fr") -> str:
    """Which constraints empty the plan, and what relaxing them gives."""
    if not blocked_by:
        return ""
    names = [CONSTRAINT_LABELS[locale][b] for b in blocked_by]
    listed = enumerate_labels(names, len(names), locale)
    first = ngettext(
        "Aucune formation ne tient dans vos contraintes : c'est {listed} qui bloque.",
        "Aucune formation ne tient dans vos contraintes : ce sont {listed} qui bloquent.",
        len(names),
        locale,
        listed=listed,
    )
    second = ngettext(
        "Sans cette limite, le plan compte {n} étape.",
        "Sans cette limite, le plan compte {n} étapes.",
        relaxed_items,
        locale,
    )
    return f"{first} {second}"
