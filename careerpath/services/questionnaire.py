"""The self-assessment's questions: which competencies are asked, in which order, per screen.

A curated referential is asked whole, a large one (ESCO) only what matters for the person;
each screen is one category, the current role's competencies first.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from careerpath.domain.assessment import Assessment
from careerpath.domain.referential import MAX_RATING, Competency, Referential, Weight
from careerpath.i18n import Locale, gettext, ngettext
from careerpath.services import labels
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context

LARGE_REFERENTIAL = 150
"""Above this many competencies (ESCO), only those relevant to the person are asked."""
MAX_ASKED = 60


@dataclass(frozen=True)
class CategoryStep:
    """One screen of the self-assessment: the competencies it asks about.

    `first`: one of the screens before the first result (no category: `category` is "");
    otherwise a category of « Affiner mon bilan ».
    """

    category: str
    competencies: tuple[str, ...]
    first: bool = False


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


FIRST_RESULT_QUESTIONS = 25
"""The most questions a person answers before their first result."""
ROLE_ESSENTIALS_FIRST = 15
"""At most this many of the current role's essential competencies open the questionnaire."""
PER_SCREEN = 5
LIKELY_NEXT_ROLES = 8
FIRST_KEPT = 512
"""First-question lists kept per process: one per (referential version, role)."""
_FIRST: dict[tuple[str, str | None], tuple[str, ...]] = {}
_FIRST_LOCK = threading.Lock()
READING_WORDS_PER_MINUTE = 200
SECONDS_PER_ANSWER = 4


def anchor_role(stored: StoredAssessment) -> str | None:
    """The role the questionnaire is built around: the current (or last) role, else, for a
    person in training, the role they aim for."""
    return stored.current_role or stored.target


def first_questions(ctx: Context, current_role: str | None) -> list[str]:
    """The competencies asked before the first result, most telling for this person first.

    First the current (or last) role's essential competencies; then those that best split
    the roles this person is likely to move to (the role's successors and the roles closest
    to it; every role when there is none): a competency required by about half of them
    tells more than one all of them or none of them require. At most
    `FIRST_RESULT_QUESTIONS`, and only competencies the questionnaire asks.
    """
    key = (ctx.referential.version, current_role)
    with _FIRST_LOCK:
        kept = _FIRST.get(key)
    if kept is not None:
        return list(kept)
    chosen = _first_questions(ctx, current_role)
    with _FIRST_LOCK:
        _FIRST[key] = tuple(chosen)
        while len(_FIRST) > FIRST_KEPT:
            _FIRST.pop(next(iter(_FIRST)))
    return chosen


def _first_questions(ctx: Context, current_role: str | None) -> list[str]:
    ref = ctx.referential
    asked = asked_competencies(ref, current_role)
    asked_set = set(asked)
    order = {code: i for i, code in enumerate(asked)}
    role_reqs = ref.requirements_by_role.get(current_role or "", ())
    chosen = [
        q.competency
        for q in sorted(role_reqs, key=lambda q: (-q.level, order.get(q.competency, 0)))
        if q.weight == Weight.ESSENTIAL and q.competency in asked_set
    ][:ROLE_ESSENTIALS_FIRST]
    candidates = _likely_next_roles(ctx, current_role)
    weight: dict[str, float] = {}
    for role in candidates:
        for q in ref.requirements_by_role.get(role, ()):
            weight[q.competency] = weight.get(q.competency, 0.0) + (
                1.0 if q.weight == Weight.ESSENTIAL else 0.5
            )
    half = len(candidates) / 2
    taken = set(chosen)
    rest = sorted(
        (c for c in asked if c not in taken and weight.get(c, 0.0) > 0),
        key=lambda c: (abs(weight[c] - half), -weight[c], order[c]),
    )
    for code in [*rest, *(c for c in asked if c not in taken and c not in weight)]:
        if len(chosen) >= FIRST_RESULT_QUESTIONS:
            break
        chosen.append(code)
    return chosen


