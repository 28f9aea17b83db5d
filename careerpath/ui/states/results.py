"""States of the results: profile, next roles, one role, and the plan to a target."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from careerpath.domain.assessment import AgeBand
from careerpath.i18n import gettext, ngettext
from careerpath.services import labels
from careerpath.services.assessments import MODALITIES, AssessmentStore
from careerpath.services.constraints_form import parse_constraints
from careerpath.services.context import current_context
from careerpath.services.next_roles_view import MORE_STEP, RoleGroupView, next_roles_view
from careerpath.services.plan_view import PlanItemView, plan_view
from careerpath.services.profile import (
    CategoryLevel,
    GrowthItem,
    StrengthItem,
    profile_view,
    unanswered_view,
)
from careerpath.services.questionnaire import RefineCategory
from careerpath.services.role_finder import FoundRole, find_roles
from careerpath.services.role_page import PathView, RequirementLine, role_view
from careerpath.services.role_titles import known_roles
from careerpath.services.search import fold
from careerpath.services.situation_words import talk_to, value_uses
from careerpath.services.value_words import ValueTheme
from careerpath.ui.states import snapshot
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.offload import current_assessment, with_context
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)

STRENGTHS_SHOWN = 8
"""Strengths listed at once; the others are one tap away."""


class ProfileState(rx.State):
    """/profil: strengths first, the value in words, levels by category, what can grow."""

    loaded: bool = False
    missing: bool = False
    error: str = ""
    strengths_title: str = ""
    strengths: list[StrengthItem] = []
    more_strengths: list[StrengthItem] = []
    categories: list[CategoryLevel] = []
    growth: list[GrowthItem] = []
    growth_intro: str = ""
    answered_text: str = ""
    unanswered_sentence: str = ""
    unanswered: int = 0
    best_step: int = 0
    refine: list[RefineCategory] = []
    value_themes: list[ValueTheme] = []
    value_text: str = ""
    value_note: str = ""
    value_intro: str = ""
    copied: bool = False

    @rx.event
    async def load(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        self.error = ""
        self.copied = False
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            self.missing = stored is None
            if stored is not None:
                view = await asyncio.to_thread(with_context, profile_view, locale, stored)
                self.strengths_title = view.strengths_title
                self.strengths = list(view.strengths[:STRENGTHS_SHOWN])
                self.more_strengths = list(view.strengths[STRENGTHS_SHOWN:])
                self.categories = list(view.categories)
                self.growth = list(view.growth)
                self.growth_intro = view.growth_intro
                self.answered_text = ngettext(
                    "{n} compétence évaluée sur {total}.",
                    "{n} compétences évaluées sur {total}.",
                    view.answered,
                    locale,
                    total=view.total,
                )
                self.unanswered = view.unanswered.unanswered
                self.unanswered_sentence = view.unanswered.sentence
                self.best_step = view.unanswered.best_step
                self.refine = [r for r in view.refine if r.unanswered > 0]
                self.value_themes = list(view.value.themes)
                self.value_text = view.value.text
                self.value_note = view.value.note
                uses = value_uses(stored.situation, locale)
                self.value_intro = gettext(
                    "Un texte à reprendre dans {uses}, classé par ce que ce travail a "
                    "d'invisible :",
                    locale,
                    uses=uses,
                )
        except Exception:
            log.exception("loading /profil failed")
            self.error = technical_error(locale)
        self.loaded = True
        if self.missing or self.error:
            return None
        return snapshot.keep_on_device(
            snapshot.PROFILE,
            {
                "answered": self.answered_text,
                "strengths": snapshot.pick(
                    [asdict(s) for s in self.strengths + self.more_strengths],
                    "label",
                    "level_name",
                ),
                "categories": snapshot.pick(
                    [asdict(c) for c in self.categories],
                    "category",
                    "average_text",
                    "answered",
                    "total",
                ),
                "growth": [
                    {
                        **snapshot.pick([asdict(g)], "label", "has_name", "needs_name")[0],
                        "roles": ", ".join(g.roles),
                    }
                    for g in self.growth
                ],
            },
        )

    @rx.event
    def copy_value(self) -> EventSpec:
        """« Copier le texte »: to the clipboard, and say so."""
        self.copied = True
        return rx.set_clipboard(self.value_text)


class RolesState(rx.State):
    """/metiers: next roles in three groups; "Pas pour moi" hides one and the list refills;
    « Voir plus » opens a whole group."""

    loaded: bool = False
    missing: bool = False
    error: str = ""
    groups: list[RoleGroupView] = []
    hidden_count: int = 0
    unanswered_sentence: str = ""
    best_step: int = 0
    extra: dict[str, int] = {}
    _assessment_id: str = ""
    _saved_groups: list[RoleGroupView] = []

    async def _refresh(self) -> None:
        device_id, locale = await device_of(self)
        stored = await asyncio.to_thread(current_assessment, device_id)
        self.missing = stored is None
        if stored is None:
            self.groups = []
            self._assessment_id = ""
            self._saved_groups = []
            return
        ctx = await asyncio.to_thread(current_context, locale)
        extra = dict(self.extra)

        def views() -> tuple[list[RoleGroupView], list[RoleGroupView], Any]:
            groups = next_roles_view(ctx, stored, extra=extra)
            # The device keeps the groups as the page opens them (no « Voir plus »).
            saved = next_roles_view(ctx, stored, extra={}) if any(extra.values()) else groups
            return groups, saved, unanswered_view(ctx, stored)

        groups, saved, unanswered = await asyncio.to_thread(views)
        self.groups = groups
        self._assessment_id = stored.id
        self._saved_groups = saved
        self.hidden_count = len(known_roles(ctx.referential, stored.hidden_roles))
        self.unanswered_sentence = unanswered.sentence if unanswered.unanswered else ""
        self.best_step = unanswered.best_step

    def _keep_on_device(self) -> EventSpec | None:
        if self.missing:
            # No assessment on this device any more: its last roles must not be shown again.
            return snapshot.forget_on_device(snapshot.ROLES)
        if self.error:
            return None
        return snapshot.keep_on_device(
            snapshot.ROLES,
            {
                "assessment": self._assessment_id,
                "unanswered": self.unanswered_sentence,
                "best_step": self.best_step,
                "groups": [
                    {
                        "group": g.group,
                        "title": g.title,
                        "hint": g.hint,
                        "more": g.more,
                        "cards": snapshot.pick(
                            [asdict(c) for c in g.cards],
                            "code",
                            "title",
                            "score",
                            "score_text",
                            "why",
                            "gaps",
                            "is_target",
                        ),
                    }
                    for g in self._saved_groups
                ],
            },
        )

    @rx.event
    async def load(self) -> EventSpec | None:
        self.error = ""
        self.extra = {}
        try:
            await self._refresh()
        except Exception:
            log.exception("loading /metiers failed")
            _, locale = await device_of(self)
            self.error = technical_error(locale)
        self.loaded = True
        return self._keep_on_device()

    @rx.event
    async def show_more(self, group: str) -> EventSpec | None:
        """« Voir plus »: every role of this group."""
        if not isinstance(group, str) or group not in {g.group for g in self.groups}:
            return None
        self.extra = {**self.extra, group: self.extra.get(group, 0) + MORE_STEP}
        try:
            await self._refresh()
        except Exception:
            log.exception("showing a whole group failed")
            _, locale = await device_of(self)
            self.error = technical_error(locale)
        return self._keep_on_device()

    @rx.event
    async def hide(self, code: str) -> EventSpec | None:
        device_id, locale = await device_of(self)
        try:

            def hide() -> bool:
                store = AssessmentStore()
                stored = store.current(device_id)
                if stored is not None:
                    store.hide_role(stored.id, code)
                return stored is not None

            if not await asyncio.to_thread(hide):
                return None
            await self._refresh()
        except Exception:
            log.exception("hiding a role failed")
            self.error = technical_error(locale)
        return self._keep_on_device()

    @rx.event
    async def show_hidden(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        try:

            def unhide() -> None:
                store = AssessmentStore()
                stored = store.current(device_id)
                if stored is not None:
                    store.unhide_roles(stored.id)

            await asyncio.to_thread(unhide)
            await self._refresh()
        except Exception:
            log.exception("showing hidden roles failed")
            self.error = technical_error(locale)
        return self._keep_on_device()


class GoalSearchState(rx.State):
    """« Un autre objectif » on /metiers and /objectif: any role, typed or browsed."""

    query: str = ""
    results: list[FoundRole] = []
    message: str = ""
    all_roles: list[FoundRole] = []

    @rx.event
    async def set_query(self, query: str) -> None:
        _, locale = await device_of(self, create=False)
        self.query = str(query)[:120]
        try:
            found = await asyncio.to_thread(with_context, find_roles, locale, self.query)
        except Exception:
            log.exception("goal search failed")
            self.results = []
            self.message = technical_error(locale)
            return
        self.results = list(found.roles)
        self.message = "" if found.roles or not self.query.strip() else found.message

    @rx.event
    async def browse(self) -> None:
        """Every role of the referential, by title."""
        _, locale = await device_of(self, create=False)
        try:
            ctx = await asyncio.to_thread(current_context, locale)
            self.all_roles = [
                FoundRole(r.code, r.title, "")
                for r in sorted(ctx.referential.roles, key=lambda r: fold(r.title))
            ]
        except Exception:
            log.exception("listing every role failed")
            self.all_roles = []


class RoleState(rx.State):
    """/metier/[code]: a role against the person's ratings, the paths to it, the choice."""

    loaded: bool = False
    found: bool = True
    has_assessment: bool = False
    error: str = ""
    code: str = ""
    title: str = ""
    description: str = ""
    facts: list[str] = []
    codes: str = ""
    score: float = 0.0
    score_text: str = ""
    requirements: list[RequirementLine] = []
    acquired_count: int = 0
    paths: list[PathView] = []
    effort_note: str = ""
    route_sentence: str = ""
    one_training_sentence: str = ""
    is_target: bool = False
    is_current: bool = False

    @rx.event
    async def load(self) -> None:
        device_id, locale = await device_of(self)
        code = str(page_params(self).get("code", "") or "")[:512]
        self.error = ""
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            view = await asyncio.to_thread(with_context, role_view, locale, code, stored)
        except Exception:
            log.exception("loading /metier failed")
            self.error = technical_error(locale)
            self.loaded = True
            return
        self.has_assessment = stored is not None
        self.found = view is not None
        self.code = code
        if view is None:
            self.title = ""
            self.requirements = []
            self.paths = []
            self.loaded = True
            return
        self.title = view.title
        self.description = view.description
        self.facts = list(view.facts)
        self.codes = view.codes
        self.score = view.score
        self.score_text = view.score_text
        self.requirements = list(view.requirements)
        self.acquired_count = sum(1 for r in view.requirements if r.acquired)
        self.paths = list(view.paths)
        self.effort_note = view.effort_note
        self.route_sentence = view.route_sentence
        self.one_training_sentence = view.one_training_sentence
        self.is_target = view.is_target
        self.is_current = view.is_current
        self.loaded = True

    @rx.event
    async def choose(self) -> EventSpec | None:
        device_id, locale = await device_of(self)
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None or not self.found or not self.code:
                return rx.redirect("/bilan")
            await asyncio.to_thread(AssessmentStore().set_target, stored.id, self.code)
        except Exception:
            log.exception("choosing a target failed")
            self.error = technical_error(locale)
            return None
        return rx.redirect("/objectif")


