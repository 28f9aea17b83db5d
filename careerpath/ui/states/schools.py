"""States of the schools pages: the diplomas, the map from one of them (the phone view, with
the class poll's « ça m'intéresse » when a student came through a poll's code), a role seen
from a diploma, and the map read backwards (« Pour devenir … »)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from careerpath.i18n import Locale, by_locale
from careerpath.services import class_poll, labels, school_poster, schools
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)
MAX_PARAM = 200


@dataclass
class DiplomaRow:
    code: str = ""
    title: str = ""
    facts: str = ""
    href: str = ""


@dataclass
class StepRow:
    """One role on a map: title, proximity (as a bar and in words), where it leads."""

    role: str = ""
    title: str = ""
    score: int = 0
    score_text: str = ""
    why: str = ""
    href: str = ""
    ways_href: str = ""


@dataclass
class FirstRoleRow(StepRow):
    next: list[StepRow] = field(default_factory=list)


@dataclass
class WayRow:
    """One way into a role: a diploma, and the first job it goes through (if any)."""

    title: str = ""
    via: str = ""
    facts: str = ""
    score_text: str = ""
    href: str = ""


def diploma_facts(diploma: schools.Diploma, locale: Locale) -> str:
    level = labels.qualification_level(diploma.qualification_level, locale, short=True)
    return " · ".join(f for f in (diploma.kind_label, level) if f)


def _diploma_row(diploma: schools.Diploma, locale: Locale) -> DiplomaRow:
    return DiplomaRow(
        diploma.code, diploma.title, diploma_facts(diploma, locale), f"/ecoles/{diploma.code}"
    )


def step_row(step: schools.Step, diploma: str, locale: Locale) -> StepRow:
    return StepRow(
        role=step.role,
        title=step.title,
        score=round(step.score),
        score_text=labels.percent(step.score, locale),
        why=step.why,
        href=f"/ecoles/{diploma}/metier/{step.role}",
        ways_href=f"/ecoles/devenir/{step.role}",
    )


def first_role_rows(found: schools.Progression, locale: Locale) -> list[FirstRoleRow]:
    code = found.diploma.code
    rows = []
    for step in found.first_roles:
        row = step_row(step, code, locale)
        rows.append(
            FirstRoleRow(
                **row.__dict__,
                next=[step_row(n, code, locale) for n in found.next_steps[step.role]],
            )
        )
    return rows


def way_rows(ways: tuple[schools.WayIn, ...], locale: Locale) -> list[WayRow]:
    return [
        WayRow(
            title=w.diploma.title,
            via=w.via.title if w.via else "",
            facts=diploma_facts(w.diploma, locale),
            score_text=labels.percent(w.score, locale),
            href=f"/ecoles/{w.diploma.code}",
        )
        for w in ways
    ]


def _param(state: rx.State, name: str) -> str:
    return str(page_params(state).get(name, "") or "")[:MAX_PARAM]


class SchoolsState(rx.State):
    """/ecoles: every diploma and titre professionnel of the referential, by level."""

    loaded: bool = False
    error: str = ""
    diplomas: list[DiplomaRow] = []

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        try:
            found = await asyncio.to_thread(schools.diplomas, None, locale)
            self.diplomas = [_diploma_row(d, locale) for d in found]
        except Exception:
            log.exception("loading /ecoles failed")
            self.error = technical_error(locale)
        self.loaded = True


POLL_MESSAGES = {
    "closed": by_locale(
        "Ce sondage est terminé ou ce code n'existe pas : la carte reste consultable."
    ),
    "refused": by_locale(
        "Cette réponse n'a pas pu être prise en compte (sondage complet ou métier hors carte)."
    ),
}


class ProgressionState(rx.State):
    """/ecoles/[diplome] and /c/[code]: the roles a diploma opens first, then the steps after
    each; through a class poll's code, the student's « ça m'intéresse » on each role."""

    loaded: bool = False
    found: bool = False
    error: str = ""
    code: str = ""
    title: str = ""
    facts: str = ""
    first_roles: list[FirstRoleRow] = []
    poll_code: str = ""
    poll_message: str = ""
    chosen: list[str] = []
    # The random token this browser answers class polls with (never linked to a device id).
    voter: str = rx.LocalStorage("", name="careerpath_sondage", sync=True)

    async def _show(self, code: str, locale: Locale) -> None:
        self.code = code
        self.first_roles = []
        try:
            found = await asyncio.to_thread(schools.progression, None, code, locale=locale)
        except schools.UnknownDiploma:
            self.found = False
            return
        self.title, self.facts = found.diploma.title, diploma_facts(found.diploma, locale)
        self.first_roles = first_role_rows(found, locale)
        self.found = True

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        self.poll_code = ""
        self.poll_message = ""
        self.chosen = []
        try:
            await self._show(_param(self, "diplome"), locale)
        except Exception:
            log.exception("loading /ecoles/%s failed", self.code)
            self.error = technical_error(locale)
            self.found = False
        self.loaded = True

    @rx.event
    async def load_poll(self) -> None:
        """/c/[code]: the short link of a class poll opens its diploma's map."""
        _, locale = await device_of(self, create=False)
        self.error = ""
        self.poll_message = ""
        self.chosen = []
        code = class_poll.normalise_code(_param(self, "code"))
        try:
            diploma = await asyncio.to_thread(class_poll.poll_diploma, code)
        except class_poll.PollClosed:
            self.poll_code = ""
            self.found = False
            self.code = code
            self.poll_message = POLL_MESSAGES["closed"][locale]
            self.loaded = True
            return
        except Exception:
            log.exception("loading /c/%s failed", code)
            self.error = technical_error(locale)
            self.loaded = True
            return
        if not class_poll.is_voter_token(self.voter):
            self.voter = class_poll.new_voter_token()
        try:
            await self._show(diploma, locale)
            mine = await asyncio.to_thread(class_poll.my_answers, code, self.voter)
        except Exception:
            log.exception("loading /c/%s failed", code)
            self.error = technical_error(locale)
            self.loaded = True
            return
        self.poll_code = code
        self.chosen = sorted(mine)
        self.loaded = True

    @rx.event
    async def toggle_interest(self, role: Any) -> None:
        """« Ça m'intéresse » on a role, or taken back."""
        _, locale = await device_of(self, create=False)
        if not self.poll_code or not isinstance(role, str) or len(role) > 512:
            self.poll_message = POLL_MESSAGES["refused"][locale]
            return
        if not class_poll.is_voter_token(self.voter):
            self.voter = class_poll.new_voter_token()
        interested = role not in self.chosen
        try:
            mine = await asyncio.to_thread(
                class_poll.answer, self.poll_code, self.voter, role, interested
            )
        except class_poll.PollClosed:
            self.poll_message = POLL_MESSAGES["closed"][locale]
            self.poll_code = ""
            return
        except class_poll.PollRefused:
            self.poll_message = POLL_MESSAGES["refused"][locale]
            return
        except Exception:
            log.exception("answering a class poll failed")
            self.poll_message = technical_error(locale)
            return
        self.poll_message = ""
        self.chosen = sorted(mine)

    @rx.event
    async def download_poster(self, paper: Any) -> EventSpec | None:
        """The printable A4 or A3 poster of this diploma's map, with its QR code."""
        _, locale = await device_of(self, create=False)
        if paper not in school_poster.PAPER_SIZES or not self.found:
            return None
        try:
            data = await asyncio.to_thread(school_poster.poster, self.code, paper, locale)
            pdf = await asyncio.to_thread(school_poster.render_poster, data)
        except Exception:
            log.exception("making the poster of %s failed", self.code)
            self.error = technical_error(locale)
            return None
        return rx.download(
            data=pdf,
            filename=school_poster.poster_filename(self.code, paper),
            mime_type="application/pdf",
        )


