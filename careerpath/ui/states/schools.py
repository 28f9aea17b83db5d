"""States of the schools pages: the diplomas, and the progression map from one of them."""

from __future__ import annotations

import logging
from typing import Any

import reflex as rx

from careerpath.services import schools
from careerpath.ui.states.device import device_of, technical_error

log = logging.getLogger(__name__)


def _level_text(level: int | None, locale: str) -> str:
    if not level:
        return ""
    return f"Niveau {level}" if locale == "fr" else f"Level {level}"


def _diploma_row(diploma: schools.Diploma, locale: str) -> dict[str, Any]:
    facts = [diploma.kind_label, _level_text(diploma.qualification_level, locale)]
    return {
        "code": diploma.code,
        "title": diploma.title,
        "facts": " · ".join(f for f in facts if f),
        "href": f"/ecoles/{diploma.code}",
    }


def _step_row(step: schools.Step) -> dict[str, Any]:
    score = round(step.score)
    return {
        "role": step.role,
        "title": step.title,
        "score": score,
        "score_text": f"{score} %",
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
            {**_step_row(step), "next": [_step_row(n) for n in found.next_steps[step.role]]}
            for step in found.first_roles
        ]
        self.found = True
        self.loaded = True