@dataclass(frozen=True)
class PlanItemRow:
    """One plan item as the plan and share pages show it (covers and funding in one line)."""

    code: str = ""
    title: str = ""
    kind_label: str = ""
    modality: str = ""
    hours_text: str = ""
    cost_text: str = ""
    cpf: bool = False
    covers: str = ""
    out_of_pocket_text: str = ""
    funding: str = ""
    vae_text: str = ""
    why: str = ""
    is_vae: bool = False
    blocs_text: str = ""


@dataclass(frozen=True)
class VaeRow:
    """A VAE route the plan page suggests, with what it would close."""

    code: str = ""
    title: str = ""
    sentence: str = ""
    covers: str = ""


@dataclass(frozen=True)
class ModalityChoice:
    """One checkbox of the plan's modality choice."""

    code: str = ""
    label: str = ""
    checked: bool = False


def plan_items(view_items: Iterable[PlanItemView]) -> list[PlanItemRow]:
    """Plan items as the pages' rows (covers and funding joined in one line each)."""
    return [
        PlanItemRow(
            code=i.code,
            title=i.title,
            kind_label=i.kind_label,
            modality=i.modality,
            hours_text=i.hours_text,
            cost_text=i.cost_text,
            cpf=i.cpf,
            covers=", ".join(i.covers),
            out_of_pocket_text=i.out_of_pocket_text,
            funding=" · ".join(
                f"{f.label} ({f.amount_text})" if f.amount_text else f.label for f in i.funding
            ),
            vae_text=i.vae_text,
            why=i.why,
            is_vae=i.is_vae,
            blocs_text=i.blocs_text,
        )
        for i in view_items
    ]


