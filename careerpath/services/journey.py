"""What each screen of the assistant's journey shows, computed from a stored assessment.

These functions turn the referential, the engine's answers and a person's stored assessment
into small view models (plain dataclasses of strings and numbers): only what a screen shows
leaves the server. Scoring, paths and plans come from the engine (`careerpath.domain.engine`);
nothing here re-computes them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import Engine, RoleGroup, engine_for
from careerpath.domain.explain import (
    euros_text,
    hours_text,
    uncovered_sentence,
    why_path,
    why_training,
    why_vae,
)
from careerpath.domain.readiness import Gap
from careerpath.domain.referential import (
    MAX_RATING,
    Competency,
    Referential,
    TrainingKind,
    Weight,
)
from careerpath.services import labels
from careerpath.services.assessments import MODALITIES, StoredAssessment
from careerpath.services.labels import Locale
from careerpath.services.referential import load_referential
from careerpath.services.search import fold

LARGE_REFERENTIAL = 150
"""Above this many competencies (ESCO), only those relevant to the person are asked."""
MAX_ASKED = 60
STRENGTH_MIN = 3
PER_GROUP = 3
GROWTH_ROLES = 5
GROWTH_SHOWN = 6
DEFAULT_HOURS_PER_WEEK = 5.0
MAX_HOURS_PER_WEEK = 80.0
GAPS_PER_CARD = 3


def _referential(referential: Referential | None) -> Referential:
    return referential if referential is not None else load_referential()


def _engine(referential: Referential) -> Engine:
    return engine_for(referential)


# -- the questions ------------------------------------------------------------------------


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


def step_view(
    stored: StoredAssessment,
    number: int,
    locale: Locale = "fr",
    referential: Referential | None = None,
) -> StepView | None:
    """Screen `number` (1-based) of the self-assessment; None when out of range."""
    ref = _referential(referential)
    steps = assessment_steps(ref, stored.current_role)
    if not 1 <= number <= len(steps):
        return None
    step = steps[number - 1]
    role_codes = {q.competency for q in ref.requirements_by_role.get(stored.current_role or "", ())}
    questions = tuple(
        question(ref.competency_by_code[c], stored.ratings.get(c), locale, c in role_codes)
        for c in step.competencies
    )
    answered = sum(1 for q in questions if q.rating >= 0)
    return StepView(number, len(steps), labels.capitalise(step.category), questions, answered)


def step_count(stored: StoredAssessment, referential: Referential | None = None) -> int:
    return len(assessment_steps(_referential(referential), stored.current_role))


def resume_step(stored: StoredAssessment, referential: Referential | None = None) -> int:
    """Where to resume: the first step with an unanswered question, else the last seen."""
    ref = _referential(referential)
    steps = assessment_steps(ref, stored.current_role)
    for i, step in enumerate(steps, start=1):
        if any(c not in stored.ratings for c in step.competencies) and i > stored.step:
            return i
    return max(1, min(stored.step or 1, len(steps)))


def answers_from_device(
    stored: StoredAssessment, kept: object, referential: Referential | None = None
) -> dict[str, int]:
    """The answers a device kept that the server lacks or holds differently.

    `kept` comes from the browser (untrusted): only known competencies rated from 0 to
    MAX_RATING are taken.
    The device wins: its copy is written the moment the person answers, online or not.
    """
    if not isinstance(kept, Mapping):
        return {}
    known = _referential(referential).competency_by_code
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


def answered_count(
    stored: StoredAssessment, referential: Referential | None = None
) -> tuple[int, int]:
    """(answered, asked) over the whole self-assessment."""
    ref = _referential(referential)
    asked = asked_competencies(ref, stored.current_role)
    return sum(1 for c in asked if c in stored.ratings), len(asked)


# -- the profile --------------------------------------------------------------------------


@dataclass(frozen=True)
class StrengthItem:
    code: str
    label: str
    level: int
    level_name: str
    descriptor: str


@dataclass(frozen=True)
class CategoryLevel:
    """Average self-declared level of a category (over answered questions), 0–4."""

    category: str
    average: float
    average_text: str
    percent: int
    answered: int
    total: int


@dataclass(frozen=True)
class GrowthItem:
    code: str
    label: str
    has_name: str
    needs_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ProfileView:
    strengths: tuple[StrengthItem, ...]
    categories: tuple[CategoryLevel, ...]
    growth: tuple[GrowthItem, ...]
    answered: int
    total: int


def profile_view(
    stored: StoredAssessment, locale: Locale = "fr", referential: Referential | None = None
) -> ProfileView:
    """Strengths first, then levels by category, then what can grow (gaps of the best moves)."""
    ref = _referential(referential)
    steps = assessment_steps(ref, stored.current_role)
    ratings = stored.ratings
    strengths = [
        StrengthItem(
            c.code,
            c.label,
            ratings[c.code],
            labels.level_name(ratings[c.code], locale),
            question(c, ratings[c.code], locale).options[ratings[c.code]].descriptor,
        )
        for c in ref.competencies
        if ratings.get(c.code, 0) >= STRENGTH_MIN
    ]
    strengths.sort(key=lambda s: -s.level)
    categories = []
    for step in steps:
        answered = [ratings[c] for c in step.competencies if c in ratings]
        average = sum(answered) / len(answered) if answered else 0.0
        categories.append(
            CategoryLevel(
                labels.capitalise(step.category),
                average,
                labels.decimal(average, locale),
                round(100 * average / 4),
                len(answered),
                len(step.competencies),
            )
        )
    growth = growth_items(stored, locale, ref)
    asked = sum(len(s.competencies) for s in steps)
    answered_total = sum(1 for s in steps for c in s.competencies if c in ratings)
    return ProfileView(tuple(strengths), tuple(categories), tuple(growth), answered_total, asked)


def growth_items(
    stored: StoredAssessment, locale: Locale = "fr", referential: Referential | None = None
) -> list[GrowthItem]:
    """Gaps shared by the person's best next roles, most shared first."""
    ref = _referential(referential)
    engine = _engine(ref)
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    vector = engine.readiness_vector(assessment)
    roles = [
        n for n in engine.next_roles(assessment, locale, vector=vector) if n.role not in hidden
    ][:GROWTH_ROLES]
    found: dict[str, tuple[Gap, list[str]]] = {}
    for next_role in roles:
        for gap in engine.role_readiness(assessment, next_role.role, vector).gaps:
            seen = found.get(gap.competency)
            if seen is None:
                found[gap.competency] = (gap, [next_role.title])
            else:
                bigger = gap if gap.needs > seen[0].needs else seen[0]
                found[gap.competency] = (bigger, [*seen[1], next_role.title])
    ordered = sorted(
        found.values(),
        key=lambda pair: (
            -len(pair[1]),
            pair[0].weight != Weight.ESSENTIAL,
            -pair[0].size,
            pair[0].competency,
        ),
    )
    by_code = ref.competency_by_code
    return [
        GrowthItem(
            gap.competency,
            by_code[gap.competency].label,
            labels.level_name(gap.has, locale),
            labels.level_name(gap.needs, locale),
            tuple(titles),
        )
        for gap, titles in ordered[:GROWTH_SHOWN]
    ]


