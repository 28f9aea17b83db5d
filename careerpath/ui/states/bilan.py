"""States of the self-assessment: choosing a situation and a role, then rating by category."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from dataclasses import asdict, replace
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from careerpath.i18n import gettext, ngettext
from careerpath.services.assessments import (
    SITUATIONS,
    AssessmentGone,
    AssessmentStore,
    StoredAssessment,
)
from careerpath.services.context import current_context
from careerpath.services.questionnaire import (
    CompetencyQuestion,
    StepView,
    answered_count,
    answers_from_device,
    resume_step,
    step_count,
    step_view,
)
from careerpath.services.referential import load_referential
from careerpath.services.referential_text import localized
from careerpath.services.role_finder import FoundRole, find_roles
from careerpath.services.role_titles import role_title
from careerpath.services.start_rules import NO_ROLE, allows_no_role, start_choice
from careerpath.ui.states import snapshot
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.offload import current_assessment, with_context
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)


class StartState(rx.State):
    """/bilan: resume an assessment, or start one with a situation and a current role."""

    loaded: bool = False
    has_current: bool = False
    resume_text: str = ""
    show_form: bool = True
    situation: str = ""
    query: str = ""
    results: list[FoundRole] = []
    search_message: str = ""
    suggested_situation: str = ""
    situation_key: int = 0  # changes when the server sets the situation (the radios remount)
    role_code: str = ""
    role_title: str = ""
    error: str = ""
    _resume_step: int = 1
    _diploma: str = ""  # the diploma typed that led to the role picked (server side only)

    def _forget_choices(self) -> None:
        """Clear the form (after the person deleted their data)."""
        self.situation = ""
        self.role_code = ""
        self.role_title = ""
        self._diploma = ""
        self.query = ""
        self.results = []
        self.search_message = ""
        self.has_current = False
        self.show_form = True

    @rx.var
    def allows_no_role(self) -> bool:
        return allows_no_role(self.situation)

    @rx.event
    async def load(self) -> None:
        device_id, locale = await device_of(self)
        self.error = ""
        self.query = ""
        self.results = []
        self.search_message = ""
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None:
                self.has_current = False
                self.show_form = True
            else:
                ctx = await asyncio.to_thread(current_context, locale)
                answered, asked = answered_count(ctx.referential, stored)
                role = role_title(ctx.referential, stored.current_role or stored.target) or (
                    gettext("sans métier choisi", locale)
                )
                self.has_current = True
                self.show_form = False
                self._resume_step = resume_step(ctx, stored)
                self.resume_text = ngettext(
                    "{n} réponse sur {asked} — {role}",
                    "{n} réponses sur {asked} — {role}",
                    answered,
                    locale,
                    asked=asked,
                    role=role,
                )
        except Exception:
            log.exception("loading /bilan failed")
            self.error = technical_error(locale)
        self.loaded = True

    @rx.event
    def resume(self) -> EventSpec:
        return rx.redirect(f"/bilan/etape/{self._resume_step}")

    @rx.event
    def start_over(self) -> None:
        self.show_form = True

    @rx.event
    def set_situation(self, situation: str) -> None:
        if situation in SITUATIONS:
            if situation == self.suggested_situation:
                self.situation_key += 1
            self.suggested_situation = ""
            self.situation = situation
            if self.role_code == NO_ROLE and not allows_no_role(situation):
                self.role_code = ""
                self.role_title = ""
            self.error = ""

    @rx.event
    async def set_query(self, query: str) -> None:
        _, locale = await device_of(self)
        self.query = query[:120]
        text = self.query.strip()
        if not text:
            self.results = []
            self.search_message = ""
            return
        try:
            found = await asyncio.to_thread(with_context, find_roles, locale, text)
        except Exception:
            log.exception("role search failed")
            self.results = []
            self.search_message = technical_error(locale)
            return
        self.results = list(found.roles)
        self.search_message = found.message
        self.suggested_situation = (
            found.situation if found.situation and found.situation != self.situation else ""
        )

    @rx.event
    async def pick_role(self, code: str, title: str) -> None:
        # Both come from the browser: only a role of the referential is kept, under its own
        # title (a forged event cannot put any text on the page).
        del title
        _, locale = await device_of(self, create=False)
        known = (
            await asyncio.to_thread(lambda: role_title(localized(load_referential(), locale), code))
            if isinstance(code, str)
            else ""
        )
        if not known:
            return
        self.role_code = code
        self.role_title = known
        # The diploma comes from the server's own search results, never from the browser.
        self._diploma = next((r.diploma for r in self.results if r.code == code), "")
        self.error = ""

    @rx.event
    def pick_no_role(self) -> None:
        self.role_code = NO_ROLE
        self.role_title = ""
        self._diploma = ""
        self.error = ""

    @rx.event
    async def start(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        try:
            situation, role_code, diploma = self.situation, self.role_code, self._diploma
            choice = await asyncio.to_thread(
                lambda: start_choice(load_referential(), situation, role_code, locale, diploma)
            )
            if choice.error:
                self.error = choice.error
                return None

            def start() -> StoredAssessment:
                store = AssessmentStore()
                stored = store.start(device_id, choice.situation, choice.current_role)
                if choice.target:
                    store.set_target(stored.id, choice.target)
                if choice.preparing:
                    store.set_preparing(stored.id, choice.preparing)
                return stored

            stored = await asyncio.to_thread(start)
        except Exception:
            log.exception("starting an assessment failed")
            self.error = technical_error(locale)
            return None
        return rx.call_script(
            f"window.careerpathDevice && window.careerpathDevice.adopt({json.dumps(stored.id)})",
            callback=StartState.go_to_first_step,
        )

    @rx.event
    def go_to_first_step(self, _result: Any = None) -> EventSpec:
        return rx.redirect("/bilan/etape/1")


class StepState(rx.State):
    """/bilan/etape/[etape]: a screen of competencies to rate.

    A rating click sends back only what changed (`answered`): the questions are shown with
    uncontrolled radios, so the list itself never travels again after the screen loads.
    """

    loaded: bool = False
    missing: bool = False
    out_of_range: bool = False
    error: str = ""
    assessment_id: str = ""
    number: int = 0
    total: int = 0
    first: bool = True
    first_total: int = 0
    category: str = ""
    progress_text: str = ""
    time_text: str = ""
    next_label: str = ""
    is_last: bool = False
    percent: int = 0
    questions: list[CompetencyQuestion] = []
    answered: int = 0
    confirm_skip: bool = False
    version: int = 0
    _rated: list[str] = []

    def _route_number(self) -> int:
        raw = str(page_params(self).get("etape", "") or "")
        return int(raw) if raw.isdigit() else 0

    @rx.event
    async def load(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        self.error = ""
        self.missing = False
        self.out_of_range = False
        self.confirm_skip = False
        number = self._route_number()
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None:
                self.missing = True
                self.questions = []
                self.loaded = True
                # No assessment on this device any more: its last step must not be shown again.
                return snapshot.forget_on_device(snapshot.STEP)
            ctx = await asyncio.to_thread(current_context, locale)
            view = await asyncio.to_thread(step_view, ctx, stored, number)
            if view is None:
                self.out_of_range = True
                self.questions = []
                self.total = step_count(ctx, stored)
                self.loaded = True
                return None
            await asyncio.to_thread(AssessmentStore().set_step, stored.id, number)
        except Exception:
            log.exception("loading a step failed")
            self.error = technical_error(locale)
            self.loaded = True
            return None
        self.assessment_id = stored.id
        self._show(view)
        self.loaded = True
        return _ask_device_answers()

    def _show(self, view: StepView) -> None:
        self.number = view.number
        self.total = view.total
        self.first = view.first
        self.first_total = view.first_total
        self.category = view.heading
        self.percent = view.percent
        self.progress_text = view.progress_text
        self.time_text = view.time_text
        self.next_label = view.next_label
        self.is_last = view.is_last
        self.questions = list(view.questions)
        self._rated = [q.code for q in view.questions if q.rating >= 0]
        self.answered = len(self._rated)
        self.version += 1

    def _keep_on_device(self) -> EventSpec:
        """The step as shown, so that the offline page can let the person go on answering
        and the step's page can show it at once next time (careerpath/ui/early_paint.py)."""
        return snapshot.keep_on_device(
            snapshot.STEP,
            {
                "assessment": self.assessment_id,
                "number": self.number,
                "total": self.total,
                "progress": self.progress_text,
                "percent": self.percent,
                "time": self.time_text,
                "first": self.first,
                "category": self.category,
                "questions": snapshot.pick(
                    [asdict(q) for q in self.questions],
                    "code",
                    "label",
                    "description",
                    "category",
                    "for_current_role",
                    "options",
                    "rating",
                ),
            },
        )

    @rx.event
    async def merge_device(self, payload: Any) -> list[EventSpec] | None:
        """Take back answers the device kept but the server never received."""
        assessment_id = self.assessment_id
        if not assessment_id:
            return None
        try:
            data = json.loads(payload) if isinstance(payload, str) else {}
        except ValueError:
            data = {}
        adopt = rx.call_script(
            f"window.careerpathDevice && window.careerpathDevice.adopt({json.dumps(assessment_id)})"
        )
        if isinstance(data, dict) and data.get("assessment") == assessment_id:
            try:

                def merge() -> dict[str, int]:
                    store = AssessmentStore()
                    stored = store.get(assessment_id)
                    missing = (
                        {}
                        if stored is None
                        else answers_from_device(load_referential(), stored, data.get("ratings"))
                    )
                    if missing:
                        store.rate_many(assessment_id, missing)
                    return missing

                missing = await asyncio.to_thread(merge)
                if missing:
                    self.questions = [
                        replace(q, rating=missing.get(q.code, q.rating)) for q in self.questions
                    ]
                    self._rated = [q.code for q in self.questions if q.rating >= 0]
                    self.answered = len(self._rated)
                    self.version += 1
            except Exception:
                log.exception("merging the device's answers failed")
        return [adopt, self._keep_on_device()]

    @rx.event
    async def rate(self, code: str, level: int) -> None:
        # Only an answer to a question this screen shows (so `load` ran, and noted the tab
        # for the device); the device's state, another round trip to the state store on the
        # scale-out stack, is read only for the language of an error.
        try:
            level = int(level)
        except (TypeError, ValueError):
            return
        if not 0 <= level <= 4 or not any(q.code == code for q in self.questions):
            return
        try:
            await asyncio.to_thread(AssessmentStore().rate, self.assessment_id, code, level)
        except AssessmentGone:
            _, locale = await device_of(self, create=False)
            # Deleted from another tab of this device: nothing is saved, and we say so.
            self.questions = []
            self.error = gettext(
                "Ce bilan a été supprimé : votre réponse n'a pas été enregistrée. "
                "Recommencez un bilan pour continuer.",
                locale,
            )
            return
        except Exception:
            log.exception("saving an answer failed")
            _, locale = await device_of(self, create=False)
            self.error = gettext(
                "Votre réponse est gardée sur cet appareil mais n'a pas pu être enregistrée "
                "sur le serveur. Elle le sera au prochain chargement.",
                locale,
            )
            return
        if self.error:
            self.error = ""
        if code not in self._rated:
            self._rated = [*self._rated, code]
            self.answered = len(self._rated)
            if self.confirm_skip:
                self.confirm_skip = False

    def _next(self) -> EventSpec:
        if self.is_last:
            return rx.redirect("/profil")
        return rx.redirect(f"/bilan/etape/{self._shown_number() + 1}")

    @rx.event
    def next_step(self) -> EventSpec | None:
        """« Suivant »: with nothing answered on this screen, ask first."""
        if self.answered == 0 and self.questions and not self.confirm_skip:
            self.confirm_skip = True
            return None
        return self._next()

    @rx.event
    def skip(self) -> EventSpec:
        """« Oui, passer » (or the explicit skip link): move on without answering."""
        self.confirm_skip = False
        return self._next()

    @rx.event
    def cancel_skip(self) -> None:
        self.confirm_skip = False

    @rx.event
    def previous_step(self) -> EventSpec:
        number = self._shown_number()
        if number <= 1:
            return rx.redirect("/bilan")
        return rx.redirect(f"/bilan/etape/{number - 1}")

    def _shown_number(self) -> int:
        """The step on screen: after a lost connection (a worker replaced) the page may come
        back with a fresh state, its click arriving before the step is loaded again."""
        return self.number or self._route_number()


@functools.cache
def _ask_device_answers() -> EventSpec:
    """The step page's question to the device: the answers it kept (`merge_device` takes
    back those the server lacks). Built once: `call_script` with a callback inspects the
    handler's signature each time (≈ 3 % of a busy worker, every step page opened)."""
    return rx.call_script(
        "window.careerpathDevice ? window.careerpathDevice.dump() : '{}'",
        callback=StepState.merge_device,
    )
