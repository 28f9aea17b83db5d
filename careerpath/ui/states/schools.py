"""States of the schools pages: the diplomas, and the progression map from one of them."""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx

from careerpath.services import labels, schools
from careerpath.services.labels import Locale
from careerpath.ui.states.device import device_of, technical_error

log = logging.getLogger(__name__)


def _diploma_row(diploma: schools.Diploma, locale: Locale) -> dict[str, Any]:
    level = labels.qualification_level(diploma.qualification_level, locale, short=True)
    return {
        "code": diploma.code,
        "title": diploma.title,
        "facts": " · ".join(f for f in (diploma.kind_label, level) if f),
        "href": f"/ecoles/{diploma.code}",
    }


def _step_row(step: schools.Step, locale: Locale) -> dict[str, Any]:
    return {
        "role": step.role,
        "title": step.title,
        "score": round(step.score),
        "score_text": labels.percent(step.score, locale),
        "why": step.why,
        "href": f"/metier/{step.role}",
    }


class SchoolsState(rx.State):
    """/ecoles: every diploma and titre professionnel of the referential, by level."""

    loaded: bool = False
    error: str = ""
    diplomas: list[dict[str, Any]] = []

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        try:
            self.diplomas = [_diploma_row(d, locale) for d in schools.diplomas(locale=locale)]
        except Exception:
            log.exception("loading /ecoles failed")
            self.error = technical_error(locale)
        self.loaded = True


class ProgressionState(rx.State):
    """/ecoles/[diplome]: the roles a diploma opens first, then the steps after each."""

    loaded: bool = False
    found: bool = False
    error: str = ""
    code: str = ""
    title: str = ""
    facts: str = ""
    first_roles: list[dict[str, Any]] = []

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.code = str(self.router.page.params.get("diplome", "") or "")[:200]
        self.error = ""
        self.first_roles = []
        try:
            found = schools.progression(None, self.code, locale=locale)
        except schools.UnknownDiploma:
            self.found = False
            self.loaded = True
            return
        except Exception:
            log.exception("loading /ecoles/%s failed", self.code)
            self.error = technical_error(locale)
            self.found = False
            self.loaded = True
            return
        row = _diploma_row(found.diploma, locale)
        self.title, self.facts = row["title"], row["facts"]
        self.first_roles = [
            {
                **_step_row(step, locale),
                "next": [_step_row(n, locale) for n in found.next_steps[step.role]],
            }
            for step in found.first_roles
        ]
        self.found = True
        self.loaded = True