# -- next roles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleCard:
    code: str
    title: str
    score: float
    score_text: str
    why: str
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class RoleGroupView:
    group: str
    title: str
    hint: str
    cards: tuple[RoleCard, ...]


def gap_text(gap: Gap, label: str, locale: Locale = "fr") -> str:
    """'Rédiger des écrits professionnels (Notions → Maîtrise)'."""
    return (
        f"{label} ({labels.level_name(gap.has, locale)} → {labels.level_name(gap.needs, locale)})"
    )


def next_roles_view(
    stored: StoredAssessment,
    locale: Locale = "fr",
    referential: Referential | None = None,
    per_group: int = PER_GROUP,
) -> list[RoleGroupView]:
    """The best next roles in three groups, without the roles the person hid."""
    ref = _referential(referential)
    engine = _engine(ref)
    assessment = stored.to_assessment()
    hidden = set(stored.hidden_roles)
    by_code = ref.competency_by_code
    grouped: dict[str, list[RoleCard]] = {g.value: [] for g in RoleGroup}
    vector = engine.readiness_vector(assessment)
    for next_role in engine.next_roles(assessment, locale, vector=vector):
        if next_role.role in hidden or len(grouped[next_role.group.value]) >= per_group:
            continue
        gaps = engine.role_readiness(assessment, next_role.role, vector).gaps[:GAPS_PER_CARD]
        grouped[next_role.group.value].append(
            RoleCard(
                next_role.role,
                next_role.title,
                next_role.score,
                labels.percent(next_role.score, locale),
                next_role.why,
                tuple(gap_text(g, by_code[g.competency].label, locale) for g in gaps),
            )
        )
        if all(len(cards) >= per_group for cards in grouped.values()):
            break
    return [
        RoleGroupView(
            group,
            labels.label(labels.GROUPS, group, locale),
            labels.label(labels.GROUP_HINTS, group, locale),
            tuple(cards),
        )
        for group, cards in grouped.items()
    ]


