"""The self-assessment's questions: which competencies are asked, in which order, per screen.

A curated referential is asked whole, a large one (ESCO) only what matters for the person;
each screen is one category, the current role's competencies first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from careerpath.domain.referential import MAX_RATING, Competency, Referential
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context
from careerpath.services.labels import Locale

LARGE_REFERENTIAL = 150
"""Above this many competencies (ESCO), only those relevant to the person are asked."""
MAX_ASKED = 60


@dataclass(frozen=True)
class CategoryStep:
    """One screen of the self-assessment: a category and the competencies it asks about."""

    category: str
    competencies: tuple[str, ...]


def asked_competencies(referential: Referential, current_role: str | None) -> list[str]:
    """The competencies a person rates, the current role's first.

    A curated referential is asked whole; a large one (ESCO) only what matters for the
    person: the role's requirements, those of the roles it leads to, then the most
    required competencies overall, up to `MAX_ASKED`.
    """
    role_codes = [
        q.competency for q in referential.requirements_by_role.get(current_role or "", ())
    ]
    if len(referential.competencies) <= LARGE_REFERENTIAL:
        return [c.code for c in referential.competencies]
    wanted = dict.fromkeys(role_codes)
    successors = [t.to_role for t in referential.transitions if t.from_role == current_role]
    for role in successors:
        for req in referential.requirements_by_role.get(role, ()):
            if len(wanted) >= MAX_ASKED:
                break
            wanted.setdefault(req.competency)
    if len(wanted) < MAX_ASKED:
        demand: dict[str, int] = {}
        for req in referential.requirements:
            demand[req.competency] = demand.get(req.competency, 0) + 1
        for code, _ in sorted(demand.items(), key=lambda kv: (-kv[1], kv[0])):
            if len(wanted) >= MAX_ASKED:
                break
            wanted.setdefault(code)
    return [c for c in wanted if c in referential.competency_by_code]


def assessment_steps(referential: Referential, current_role: str | None) -> list[CategoryStep]:
    """One step per category; the categories and competencies of the current role first."""
    asked = asked_competencies(referential, current_role)
    role_codes = {
        q.competency for q in referential.requirements_by_role.get(current_role or "", ())
    }
    by_code = referential.competency_by_code
    order = {c.code: i for i, c in enumerate(referential.competencies)}
    grouped: dict[str, list[str]] = {}
    for category in referential.categories:
        grouped[category] = []
    for code in asked:
        grouped.setdefault(by_code[code].category, []).append(code)
    steps = []
    for category, codes in grouped.items():
        if not codes:
            continue
        codes.sort(key=lambda c: (c not in role_codes, order[c]))
        steps.append(CategoryStep(category, tuple(codes)))
    first_category = {c: i for i, c in enumerate(grouped)}
    steps.sort(
        key=lambda s: (not any(c in role_codes for c in s.competencies), first_category[s.category])
    )
    return steps


@dataclass(frozen=True)
class LevelOption:
    level: int
    name: str
    descriptor: str


@dataclass(frozen=True)
class CompetencyQuestion:
    """A competency to rate, each level described in plain words; `rating` -1 = unanswered."""

    code: str
    label: str
    description: str
    rating: int
    for_current_role: bool
    options: tuple[LevelOption, ...]


@dataclass(frozen=True)
class StepView:
    number: int  # 1-based
    total: int
    category: str
    questions: tuple[CompetencyQuestion, ...]
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.number / self.total) if self.total else 100


def question(
    competency: Competency,
    rating: int | None,
    locale: Locale = "fr",
    for_current_role: bool = False,
) -> CompetencyQuestion:
    names = labels.LEVEL_NAMES[locale]
    generic = labels.GENERIC_DESCRIPTORS[locale]
    options = [LevelOption(0, names[0], generic[0])]
    for level, descriptor in enumerate(competency.levels, start=1):
        options.append(LevelOption(level, names[level], descriptor.strip() or generic[level]))
    return CompetencyQuestion(
        code=competency.code,
        label=competency.label,
        description=competency.description,
        rating=-1 if rating is None else rating,
        for_current_role=for_current_role,
        options=tuple(options),
    )


def step_view(ctx: Context, stored: StoredAssessment, number: int) -> StepView | None:
    """Screen `number` (1-based) of the self-assessment; None when out of range."""
    ref = ctx.referential
    steps = assessment_steps(ref, stored.current_role)
    if not 1 <= number <= len(steps):
        return None
    step = steps[number - 1]
    role_codes = {q.competency for q in ref.requirements_by_role.get(stored.current_role or "", ())}
    questions = tuple(
        question(ref.competency_by_code[c], stored.ratings.get(c), ctx.locale, c in role_codes)
        for c in step.competencies
    )
    answered = sum(1 for q in questions if q.rating >= 0)
    return StepView(number, len(steps), labels.capitalise(step.category), questions, answered)


def step_count(referential: Referential, stored: StoredAssessment) -> int:
    return len(assessment_steps(referential, stored.current_role))


def resume_step(referential: Referential, stored: StoredAssessment) -> int:
    """Where to resume: the first step with an unanswered question, else the last seen."""
    steps = assessment_steps(referential, stored.current_role)
    for i, step in enumerate(steps, start=1):
        if any(c not in stored.ratings for c in step.competencies) and i > stored.step:
            return i
    return max(1, min(stored.step or 1, len(steps)))


def answers_from_device(
    referential: Referential, stored: StoredAssessment, kept: object
) -> dict[str, int]:
    """The answers a device kept that the server lacks or holds differently.

    `kept` comes from the browser (untrusted): only known competencies rated from 0 to
    MAX_RATING are taken.
    The device wins: its copy is written the moment the person answers, online or not.
    """
    if not isinstance(kept, Mapping):
        return {}
    known = referential.competency_by_code
    return {
        code: level
        for code, level in kept.items()
        if isinstance(code, str)
        and code in known
        and isinstance(level, int)
        and not isinstance(level, bool)
        and 0 <= level <= MAX_RATING
        and stored.ratings.get(code) != level
    }


def answered_count(referential: Referential, stored: StoredAssessment) -> tuple[int, int]:
    """(answered, asked) over the whole self-assessment."""
    asked = asked_competencies(referential, stored.current_role)
    return sum(1 for c in asked if c in stored.ratings), len(asked)