def _likely_next_roles(ctx: Context, current_role: str | None) -> list[str]:
    ref = ctx.referential
    if not current_role or current_role not in ref.role_by_code:
        return [r.code for r in ref.roles]
    likely = dict.fromkeys(t.to_role for t in ref.transitions if t.from_role == current_role)
    typical = Assessment(
        ratings={q.competency: q.level for q in ref.requirements_by_role.get(current_role, ())},
        current_role=current_role,
    )
    for next_role in ctx.engine.next_roles(typical, ctx.locale, limit=LIKELY_NEXT_ROLES):
        likely.setdefault(next_role.role)
    return [r for r in likely if r in ref.role_by_code and r != current_role]


def assessment_steps(ctx: Context, current_role: str | None) -> list[CategoryStep]:
    """The screens: the first questions `PER_SCREEN` at a time, then « Affiner mon bilan »,
    one screen per category with the competencies not asked yet."""
    ref = ctx.referential
    first = first_questions(ctx, current_role)
    steps = [
        CategoryStep("", tuple(first[i : i + PER_SCREEN]), first=True)
        for i in range(0, len(first), PER_SCREEN)
    ]
    asked_first = set(first)
    for category, codes in category_groups(ref, current_role):
        later = tuple(c for c in codes if c not in asked_first)
        if later:
            steps.append(CategoryStep(category, later, first=False))
    return steps


def category_groups(
    referential: Referential, current_role: str | None
) -> list[tuple[str, tuple[str, ...]]]:
    """The asked competencies by category, the current role's categories and competencies first."""
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
    groups = []
    for category, codes in grouped.items():
        if not codes:
            continue
        codes.sort(key=lambda c: (c not in role_codes, order[c]))
        groups.append((category, tuple(codes)))
    first_category = {c: i for i, c in enumerate(grouped)}
    groups.sort(key=lambda g: (not any(c in role_codes for c in g[1]), first_category[g[0]]))
    return groups


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
    category: str
    rating: int
    for_current_role: bool
    options: tuple[LevelOption, ...]

    @property
    def words_read(self) -> int:
        """Words a person reads to answer: the name, the five level names and one descriptor
        (the others, and the description, are one tap away)."""
        longest = max((len(o.descriptor.split()) for o in self.options), default=0)
        return len(self.label.split()) + sum(len(o.name.split()) for o in self.options) + longest

    @property
    def seconds(self) -> float:
        return 60 * self.words_read / READING_WORDS_PER_MINUTE + SECONDS_PER_ANSWER


@dataclass(frozen=True)
class StepView:
    number: int  # 1-based, over every screen
    total: int
    first: bool  # one of the screens before the first result
    first_total: int  # how many screens come before the first result
    heading: str
    progress_text: str  # « Étape 2 sur 5 »
    time_text: str  # how long is left, honestly
    next_label: str  # « Suivant », « Voir mes premiers résultats », « Voir mon profil »
    questions: tuple[CompetencyQuestion, ...]
    answered: int

    @property
    def is_last(self) -> bool:
        return self.number == self.first_total if self.first else self.number == self.total

    @property
    def percent(self) -> int:
        if self.first:
            return round(100 * self.number / self.first_total) if self.first_total else 100
        later = self.total - self.first_total
        return round(100 * (self.number - self.first_total) / later) if later else 100


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
        category=labels.capitalise(competency.category),
        rating=-1 if rating is None else rating,
        for_current_role=for_current_role,
        options=tuple(options),
    )


def minutes_text(seconds: float) -> str:
    """'3 minutes' (the same word in French and English), never '0 minute'."""
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def _questions(
    ctx: Context, stored: StoredAssessment, codes: Iterable[str]
) -> list[CompetencyQuestion]:
    ref = ctx.referential
    role_codes = {q.competency for q in ref.requirements_by_role.get(stored.current_role or "", ())}
    return [
        question(ref.competency_by_code[c], stored.ratings.get(c), ctx.locale, c in role_codes)
        for c in codes
    ]


