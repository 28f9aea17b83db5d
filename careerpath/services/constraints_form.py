"""The plan form's constraints as the person typed them: hours per week, budget, modalities."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from careerpath.i18n import Locale, gettext
from careerpath.services.assessments import MODALITIES

MAX_HOURS_PER_WEEK = 80.0


@dataclass(frozen=True)
class ConstraintsInput:
    """Constraints read from the plan form; `errors` are sentences to show."""

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
    return ConstraintsInput(hours, budget, accepted, tuple(errors))