# -- one role -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementLine:
    code: str
    label: str
    needs_name: str
    has_name: str
    acquired: bool
    essential: bool


@dataclass(frozen=True)
class PathView:
    steps: tuple[str, ...]
    sentence: str
    hours: float
    hours_text: str


@dataclass(frozen=True)
class RoleView:
    code: str
    title: str
    description: str
    family: str
    rome_code: str
    qualification_level: int | None
    score: float
    score_text: str
    requirements: tuple[RequirementLine, ...]
    paths: tuple[PathView, ...]
    is_target: bool
    is_current: bool


def role_view(
    code: str,
    stored: StoredAssessment | None,
    locale: Locale = "fr",
    referential: Referential | None = None,
) -> RoleView | None:
    """A role against the person's ratings (acquis / à développer) and the paths to it.

    None for a code the referential does not know.
    """
    ref = _referential(referential)
    role = ref.role_by_code.get(code)
    if role is None:
        return None
    engine = _engine(ref)
    ratings = stored.ratings if stored else {}
    assessment = stored.to_assessment() if stored else Assessment()
    detail = engine.role_readiness(assessment, code)
    by_code = ref.competency_by_code
    requirements = sorted(
        ref.requirements_by_role.get(code, ()),
        key=lambda q: (
            q.weight != Weight.ESSENTIAL,
            ratings.get(q.competency, 0) >= q.level,
            fold(by_code[q.competency].label),
        ),
    )
    lines = tuple(
        RequirementLine(
            q.competency,
            by_code[q.competency].label,
            labels.level_name(q.level, locale),
            labels.level_name(ratings.get(q.competency, 0), locale),
            ratings.get(q.competency, 0) >= q.level,
            q.weight == Weight.ESSENTIAL,
        )
        for q in requirements
    )
    titles = ref.role_by_code
    you = "Vous" if locale == "fr" else "You"
    paths = []
    for path in engine.paths(assessment, code):
        names = [titles[s].title for s in path.steps if s in titles]
        if not stored or not stored.current_role:
            names = [you, *names]
        paths.append(
            PathView(
                tuple(names),
                why_path(names, path.effort_hours, locale),
                path.effort_hours,
                (
                    f"Environ {hours_text(path.effort_hours, locale)} d'apprentissage"
                    if locale == "fr"
                    else f"About {hours_text(path.effort_hours, locale)} of learning"
                ),
            )
        )
    return RoleView(
        code=role.code,
        title=role.title,
        description=role.description,
        family=role.family,
        rome_code=role.rome_code,
        qualification_level=role.qualification_level,
        score=detail.score,
        score_text=labels.percent(detail.score, locale),
        requirements=lines,
        paths=tuple(paths),
        is_target=bool(stored and stored.target == code),
        is_current=bool(stored and stored.current_role == code),
    )


# -- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanItemView:
    code: str
    title: str
    kind: str
    kind_label: str
    hours_text: str
    cost_text: str
    modality: str
    cpf: bool
    covers: tuple[str, ...]
    why: str
    is_vae: bool


@dataclass(frozen=True)
class VaeView:
    code: str
    title: str
    sentence: str
    covers: tuple[str, ...]


@dataclass(frozen=True)
class ConstraintsView:
    hours_per_week: float
    budget_eur: float | None
    modalities: tuple[str, ...]  # accepted; all when the person set none


@dataclass(frozen=True)
class PlanView:
    target: str
    target_title: str
    score_text: str
    items: tuple[PlanItemView, ...]
    hours_text: str
    cost_text: str
    weeks: int
    weeks_text: str
    gaps: int
    uncovered: tuple[str, ...]
    uncovered_sentence: str
    vae: tuple[VaeView, ...]
    constraints: ConstraintsView
    optimal: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)


def plan_weeks(hours: float, hours_per_week: float) -> int:
    """Weeks the plan takes at the person's pace (0 for an empty plan)."""
    if hours <= 0:
        return 0
    return math.ceil(hours / max(hours_per_week, 0.5))


