"""Progression maps for schools: from a diploma to the roles it opens, then the step after.

A diploma is read as a profile: the levels its outcomes (what its référentiel certifies)
reach. The engine then ranks the roles that profile is closest to (first jobs), and, for
each, the moves that follow — so a class sees "BTS SAM → assistant·e de direction → office
manager" with what each step requires. The map is also read the other way: from a role back
to the diplomas and titres that lead to it (`ways_into`). No account, nothing stored.

The one figure shown per role is its « proximité »: the engine's readiness score of the role
for the diploma's profile (the diploma, then the diploma and the first job), explained by
`PROXIMITY_SENTENCE`. Lists are sorted by that figure, best first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import NextRole, engine_for
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import LONG_KINDS, Referential, TrainingKind
from careerpath.i18n import N_, Locale, by_locale, gettext, referential_gettext
from careerpath.services.referential import load_referential

DIPLOMA_KINDS = LONG_KINDS  # diplomas and titres professionnels
KIND_LABELS = {
    TrainingKind.DIPLOME: N_("Diplôme"),
    TrainingKind.TITRE_PRO: N_("Titre professionnel"),
}


PROXIMITY_SENTENCE = by_locale(
    "Proximité : ce que le diplôme apporte déjà de ce que demande le métier, sur 100 ; "
    "les compétences clés comptent double et chacune qui manque entièrement retire un peu "
    "plus."
)
NEXT_PROXIMITY_SENTENCE = by_locale(
    "Pour les évolutions, la proximité compte ce qu'apportent le diplôme et le premier "
    "métier exercé."
)


class UnknownDiploma(LookupError):
    """The code names no diploma or titre professionnel of the referential."""


class UnknownRole(LookupError):
    """The code names no role of the referential."""


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


def map_roles(found: Progression) -> frozenset[str]:
    """Every role a map shows (first jobs and the moves after them)."""
    roles = {s.role for s in found.first_roles}
    for steps in found.next_steps.values():
        roles.update(s.role for s in steps)
    return frozenset(roles)


def role_titles(found: Progression) -> dict[str, str]:
    titles = {s.role: s.title for s in found.first_roles}
    for steps in found.next_steps.values():
        titles.update({s.role: s.title for s in steps})
    return titles


def by_proximity(steps: list[Step]) -> tuple[Step, ...]:
    """What a list shows, best first: proximity, then title, then code (stable for ties)."""
    return tuple(sorted(steps, key=lambda s: (-s.score, s.title.casefold(), s.role)))


FIRST_JOBS = 4
MOVES_AFTER = 3
MAPS_KEPT = 64
"""Progression maps kept per process: one per (referential version, diploma, sizes, language)."""
_maps: OrderedDict[tuple[str, str, int, int, str], Progression] = OrderedDict()
_maps_lock = threading.Lock()


def diplomas(referential: Referential | None = None, locale: Locale = "fr") -> list[Diploma]:
    """Diplomas and titres professionnels, by qualification level then title."""
    referential = referential if referential is not None else load_referential()
    found = [
        Diploma(
            t.code,
            referential_gettext(t.title, locale),
            gettext(KIND_LABELS[t.kind], locale),
            t.qualification_level,
            t.hours,
        )
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
    first: int = FIRST_JOBS,
    then: int = MOVES_AFTER,
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
    outcomes = diploma_profile(referential, code)
    engine = engine_for(referential)
    first_roles = _first_jobs(referential, code, first, locale)
    shown = {r.role for r in first_roles}
    next_steps: dict[str, tuple[Step, ...]] = {}
    for role in first_roles:
        # After some time in the role, the person holds its requirements and the diploma's.
        profile = dict(outcomes)
        for req in referential.requirements_by_role[role.role]:
            profile[req.competency] = max(profile.get(req.competency, 0), req.level)
        # The engine's move order (as `next_roles`), without its reasons: they speak to a
        # person, and here nobody is assessed (the profile is the diploma plus the first
        # job), so the map keeps only the figure — and skips writing a sentence per role.
        after = Assessment(ratings=profile, current_role=role.role)
        vector = engine.readiness_vector(after)
        tenths = vector.tenths.tolist()
        level = _level(referential, role.role)
        chosen: list[Step] = []
        for index in engine.next_role_order(after, vector).tolist():
            code_ = engine.matrix.role_codes[index]
            if code_ in shown or _level(referential, code_) < level:
                continue
            title = referential_gettext(referential.role_by_code[code_].title, locale)
            chosen.append(Step(code_, title, tenths[index] / 10.0, ""))
            if len(chosen) == then:
                break
        next_steps[role.role] = by_proximity(chosen)
    # The engine chooses which roles (its move fit); the list is shown by proximity.
    first_steps = by_proximity([_step(r) for r in first_roles])
    return Progression(diploma, first_steps, MappingProxyType(next_steps))


_firsts: OrderedDict[tuple[str, str, int, str], tuple[NextRole, ...]] = OrderedDict()


def _first_jobs(
    referential: Referential, code: str, first: int, locale: Locale
) -> tuple[NextRole, ...]:
    """A diploma's first jobs (the engine's best moves from its profile), kept like maps:
    reading the maps backwards straight to a first job needs only these, not whole maps."""
    key = (referential.version, code, first, locale)
    with _maps_lock:
        kept = _firsts.get(key)
        if kept is not None:
            _firsts.move_to_end(key)
            return kept
    found = tuple(
        engine_for(referential).next_roles(
            Assessment(ratings=diploma_profile(referential, code)),
            locale,
            limit=first,
            voice="diploma",
        )
    )
    with _maps_lock:
        _firsts[key] = found
        while len(_firsts) > MAPS_KEPT * 4:
            _firsts.popitem(last=False)
    return found


def diploma_profile(referential: Referential, code: str) -> dict[str, int]:
    """The levels a diploma certifies, competency by competency (its référentiel's outcomes).

    A competency listed more than once (by several blocs) counts at its highest level;
    outcomes naming a competency the referential does not hold are left out.
    """
    known = referential.competency_by_code
    profile: dict[str, int] = {}
    for outcome in referential.outcomes_by_training.get(code, ()):
        if outcome.competency in known:
            profile[outcome.competency] = max(profile.get(outcome.competency, 0), outcome.level)
    return profile


@dataclass(frozen=True)
class WayIn:
    """One way into a role: a diploma, straight away or after a first job (`via`)."""

    diploma: Diploma
    via: Step | None
    score: float


@dataclass(frozen=True)
class WaysIn:
    """« Pour devenir … » : the diplomas and titres that lead to a role, on their maps."""

    role: str
    title: str
    direct: tuple[WayIn, ...]
    after: tuple[WayIn, ...]


def ways_into(
    referential: Referential | None, role: str, locale: Locale = "fr", *, after: bool = True
) -> WaysIn:
    """The map read backwards: every diploma whose map shows `role`, as a first job, or else
    as a move after one of its first jobs (the best such first job per diploma). Both lists
    by proximity (what they show), then the diploma's level and title.

    `after` False: only the diplomas leading straight to it (a fraction of the work)."""
    referential = referential if referential is not None else load_referential()
    found_role = referential.role_by_code.get(role)
    if found_role is None:
        raise UnknownRole(role)
    direct: list[WayIn] = []
    moves: list[WayIn] = []
    for diploma in diplomas(referential, locale):
        firsts = _first_jobs(referential, diploma.code, FIRST_JOBS, locale)
        direct.extend(WayIn(diploma, None, f.score) for f in firsts if f.role == role)
        if not after:
            continue
        map_ = progression(referential, diploma.code, locale=locale)
        for first in map_.first_roles:
            for move in map_.next_steps[first.role]:
                if move.role == role:
                    moves.append(WayIn(diploma, first, move.score))

    def order(way: WayIn) -> tuple[float, int, str, str]:
        via = way.via.title.casefold() if way.via else ""
        return (-way.score, way.diploma.qualification_level or 0, way.diploma.title, via)

    # One way per diploma: its best first job towards the role (a diploma already leading
    # there directly is not repeated).
    best: dict[str, WayIn] = {}
    for way in sorted(moves, key=order):
        if way.diploma.code not in best and all(d.diploma.code != way.diploma.code for d in direct):
            best[way.diploma.code] = way
    return WaysIn(
        role,
        referential_gettext(found_role.title, locale),
        tuple(sorted(direct, key=order)),
        tuple(sorted(best.values(), key=order)),
    )


@dataclass(frozen=True)
class Requirement:
    label: str
    essential: bool


@dataclass(frozen=True)
class DiplomaRole:
    """A role seen from a diploma: what the diploma brings, what is left to learn."""

    diploma: Diploma
    role: str
    title: str
    description: str
    score: float
    why: str
    covered: tuple[Requirement, ...]
    to_learn: tuple[Requirement, ...]
    next_steps: tuple[Step, ...]
    ways_in: WaysIn


def diploma_role(
    referential: Referential | None, code: str, role: str, locale: Locale = "fr"
) -> DiplomaRole:
    """What `role` asks that the diploma `code` covers, and what it leaves to learn
    (UnknownDiploma, UnknownRole). Nobody is assessed: everything speaks of the diploma."""
    referential = referential if referential is not None else load_referential()
    map_ = progression(referential, code, locale=locale)
    found = referential.role_by_code.get(role)
    if found is None:
        raise UnknownRole(role)
    engine = engine_for(referential)
    assessment = Assessment(ratings=diploma_profile(referential, code))
    detail = engine.role_readiness(assessment, role)
    reason = next(
        (r for r in engine.next_roles(assessment, locale, voice="diploma") if r.role == role),
        None,
    )
    labels = referential.competency_by_code
    gaps = {g.competency for g in detail.gaps}
    requirements = referential.requirements_by_role[role]

    def requirement(code_: str, essential: bool) -> Requirement:
        return Requirement(referential_gettext(labels[code_].label, locale), essential)

    covered = [
        requirement(r.competency, r.weight == "essential")
        for r in requirements
        if r.competency not in gaps
    ]
    missing: list[Gap] = list(detail.gaps)  # essential first, then largest, then code
    return DiplomaRole(
        diploma=map_.diploma,
        role=role,
        title=referential_gettext(found.title, locale),
        description=referential_gettext(found.description, locale),
        score=detail.score,
        why=reason.why if reason else "",
        covered=tuple(sorted(covered, key=lambda r: (not r.essential, r.label.casefold()))),
        to_learn=tuple(requirement(g.competency, g.weight == "essential") for g in missing),
        next_steps=map_.next_steps.get(role, ()),
        ways_in=ways_into(referential, role, locale),
    )
