"""Assessments in, recommendations out, as JSON: shared by the CLI, the web UI and the API.

An assessment is a JSON object:

    {"current_role": "CODE" | null, "ratings": {"COMPETENCY": 0-4, ...}, "target": "CODE" | null,
     "situation": "employed" | "job_seeker" | "student" | null, "qualification_level": 1-8 | null,
     "age_band": "under_26" | "26_29" | "30_plus" | null, "age_exception": true | false | null,
     "preparing": "DIPLOMA" | null,
     "constraints": {"max_hours": n | null, "max_cost_eur": n | null, "modalities": [...] | null,
                     "hours_per_week": n | null, "horizon_months": n | null,
                     "cpf_balance_eur": n | null}}

A batch is JSON Lines (one object per line); a single object may span several lines.
Validation errors name the line and the field, in French or English.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from careerpath.domain.assessment import (
    MAX_HORIZON_MONTHS,
    MAX_HOURS_PER_WEEK,
    MAX_QUALIFICATION_LEVEL,
    MIN_QUALIFICATION_LEVEL,
    AgeBand,
    Assessment,
    Constraints,
    Profile,
)
from careerpath.domain.engine import Engine, Recommendation, RoleGroup, engine_for
from careerpath.domain.explain import (
    ESTIMATE_NOTE,
    blocked_sentence,
    vae_steps,
    why_item,
    why_partial_vae,
    why_path,
    why_route,
    why_vae,
)
from careerpath.domain.planning import Step, TrainingPlan
from careerpath.domain.readiness import RoleReadiness
from careerpath.domain.referential import (
    LONG_KINDS,
    MAX_RATING,
    Modality,
    Referential,
    Situation,
)

# `Locale` is defined once, in careerpath.i18n; re-exported here for older imports.
from careerpath.i18n import Locale as Locale
from careerpath.i18n import by_locale, gettext, referential_gettext
from careerpath.services.role_groups import shown_group

DEFAULT_TOP = 20

MESSAGES: dict[str, dict[str, str]] = {
    "bad_json": by_locale("JSON invalide : {detail}"),
    "not_object": by_locale("une évaluation doit être un objet JSON {{…}}"),
    "missing": by_locale("champ obligatoire manquant"),
    "ratings_not_object": by_locale('les notes doivent former un objet {{"compétence": note}}'),
    "unknown_competency": by_locale("compétence inconnue « {value} »"),
    "rating_not_integer": by_locale("la note {value} n'est pas un nombre entier"),
    "rating_out_of_range": by_locale("la note {value} est hors de l'intervalle 0 à {maximum}"),
    "unknown_role": by_locale("métier inconnu « {value} »"),
    "not_boolean": by_locale("true, false ou null est attendu, pas {value}"),
    "unknown_diploma": by_locale("diplôme ou titre professionnel inconnu « {value} »"),
    "not_code": by_locale("un code (texte) ou null est attendu, pas {value}"),
    "constraints_not_object": by_locale("les contraintes doivent former un objet JSON"),
    "not_number": by_locale("un nombre positif ou null est attendu, pas {value}"),
    "modalities_not_list": by_locale("une liste de modalités ou null est attendue, pas {value}"),
    "unknown_modality": by_locale("modalité inconnue « {value} » (permises : {allowed})"),
    "unknown_choice": by_locale("valeur inconnue « {value} » (permises : {allowed})"),
    "qualification_out_of_range": by_locale(
        "un niveau de qualification entier de 1 à 8 est attendu, pas {value}"
    ),
    "not_positive": by_locale(
        "un nombre strictement positif (au plus {maximum}) ou null est attendu, pas {value}"
    ),
}


@dataclass(frozen=True)
class AssessmentError:
    """One problem in one assessment: its line, the field (dotted path) and why."""

    line: int
    field: str | None
    code: str
    params: Mapping[str, object] = dataclass_field(default_factory=dict)

    def reason(self, locale: Locale = "fr") -> str:
        return MESSAGES[self.code][locale].format(**self.params)

    def describe(self, locale: Locale = "fr") -> str:
        """E.g. `ligne 3, champ « ratings.rh-paie » : la note 7 est hors de l'intervalle 0 à 4`."""
        reason = self.reason(locale)
        if self.field:
            return gettext(
                "ligne {line}, champ « {field} » : {reason}",
                locale,
                line=self.line,
                field=self.field,
                reason=reason,
            )
        return gettext("ligne {line} : {reason}", locale, line=self.line, reason=reason)


class AssessmentInvalid(ValueError):
    """An assessment that cannot be answered; `errors` says every reason found."""

    def __init__(self, errors: list[AssessmentError]) -> None:
        self.errors = errors
        super().__init__("; ".join(e.describe() for e in errors))


@dataclass(frozen=True)
class Document:
    """One JSON value read from the input, or the error that prevented reading it."""

    line: int
    value: object = None
    error: AssessmentError | None = None


def read_documents(text: str) -> list[Document]:
    """One JSON object (possibly spanning lines) or JSON Lines, with their line numbers."""
    stripped = text.strip()
    if not stripped:
        return []
    leading = text[: len(text) - len(text.lstrip())].count("\n")
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError as whole_error:
        lines = text.splitlines()
        first = lines[leading].strip()
        if first.endswith("}") and first != "{":
            return _read_lines(lines)
        return [Document(whole_error.lineno + leading, error=_json_error(whole_error))]
    if isinstance(whole, dict):
        return [Document(leading + 1, whole)]
    return _read_lines(text.splitlines())


def _read_lines(lines: list[str]) -> list[Document]:
    documents = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            documents.append(Document(number, json.loads(line)))
        except json.JSONDecodeError as error:
            documents.append(Document(number, error=_json_error(error, number)))
    return documents


def _json_error(error: json.JSONDecodeError, line: int | None = None) -> AssessmentError:
    detail = f"{error.msg} (colonne {error.colno})"
    return AssessmentError(line or error.lineno, None, "bad_json", {"detail": detail})


def parse_assessment(data: object, referential: Referential, *, line: int = 1) -> Assessment:
    """Validate one decoded assessment against the referential; raise AssessmentInvalid."""
    errors: list[AssessmentError] = []

    def fail(field_name: str | None, code: str, **params: object) -> None:
        errors.append(AssessmentError(line, field_name, code, params))

    if not isinstance(data, dict):
        raise AssessmentInvalid([AssessmentError(line, None, "not_object")])
    ratings: dict[str, int] = {}
    raw_ratings = data.get("ratings")
    if "ratings" not in data:
        fail("ratings", "missing")
    elif not isinstance(raw_ratings, dict):
        fail("ratings", "ratings_not_object")
    else:
        known = referential.competency_by_code
        for code, value in raw_ratings.items():
            where = f"ratings.{code}"
            if code not in known:
                fail(where, "unknown_competency", value=code)
                continue
            rating = _as_integer(value)
            if rating is None:
                fail(where, "rating_not_integer", value=json.dumps(value, ensure_ascii=False))
            elif not 0 <= rating <= MAX_RATING:
                fail(where, "rating_out_of_range", value=rating, maximum=MAX_RATING)
            else:
                ratings[code] = rating
    current = _role_code(data, "current_role", referential, fail)
    target = _role_code(data, "target", referential, fail)
    constraints = _constraints(data.get("constraints"), fail)
    profile = _profile(data, referential, fail)
    if errors:
        raise AssessmentInvalid(errors)
    return Assessment(
        ratings=ratings,
        current_role=current,
        target=target,
        constraints=constraints,
        profile=profile,
    )


def _choice(data: dict[str, Any], key: str, allowed: list[str], fail: Any) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if value not in allowed:
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        fail(key, "unknown_choice", value=shown, allowed=", ".join(allowed))
        return None
    return str(value)


def _profile(data: dict[str, Any], referential: Referential, fail: Any) -> Profile:
    """`situation`, `qualification_level`, `age_band`, `age_exception` and `preparing`, all
    optional."""
    situation = _choice(data, "situation", [s.value for s in Situation], fail)
    age = _choice(data, "age_band", [a.value for a in AgeBand], fail)
    raw_level = data.get("qualification_level")
    level: int | None = None
    if raw_level is not None:
        level = _as_integer(raw_level)
        if level is None or not MIN_QUALIFICATION_LEVEL <= level <= MAX_QUALIFICATION_LEVEL:
            fail(
                "qualification_level",
                "qualification_out_of_range",
                value=json.dumps(raw_level, ensure_ascii=False),
            )
            level = None
    return Profile(
        situation=Situation(situation) if situation else None,
        qualification_level=level,
        age_band=AgeBand(age) if age else None,
        preparing=_diploma_code(data, referential, fail),
        age_exception=_boolean(data, "age_exception", fail),
    )


def _boolean(data: dict[str, Any], key: str, fail: Any) -> bool | None:
    value = data.get(key)
    if value is None or isinstance(value, bool):
        return value
    fail(key, "not_boolean", value=json.dumps(value, ensure_ascii=False)[:200])
    return None


def _diploma_code(data: dict[str, Any], referential: Referential, fail: Any) -> str | None:
    """`preparing`: the diploma or titre professionnel the person is preparing."""
    value = data.get("preparing")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        fail("preparing", "not_code", value=json.dumps(value, ensure_ascii=False))
        return None
    training = referential.training_by_code.get(value)
    if training is None or training.kind not in LONG_KINDS:
        fail("preparing", "unknown_diploma", value=value[:200])
        return None
    return value


def _as_integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def _role_code(data: dict[str, Any], key: str, referential: Referential, fail: Any) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        fail(key, "not_code", value=json.dumps(value, ensure_ascii=False))
        return None
    if value not in referential.role_by_code:
        fail(key, "unknown_role", value=value)
        return None
    return value


def _constraints(raw: object, fail: Any) -> Constraints:
    if raw is None:
        return Constraints()
    if not isinstance(raw, dict):
        fail("constraints", "constraints_not_object")
        return Constraints()
    limits: dict[str, float | None] = {}
    for key in ("max_hours", "max_cost_eur"):
        value = raw.get(key)
        ok = value is None or (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and value >= 0
        )
        if not ok:
            fail(f"constraints.{key}", "not_number", value=json.dumps(value, ensure_ascii=False))
            limits[key] = None
        else:
            limits[key] = None if value is None else float(value)
    for key, maximum in (
        ("hours_per_week", MAX_HOURS_PER_WEEK),
        ("horizon_months", MAX_HORIZON_MONTHS),
    ):
        value = raw.get(key)
        ok = value is None or (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0 < value <= maximum
        )
        if not ok:
            fail(
                f"constraints.{key}",
                "not_positive",
                value=json.dumps(value, ensure_ascii=False),
                maximum=int(maximum),
            )
            limits[key] = None
        else:
            limits[key] = None if value is None else float(value)
    value = raw.get("cpf_balance_eur")
    if value is not None and not (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    ):
        fail(
            "constraints.cpf_balance_eur", "not_number", value=json.dumps(value, ensure_ascii=False)
        )
        value = None
    limits["cpf_balance_eur"] = None if value is None else float(value)
    modalities: frozenset[str] | None = None
    raw_modalities = raw.get("modalities")
    allowed = [m.value for m in Modality]
    if raw_modalities is not None:
        if not isinstance(raw_modalities, list):
            fail(
                "constraints.modalities",
                "modalities_not_list",
                value=json.dumps(raw_modalities, ensure_ascii=False),
            )
        else:
            for value in raw_modalities:
                if value not in allowed:
                    fail(
                        "constraints.modalities",
                        "unknown_modality",
                        value=value if isinstance(value, str) else json.dumps(value),
                        allowed=", ".join(allowed),
                    )
            modalities = frozenset(v for v in raw_modalities if v in allowed) or None
    return Constraints(
        limits["max_hours"],
        limits["max_cost_eur"],
        modalities,
        hours_per_week=limits["hours_per_week"],
        horizon_months=limits["horizon_months"],
        cpf_balance_eur=limits["cpf_balance_eur"],
    )


# -- output -------------------------------------------------------------------------------


def _text(text: str, locale: Locale) -> str:
    """A text of the referential in `locale` (the curated bundle's English catalog)."""
    return referential_gettext(text, locale)


def _hours(value: float) -> float:
    return round(float(value), 1)


def _readiness_json(
    item: RoleReadiness, referential: Referential, locale: Locale = "fr"
) -> dict[str, Any]:
    return {
        "role": item.role,
        "title": _text(referential.role_by_code[item.role].title, locale),
        "score": item.score,
        "gaps": [
            {"competency": g.competency, "has": g.has, "needs": g.needs, "weight": str(g.weight)}
            for g in item.gaps
        ],
        "strengths": [
            {"competency": s.competency, "has": s.has, "needs": s.needs, "weight": str(s.weight)}
            for s in item.strengths
        ],
    }


def _money(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _plan_json(
    plan: TrainingPlan,
    referential: Referential,
    locale: Locale,
    *,
    nested: bool = False,
) -> dict[str, Any]:
    """The plan as JSON: items in route order with funding and reasons (docs/engine.md)."""
    label = referential.competency_by_code
    target_title = _text(referential.role_by_code[plan.target].title, locale)
    items = []
    for item in plan.items:
        covers = [_text(label[c].label, locale) for c in item.covers]
        entry: dict[str, Any] = {
            "training": item.training,
            "title": _text(item.title, locale),
            "kind": str(item.kind),
            "step": str(item.step),
            "modality": item.modality,
            "cpf": item.cpf,
            "level": item.level,
            "rncp": item.rncp or None,
            "hours": _hours(item.hours),
            "weeks": item.weeks,
            "cost_eur": round(item.cost_eur, 2),
            "funding": [
                {"route": str(f.route), "amount_eur": _money(f.amount_eur)} for f in item.funding
            ],
            "out_of_pocket_eur": round(item.out_of_pocket_eur, 2),
            "covers": list(item.covers),
            "prerequisites": _text(item.prerequisites, locale),
            "why": why_item(
                str(item.step),
                covers,
                item.hours,
                item.out_of_pocket_eur,
                locale,
                met=item.met,
                total=item.total,
            ),
        }
        entry["blocs_met"] = list(item.blocs_met)
        if item.step == Step.VAE:
            accompaniment = referential.training_by_code[item.training].hours
            entry["to_show"] = list(item.to_show)
            entry["vae"] = vae_steps(
                accompaniment,
                [_text(label[c].label, locale) for c in item.to_show if c in label],
                locale,
            )
        items.append(entry)
    route = plan.route
    result: dict[str, Any] = {
        "items": items,
        "hours": _hours(plan.hours),
        "weeks": plan.weeks,
        "cost_eur": round(plan.cost_eur, 2),
        "out_of_pocket_eur": round(plan.out_of_pocket_eur, 2),
        "estimate": ESTIMATE_NOTE[locale],
        "uncovered": list(plan.uncovered),
        "in_progress": list(plan.in_progress),
        "optimal": plan.optimal,
        "route": {
            "kind": str(route.kind),
            "certification": route.certification or None,
            "why": why_route(
                str(route.kind),
                _text(route.title, locale),
                route.met,
                route.total,
                _text(route.alternative_title, locale),
                route.closes,
                route.gaps,
                target_title,
                locale,
            ),
        },
        "ask": list(plan.ask),
        "blocked_by": list(plan.blocked_by),
    }
    if not nested:
        relaxed = plan.relaxed
        result["relaxed"] = (
            _plan_json(relaxed, referential, locale, nested=True) if relaxed is not None else None
        )
        result["blocked"] = blocked_sentence(
            plan.blocked_by, len(relaxed.items) if relaxed else 0, locale
        )
    return result


def recommendation_json(
    recommendation: Recommendation,
    engine: Engine,
    *,
    all_scores: bool = False,
    locale: Locale = "fr",
    assessment: Assessment | None = None,
) -> dict[str, Any]:
    """The public JSON shape of one recommendation (see docs/engine.md).

    With the `assessment` it answers, a next role's `group` is the one the app shows
    (`role_groups.shown_group`: « one_training » only when its plan is one item)."""
    referential = engine.referential
    titles = referential.role_by_code
    result: dict[str, Any] = {
        "readiness": [_readiness_json(r, referential, locale) for r in recommendation.readiness],
    }
    if all_scores:
        result["scores"] = dict(sorted(recommendation.scores.items()))
    groups = [n.group for n in recommendation.next_roles]
    if assessment is not None:
        near = [n.role for n in recommendation.next_roles if n.group == RoleGroup.ONE_TRAINING]
        reaches = dict(zip(near, engine.one_training_reaches(assessment, near), strict=True))
        groups = [
            shown_group(engine, assessment, n.role, n.group, reaches=reaches.get(n.role, False))[0]
            for n in recommendation.next_roles
        ]
    result["next_roles"] = [
        {"role": n.role, "title": n.title, "score": n.score, "group": str(group), "why": n.why}
        for n, group in zip(recommendation.next_roles, groups, strict=True)
    ]
    result["next_roles_total"] = recommendation.next_total
    if recommendation.target:
        result["target"] = recommendation.target
        result["paths"] = [
            {
                "steps": list(p.steps),
                "effort_hours": _hours(p.effort_hours),
                "why": why_path(
                    [_text(titles[s].title, locale) for s in p.steps], p.effort_hours, locale
                ),
            }
            for p in recommendation.paths
        ]
        if recommendation.plan is not None:
            result["plan"] = _plan_json(recommendation.plan, referential, locale)
    blocs = {(b.certification, b.code): b.title for b in referential.blocs}
    result["vae_suggestions"] = [
        {
            "training": v.training,
            "title": _text(v.title, locale),
            "certification": v.certification,
            "met": v.met,
            "total": v.total,
            "covers": list(v.covers),
            "blocs": list(v.blocs),
            "bloc_total": v.bloc_total,
            "why": why_partial_vae(
                _text(referential.training_by_code[v.certification].title, locale),
                [_text(blocs[(v.certification, b)], locale) for b in v.blocs],
                v.bloc_total,
                locale,
            )
            if v.partial
            else why_vae(v.met, v.total, _text(v.title, locale), locale),
        }
        for v in recommendation.vae_suggestions
    ]
    return result


@dataclass(frozen=True)
class Page:
    """Which roles an answer lists: `top` for readiness and next roles, next roles from
    `offset`; `all_roles` lists every next role (the contract before paging)."""

    top: int = DEFAULT_TOP
    offset: int = 0
    all_roles: bool = False

    @property
    def next_limit(self) -> int | None:
        return None if self.all_roles else self.top

    @property
    def next_offset(self) -> int:
        return 0 if self.all_roles else self.offset


def recommend_one(
    data: object,
    referential: Referential,
    *,
    target: str | None = None,
    top: int = DEFAULT_TOP,
    all_scores: bool = False,
    locale: Locale = "fr",
    line: int = 1,
    offset: int = 0,
    all_roles: bool = False,
) -> dict[str, Any]:
    """Validate one decoded assessment and answer it; raises AssessmentInvalid.

    `top` roles of readiness and of next roles (from `offset`), or every next role with
    `all_roles`: sentences and gaps are computed for the listed roles only.
    """
    assessment = parse_assessment(data, referential, line=line)
    engine = engine_for(referential)
    page = Page(top, offset, all_roles)
    recommendation = engine.recommend(
        assessment,
        top=top,
        locale=locale,
        target=target,
        next_limit=page.next_limit,
        next_offset=page.next_offset,
    )
    return recommendation_json(
        recommendation, engine, all_scores=all_scores, locale=locale, assessment=assessment
    )


@dataclass
class BatchResult:
    """Answers to the valid assessments, in input order, and the errors of the others."""

    answers: list[dict[str, Any]] = dataclass_field(default_factory=list)
    errors: list[AssessmentError] = dataclass_field(default_factory=list)


def check_target(target: str | None, referential: Referential) -> AssessmentError | None:
    """An error when a target given outside the file (e.g. --target) is unknown."""
    if target is None or target in referential.role_by_code:
        return None
    return AssessmentError(0, "target", "unknown_role", {"value": target})


def stream_documents(lines: Iterable[str]) -> Iterator[Document]:
    """`read_documents` over lines read one at a time: JSON Lines are decoded as they come
    (constant memory); anything else (an object spanning lines, garbage) is read whole and
    handed to `read_documents`, so both give the same documents."""
    iterator = iter(lines)
    seen: list[str] = []
    for raw in iterator:
        seen.append(raw)
        if raw.strip():
            break
    else:
        return
    first = seen[-1]
    try:
        value = json.loads(first)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        yield from read_documents("".join(seen) + "".join(iterator))
        return
    yield Document(len(seen), value)
    for number, raw in enumerate(iterator, start=len(seen) + 1):
        if not raw.strip():
            continue
        try:
            yield Document(number, json.loads(raw))
        except json.JSONDecodeError as error:
            yield Document(number, error=_json_error(error, number))


def recommend_stream(
    lines: Iterable[str],
    referential: Referential,
    *,
    target: str | None = None,
    top: int = DEFAULT_TOP,
    all_scores: bool = False,
    locale: Locale = "fr",
    offset: int = 0,
    all_roles: bool = False,
) -> Iterator[dict[str, Any] | AssessmentError]:
    """Each answer (or error) as soon as its assessment is read, in input order."""
    for document in stream_documents(lines):
        if document.error is not None:
            yield document.error
            continue
        try:
            yield recommend_one(
                document.value,
                referential,
                target=target,
                top=top,
                all_scores=all_scores,
                locale=locale,
                line=document.line,
                offset=offset,
                all_roles=all_roles,
            )
        except AssessmentInvalid as invalid:
            yield from invalid.errors


def recommend_text(
    text: str,
    referential: Referential,
    *,
    target: str | None = None,
    top: int = DEFAULT_TOP,
    all_scores: bool = False,
    locale: Locale = "fr",
    offset: int = 0,
    all_roles: bool = False,
) -> BatchResult:
    """Answer every assessment of a JSON object or JSON Lines text, valid ones only."""
    result = BatchResult()
    for item in recommend_stream(
        text.splitlines(keepends=True),
        referential,
        target=target,
        top=top,
        all_scores=all_scores,
        locale=locale,
        offset=offset,
        all_roles=all_roles,
    ):
        if isinstance(item, AssessmentError):
            result.errors.append(item)
        else:
            result.answers.append(item)
    return result
