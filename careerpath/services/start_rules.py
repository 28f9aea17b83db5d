"""Starting an assessment: the rules of the /bilan form, whatever the screen shows.

A situation is required; a role is required unless the person is looking for a job or in
training (they may pick « Je ne sais pas / aucun »). For a person in training the role
typed is the one they aim for: it becomes the goal, not a « métier actuel »; when they found
it by typing their diploma (« BTS SAM »), that diploma is the one they are preparing: the plan
never proposes it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from careerpath.domain.referential import LONG_KINDS, Referential
from careerpath.i18n import Locale, gettext
from careerpath.services.assessments import SITUATIONS

NO_ROLE = "__aucun__"
SITUATIONS_WITHOUT_ROLE = ("en_recherche", "en_formation")
ROLE_IS_GOAL = ("en_formation",)


@dataclass(frozen=True)
class StartChoice:
    """What to store once the form is valid; `error` a sentence to show, else ""."""

    situation: str
    current_role: str | None
    target: str | None
    error: str = ""
    preparing: str | None = None


def allows_no_role(situation: str) -> bool:
    return situation in SITUATIONS_WITHOUT_ROLE


def preparing_of(referential: Referential, situation: str, diploma: str) -> str | None:
    """The diploma a person in training prepares, when it is one of the referential."""
    if situation not in ROLE_IS_GOAL or not diploma:
        return None
    training = referential.training_by_code.get(diploma)
    return diploma if training is not None and training.kind in LONG_KINDS else None


def start_choice(
    referential: Referential,
    situation: str,
    role_code: str,
    locale: Locale = "fr",
    diploma: str = "",
) -> StartChoice:
    if situation not in SITUATIONS:
        return StartChoice(
            "",
            None,
            None,
            gettext("Choisissez d'abord votre situation.", locale),
        )
    if not role_code or (role_code == NO_ROLE and not allows_no_role(situation)):
        return StartChoice(
            situation,
            None,
            None,
            gettext("Cherchez votre métier et choisissez-le dans la liste.", locale),
        )
    role = None if role_code == NO_ROLE else role_code
    if role is not None and role not in referential.role_by_code:
        return StartChoice(
            situation,
            None,
            None,
            gettext("Ce métier n'existe plus : cherchez-le à nouveau.", locale),
        )
    if situation in ROLE_IS_GOAL:
        return StartChoice(
            situation, None, role, preparing=preparing_of(referential, situation, diploma)
        )
    return StartChoice(situation, role, None)
