"""The plan form's constraints as the person typed them: hours per week, budget, modalities."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from careerpath.domain.assessment import MAX_HORIZON_MONTHS, MAX_HOURS_PER_WEEK
from careerpath.i18n import gettext
from careerpath.services.assessments import AGE_BANDS, MODALITIES
from careerpath.services.labels import Locale

AGE_EXCEPTION_ANSWERS = {"yes": True, "no": False}


@dataclass(frozen=True)
class ConstraintsInput:
    """Constraints read from the plan form; `errors` are sentences to show."""

    hours_per_week: float | None
    budget_eur: float | None
    modalities: tuple[str, ...]
    errors: tuple[str, ...] = ()
    horizon_months: float | None = None
    cpf_balance_eur: float | None = None
    qualification_level: int | None = None
    age_band: str = ""
    age_exception: bool | None = None


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
    accepted modality (checkboxes: present when ticked), `horizon_months` and `cpf_balance`
    (empty = not told), `qualification_level` (1–8), `age_band` and `age_exception` (selects;
    empty = not told; `age_exception` is "yes" or "no").
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
            gettext(
                "Indiquez un nombre d'heures par semaine entre 1 et {maximum}.",
                locale,
                maximum=int(MAX_HOURS_PER_WEEK),
            )
        )
    try:
        budget = _number(str(form.get("budget", "") or ""))
        if budget is not None and budget < 0:
            raise ValueError
    except ValueError:
        budget = None
        errors.append(
            gettext(
                "Indiquez un budget en euros (un nombre positif), ou laissez vide pour ne pas fixer de limite.",
                locale,
            )
        )
    accepted = tuple(m for m in MODALITIES if form.get(f"modality_{m}") not in (None, "", False))
    if not accepted:
        errors.append(gettext("Cochez au moins une modalité de formation.", locale))
    horizon: float | None = None
    try:
        horizon = _number(str(form.get("horizon_months", "") or ""))
        if horizon is not None and not 0 < horizon <= MAX_HORIZON_MONTHS:
            raise ValueError
    except ValueError:
        horizon = None
        errors.append(
            gettext(
                "Indiquez un horizon en mois entre 1 et {maximum}, ou laissez vide.",
                locale,
                maximum=int(MAX_HORIZON_MONTHS),
            )
        )
    cpf: float | None = None
    try:
        cpf = _number(str(form.get("cpf_balance", "") or ""))
        if cpf is not None and cpf < 0:
            raise ValueError
    except ValueError:
        cpf = None
        errors.append(
            gettext(
                "Indiquez votre solde CPF en euros (un nombre positif), ou laissez vide si vous ne le connaissez pas.",
                locale,
            )
        )
    level_text = str(form.get("qualification_level", "") or "").strip()
    level: int | None = None
    if level_text:
        if level_text.isdigit() and 1 <= int(level_text) <= 8:
            level = int(level_text)
        else:
            errors.append(
                gettext("Choisissez un niveau de diplôme de 1 à 8 dans la liste.", locale)
            )
    age = str(form.get("age_band", "") or "").strip()
    if age and age not in AGE_BANDS:
        age = ""
        errors.append(gettext("Choisissez une tranche d'âge dans la liste.", locale))
    exception_text = str(form.get("age_exception", "") or "").strip()
    exception = AGE_EXCEPTION_ANSWERS.get(exception_text)
    if exception_text and exception_text not in AGE_EXCEPTION_ANSWERS:
        errors.append(gettext("Choisissez une réponse dans la liste.", locale))
    return ConstraintsInput(
        hours, budget, accepted, tuple(errors), horizon, cpf, level, age, exception
    )
