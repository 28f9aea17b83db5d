"""States of the counsellor workspace: /espace, /espace/beneficiaire/[id], /invitation/[code]
and the person's /mon-suivi.

Every handler asks the services (careerpath/services/workspace) in a thread; they decide who
may see what: an id in a URL is never enough (a beneficiary another counsellor follows looks
the same as one that does not exist). The views below are plain strings in the visitor's
language, built in the handlers.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx

from careerpath.domain.actions import BENEFICIARY_KINDS, ActionKind
from careerpath.i18n import (
    N_,
    Locale,
    by_locale_table,
    format_date,
    format_decimal,
    format_percent,
    gettext,
)
from careerpath.services.accounts import Actor, Need, Role
from careerpath.services.qr import qr_svg_data_uri
from careerpath.services.workspace import (
    CounsellorPlan,
    Follow,
    Invitations,
    Person,
    Store,
    WorkspaceError,
)
from careerpath.services.workspace.base import id_of, is_denial, objective_choice
from careerpath.services.workspace.export import caseload_csv
from careerpath.services.workspace.follow import (
    BeneficiaryDetail,
    CaseloadRow,
    SnapshotSummary,
)
from careerpath.services.workspace.overview import structures_overview
from careerpath.services.workspace.plans import KEEP, ActionEdit, ActionPlan
from careerpath.services.workspace.words import ACTION_KIND_NAMES, ACTION_STATUS_NAMES
from careerpath.ui.states.access import AccessMixin, current_actor
from careerpath.ui.states.device import device_of, technical_error
from careerpath.ui.states.route import page_params

log = logging.getLogger(__name__)
DISPLAY_ZONE = ZoneInfo("Europe/Paris")
WORKSPACE_ROUTE = "/espace"
BENEFICIARY_ROUTE = "/espace/beneficiaire"

STATUS_NAMES = by_locale_table({"open": N_("En cours"), "closed": N_("Clos")})
COUNSELLOR_KINDS = BENEFICIARY_KINDS


def _store() -> Store:
    return Store.of()


def _when(moment: datetime, locale: Locale) -> str:
    return format_date(moment.astimezone(DISPLAY_ZONE).date(), locale)


def _when_time(moment: datetime, locale: Locale) -> str:
    """« 1er décembre 2026, 14:05 »: two snapshots of one day stay apart."""
    local = moment.astimezone(DISPLAY_ZONE)
    return gettext(
        "{date}, {time}",
        locale,
        date=format_date(local.date(), locale),
        time=local.strftime("%H:%M"),
    )


def _percent(value: float | None, locale: Locale) -> str:
    return format_percent(value, locale) if value is not None else "—"


def _change(value: float | None, locale: Locale) -> str:
    if value is None:
        return ""
    points = format_decimal(abs(value), locale, digits=0)
    if round(value) == 0:
        return gettext("stable", locale)
    sign = "+" if value > 0 else "−"
    return gettext("{sign}{points} points", locale, sign=sign, points=points)


@dataclasses.dataclass
class CaseloadView:
    """One line of /espace."""

    id: str = ""
    href: str = ""
    label: str = ""
    goal: str = ""
    last_activity: str = ""
    readiness: str = ""
    change: str = ""
    status: str = ""
    stale: bool = False
    sharing: bool = True
    overdue: str = ""
    update_requested: str = ""
    counsellor: str = ""
    """« Suivi·e par … », on a manager's list (every counsellor's beneficiaries)."""


def _caseload_view(row: CaseloadRow, locale: Locale) -> CaseloadView:
    overdue = gettext("Actions en retard : {n}", locale, n=row.overdue) if row.overdue > 0 else ""
    return CaseloadView(
        id=row.id,
        href=f"{BENEFICIARY_ROUTE}/{row.id}",
        label=row.label,
        goal=row.goal_title or gettext("Pas encore d'objectif", locale),
        last_activity=_when(row.last_activity, locale),
        readiness=_percent(row.readiness, locale),
        change=_change(row.change, locale),
        status=STATUS_NAMES[locale].get(row.status, row.status),
        stale=row.stale,
        sharing=row.sharing,
        overdue=overdue,
        update_requested=(
            gettext(
                "Mise à jour demandée le {date}", locale, date=_when(row.update_requested, locale)
            )
            if row.update_requested is not None
            else ""
        ),
        counsellor=(
            gettext("Suivi·e par {who}", locale, who=row.counsellor) if row.counsellor else ""
        ),
    )


@dataclasses.dataclass
class InvitationView:
    code: str = ""
    link: str = ""
    qr: str = ""
    expires: str = ""


@dataclasses.dataclass
class SnapshotView:
    id: str = ""
    date: str = ""
    answered: str = ""
    readiness: str = ""
    hours: str = ""


def _snapshot_view(s: SnapshotSummary, locale: Locale) -> SnapshotView:
    return SnapshotView(
        id=s.id,
        date=_when_time(s.created_at, locale),
        answered=gettext("Réponses : {n}", locale, n=s.answered),
        readiness=_percent(s.readiness, locale),
        hours=(
            gettext("{h} h de formation restantes", locale, h=format_decimal(s.plan_hours, locale))
            if s.plan_hours is not None
            else ""
        ),
    )


@dataclasses.dataclass
class ChangeView:
    label: str = ""
    before: str = ""
    after: str = ""
    moved: bool = False


@dataclasses.dataclass
class PlanItemUi:
    training: str = ""
    title: str = ""
    hours: str = ""


@dataclasses.dataclass
class CommentView:
    author: str = ""
    text: str = ""
    date: str = ""


@dataclasses.dataclass
class ActionView:
    id: int = 0
    kind: str = ""
    title: str = ""
    due: str = ""
    status: str = ""
    status_code: str = ""
    author: str = ""
    overdue: bool = False
    comments: list[CommentView] = dataclasses.field(default_factory=list)
    start: str = ""
    """« début : 4 janvier 2027 », or ""."""
    start_iso: str = ""
    due_iso: str = ""
    objective_id: str = ""
    """The objective's id as the forms' selects carry it ("" for none)."""
    objective: str = ""
    editable: bool = True
    """False once the follow-up is closed: the page offers no change (the services refuse)."""
    form_key: str = ""
    """Changes with every saved change, so the edit form starts again from what is stored."""


@dataclasses.dataclass
class ObjectiveGroupView:
    """An objective and its actions (id "" holds the actions under no objective)."""

    id: str = ""
    title: str = ""
    goal: bool = False
    """The objective is a goal role."""
    actions: list[ActionView] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class HistoryView:
    """Who followed the person, when."""

    counsellor: str = ""
    period: str = ""
    current: bool = False


def _action_views(
    plan: ActionPlan, locale: Locale, *, person_side: bool = False, editable: bool = True
) -> list[ActionView]:
    """The plan's actions; on the person's own page, what they wrote says « vous »."""
    objectives = {o.id: o.title for o in plan.objectives}
    authors = {
        "counsellor": gettext("le ou la conseiller·ère", locale),
        "beneficiary": gettext("vous", locale) if person_side else gettext("la personne", locale),
    }
    return [
        ActionView(
            id=a.id,
            kind=ACTION_KIND_NAMES[locale].get(a.kind.value, a.kind.value),
            title=a.title,
            due=(gettext("échéance : {d}", locale, d=format_date(a.due, locale)) if a.due else ""),
            status=ACTION_STATUS_NAMES[locale].get(a.status.value, a.status.value),
            status_code=a.status.value,
            author=gettext("ajoutée par {who}", locale, who=authors.get(a.created_by.value, "")),
            overdue=a.overdue,
            comments=[
                CommentView(
                    author=c.author_name or authors.get(c.author.value, ""),
                    text=c.text,
                    date=_when(c.created_at, locale),
                )
                for c in a.comments
            ],
            start=(
                gettext("début : {d}", locale, d=format_date(a.start, locale)) if a.start else ""
            ),
            start_iso=a.start.isoformat() if a.start else "",
            due_iso=a.due.isoformat() if a.due else "",
            objective_id=str(a.objective_id) if a.objective_id else "",
            objective=objectives.get(a.objective_id or 0, ""),
            editable=editable,
            form_key="|".join(
                (
                    str(a.id),
                    a.status.value,
                    str(a.start),
                    str(a.due),
                    a.title,
                    str(a.objective_id),
                    str(len(a.comments)),
                )
            ),
        )
        for a in plan.actions
    ]


def _objective_groups(plan: ActionPlan, actions: list[ActionView]) -> list[ObjectiveGroupView]:
    """Actions under their objective, in the objectives' order; then those under none."""
    groups = [
        ObjectiveGroupView(
            id=str(o.id),
            title=o.title,
            goal=o.role is not None,
            actions=[a for a in actions if a.objective_id == str(o.id)],
        )
        for o in plan.objectives
    ]
    loose = [a for a in actions if not a.objective_id]
    if loose:
        groups.append(ObjectiveGroupView(id="", title="", actions=loose))
    return groups