AGE_EXCEPTION_BAND = AgeBand.FROM_30.value  # the exception lifts the limit at 30 and over


class PlanState(rx.State):
    """/objectif: the training plan to the target, recomputed when constraints change."""

    loaded: bool = False
    missing: bool = False
    no_target: bool = False
    error: str = ""
    form_errors: list[str] = []
    target: str = ""
    target_title: str = ""
    score_text: str = ""
    items: list[PlanItemRow] = []
    vae: list[VaeRow] = []
    hours_text: str = ""
    cost_text: str = ""
    weeks_text: str = ""
    summary: str = ""
    uncovered_sentence: str = ""
    gaps: int = 0
    hours_per_week: str = ""
    budget: str = ""
    modalities: list[ModalityChoice] = []
    form_key: int = 0
    updated_text: str = ""
    talk_to: str = ""
    route_sentence: str = ""
    one_training_sentence: str = ""
    out_of_pocket_text: str = ""
    estimate_note: str = ""
    blocked_sentence: str = ""
    relaxed_items: list[PlanItemRow] = []
    show_relaxed: bool = False
    horizon_months: str = ""
    cpf_balance: str = ""
    qualification_level: str = ""
    age_band: str = ""
    ask_level: bool = False
    ask_age: bool = False
    ask_cpf: bool = False
    in_progress_sentence: str = ""
    in_progress_covers_all: bool = False
    age_exception: str = ""  # "", "yes" or "no", as the form's select
    ask_age_exception: bool = False

    @rx.event
    def toggle_relaxed(self) -> None:
        self.show_relaxed = not self.show_relaxed

    async def _refresh(self) -> None:
        device_id, locale = await device_of(self)
        stored = await asyncio.to_thread(current_assessment, device_id)
        self.missing = stored is None
        view = (
            None
            if stored is None
            else await asyncio.to_thread(with_context, plan_view, locale, stored)
        )
        self.no_target = view is None
        if stored is None or view is None:  # nothing left of an earlier goal (deleted data)
            self.target = ""
            self.target_title = ""
            self.items = []
            self.vae = []
            self.summary = ""
            self.route_sentence = ""
            self.one_training_sentence = ""
            self.blocked_sentence = ""
            self.relaxed_items = []
            self.in_progress_sentence = ""
            self.in_progress_covers_all = False
            if stored is not None:
                self.talk_to = talk_to(stored.situation, locale)
            return
        self.talk_to = talk_to(stored.situation, locale)
        self.target = view.target
        self.target_title = view.target_title
        self.score_text = view.score_text
        self.items = plan_items(view.items)
        self.route_sentence = view.route_sentence
        self.one_training_sentence = view.one_training_sentence
        self.in_progress_sentence = view.in_progress_sentence
        self.in_progress_covers_all = bool(
            view.in_progress_sentence
            and not view.items
            and not view.uncovered
            and not view.blocked_sentence
        )
        self.out_of_pocket_text = view.out_of_pocket_text
        self.estimate_note = view.estimate_note
        self.blocked_sentence = view.blocked_sentence
        self.relaxed_items = plan_items(view.relaxed.items) if view.relaxed else []
        self.show_relaxed = False
        c = view.constraints
        self.horizon_months = (
            "" if c.horizon_months is None else labels.decimal(c.horizon_months, locale)
        )
        self.cpf_balance = (
            "" if c.cpf_balance_eur is None else labels.decimal(c.cpf_balance_eur, locale)
        )
        self.qualification_level = (
            "" if c.qualification_level is None else str(c.qualification_level)
        )
        self.age_band = c.age_band
        self.ask_level = "qualification_level" in view.ask or c.qualification_level is not None
        self.ask_age = "age_band" in view.ask or c.age_band != ""
        self.ask_cpf = "cpf_balance_eur" in view.ask or c.cpf_balance_eur is not None
        self.age_exception = "" if c.age_exception is None else ("yes" if c.age_exception else "no")
        self.ask_age_exception = "age_exception" in view.ask or c.age_exception is not None
        self.vae = [VaeRow(v.code, v.title, v.sentence, ", ".join(v.covers)) for v in view.vae]
        self.hours_text = view.hours_text
        self.cost_text = view.cost_text
        self.weeks_text = view.weeks_text
        self.gaps = view.gaps
        pace = labels.decimal(view.constraints.hours_per_week, locale)
        if not view.items:
            self.summary = ""
        else:
            self.summary = ngettext(
                "{n} étape · {hours} · reste à charge estimé {cost} · environ {weeks} à "
                "{pace} h par semaine",
                "{n} étapes · {hours} · reste à charge estimé {cost} · environ {weeks} à "
                "{pace} h par semaine",
                len(view.items),
                locale,
                hours=view.hours_text,
                cost=view.out_of_pocket_text,
                weeks=view.weeks_text,
                pace=pace,
            )
        self.uncovered_sentence = view.uncovered_sentence
        constraints = view.constraints
        self.hours_per_week = labels.decimal(constraints.hours_per_week, locale)
        self.budget = (
            "" if constraints.budget_eur is None else labels.decimal(constraints.budget_eur, locale)
        )
        self.modalities = [
            ModalityChoice(
                m, labels.label(labels.MODALITIES, m, locale), m in constraints.modalities
            )
            for m in MODALITIES
        ]
        self.form_key += 1

    def _keep_on_device(self) -> EventSpec | None:
        if self.missing or self.no_target or self.error:
            return None
        return snapshot.keep_on_device(
            snapshot.PLAN,
            {
                "target": self.target_title,
                "score": self.score_text,
                "summary": self.summary,
                "items": snapshot.pick(
                    [asdict(i) for i in self.items],
                    "title",
                    "kind_label",
                    "modality",
                    "hours_text",
                    "cost_text",
                    "covers",
                    "why",
                ),
                "hours": self.hours_text,
                "cost": self.cost_text,
                "weeks": self.weeks_text,
                "uncovered": self.uncovered_sentence,
            },
        )

    @rx.event
    async def load(self) -> EventSpec | None:
        _, locale = await device_of(self)
        self.error = ""
        self.form_errors = []
        self.updated_text = ""
        try:
            await self._refresh()
        except Exception:
            log.exception("loading /objectif failed")
            self.error = technical_error(locale)
        self.loaded = True
        return self._keep_on_device()

    @rx.event
    async def apply(self, form: dict[str, Any]) -> EventSpec | None:
        device_id, locale = await device_of(self)
        parsed = parse_constraints(form, locale)
        self.form_errors = list(parsed.errors)
        self.updated_text = ""
        if parsed.errors:
            return None
        try:
            stored = await asyncio.to_thread(current_assessment, device_id)
            if stored is None:
                self.missing = True
                return None
            await asyncio.to_thread(
                AssessmentStore().set_constraints,
                stored.id,
                parsed.hours_per_week,
                parsed.budget_eur,
                parsed.modalities,
            )
            await asyncio.to_thread(
                AssessmentStore().set_profile,
                stored.id,
                parsed.qualification_level
                if "qualification_level" in form
                else stored.qualification_level,
                parsed.age_band if "age_band" in form else stored.age_band,
                parsed.horizon_months,
                parsed.cpf_balance_eur if "cpf_balance" in form else stored.cpf_balance_eur,
            )
            band = parsed.age_band if "age_band" in form else stored.age_band
            if "age_exception" in form and band == AGE_EXCEPTION_BAND:
                await asyncio.to_thread(
                    AssessmentStore().set_age_exception, stored.id, parsed.age_exception
                )
            await self._refresh()
        except Exception:
            log.exception("updating the plan failed")
            self.error = technical_error(locale)
            return None
        self.updated_text = gettext("Plan mis à jour selon vos contraintes.", locale)
        return self._keep_on_device()
