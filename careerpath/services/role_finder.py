"""What a person types to find a role, read for what they mean.

Role titles go to the fuzzy role search (`services.search`); a diploma being prepared
(« BTS SAM ») is answered with the roles it leads to; a word that describes a situation
rather than a role (« étudiante », « alternante », « demandeuse d'emploi ») gets a hint
toward the right situation instead of « aucun métier ».
"""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.i18n import N_, as_locale, by_locale_table, gettext
from careerpath.services import schools
from careerpath.services.context import Context
from careerpath.services.search import fold, query_words, search_roles

MAX_DIPLOMAS = 3
ROLES_PER_DIPLOMA = 3

SITUATION_WORDS: dict[str, tuple[str, ...]] = {
    "en_formation": (
        "etudiant",
        "etudiante",
        "alternant",
        "alternante",
        "alternance",
        "apprenti",
        "apprentie",
        "apprentissage",
        "stagiaire",
        "stage",
        "eleve",
        "lyceen",
        "lyceenne",
        "reconversion",
        "formation",
        "student",
        "apprentice",
        "intern",
    ),
    "en_recherche": (
        "chomage",
        "chomeur",
        "chomeuse",
        "demandeur",
        "demandeuse",
        "recherche",
        "sans",
        "jobseeker",
        "unemployed",
    ),
}
SITUATION_NAMES = by_locale_table(
    {"en_formation": N_("En formation"), "en_recherche": N_("En recherche d'emploi")}
)


DIPLOMA_WORDS = frozenset(
    {"bts", "tp", "titre", "bac", "licence", "but", "dut", "cap", "bp", "master", "dcg", "dscg"}
    | {"diplome", "bachelor", "mention", "deust", "dn", "dnmade"}
)
"""Words that name a diploma (folded): typed with a diploma's title, the diploma is the one
being prepared."""


@dataclass(frozen=True)
class FoundRole:
    code: str
    title: str
    also: str  # « Aussi appelé : … », or what led to it (« Avec le BTS SAM »)
    diploma: str = ""  # the diploma typed that led to this role (its training code), if any


@dataclass(frozen=True)
class FinderResult:
    roles: tuple[FoundRole, ...]
    message: str  # "" when the roles speak for themselves
    situation: str  # a situation the words point to, "" when none


def _diploma_matches(ctx: Context, text: str) -> list[schools.Diploma]:
    words = [w for w in query_words(text) if w]
    if not words:
        return []
    found = []
    for diploma in schools.diplomas(ctx.referential, ctx.locale):
        haystack = query_words(f"{diploma.title} {diploma.code.replace('-', ' ')}")
        if all(any(h.startswith(w) for h in haystack) for w in words):
            found.append(diploma)
    return found[:MAX_DIPLOMAS]


def find_roles(ctx: Context, text: str) -> FinderResult:
    """Roles for what was typed, with a hint when the words name a situation or a diploma."""
    text = text.strip()
    if not text:
        return FinderResult((), "", "")
    roles: dict[str, FoundRole] = {}
    diplomas = _diploma_matches(ctx, text)
    # The diploma is recorded as the one being prepared only when the words name a diploma
    # (« BTS SAM », not « secrétaire », which also matches the TP Secrétaire assistant's
    # title) and name one only.
    named = (
        diplomas[0].code
        if len(diplomas) == 1 and {fold(w) for w in query_words(text)} & DIPLOMA_WORDS
        else ""
    )
    for diploma in diplomas:
        short = diploma.title
        try:
            progression = schools.progression(
                ctx.referential, diploma.code, first=ROLES_PER_DIPLOMA, locale=ctx.locale
            )
        except schools.UnknownDiploma:
            continue
        for step in progression.first_roles:
            roles.setdefault(
                step.role,
                FoundRole(
                    step.role,
                    step.title,
                    gettext("Un métier auquel mène le {diploma}", ctx.locale, diploma=short),
                    named,
                ),
            )
    for match in search_roles(ctx.referential, text):
        roles.setdefault(
            match.code,
            FoundRole(
                match.code, match.title, match.matched_title if match.via_alternative else ""
            ),
        )
    words = {fold(w) for w in query_words(text)}
    situation = next((code for code, hints in SITUATION_WORDS.items() if words & set(hints)), "")
    message = ""
    if situation == "en_formation":
        message = gettext(
            "Vous êtes en formation ? Choisissez « En formation » ci-dessus, puis tapez le "
            "métier visé ou votre diplôme, par exemple « BTS SAM » ou « assistante RH ».",
            ctx.locale,
        )
    elif situation == "en_recherche":
        message = gettext(
            "Vous cherchez un emploi ? Choisissez « En recherche d'emploi » ci-dessus, puis "
            "tapez votre dernier métier, ou choisissez « Je ne sais pas / aucun ».",
            ctx.locale,
        )
    if not roles and not message:
        message = gettext(
            "Aucun métier ne correspond à « {text} ». Essayez un autre mot, par exemple "
            "« secrétaire », « assistante », « office manager » ou un diplôme (« BTS SAM »).",
            ctx.locale,
            text=text,
        )
    return FinderResult(tuple(roles.values())[:8], message, situation)


def situation_name(code: str, locale: str) -> str:
    return SITUATION_NAMES[as_locale(locale)].get(code, "")