def _history_views(detail: BeneficiaryDetail, locale: Locale) -> list[HistoryView]:
    return [
        HistoryView(
            counsellor=h.counsellor,
            period=(
                gettext(
                    "du {start} au {end}",
                    locale,
                    start=_when(h.started_at, locale),
                    end=_when(h.ended_at, locale),
                )
                if h.ended_at is not None
                else gettext("depuis le {start}", locale, start=_when(h.started_at, locale))
            ),
            current=h.ended_at is None,
        )
        for h in reversed(detail.history)
    ]


def _action_id(value: object) -> int:
    """The action a form or an event names (refused as « not in this plan » if malformed)."""
    return id_of(value, "action")


def _shown_id(value: object) -> int:
    """Which action's form shows the message (0, none of them, for a malformed id)."""
    try:
        return id_of(value, "action")
    except WorkspaceError:
        return 0


def _error_text(error: WorkspaceError, locale: Locale) -> str:
    return error.message(locale)


class WorkspaceState(AccessMixin, rx.State):
    """/espace: the caseload (search, sort, pages) and « Inviter »."""

    rows: list[CaseloadView] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    query: str = ""
    sort: str = "activity"
    status: str = "open"
    error: str = ""
    invite_error: str = ""
    invitation: InvitationView = InvitationView()
    invite_open: bool = False
    manager: bool = False
    """A structure's manager: each line says who follows the person."""

    async def _refresh(self, locale: Locale) -> bool:
        actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
        if actor is None:
            return False
        found = await asyncio.to_thread(
            Follow(_store()).caseload,
            actor,
            self.query,
            self.sort,
            self.page,
            status=self.status,
        )
        self.rows = [_caseload_view(r, locale) for r in found.rows]
        self.manager = actor.role is Role.STRUCTURE_ADMIN
        self.total, self.page, self.pages = found.total, found.page, found.pages
        return True

    async def _run(self) -> Any:
        _, locale = await device_of(self, create=False)
        self.error = ""
        try:
            if not await self._refresh(locale):
                return self._refusal()
        except Exception:
            log.exception("loading /espace failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def load(self) -> Any:
        self.page = 1
        self.invite_open = False
        self.invitation = InvitationView()
        self.invite_error = ""
        return await self._run()

    @rx.event
    async def search(self, form: dict[str, Any]) -> Any:
        self.query = str(form.get("q", ""))[:100]
        self.page = 1
        return await self._run()

    @rx.event
    async def set_sort_key(self, value: str) -> Any:
        self.sort = value if value in ("activity", "label", "readiness", "status") else "activity"
        self.page = 1
        return await self._run()

    @rx.event
    async def set_status_filter(self, value: str) -> Any:
        self.status = value if value in ("open", "closed", "all") else "open"
        self.page = 1
        return await self._run()

    @rx.event
    async def next_page(self) -> Any:
        self.page = min(self.page + 1, self.pages)
        return await self._run()

    @rx.event
    async def previous_page(self) -> Any:
        self.page = max(1, self.page - 1)
        return await self._run()

    @rx.event
    async def download_csv(self) -> Any:
        """The whole caseload as CSV (the same file as GET /api/v1/beneficiaries.csv)."""
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
        if actor is None:
            return self._refusal()
        try:
            text = await asyncio.to_thread(caseload_csv, Follow(_store()), actor, locale)
        except Exception:
            log.exception("exporting the caseload failed")
            self.error = technical_error(locale)
            return None
        return rx.download(
            data=text.encode("utf-8"), filename="beneficiaires.csv", mime_type="text/csv"
        )

    @rx.event
    def open_invite(self) -> None:
        self.invite_open = True
        self.invitation = InvitationView()
        self.invite_error = ""

    @rx.event
    async def invite(self, form: dict[str, Any]) -> Any:
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
        if actor is None:
            return self._refusal()
        self.invite_error = ""
        try:
            made = await asyncio.to_thread(
                Invitations(_store()).create, actor, str(form.get("label", ""))
            )
        except WorkspaceError as error:
            self.invite_error = _error_text(error, locale)
            return None
        except Exception:
            log.exception("creating an invitation failed")
            self.invite_error = technical_error(locale)
            return None
        self.invitation = InvitationView(
            code=made.shown_code,
            link=made.url,
            qr=qr_svg_data_uri(made.url),
            expires=_when(made.expires_at, locale),
        )
        await self._refresh(locale)
        return None


class BeneficiaryState(AccessMixin, rx.State):
    """/espace/beneficiaire/[id]: one person over time and the action plan."""

    beneficiary_id: str = ""
    found: bool = False
    label: str = ""
    status: str = ""
    closed: bool = False
    closed_reason: str = ""
    sharing: bool = False
    goal: str = ""
    counsellor: str = ""
    snapshots: list[SnapshotView] = []
    actions: list[ActionView] = []
    kinds: list[list[str]] = []
    notes: list[CommentView] = []
    plan_items: list[PlanItemUi] = []
    note_error: str = ""
    close_error: str = ""
    pending_code: str = ""
    pending_link: str = ""
    pending_qr: str = ""
    error: str = ""
    action_error: str = ""
    # The action plan's structure (objectives → actions) and who follows the person.
    groups: list[ObjectiveGroupView] = []
    objectives: list[list[str]] = []
    """[id, title] of each objective, for the forms' selects."""
    goal_code: str = ""
    goal_objective_missing: bool = False
    objective_error: str = ""
    edit_error: str = ""
    edit_error_id: int = 0
    history: list[HistoryView] = []
    may_reassign: bool = False
    counsellor_choices: list[list[str]] = []
    """[e-mail, name] of the structure's counsellors a manager may choose."""
    reassign_error: str = ""
    reassign_message: str = ""

    def _id(self) -> str:
        return str(page_params(self).get("id", "") or "")[:64]

    async def _refresh(self, actor: Actor, locale: Locale) -> None:
        store = _store()
        ident = self._id()
        self.beneficiary_id = ident
        detail = await asyncio.to_thread(Follow(store).detail, actor, ident)
        self.found = True
        self.label = detail.label
        self.status = STATUS_NAMES[locale].get(detail.status, detail.status)
        self.closed = detail.status != "open"
        self.closed_reason = detail.closed_reason
        self.sharing = detail.sharing
        self.goal = detail.goal_title
        self.counsellor = detail.counsellor
        self.snapshots = [_snapshot_view(s, locale) for s in reversed(detail.snapshots)]
        self.kinds = [[k.value, ACTION_KIND_NAMES[locale][k.value]] for k in COUNSELLOR_KINDS]
        self.actions, self.notes = [], []
        self.plan_items = []
        self.pending_code = self.pending_link = self.pending_qr = ""
        self.groups, self.objectives, self.goal_code = [], [], detail.goal or ""
        self.goal_objective_missing = False
        if detail.sharing:
            plan = await asyncio.to_thread(CounsellorPlan(store).read, actor, ident)
            self.actions = _action_views(plan, locale, editable=not self.closed)
            self._set_structure(plan)
            items = await asyncio.to_thread(Follow(store).plan_items, actor, ident)
            self.plan_items = [
                PlanItemUi(
                    training=i.training,
                    title=i.title,
                    hours=gettext("{h} h", locale, h=format_decimal(i.hours, locale)),
                )
                for i in items
            ]
            notes = await asyncio.to_thread(Follow(store).notes, actor, ident)
            self.notes = [
                CommentView(author=n.author, text=n.text, date=_when_time(n.created_at, locale))
                for n in notes
            ]
        elif not self.closed:
            pending = await asyncio.to_thread(Invitations(store).pending, actor, ident)
            if pending is not None:
                self.pending_code = pending.shown_code
                self.pending_link = pending.url
                self.pending_qr = qr_svg_data_uri(pending.url)
        await self._refresh_team(actor, ident, detail, locale)

    def _set_structure(self, plan: ActionPlan) -> None:
        """Objectives → actions, and whether the person's goal is an objective yet."""
        self.groups = _objective_groups(plan, self.actions)
        self.objectives = [[str(o.id), o.title] for o in plan.objectives]
        self.goal_objective_missing = bool(self.goal_code) and all(
            o.role != self.goal_code for o in plan.objectives
        )

    async def _refresh_team(
        self, actor: Actor, ident: str, detail: BeneficiaryDetail, locale: Locale
    ) -> None:
        """Who followed the person when; for a manager, whom the follow-up may go to."""
        follow = await asyncio.to_thread(lambda: Follow(_store()))
        self.history = _history_views(detail, locale)
        self.may_reassign = await asyncio.to_thread(follow.may_reassign, actor, ident)
        self.counsellor_choices = []
        if self.may_reassign:
            choices = await asyncio.to_thread(follow.counsellors, actor, ident)
            self.counsellor_choices = [
                [c.email, c.name if c.name == c.email else f"{c.name} ({c.email})"]
                for c in choices
                if not c.current
            ]
            self.may_reassign = bool(self.counsellor_choices)

    async def _run(self, actor: Actor | None = None) -> Any:
        _, locale = await device_of(self, create=False)
        if actor is None:
            actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
        if actor is None:
            return self._refusal()
        self.error = ""
        try:
            await self._refresh(actor, locale)
        except WorkspaceError as error:
            self.found = False
            if is_denial(error):
                self.access = "denied"
            else:
                self.error = _error_text(error, locale)
        except Exception:
            log.exception("loading a beneficiary failed")
            self.error = technical_error(locale)
        return None

    @rx.event
    async def load(self) -> Any:
        self.found = False
        self.action_error = ""
        self.edit_error = self.objective_error = self.reassign_error = self.reassign_message = ""
        return await self._run()

    async def _write(self, call: Callable[[Actor], object], error_field: str, what: str) -> Any:
        """One change by the counsellor (`call(actor)`, in a thread), then the page again;
        a refusal shows under the form (`error_field`), an unreachable follow-up as denied."""
        _, locale = await device_of(self, create=False)
        actor = await self._actor_for(Need.COUNSELLOR_WORKSPACE)
        if actor is None:
            return self._refusal()
        setattr(self, error_field, "")
        try:
            await asyncio.to_thread(call, actor)
        except WorkspaceError as error:
            if is_denial(error):
                self.access = "denied"
            else:
                setattr(self, error_field, _error_text(error, locale))
            return None
        except Exception:
            log.exception("%s failed", what)
            setattr(self, error_field, technical_error(locale))
            return None
        return await self._run(actor)

    @rx.event
    async def add_action(self, form: dict[str, Any]) -> Any:
        ident = self._id()
        kind, title = str(form.get("kind", "free")), str(form.get("title", ""))
        start, due = str(form.get("start", "")), str(form.get("due", ""))
        objective = form.get("objective")
        return await self._write(
            lambda actor: CounsellorPlan(_store()).add_action(
                actor, ident, kind, title, start, due, objective_choice(objective)
            ),
            "action_error",
            "adding an action",
        )

    @rx.event
    async def add_training(self, training: str) -> Any:
        """« Ajouter au plan d'action » on an item of the person's training plan."""
        ident, code = self._id(), str(training)
        return await self._write(
            lambda actor: CounsellorPlan(_store()).add_training(actor, ident, code),
            "action_error",
            "adding a training to the action plan",
        )

    @rx.event
    async def update_action(self, form: dict[str, Any]) -> Any:
        """The counsellor's edit of one action: status, start, due date, title, objective —
        all checked by the service, nothing written when one is wrong."""
        ident, action, objective = self._id(), form.get("action"), form.get("objective")
        title = str(form["title"]) if "title" in form else None
        status = str(form.get("status", "")) or None
        start, due = str(form.get("start", "")), str(form.get("due", ""))
        self.edit_error_id = _shown_id(action)
        return await self._write(
            lambda actor: CounsellorPlan(_store()).update_action(
                actor,
                ident,
                _action_id(action),
                ActionEdit(
                    title=KEEP if title is None else title,
                    status=KEEP if status is None else status,
                    start=start,
                    due=due,
                    objective_id=objective_choice(objective),
                ),
            ),
            "edit_error",
            "editing an action",
        )

    @rx.event
    async def comment_action(self, form: dict[str, Any]) -> Any:
        """A comment of the counsellor's on an action (the person sees it)."""
        ident, text, action = self._id(), str(form.get("text", "")), form.get("action")
        self.edit_error_id = _shown_id(action)
        return await self._write(
            lambda actor: CounsellorPlan(_store()).comment(actor, ident, _action_id(action), text),
            "edit_error",
            "commenting an action",
        )

    @rx.event
    async def add_objective(self, form: dict[str, Any]) -> Any:
        ident, title = self._id(), str(form.get("objective_title", ""))
        return await self._write(
            lambda actor: CounsellorPlan(_store()).add_objective(actor, ident, title),
            "objective_error",
            "adding an objective",
        )

    @rx.event
    async def add_goal_objective(self) -> Any:
        """The person's goal role becomes an objective (its title the role's)."""
        ident, role = self._id(), self.goal_code
        return await self._write(
            lambda actor: CounsellorPlan(_store()).add_objective(actor, ident, "", role),
            "objective_error",
            "adding the goal as an objective",
        )

    @rx.event
    async def rename_objective(self, form: dict[str, Any]) -> Any:
        ident, title = self._id(), str(form.get("objective_title", ""))
        objective = form.get("objective")
        return await self._write(
            lambda actor: CounsellorPlan(_store()).rename_objective(
                actor, ident, id_of(objective, "objective", "objective_id"), title
            ),
            "objective_error",
            "renaming an objective",
        )

    @rx.event
    async def delete_objective(self, objective: str) -> Any:
        ident = self._id()
        return await self._write(
            lambda actor: CounsellorPlan(_store()).delete_objective(
                actor, ident, id_of(objective, "objective", "objective_id")
            ),
            "objective_error",
            "removing an objective",
        )

    @rx.event
    async def reassign(self, form: dict[str, Any]) -> Any:
        """A manager gives the follow-up to another counsellor of the structure."""
        _, locale = await device_of(self, create=False)
        ident, email = self._id(), str(form.get("counsellor", ""))[:254]
        self.reassign_message = ""
        done = await self._write(
            lambda actor: Follow(_store()).reassign(actor, ident, email),
            "reassign_error",
            "reassigning a follow-up",
        )
        if not self.reassign_error and self.access != "denied":
            self.reassign_message = gettext(
                "Le suivi est confié à {who}.", locale, who=self.counsellor
            )
        return done

    @rx.event
    async def add_note(self, form: dict[str, Any]) -> Any:
        ident, text = self._id(), str(form.get("note", ""))
        return await self._write(
            lambda actor: Follow(_store()).add_note(actor, ident, text),
            "note_error",
            "adding a note",
        )

    @rx.event
    async def close(self, form: dict[str, Any]) -> Any:
        """Closing asks for a reason and makes the follow-up read-only."""
        ident, reason = self._id(), str(form.get("reason", ""))
        return await self._write(
            lambda actor: Follow(_store()).close(actor, ident, reason),
            "close_error",
            "closing a follow-up",
        )


class InvitationState(rx.State):
    """/invitation/[code]: on the person's phone, no account — who asks, what, how long."""

    loaded: bool = False
    valid: bool = False
    counsellor: str = ""
    structure: str = ""
    expires: str = ""
    answer: str = ""
    """"" while unanswered, then accepted or refused."""
    error: str = ""
    has_assessment: bool = False

    def _code(self) -> str:
        return str(page_params(self).get("code", "") or "")[:40]

    @rx.event
    async def load(self) -> None:
        device_id, locale = await device_of(self, create=True)
        self.loaded, self.valid, self.answer, self.error = False, False, "", ""
        store = _store()
        try:
            preview = await asyncio.to_thread(Invitations(store).preview, self._code())
            current = await asyncio.to_thread(Person(store).has_assessment, device_id)
        except WorkspaceError as error:
            self.error = _error_text(error, locale)
            self.loaded = True
            return
        except Exception:
            log.exception("loading an invitation failed")
            self.error = technical_error(locale)
            self.loaded = True
            return
        self.counsellor = preview.counsellor
        self.structure = preview.structure
        self.expires = _when(preview.expires_at, locale)
        self.has_assessment = current
        if preview.status == "expired":
            self.error = WorkspaceError("expired").message(locale)
        elif preview.status != "pending":
            self.error = WorkspaceError("answered").message(locale)
        else:
            self.valid = True
        self.loaded = True

    async def _answer(self, accept: bool) -> None:
        device_id, locale = await device_of(self, create=True)
        invitations = await asyncio.to_thread(lambda: Invitations(_store()))
        self.error = ""
        try:
            if accept:
                await asyncio.to_thread(invitations.accept, self._code(), device_id)
            else:
                await asyncio.to_thread(invitations.refuse, self._code(), device_id)
        except WorkspaceError as error:
            self.error = _error_text(error, locale)
            return
        except Exception:
            log.exception("answering an invitation failed")
            self.error = technical_error(locale)
            return
        self.answer = "accepted" if accept else "refused"
        self.valid = False

    @rx.event
    async def accept(self) -> None:
        await self._answer(True)

    @rx.event
    async def refuse(self) -> None:
        await self._answer(False)


@dataclasses.dataclass
class SharingView:
    """One follow-up this device shares, as /mon-suivi shows it."""

    id: str = ""
    counsellor: str = ""
    structure: str = ""
    since: str = ""
    open: bool = True
    actions: list[ActionView] = dataclasses.field(default_factory=list)
    update_requested: str = ""
    objectives: list[list[str]] = dataclasses.field(default_factory=list)
    """[id, title] of the plan's objectives (the person's own action may go under one)."""
    overdue: int = 0


class MySharingState(rx.State):
    """/mon-suivi: what this device shares, with whom, and « Arrêter le partage »."""

    loaded: bool = False
    shares: list[SharingView] = []
    confirming: str = ""
    message: str = ""
    error: str = ""
    kinds: list[list[str]] = []
    """[code, name] of the kinds of action the person may add."""
    add_error: str = ""
    add_form_key: int = 0
    """Bumped after an added action: the form starts empty again; a refusal keeps it."""

    async def _refresh(self) -> None:
        _, locale = await device_of(self, create=False)
        actor = await current_actor(self)
        found = await asyncio.to_thread(Person(_store()).follow_ups, actor)
        # The person's own actions are most often free text: that kind first.
        kinds = sorted(BENEFICIARY_KINDS, key=lambda k: k is not ActionKind.FREE)
        self.kinds = [[k.value, ACTION_KIND_NAMES[locale][k.value]] for k in kinds]
        self.shares = [
            SharingView(
                id=f.beneficiary_id,
                counsellor=f.counsellor,
                structure=f.structure,
                since=_when(f.since, locale),
                open=f.open,
                actions=_action_views(f.plan, locale, person_side=True, editable=f.open),
                objectives=[[str(o.id), o.title] for o in f.plan.objectives],
                overdue=f.plan.overdue,
                update_requested=(
                    gettext(
                        "Votre conseiller·ère vous a demandé de mettre à jour votre bilan le "
                        "{date}.",
                        locale,
                        date=_when(f.update_requested, locale),
                    )
                    if f.update_requested is not None
                    else ""
                ),
            )
            for f in found
        ]

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.loaded, self.confirming, self.message, self.error = False, "", "", ""
        self.add_error = ""
        try:
            await self._refresh()
        except Exception:
            log.exception("loading /mon-suivi failed")
            self.error = technical_error(locale)
        self.loaded = True

    async def _change(self, work: Any) -> None:
        """One change of the person's action plan, then the page as it now stands."""
        _, locale = await device_of(self, create=False)
        actor = await current_actor(self)
        self.error = self.message = ""
        try:
            await asyncio.to_thread(work, Person(_store()), actor)
            await self._refresh()
        except WorkspaceError as error:
            self.error = _error_text(error, locale)
        except Exception:
            log.exception("changing the person's action plan failed")
            self.error = technical_error(locale)

    @rx.event
    async def set_action_status(self, beneficiary_id: str, action_id: int, status: str) -> None:
        await self._change(
            lambda person, actor: person.set_status(
                actor, str(beneficiary_id), _action_id(action_id), str(status)
            )
        )

    @rx.event
    async def comment(self, form: dict[str, Any]) -> None:
        share, text, action = (
            str(form.get("share", "")),
            str(form.get("text", "")),
            form.get("action"),
        )
        await self._change(
            lambda person, actor: person.comment(actor, share, _action_id(action), text)
        )

    @rx.event
    async def add_action(self, form: dict[str, Any]) -> None:
        """An action of the person's own (« ajoutée par vous »); a refusal shows under the
        form and nothing is written."""
        _, locale = await device_of(self, create=False)
        actor = await current_actor(self)
        self.add_error = self.message = ""
        share = str(form.get("share", ""))
        kind, title = str(form.get("kind", "free")), str(form.get("title", ""))
        start, due = str(form.get("start", "")), str(form.get("due", ""))
        objective = form.get("objective")
        try:
            await asyncio.to_thread(
                lambda: Person(_store()).add_action(
                    actor, share, kind, title, due, start, objective_choice(objective)
                )
            )
            self.add_form_key += 1
            await self._refresh()
        except WorkspaceError as error:
            self.add_error = _error_text(error, locale)
        except Exception:
            log.exception("adding the person's own action failed")
            self.add_error = technical_error(locale)

    @rx.event
    def ask_stop(self, beneficiary_id: str) -> None:
        self.confirming = beneficiary_id
        self.message = ""

    @rx.event
    def cancel_stop(self) -> None:
        self.confirming = ""

    @rx.event
    async def stop(self, beneficiary_id: str) -> None:
        _, locale = await device_of(self, create=False)
        actor = await current_actor(self)
        self.error = ""
        try:
            await asyncio.to_thread(Person(_store()).stop_sharing, actor, beneficiary_id)
            await self._refresh()
        except WorkspaceError as error:
            self.error = _error_text(error, locale)
            return
        except Exception:
            log.exception("stopping a share failed")
            self.error = technical_error(locale)
            return
        self.confirming = ""
        self.message = gettext(
            "Le partage est arrêté : votre conseiller·ère ne voit plus vos données.", locale
        )


@dataclasses.dataclass
class StructureCountsView:
    """One structure as an administrator sees it on /espace: numbers, no person."""

    name: str = ""
    people: str = ""
    follow_ups: str = ""
    stale: str = ""
    no_manager: bool = False


class PlatformOverviewState(AccessMixin, rx.State):
    """/espace for a platform administrator: each structure in numbers, read-only.

    The administrator belongs to no structure and sees no beneficiary (their names,
    assessments and plans stay the structure's); the page says so and where their own tools
    are. For anyone else this state stays out of the way (`access` is not "allowed") and
    `WorkspaceState` decides."""

    structures: list[StructureCountsView] = []
    error: str = ""

    @rx.event
    async def load(self) -> None:
        _, locale = await device_of(self, create=False)
        self.error, self.structures = "", []
        actor = await self._actor_for(Need.ADMINISTER)
        if actor is None:
            return
        try:
            found = await asyncio.to_thread(structures_overview, _store(), actor)
        except Exception:
            log.exception("loading the administrator's overview of /espace failed")
            self.error = technical_error(locale)
            return
        self.structures = [
            StructureCountsView(
                name=c.name,
                people=gettext(
                    "Conseiller·ères : {c} · responsables : {m}",
                    locale,
                    c=c.counsellors,
                    m=c.managers,
                ),
                follow_ups=gettext(
                    "Accompagnements en cours : {o} (dont {s} partagés) · clos : {d}",
                    locale,
                    o=c.open,
                    s=c.sharing,
                    d=c.closed,
                ),
                stale=(
                    gettext("Sans nouvelles depuis 2 mois : {n}", locale, n=c.stale)
                    if c.stale
                    else ""
                ),
                no_manager=c.managers == 0,
            )
            for c in found
        ]