@dataclass
class RequirementRow:
    label: str = ""
    essential: bool = False


class DiplomaRoleState(rx.State):
    """/ecoles/[diplome]/metier/[role]: a role seen from a diploma — what the diploma brings,
    what remains to learn, where it leads, and which other diplomas lead to it."""

    loaded: bool = False
    found: bool = False
    error: str = ""
    diploma: str = ""
    diploma_title: str = ""
    role: str = ""
    title: str = ""
    description: str = ""
    score: int = 0
    score_text: str = ""
    why: str = ""
    covered: list[RequirementRow] = []
    to_learn: list[RequirementRow] = []
    next_steps: list[StepRow] = []
    direct: list[WayRow] = []

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        self.diploma, self.role = _param(self, "diplome"), _param(self, "role")
        try:
            view = await asyncio.to_thread(
                schools.diploma_role, None, self.diploma, self.role, locale
            )
        except (schools.UnknownDiploma, schools.UnknownRole):
            self.found = False
            self.loaded = True
            return
        except Exception:
            log.exception("loading /ecoles/%s/metier/%s failed", self.diploma, self.role)
            self.error = technical_error(locale)
            self.found = False
            self.loaded = True
            return
        self.diploma_title = view.diploma.title
        self.title = view.title
        self.description = view.description
        self.score = round(view.score)
        self.score_text = labels.percent(view.score, locale)
        self.why = view.why
        self.covered = [RequirementRow(r.label, r.essential) for r in view.covered]
        self.to_learn = [RequirementRow(r.label, r.essential) for r in view.to_learn]
        self.next_steps = [step_row(s, self.diploma, locale) for s in view.next_steps]
        self.direct = way_rows(view.ways_in.direct, locale)
        self.found = True
        self.loaded = True


class WaysInState(rx.State):
    """/ecoles/devenir/[role]: « Pour devenir … » — the diplomas and titres that lead there."""

    loaded: bool = False
    found: bool = False
    error: str = ""
    role: str = ""
    title: str = ""
    direct: list[WayRow] = []
    after: list[WayRow] = []

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error = ""
        self.role = _param(self, "role")
        try:
            ways = await asyncio.to_thread(schools.ways_into, None, self.role, locale)
        except schools.UnknownRole:
            self.found = False
            self.loaded = True
            return
        except Exception:
            log.exception("loading /ecoles/devenir/%s failed", self.role)
            self.error = technical_error(locale)
            self.found = False
            self.loaded = True
            return
        self.title = ways.title
        self.direct = way_rows(ways.direct, locale)
        self.after = way_rows(ways.after, locale)
        self.found = True
        self.loaded = True