def plan_view(
    stored: StoredAssessment,
    locale: Locale = "fr",
    referential: Referential | None = None,
    target: str | None = None,
) -> PlanView | None:
    """The training plan to the person's target at their pace, budget and modalities.

    None when no target is chosen or the referential no longer knows it.
    """
    ref = _referential(referential)
    code = target or stored.target
    if not code or code not in ref.role_by_code:
        return None
    engine = _engine(ref)
    assessment = stored.to_assessment(code)
    plan = engine.plan(assessment, code)
    by_code = ref.competency_by_code
    items = tuple(
        PlanItemView(
            code=item.training,
            title=item.title,
            kind=str(item.kind),
            kind_label=labels.label(labels.TRAINING_KINDS, str(item.kind), locale),
            hours_text=hours_text(item.hours, locale),
            cost_text=euros_text(item.cost_eur, locale),
            modality=labels.label(labels.MODALITIES, item.modality, locale),
            cpf=item.cpf,
            covers=tuple(by_code[c].label for c in item.covers),
            why=why_training(
                [by_code[c].label for c in item.covers],
                item.hours,
                item.cost_eur,
                item.kind == TrainingKind.VAE,
                locale,
            ),
            is_vae=item.kind == TrainingKind.VAE,
        )
        for item in plan.items
    )
    planned = {item.training for item in plan.items}
    vae = tuple(
        VaeView(
            s.training,
            s.title,
            why_vae(s.met, s.total, s.title, locale),
            tuple(by_code[c].label for c in s.covers),
        )
        for s in engine.vae_suggestions(assessment, code)
        if s.covers or s.training in planned  # only the VAE routes that help toward this target
    )
    pace = stored.hours_per_week or DEFAULT_HOURS_PER_WEEK
    weeks = plan_weeks(plan.hours, pace)
    uncovered = tuple(by_code[c].label for c in plan.uncovered)
    detail = engine.role_readiness(assessment, code)
    return PlanView(
        target=code,
        target_title=ref.role_by_code[code].title,
        score_text=labels.percent(detail.score, locale),
        items=items,
        hours_text=hours_text(plan.hours, locale),
        cost_text=euros_text(plan.cost_eur, locale),
        weeks=weeks,
        weeks_text=labels.weeks_text(weeks, locale),
        gaps=len(plan.gaps),
        uncovered=uncovered,
        uncovered_sentence=uncovered_sentence(uncovered, locale),
        vae=vae,
        constraints=ConstraintsView(pace, stored.budget_eur, stored.modalities or MODALITIES),
        optimal=plan.optimal,
    )


# -- constraints typed by the person --------------------------------------------------------


@dataclass(frozen=True)
class ConstraintsInput:
    """Constraints read from the plan form; `errors` are French sentences to show."""

    hours_per_week: float | None
    budget_eur: float | None
    modalities: tuple[str, ...]
    errors: tuple[str, ...] = ()


def _number(text: str) -> float | None:
    cleaned = text.strip().replace("\u202f", "").replace(" ", "").replace("€", "").replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


def parse_constraints(form: Mapping[str, object], locale: Locale = "fr") -> ConstraintsInput:
    """Read hours per week, budget and modalities from the plan form's fields.

    Fields: `hours_per_week`, `budget` (empty = no limit), `modality_<code>` for each
    accepted modality (checkboxes: present when ticked).
    """
    errors: list[str] = []
    hours: float | None = None
    budget: float | None = None
    try:
        hours = _number(str(form.get("hours_per_week", "") or ""))
        if hours is not None and not 0 < hours <= MAX_HOURS_PER_WEEK:
            raise ValueError
    except ValueError:
        hours = None
        errors.append(
            f"Indiquez un nombre d'heures par semaine entre 1 et {int(MAX_HOURS_PER_WEEK)}."
            if locale == "fr"
            else f"Enter hours per week between 1 and {int(MAX_HOURS_PER_WEEK)}."
        )
    try:
        budget = _number(str(form.get("budget", "") or ""))
        if budget is not None and budget < 0:
            raise ValueError
    except ValueError:
        budget = None
        errors.append(
            "Indiquez un budget en euros (un nombre positif), ou laissez vide pour ne pas fixer de limite."
            if locale == "fr"
            else "Enter a budget in euros (a positive number), or leave it empty for no limit."
        )
    accepted = tuple(m for m in MODALITIES if form.get(f"modality_{m}") not in (None, "", False))
    if not accepted:
        errors.append(
            "Cochez au moins une modalité de formation."
            if locale == "fr"
            else "Tick at least one way of training."
        )
    return ConstraintsInput(hours, budget, accepted, tuple(errors))


def known_roles(codes: Iterable[str], referential: Referential | None = None) -> list[str]:
    ref = _referential(referential)
    return [c for c in codes if c in ref.role_by_code]


def role_title(code: str | None, referential: Referential | None = None) -> str:
    if not code:
        return ""
    role = _referential(referential).role_by_code.get(code)
    return role.title if role else ""


def titles(codes: Sequence[str], referential: Referential | None = None) -> list[str]:
    ref = _referential(referential)
    return [ref.role_by_code[c].title for c in codes if c in ref.role_by_code]
