"""Progression maps for schools: from a diploma to the roles it opens, then the step after.

A diploma is read as a profile: the levels its outcomes reach. The engine then ranks the
roles that profile is closest to (first jobs), and, for each, the moves that follow — so a
class sees "BTS SAM → assistant·e de direction → office manager" with what each step requires.
No account, nothing stored.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import NextRole, engine_for
from careerpath.domain.explain import Locale
from careerpath.domain.referential import Referential, TrainingKind
from careerpath.services.referential import load_referential

DIPLOMA_KINDS = (TrainingKind.DIPLOME, TrainingKind.TITRE_PRO)
KIND_LABELS = {
    "fr": {TrainingKind.DIPLOME: "Diplôme", TrainingKind.TITRE_PRO: "Titre professionnel"},
    "en": {TrainingKind.DIPLOME: "Diploma", TrainingKind.TITRE_PRO: "Professional title"},
}


class UnknownDiploma(LookupError):
    """The code names no diploma or titre professionnel of the referential."""


@dataclass(frozen=True)
class Diploma:
    code: str
    title: str
    kind_label: str
    qualification_level: int | None
    hours: float


@dataclass(frozen=True)
class Step:
    """One role on the map, with its readiness from the previous stage and why."""

    role: str
    title: str
    score: float
    why: str


@dataclass(frozen=True)
class Progression:
    diploma: Diploma
    first_roles: tuple[Step, ...]
    next_steps: Mapping[str, tuple[Step, ...]]


MAPS_KEPT = 64
"""Progression maps kept per process: one per (referential version, diploma, sizes, language)."""
_maps: OrderedDict[tuple[str, str, int, int, str], Progression] = OrderedDict()
_maps_lock = threading.Lock()


def diplomas(referential: Referential | None = None, locale: Locale = "fr") -> list[Diploma]:
    """Diplomas and titres professionnels, by qualification level then title."""
    referential = referential if referential is not None else load_referential()
    found = [
        Diploma(t.code, t.title, KIND_LABELS[locale][t.kind], t.qualification_level, t.hours)
        for t in referential.trainings
        if t.kind in DIPLOMA_KINDS and referential.outcomes_by_training.get(t.code)
    ]
    return sorted(found, key=lambda d: (d.qualification_level or 0, d.title.casefold(), d.code))


def _level(referential: Referential, role: str) -> int:
    return referential.role_by_code[role].qualification_level or 0


def _step(role: NextRole) -> Step:
    return Step(role.role, role.title, role.score, role.why)


def progression(
    referential: Referential | None,
    code: str,
    *,
    first: int = 4,
    then: int = 3,
    locale: Locale = "fr",
) -> Progression:
    """The roles a diploma leads to first, and for each the `then` best next moves that
    keep or raise the qualification level (a map of progression, not of step-downs).

    `referential` None: the one the app serves. A map depends only on the referential's
    content hash (`version`) and the arguments, so each is computed once per process (it ranks every role
    once per first job) and kept in a small LRU.
    """
    referential = referential if referential is not None else load_referential()
    key = (referential.version, code, first, then, locale)
    with _maps_lock:
        kept = _maps.get(key)
        if kept is not None:
            _maps.move_to_end(key)
            return kept
    found = _progression(referential, code, first, then, locale)
    with _maps_lock:
        _maps[key] = found
        while len(_maps) > MAPS_KEPT:
            _maps.popitem(last=False)
    return found


def _progression(
    referential: Referential, code: str, first: int, then: int, locale: Locale
) -> Progression:
    training = referential.training_by_code.get(code)
    if training is None or training.kind not in DIPLOMA_KINDS:
        raise UnknownDiploma(code)
    diploma = next(d for d in diplomas(referential, locale) if d.code == code)
    outcomes = {o.competency: o.level for o in referential.outcomes_by_training[code]}
    engine = engine_for(referential)
    first_roles = engine.next_roles(
        Assessment(ratings=outcomes), locale, limit=first, voice="diploma"
    )
    shown = {r.role for r in first_roles}
    next_steps: dict[str, tuple[Step, ...]] = {}
    for role in first_roles:
        # After some time in the role, the person holds its requirements and the diploma's.
        profile = dict(outcomes)
        for req in referential.requirements_by_role[role.role]:
            profile[req.competency] = max(profile.get(req.competency, 0), req.level)
        moves = engine.next_roles(Assessment(ratings=profile, current_role=role.role), locale)
        level = _level(referential, role.role)
        onwards = (m for m in moves if m.role not in shown and _level(referential, m.role) >= level)
        next_steps[role.role] = tuple(_step(m) for m, _ in zip(onwards, range(then), strict=False))
    first_steps = tuple(_step(r) for r in first_roles)
    return Progression(diploma, first_steps, MappingProxyType(next_steps))