def step_view(ctx: Context, stored: StoredAssessment, number: int) -> StepView | None:
    """Screen `number` (1-based) of the self-assessment; None when out of range."""
    steps = assessment_steps(ctx, anchor_role(stored))
    if not 1 <= number <= len(steps):
        return None
    step = steps[number - 1]
    first_total = sum(1 for s in steps if s.first)
    questions = tuple(_questions(ctx, stored, step.competencies))
    answered = sum(1 for q in questions if q.rating >= 0)
    if step.first:
        heading = gettext("Vos compétences clés", ctx.locale)
        progress = gettext(
            "Étape {number} sur {total}", ctx.locale, number=number, total=first_total
        )
        pending = [
            q
            for s in steps
            if s.first
            for q in _questions(ctx, stored, s.competencies)
            if q.rating < 0
        ]
        if not pending:
            time_text = gettext(
                "Toutes les questions de vos premiers résultats ont une réponse.", ctx.locale
            )
        else:
            left = minutes_text(sum(q.seconds for q in pending))
            time_text = ngettext(
                "Environ {left} avant vos premiers résultats ({n} question sans réponse).",
                "Environ {left} avant vos premiers résultats ({n} questions sans réponse).",
                len(pending),
                ctx.locale,
                left=left,
            )
    else:
        heading = labels.capitalise(step.category)
        later_total = len(steps) - first_total
        position = number - first_total
        progress = gettext(
            "Affiner mon bilan : catégorie {position} sur {total}",
            ctx.locale,
            position=position,
            total=later_total,
        )
        pending = [q for q in questions if q.rating < 0]
        left = minutes_text(sum(q.seconds for q in pending or questions))
        time_text = ngettext(
            "Environ {left} pour cette catégorie ({n} question).",
            "Environ {left} pour cette catégorie ({n} questions).",
            len(questions),
            ctx.locale,
            left=left,
        )
    is_last = number == first_total if step.first else number == len(steps)
    if step.first and is_last:
        next_label = gettext("Voir mes premiers résultats", ctx.locale)
    elif is_last:
        next_label = gettext("Voir mon profil", ctx.locale)
    else:
        next_label = gettext("Suivant", ctx.locale)
    return StepView(
        number=number,
        total=len(steps),
        first=step.first,
        first_total=first_total,
        heading=heading,
        progress_text=progress,
        time_text=time_text,
        next_label=next_label,
        questions=questions,
        answered=answered,
    )


def step_count(ctx: Context, stored: StoredAssessment) -> int:
    return len(assessment_steps(ctx, anchor_role(stored)))


def resume_step(ctx: Context, stored: StoredAssessment) -> int:
    """Where to resume: the first step with an unanswered question, else the last seen."""
    steps = assessment_steps(ctx, anchor_role(stored))
    for i, step in enumerate(steps, start=1):
        if any(c not in stored.ratings for c in step.competencies) and i > stored.step:
            return i
    return max(1, min(stored.step or 1, len(steps)))


@dataclass(frozen=True)
class RefineCategory:
    """A category of « Affiner mon bilan »: its screen and how much of it has no answer."""

    step: int
    category: str
    unanswered: int
    total: int


def refine_categories(ctx: Context, stored: StoredAssessment) -> list[RefineCategory]:
    """The « Affiner mon bilan » screens, each with its count of unanswered questions."""
    result = []
    for number, step in enumerate(assessment_steps(ctx, anchor_role(stored)), start=1):
        if step.first:
            continue
        unanswered = sum(1 for c in step.competencies if c not in stored.ratings)
        result.append(
            RefineCategory(
                number, labels.capitalise(step.category), unanswered, len(step.competencies)
            )
        )
    return result


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
    asked = asked_competencies(referential, anchor_role(stored))
    return sum(1 for c in asked if c in stored.ratings), len(asked)
