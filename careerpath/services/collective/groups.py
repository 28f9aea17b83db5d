"""Groups of the collective diagnosis: create, join from a phone, leave, the organiser's
figures (always through the domain's anonymity rule), two dates compared, the group's shared
action plan and its CSV export.

- An organiser (any signed-in account) creates a group and gets a code, a link and a QR
  code; the group belongs to the organiser's structure.
- A member joins on a phone with no account, from the device's assessment (an existing one,
  or a new one started for the group) in the assistants' panel, or in the panel of the
  people they work for, whose answers (the level needed tomorrow) are kept apart from any
  assessment. Leaving takes effect at once: the member counts in no state published
  afterwards. The organiser's account and the devices they open the group on cannot join.
- The group sees published states only (`domain.collective.publish_state`, stored by
  `services.collective.states`): a new one after at least k changed contributions, at most
  once per `collective_interval_h` (24 h) per panel; a member counts
  `collective_join_delay_h` (24 h) after joining. Shared words are part of the states.
- Only the organiser, or a manager of the group's structure, sees the figures, the plan and
  the exports (`domain.collective.organiser_may`); no view shows a member's answers.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.account_tables import AccountRow, StructureRow, SubjectRow
from careerpath.data.assessment_tables import AssessmentRatingRow, AssessmentRow
from careerpath.data.collective_tables import (
    GROUP_KINDS,
    CollectiveGroupRow,
    CollectiveMemberRow,
    CollectiveNeedRow,
)
from careerpath.data.csv_cells import csv_writer
from careerpath.domain.access import Account, Actor, Role
from careerpath.domain.actions import Author, PlanKind
from careerpath.domain.assessment import Assessment
from careerpath.domain.collective import (
    PLAN,
    READY,
    TEXT,
    Distribution,
    GroupFacts,
    Item,
    Panel,
    PanelState,
    Response,
    ScopeFigures,
    ScopeView,
    effective_k,
    in_force,
    organiser_may,
    scope_view,
    shared_now,
    texts_shown,
)
from careerpath.domain.engine import READY_MIN_SCORE
from careerpath.domain.invitations import display_code, new_code, normalise_code
from careerpath.domain.referential import MAX_RATING, Referential
from careerpath.i18n import by_locale, format_date, format_duration, gettext
from careerpath.services import labels
from careerpath.services.assessments import SITUATIONS, AssessmentStore, is_device_id
from careerpath.services.collective.states import (
    Published,
    at,
    forget_words,
    lock_group,
    mark,
    publish_due,
    states,
    version_of,
    words_mark,
)
from careerpath.services.context import Context, current_context
from careerpath.services.labels import Locale
from careerpath.services.referential_text import referential_text
from careerpath.services.workspace import plans
from careerpath.services.workspace.base import Store, WorkspaceError, new_id
from careerpath.services.workspace.invitations import qr_svg

T = TypeVar("T")
JOIN_ROUTE = "/g"
MAX_NAME = 120
MAX_SUBGROUPS = 12
MAX_SUBGROUP = 60
MAX_CONTEXT = 4000
MAX_STAFF_DEVICES = 50
MAX_SHARED = 1000

KIND_NAMES: dict[str, dict[str, str]] = {
    "service": by_locale("Service"),
    "equipe": by_locale("Équipe"),
    "promotion": by_locale("Promotion"),
    "club": by_locale("Club ou réseau"),
}

MESSAGES: dict[str, dict[str, str]] = {
    "not_found": by_locale("Ce groupe n'existe pas ou vous n'y avez pas accès."),
    "sign_in": by_locale("Connectez-vous pour organiser un groupe."),
    "code": by_locale("Ce code de groupe n'est pas valable : vérifiez-le (8 caractères)."),
    "name": by_locale("Donnez un nom au groupe (1 à 120 caractères)."),
    "kind": by_locale("Choisissez le type de groupe : service, équipe, promotion ou club."),
    "subgroups": by_locale("Les sous-groupes : au plus 12 noms de 60 caractères."),
    "subgroup": by_locale("Choisissez un des sous-groupes proposés."),
    "context": by_locale("La description du contexte fait au plus 4 000 caractères."),
    "panel": by_locale("Choisissez votre place : assistant·e, ou personne pour qui on travaille."),
    "device": by_locale("Cet appareil n'a pas encore d'identifiant : rechargez la page."),
    "no_assessment": by_locale(
        "Faites d'abord votre bilan sur cet appareil, ou commencez-en un nouveau pour le groupe."
    ),
    "already": by_locale("Cet appareil participe déjà à ce groupe, dans l'autre panel."),
    "staff": by_locale(
        "Vous organisez ce groupe ou en voyez les chiffres : vos réponses n'y comptent pas, "
        "pour que les chiffres restent anonymes."
    ),
    "not_member": by_locale("Cet appareil ne participe pas à ce groupe."),
    "competency": by_locale("Cette compétence n'est pas au référentiel."),
    "level": by_locale("Le niveau va de 0 (pas encore) à 4 (expertise)."),
    "dates": by_locale("Choisissez deux dates, la première avant la seconde."),
    "shared": by_locale("Votre texte fait au plus 1 000 caractères."),
    "consent": by_locale(
        "Cochez la case pour accepter que ce texte soit montré à qui organise le groupe, ou "
        "videz le texte."
    ),
}


class CollectiveError(WorkspaceError):
    """A refusal of the collective diagnosis (its own codes); nothing was written. A
    `WorkspaceError`: the group's shared plan is the workspace's action model."""

    messages = MESSAGES


class GroupNotFound(CollectiveError):
    """Unknown, or not this actor's to see: both look the same from outside."""

    def __init__(self) -> None:
        super().__init__("not_found", status=404)


# -- view models -----------------------------------------------------------------------


@dataclass(frozen=True)
class GroupCard:
    id: str
    name: str
    kind: str
    kind_name: str
    code: str
    shown_code: str
    url: str
    k: int
    subgroups: tuple[str, ...]
    context: str
    created_at: datetime

    @property
    def qr_svg(self) -> str:
        """The join link as a QR code (inline SVG, made on the server)."""
        return qr_svg(self.url)


@dataclass(frozen=True)
class JoinPreview:
    """What a person sees before joining (no figure of the group)."""

    code: str
    name: str
    kind_name: str
    organiser: str
    structure: str
    subgroups: tuple[str, ...]
    k: int = 5


@dataclass(frozen=True)
class Membership:
    member_id: str
    group_name: str
    panel: Panel
    subgroup: str
    joined_at: datetime
    answered: int
    shared: str = ""
    """The member's own words they agreed to share ("" : none)."""


@dataclass(frozen=True)
class NeedAnswers:
    """A manager-panel member's answers: the latest level of each competency, and the
    competency answered last (where they left off; "": none)."""

    levels: dict[str, int]
    last: str

    def resume_step(self, referential: Referential) -> int:
        """Where the manager left off, as a step of `need_categories`: the category of their
        last answer — the next one once it is complete — or the first one."""
        categories = need_categories(referential)
        found = referential.competency_by_code.get(self.last)
        if found is None or found.category not in categories:
            return 0
        step = categories.index(found.category)
        codes = [c.code for c in referential.competencies if c.category == found.category]
        if all(code in self.levels for code in codes) and step + 1 < len(categories):
            step += 1
        return step


def need_categories(referential: Referential) -> list[str]:
    """The managers' questions, one step per category, in the referential's order."""
    return list(dict.fromkeys(c.category for c in referential.competencies))


@dataclass(frozen=True)
class Levels:
    """A shown distribution: answers at each level 0–4 and the mean, in words too."""

    counts: tuple[int, ...]
    n: int
    mean: float
    mean_text: str
    level_name: str


@dataclass(frozen=True)
class CompetencyRow:
    code: str
    label: str
    category: str
    today: Levels | None
    tomorrow: Levels | None
    gap: float | None
    gap_text: str


@dataclass(frozen=True)
class CategoryRow:
    category: str
    today: Levels | None
    tomorrow: Levels | None
    gap: float | None
    gap_text: str


@dataclass(frozen=True)
class Named:
    """A competency named in words (a strength, a rising need)."""

    code: str
    label: str
    words: str


@dataclass(frozen=True)
class BridgeRow:
    role: str
    title: str
    ready: int


@dataclass(frozen=True)
class GroupView:
    """The organiser's view of one scope at one date: only what the anonymity rule allows."""

    date: str
    scope: str
    k: int
    assistants: int | None
    managers: int | None
    categories: tuple[CategoryRow, ...]
    competencies: tuple[CompetencyRow, ...]
    strengths_title: str
    strengths: tuple[Named, ...]
    rising: tuple[Named, ...]
    onboarding: tuple[Named, ...]
    """The onboarding checklist: what a newcomer should reach first."""
    bridges: tuple[BridgeRow, ...] | None
    note: str
    """Why some figures are missing (« moins de 5 réponses »…), or ""."""
    published: str = ""
    """When the figures shown were published, and when they change, or ""."""
    trainings: tuple[BridgeRow, ...] = ()
    """Trainings at least k members' own plans share: `role` is the training's code."""
    texts: tuple[str, ...] = ()
    """The whole group's shared words (a sub-group's view: none), alphabetically: those of
    the states in force at the view's date still shared now (`domain.collective.texts_shown`:
    never a withdrawn one, none below k)."""


@dataclass(frozen=True)
class Comparison:
    earlier: GroupView
    later: GroupView


# -- the service -----------------------------------------------------------------------


def join_url(code: str) -> str:
    return f"{load_settings().public_url}{JOIN_ROUTE}/{code}"


def _subgroups_of(row: CollectiveGroupRow) -> tuple[str, ...]:
    try:
        return tuple(str(x) for x in json.loads(row.subgroups or "[]"))
    except (ValueError, TypeError):
        return ()


def _clean(text: str, limit: int, code: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > limit or any(ord(ch) < 32 for ch in cleaned):
        raise CollectiveError(code, field=code)
    return cleaned


def device_digest(device_id: str) -> str:
    """How the group keeps a staff device: a digest, never the device id itself."""
    return hashlib.sha256(f"collective-staff|{device_id}".encode()).hexdigest()[:32]


def _staff_of(row: CollectiveGroupRow) -> frozenset[str]:
    try:
        return frozenset(str(x) for x in json.loads(row.staff_devices or "[]"))
    except (ValueError, TypeError):
        return frozenset()


def _check_scope(group: CollectiveGroupRow, scope: str) -> None:
    if scope and scope not in _subgroups_of(group):
        raise CollectiveError("subgroup", field="subgroup")


def _k(group: CollectiveGroupRow) -> int:
    """The group's threshold: the one it was created with, or the deployment's if that rose
    since (never below `MIN_K`)."""
    return effective_k(group.k, load_settings().anonymity_k)


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class Groups:
    """The collective diagnosis's services (every method is one short transaction)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- the organiser ----------------------------------------------------------------

    def create(
        self,
        actor: Actor,
        name: str,
        kind: str,
        *,
        subgroups: Sequence[str] = (),
        k: int | None = None,
        context: str = "",
    ) -> GroupCard:
        """A new group in the organiser's structure, with its code (link, QR code)."""
        account = actor.account
        if account is None:
            raise CollectiveError("sign_in", status=401)
        title = _clean(name, MAX_NAME, "name")
        if kind not in GROUP_KINDS:
            raise CollectiveError("kind", field="kind")
        parts = [" ".join(s.split()) for s in subgroups]
        parts = list(dict.fromkeys(p for p in parts if p))
        if len(parts) > MAX_SUBGROUPS or any(len(p) > MAX_SUBGROUP for p in parts):
            raise CollectiveError("subgroups", field="subgroups")
        if len(context) > MAX_CONTEXT:
            raise CollectiveError("context", field="context")
        threshold = effective_k(k, load_settings().anonymity_k)
        now = self.store.now()
        with Session(self.store.engine) as session:
            for _ in range(20):
                code = new_code()
                if session.exec(
                    select(CollectiveGroupRow).where(CollectiveGroupRow.code == code)
                ).first():
                    continue  # pragma: no cover  (7.8e10 codes)
                row = CollectiveGroupRow(
                    id=new_id(),
                    organiser_id=account.id,
                    structure_id=account.structure_id,
                    name=title,
                    kind=kind,
                    code=code,
                    k=threshold,
                    subgroups=json.dumps(parts, ensure_ascii=False),
                    context=context.strip(),
                    created_at=now,
                )
                session.add(row)
                try:
                    session.commit()
                except IntegrityError:  # pragma: no cover  (a concurrent writer took it)
                    session.rollback()
                    continue
                return self._card(row)
        raise GroupNotFound()  # pragma: no cover

    def mine(self, actor: Actor, locale: Locale = "fr") -> list[GroupCard]:
        """The groups this actor organises, and for a manager every group of the structure."""
        account = actor.account
        if account is None:
            return []
        with Session(self.store.engine) as session:
            rows = session.exec(
                select(CollectiveGroupRow).order_by(col(CollectiveGroupRow.created_at).desc())
            ).all()
            return [self._card(r, locale) for r in rows if organiser_may(actor, self._facts(r))]

    def find(self, actor: Actor, code_text: str) -> GroupCard:
        """The group of a code, if this actor may see its figures (else GroupNotFound)."""
        with Session(self.store.engine) as session:
            try:
                row = self._by_code(session, code_text)
            except CollectiveError as error:
                raise GroupNotFound() from error
            if not organiser_may(actor, self._facts(row)):
                raise GroupNotFound()
            return self._card(row)

    def operator_as(self, email: str) -> Actor:
        """The command line: the platform's operator acts as an active account (by e-mail)."""
        with Session(self.store.engine) as session:
            row = session.exec(
                select(AccountRow).where(AccountRow.email == email.strip().lower())
            ).first()
            if row is None or row.status != "active":
                raise CollectiveError("sign_in", status=401)
            structure = session.get(StructureRow, row.structure_id) if row.structure_id else None
            return Actor(
                account=Account(
                    id=row.id,
                    email=row.email,
                    role=Role(row.role),
                    structure_id=row.structure_id,
                    display_name=row.display_name,
                    structure_name=structure.name if structure else "",
                )
            )

    def card(self, actor: Actor, group_id: str, locale: Locale = "fr") -> GroupCard:
        with Session(self.store.engine) as session:
            return self._card(self._group_for(session, actor, group_id), locale)

    def note_staff_device(self, actor: Actor, group_id: str, device_id: str) -> None:
        """The organiser (or a manager) opened the group on this device: it may not join,
        and a membership it already has counts in no figure."""
        if not is_device_id(device_id):
            return
        digest = device_digest(device_id)
        with Session(self.store.engine) as session:
            row = self._group_for(session, actor, group_id)
            known = list(_staff_of(row))
            if digest in known:
                return
            row.staff_devices = json.dumps([*known, digest][-MAX_STAFF_DEVICES:])
            session.add(row)
            session.commit()

    def set_context(self, actor: Actor, group_id: str, context: str) -> None:
        """The organiser's own description of the context (the optional third input)."""
        if len(context) > MAX_CONTEXT:
            raise CollectiveError("context", field="context")
        with Session(self.store.engine) as session:
            row = self._group_for(session, actor, group_id)
            row.context = context.strip()
            session.add(row)
            session.commit()

    def view(
        self,
        actor: Actor,
        group_id: str,
        scope: str = "",
        ctx: Context | None = None,
    ) -> GroupView:
        """The figures in force for the whole group or one sub-group: each panel's last
        published state (a new one is published first if the anonymity rule allows it)."""
        ctx = ctx or current_context(database_url=self.store.url)
        now = self.store.now()
        with Session(self.store.engine) as session:
            group = self._group_for(session, actor, group_id)
            _check_scope(group, scope)
            k = _k(group)
            found, responses = self._publish(session, group, now, ctx)
            shown = {
                panel: in_force(
                    found[panel][-1].state if found[panel] else None, responses, k, scope
                )
                for panel in Panel
            }
            dates = [found[p][-1].published_at for p in Panel if found[p] and shown[p]]
            texts = _texts(
                {p: found[p][-1].state if found[p] else None for p in Panel}, responses, k, scope
            )
            return self._scope_view(ctx, k, now.date(), scope, found, shown, dates, texts)

    def published_dates(self, actor: Actor, group_id: str) -> list[date]:
        """The days a new state of the figures was published (either panel), newest first."""
        with Session(self.store.engine) as session:
            group = self._group_for(session, actor, group_id)
            days = {
                p.published_at.date() for panel in Panel for p in states(session, group.id, panel)
            }
            return sorted(days, reverse=True)

    def _publish(
        self, session: Session, group: CollectiveGroupRow, now: datetime, ctx: Context
    ) -> tuple[dict[Panel, list[Published]], list[Response]]:
        responses = self._responses(session, group, now, ctx, latest=True)
        items = _items(ctx, [responses])
        subgroups = _subgroups_of(group)
        group_id, k = group.id, _k(group)
        interval = timedelta(hours=load_settings().collective_interval_h)
        found = {
            panel: publish_due(
                session, group_id, panel, responses, items, k, subgroups, now, interval
            )
            for panel in Panel
        }
        return found, responses

    @staticmethod
    def _scope_view(
        ctx: Context,
        k: int,
        day: date,
        scope: str,
        found: Mapping[Panel, Sequence[Published]],
        shown: Mapping[Panel, ScopeFigures | None],
        published: Sequence[datetime],
        texts: tuple[str, ...] = (),
    ) -> GroupView:
        codes = {
            i.code: i
            for panel in Panel
            if shown[panel] is not None
            for p in found[panel][-1:]
            for i in p.state.items
        }
        items = [codes[c.code] for c in ctx.referential.competencies if c.code in codes] + [
            i for c, i in codes.items() if c not in ctx.referential.competency_by_code
        ]
        view = scope_view(
            day.isoformat(), scope, items, shown[Panel.ASSISTANT], shown[Panel.MANAGER]
        )
        return _group_view(ctx, k, view, max(published) if published else None, texts)

    def compare(
        self,
        actor: Actor,
        group_id: str,
        earlier: date,
        later: date,
        scope: str = "",
        ctx: Context | None = None,
    ) -> Comparison:
        """The group at two dates (end of each day): the published states in force then. Any
        two published states were checked together, so their difference isolates nobody."""
        if earlier >= later:
            raise CollectiveError("dates", field="dates")
        ctx = ctx or current_context(database_url=self.store.url)
        now = self.store.now()
        with Session(self.store.engine) as session:
            group = self._group_for(session, actor, group_id)
            _check_scope(group, scope)
            k = _k(group)
            found, responses = self._publish(session, group, now, ctx)
            views = []
            for day in (earlier, later):
                moment = min(_end_of(day), now)
                current = responses if moment >= now else None
                picked: dict[Panel, list[Published]] = {}
                shown: dict[Panel, ScopeFigures | None] = {}
                for panel in Panel:
                    chosen = at(found[panel], moment)
                    picked[panel] = [chosen] if chosen else []
                    shown[panel] = in_force(chosen.state if chosen else None, current, k, scope)
                dates = [picked[p][0].published_at for p in Panel if picked[p] and shown[p]]
                # a past date's words too: only those still shared now
                texts = _texts(
                    {p: picked[p][0].state if picked[p] else None for p in Panel},
                    responses,
                    k,
                    scope,
                )
                views.append(self._scope_view(ctx, k, day, scope, picked, shown, dates, texts))
            return Comparison(views[0], views[1])

    def export_csv(
        self, actor: Actor, group_id: str, ctx: Context | None = None, locale: Locale = "fr"
    ) -> str:
        """Today's shown figures as CSV (suppressed cells stay empty), the shared plan, then
        the shared words the group sees now (`view`)."""
        ctx = ctx or current_context(locale, database_url=self.store.url)
        view = self.view(actor, group_id, ctx=ctx)
        plan = self.plan(actor, group_id)
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(
            [
                gettext("Catégorie", locale),
                gettext("Compétence", locale),
                gettext("Niveau aujourd'hui (moyenne)", locale),
                gettext("Réponses aujourd'hui", locale),
                gettext("Niveau attendu demain (moyenne)", locale),
                gettext("Réponses demain", locale),
                gettext("Écart collectif", locale),
            ]
        )

        def cells(levels: Levels | None) -> list[object]:
            return ["", ""] if levels is None else [f"{levels.mean:.2f}", levels.n]

        for c in view.categories:
            gap = "" if c.gap is None else f"{c.gap:.2f}"
            writer.writerow([c.category, "", *cells(c.today), *cells(c.tomorrow), gap])
        for r in view.competencies:
            gap = "" if r.gap is None else f"{r.gap:.2f}"
            writer.writerow([r.category, r.label, *cells(r.today), *cells(r.tomorrow), gap])
        writer.writerow([])
        writer.writerow(
            [
                gettext("Action", locale),
                gettext("Type", locale),
                gettext("Début", locale),
                gettext("Échéance", locale),
                gettext("Statut", locale),
            ]
        )
        for a in plan.actions:
            writer.writerow(
                [
                    a.title,
                    a.kind.value,
                    a.start.isoformat() if a.start else "",
                    a.due.isoformat() if a.due else "",
                    a.status.value,
                ]
            )
        if view.texts:  # the words the group sees now: never a withdrawn one
            writer.writerow([])
            writer.writerow([gettext("Ce que des membres ont accepté de partager", locale)])
            for words in view.texts:
                writer.writerow([words])
        return out.getvalue()

    def export_pdf(
        self, actor: Actor, group_id: str, ctx: Context | None = None, locale: Locale = "fr"
    ) -> bytes:
        """The one-page summary for a meeting: the figures in force as bars, strengths,
        rising needs, the onboarding checklist, the shared plan and the shared words the
        group sees now (`view`)."""
        from careerpath.services.collective.summary_pdf import render_summary

        ctx = ctx or current_context(locale, database_url=self.store.url)
        view = self.view(actor, group_id, ctx=ctx)
        card = self.card(actor, group_id, locale)
        return render_summary(
            card.name, view, self.plan(actor, group_id), locale, self.store.now().date()
        )

    # -- the shared plan --------------------------------------------------------------

    def plan(self, actor: Actor, group_id: str) -> plans.ActionPlan:
        with Session(self.store.engine) as session:
            group = self._group_for(session, actor, group_id)
            return plans.read_plan(session, PlanKind.GROUP, group.id, self.store.now().date())

    def add_objective(self, actor: Actor, group_id: str, title: str) -> int:
        return self._write(
            actor,
            group_id,
            lambda session, plan_id, now: plans.add_objective(
                session, PlanKind.GROUP, plan_id, title, None, now
            ),
        )

    def add_action(
        self,
        actor: Actor,
        group_id: str,
        kind: str,
        title: str,
        start: str = "",
        due: str = "",
        objective_id: int | None = None,
    ) -> int:
        """A professionalisation action, a step of the onboarding path (`onboarding`), a
        meeting of the club or network (`meeting`)…"""
        return self._write(
            actor,
            group_id,
            lambda session, plan_id, now: plans.add_action(
                session,
                PlanKind.GROUP,
                plan_id,
                action_kind=kind,
                title=title,
                author=Author.ORGANISER,
                now=now,
                start=start or None,
                due=due or None,
                objective_id=objective_id,
            ),
        )

    def add_onboarding(self, actor: Actor, group_id: str, ctx: Context | None = None) -> int:
        """The onboarding checklist of the figures in force, as onboarding actions of the
        shared plan (one per competency not already there); how many were added."""
        view = self.view(actor, group_id, ctx=ctx)
        present = {a.title for a in self.plan(actor, group_id).actions}
        added = 0
        for item in view.onboarding:
            if item.label in present:
                continue
            self.add_action(actor, group_id, "onboarding", item.label[:200])
            added += 1
        return added

    def set_status(self, actor: Actor, group_id: str, action_id: int, status: str) -> None:
        self._write(
            actor,
            group_id,
            lambda session, plan_id, now: plans.set_status(
                session, PlanKind.GROUP, plan_id, action_id, status, now
            ),
        )

    def set_dates(self, actor: Actor, group_id: str, action_id: int, start: str, due: str) -> None:
        self._write(
            actor,
            group_id,
            lambda session, plan_id, now: plans.set_dates(
                session, PlanKind.GROUP, plan_id, action_id, start or None, due or None, now
            ),
        )

    def comment(self, actor: Actor, group_id: str, action_id: int, text: str) -> None:
        account = actor.account
        name = (account.display_name or account.email) if account else ""
        self._write(
            actor,
            group_id,
            lambda session, plan_id, now: plans.comment(
                session, PlanKind.GROUP, plan_id, action_id, Author.ORGANISER, name, text, now
            ),
        )

    # -- members, on their phones -----------------------------------------------------

    def preview(self, code_text: str, locale: Locale = "fr") -> JoinPreview:
        with Session(self.store.engine) as session:
            group = self._by_code(session, code_text)
            organiser = session.get(AccountRow, group.organiser_id) if group.organiser_id else None
            structure = (
                session.get(StructureRow, group.structure_id) if group.structure_id else None
            )
            return JoinPreview(
                code=group.code,
                name=group.name,
                kind_name=KIND_NAMES[group.kind][locale],
                organiser=(organiser.display_name or organiser.email) if organiser else "",
                structure=structure.name if structure else "",
                subgroups=_subgroups_of(group),
                k=_k(group),
            )

    def join(
        self,
        code_text: str,
        device_id: str,
        panel: str,
        *,
        subgroup: str = "",
        new_assessment: bool = False,
        current_role: str | None = None,
        actor: Actor | None = None,
    ) -> Membership:
        """The device joins a panel: assistants with their assessment (the current one, or a
        new one started for the group), the people they work for with answers of their own.
        Joining again in the same panel changes nothing. One membership per device; the
        organiser's (or a manager's) account and the devices they opened the group on may
        not join."""
        if not is_device_id(device_id):
            raise CollectiveError("device")
        try:
            chosen = Panel(panel)
        except ValueError as error:
            raise CollectiveError("panel", field="panel") from error
        assessments = AssessmentStore(self.store.url)
        with Session(self.store.engine) as session:
            group = self._by_code(session, code_text)
            if subgroup and subgroup not in _subgroups_of(group):
                raise CollectiveError("subgroup", field="subgroup")
            if (actor is not None and organiser_may(actor, self._facts(group))) or (
                device_digest(device_id) in _staff_of(group)
            ):
                raise CollectiveError("staff", status=403)
        subject_id = assessments.subject_of_device(device_id, create=False)
        if subject_id is not None:
            with Session(self.store.engine) as session:
                existing = self._active(session, group.id, subject_id)
                if existing is not None:
                    if existing.panel != chosen.value:
                        raise CollectiveError("already", status=409)
                    return self._membership(session, group, existing)
        assessment_id: str | None = None
        if chosen is Panel.ASSISTANT:
            if new_assessment:
                role = current_role if current_role and assessments._is_role(current_role) else None  # noqa: SLF001
                assessment_id = assessments.start(device_id, SITUATIONS[0], role).id
            else:
                current = assessments.current(device_id)
                if current is None:
                    raise CollectiveError("no_assessment")
                assessment_id = current.id
        subject_id = assessments.subject_of_device(device_id, create=True)
        assert subject_id is not None
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = CollectiveMemberRow(
                id=new_id(),
                group_id=group.id,
                panel=chosen.value,
                subject_id=subject_id,
                assessment_id=assessment_id,
                subgroup=subgroup,
                joined_at=now,
            )
            session.add(row)
            session.commit()
            return self._membership(session, group, row)

    def membership(self, code_text: str, device_id: str) -> Membership | None:
        """The device's participation in the group, if it takes part."""
        if not is_device_id(device_id):
            return None
        subject_id = AssessmentStore(self.store.url).subject_of_device(device_id)
        with Session(self.store.engine) as session:
            group = self._by_code(session, code_text)
            row = self._active(session, group.id, subject_id) if subject_id else None
            return self._membership(session, group, row) if row else None

    def answer_needs(
        self,
        code_text: str,
        device_id: str,
        needs: Mapping[str, int | None],
        ctx: Context | None = None,
    ) -> None:
        """A manager-panel member's answers: the level each competency will need tomorrow —
        one answer as it is tapped, or a whole category; None takes a competency's answer
        back (« Sans réponse »: it counts no more). Whatever the device sends is checked
        here (a competency of the referential, a level 0–4 or None, a member of the manager
        panel); a level already recorded is not recorded again."""
        ctx = ctx or current_context(database_url=self.store.url)
        known = ctx.referential.competency_by_code
        for code, level in needs.items():
            if code not in known:
                raise CollectiveError("competency", field="competency")
            if level is not None and (
                not isinstance(level, int)
                or isinstance(level, bool)
                or not 0 <= level <= MAX_RATING
            ):
                raise CollectiveError("level", field="level")
        member = self.membership(code_text, device_id)
        if member is None or member.panel is not Panel.MANAGER:
            raise CollectiveError("not_member", status=403)
        now = self.store.now()
        with Session(self.store.engine) as session:
            recorded = _latest_needs(session, member.member_id).levels
            for code, level in needs.items():
                if recorded.get(code) == level:
                    continue
                if level is None:  # taken back: every answer of that competency goes
                    session.execute(
                        delete(CollectiveNeedRow).where(
                            col(CollectiveNeedRow.member_id) == member.member_id,
                            col(CollectiveNeedRow.competency) == code,
                        )
                    )
                    continue
                session.add(
                    CollectiveNeedRow(
                        member_id=member.member_id, competency=code, level=level, rated_at=now
                    )
                )
            session.commit()

    def needs_of(self, code_text: str, device_id: str) -> NeedAnswers:
        """A manager-panel member's own answers so far (to show them again and resume); none
        for anyone else."""
        member = self.membership(code_text, device_id)
        if member is None or member.panel is not Panel.MANAGER:
            return NeedAnswers({}, "")
        with Session(self.store.engine) as session:
            return _latest_needs(session, member.member_id)

    def share_text(self, code_text: str, device_id: str, text: str, consent: bool) -> None:
        """A member's own words for the group, kept only with their consent (an empty text
        withdraws it). The organiser sees them without any name, date or answer, among at
        least k texts; withdrawn or replaced words disappear at once from every view and from
        the stored states."""
        cleaned = " ".join(text.split())
        if len(cleaned) > MAX_SHARED:
            raise CollectiveError("shared", field="shared")
        if cleaned and not consent:
            raise CollectiveError("consent", field="consent")
        member = self.membership(code_text, device_id)
        if member is None:
            raise CollectiveError("not_member", status=403)
        with Session(self.store.engine) as session:
            group_id = session.exec(
                select(CollectiveMemberRow.group_id).where(
                    CollectiveMemberRow.id == member.member_id
                )
            ).one()
            lock_group(session, group_id)  # no state is being stored meanwhile (`publish_due`)
            row = session.get(CollectiveMemberRow, member.member_id)
            assert row is not None
            if row.shared_text and row.shared_text != cleaned:
                _forget(session, row)  # withdrawn or replaced: gone from every state at once
            row.shared_text = cleaned
            session.add(row)
            session.commit()

    def shared_texts(self, actor: Actor, group_id: str, ctx: Context | None = None) -> list[str]:
        """The members' shared words the group sees now, in alphabetical order (no order of
        arrival): of each panel's state in force, the texts still shared now — a withdrawal,
        a change of words or a departure takes a text away at once — and none of a panel
        with fewer than k of them; a text shared since shows with a later state, among at
        least k new ones (`domain.collective.texts_shown`, `next_texts`)."""
        return list(self.view(actor, group_id, ctx=ctx).texts)

    def leave(self, code_text: str, device_id: str) -> None:
        """The member's needs are erased and they count in no state published afterwards;
        their membership keeps only the dates of joining and leaving. Their shared words, if
        any, are gone at once: from what the group sees (today and every past date) and from
        the stored states. The figures already published stay as they were — with this
        member's contributions inside them — and go on being shown (the current state while
        the panel keeps at least k respondents; earlier ones for past dates): figures are
        aggregates, and a departure alone changes none. Their contributions leave the
        figures only with the next published state."""
        if not is_device_id(device_id):
            raise CollectiveError("device")
        subject_id = AssessmentStore(self.store.url).subject_of_device(device_id)
        now = self.store.now()
        with Session(self.store.engine) as session:
            group = self._by_code(session, code_text)
            lock_group(session, group.id)  # no state is being stored meanwhile (`publish_due`)
            row = self._active(session, group.id, subject_id) if subject_id else None
            if row is None:
                raise CollectiveError("not_member", status=404)
            for need in session.exec(
                select(CollectiveNeedRow).where(CollectiveNeedRow.member_id == row.id)
            ).all():
                session.delete(need)
            if row.shared_text:
                _forget(session, row)
            row.left_at = now
            row.subject_id = None
            row.assessment_id = None
            row.shared_text = ""
            session.add(row)
            session.commit()

    def forget_device(self, device_id: str) -> None:
        """« Supprimer mes données »: the device's shared words, in every group it takes
        part in, erased from the stored states and from its memberships (before the device
        and its memberships go, `services.erasure`)."""
        if not is_device_id(device_id):
            return
        subject_id = AssessmentStore(self.store.url).subject_of_device(device_id)
        if subject_id is None:
            return
        with Session(self.store.engine) as session:
            groups = session.exec(
                select(CollectiveMemberRow.group_id)
                .where(
                    CollectiveMemberRow.subject_id == subject_id,
                    CollectiveMemberRow.shared_text != "",
                )
                .distinct()
            ).all()
        for group_id in groups:
            with Session(self.store.engine) as session:
                lock_group(session, group_id)  # as `share_text` does
                for row in session.exec(
                    select(CollectiveMemberRow).where(
                        CollectiveMemberRow.group_id == group_id,
                        CollectiveMemberRow.subject_id == subject_id,
                    )
                ).all():
                    if row.shared_text:
                        _forget(session, row)
                        row.shared_text = ""
                        session.add(row)
                session.commit()

    # -- internals --------------------------------------------------------------------

    @staticmethod
    def _facts(row: CollectiveGroupRow) -> GroupFacts:
        return GroupFacts(row.organiser_id, row.structure_id)

    def _group_for(self, session: Session, actor: Actor, group_id: str) -> CollectiveGroupRow:
        row = session.get(CollectiveGroupRow, group_id) if group_id else None
        if row is None or not organiser_may(actor, self._facts(row)):
            raise GroupNotFound()
        return row

    @staticmethod
    def _by_code(session: Session, code_text: str) -> CollectiveGroupRow:
        code = normalise_code(code_text)
        if code is None:
            raise CollectiveError("code", field="code")
        row = session.exec(
            select(CollectiveGroupRow).where(CollectiveGroupRow.code == code)
        ).first()
        if row is None:
            raise CollectiveError("code", field="code", status=404)
        return row

    @staticmethod
    def _active(session: Session, group_id: str, subject_id: str) -> CollectiveMemberRow | None:
        return session.exec(
            select(CollectiveMemberRow).where(
                CollectiveMemberRow.group_id == group_id,
                CollectiveMemberRow.subject_id == subject_id,
                col(CollectiveMemberRow.left_at).is_(None),
            )
        ).first()

    @staticmethod
    def _membership(
        session: Session, group: CollectiveGroupRow, row: CollectiveMemberRow
    ) -> Membership:
        if row.panel == Panel.MANAGER.value:
            answered = len(
                {
                    n.competency
                    for n in session.exec(
                        select(CollectiveNeedRow).where(CollectiveNeedRow.member_id == row.id)
                    ).all()
                }
            )
        elif row.assessment_id:
            answered = len(
                session.exec(
                    select(AssessmentRatingRow.competency).where(
                        AssessmentRatingRow.assessment == row.assessment_id
                    )
                ).all()
            )
        else:
            answered = 0
        return Membership(
            row.id,
            group.name,
            Panel(row.panel),
            row.subgroup,
            _aware(row.joined_at),
            answered,
            row.shared_text,
        )

    def _card(self, row: CollectiveGroupRow, locale: Locale = "fr") -> GroupCard:
        url = join_url(row.code)
        return GroupCard(
            id=row.id,
            name=row.name,
            kind=row.kind,
            kind_name=KIND_NAMES[row.kind][locale],
            code=row.code,
            shown_code=display_code(row.code),
            url=url,
            k=_k(row),
            subgroups=_subgroups_of(row),
            context=row.context,
            created_at=_aware(row.created_at),
        )

    def _responses(
        self,
        session: Session,
        group: CollectiveGroupRow,
        at: datetime,
        ctx: Context,
        *,
        latest: bool = False,
    ) -> list[Response]:
        """Every current member's answers as they stood at `at` (members who left: none);
        `latest`: the members of `at` with their answers as they stand now."""
        members = session.exec(
            select(CollectiveMemberRow).where(
                CollectiveMemberRow.group_id == group.id,
                col(CollectiveMemberRow.left_at).is_(None),
                col(CollectiveMemberRow.subject_id).is_not(None),
            )
        ).all()
        staff = _staff_of(group)
        devices = {
            row.id: row.device_id
            for row in session.exec(
                select(SubjectRow).where(
                    col(SubjectRow.id).in_([m.subject_id for m in members if m.subject_id])
                )
            ).all()
        }
        found = []
        counted_from = at - timedelta(hours=load_settings().collective_join_delay_h)
        for m in members:
            if _aware(m.joined_at) > counted_from:
                continue  # a member counts once the join delay has passed
            device = devices.get(m.subject_id or "")
            if device and device_digest(device) in staff:
                continue  # the organiser's own device: it counts in no figure
            if m.panel == Panel.MANAGER.value:
                needs: dict[str, int] = {}
                last_id = 0
                for n in session.exec(
                    select(CollectiveNeedRow)
                    .where(CollectiveNeedRow.member_id == m.id)
                    .order_by(col(CollectiveNeedRow.rated_at), col(CollectiveNeedRow.id))
                ).all():
                    if latest or _aware(n.rated_at) <= at:
                        needs[n.competency] = n.level
                        last_id = max(last_id, n.id or 0)
                found.append(
                    Response(
                        m.id,
                        Panel.MANAGER,
                        needs,
                        m.subgroup,
                        version=version_of("need", last_id),
                        marks=_marks(group.id, m.id, needs, frozenset(), frozenset(), False)
                        | _text_mark(group.id, m.id, m.shared_text),
                        text=m.shared_text,
                        text_mark=_words_mark(group.id, m.id, m.shared_text),
                    )
                )
                continue
            ratings, current_role, version, chosen = self._ratings_at(
                session, m, None if latest else at
            )
            ready = _ready_roles(ctx, ratings, current_role) if ratings else frozenset()
            trainings = _plan_trainings(ctx, session, chosen, version) if ratings else frozenset()
            found.append(
                Response(
                    m.id,
                    Panel.ASSISTANT,
                    ratings,
                    m.subgroup,
                    ready,
                    version,
                    trainings,
                    marks=_marks(group.id, m.id, ratings, ready, trainings, True)
                    | _text_mark(group.id, m.id, m.shared_text),
                    text=m.shared_text,
                    text_mark=_words_mark(group.id, m.id, m.shared_text),
                    names=_names(group.id, trainings),
                )
            )
        return found

    @staticmethod
    def _ratings_at(
        session: Session, member: CollectiveMemberRow, at: datetime | None
    ) -> tuple[dict[str, int], str | None, str, AssessmentRow | None]:
        """The member's latest assessment made by `at` (never one older than the one they
        joined with), its answers, current role and answer version (from ids and times)."""
        rows = session.exec(
            select(AssessmentRow)
            .where(AssessmentRow.subject_id == member.subject_id)
            .order_by(col(AssessmentRow.created_at), col(AssessmentRow.id))
        ).all()
        linked = next((r for r in rows if r.id == member.assessment_id), None)
        usable = [r for r in rows if at is None or _aware(r.created_at) <= at]
        if linked is not None:
            usable = [r for r in usable if _aware(r.created_at) >= _aware(linked.created_at)]
        if not usable:
            return {}, None, "", None
        chosen = usable[-1]
        rows_ = session.exec(
            select(AssessmentRatingRow).where(AssessmentRatingRow.assessment == chosen.id)
        ).all()
        ratings = {r.competency: r.level for r in rows_}
        marks = sorted((r.competency, _aware(r.rated_at).isoformat()) for r in rows_)
        version = version_of(chosen.id, chosen.current_role, _aware(chosen.updated_at), marks)
        return ratings, chosen.current_role, version, chosen

    def _write(
        self, actor: Actor, group_id: str, change: Callable[[Session, str, datetime], T]
    ) -> T:
        now = self.store.now()
        with Session(self.store.engine) as session:
            group = self._group_for(session, actor, group_id)
            result = change(session, group.id, now)
            session.commit()
            return result


def _marks(
    group_id: str,
    member_id: str,
    ratings: Mapping[str, int],
    ready: frozenset[str],
    trainings: frozenset[str],
    assistant: bool,
) -> dict[str, str]:
    """Each contribution's mark (`Response.marks`): a keyed digest (`states.mark`) of the
    group, the membership, the item and its content, so it changes exactly when that
    contribution does — not when the member moves through pages, re-records the same level
    or starts an assessment with the same answers, nor when the referential changes without
    changing their readiness. A published state keeps only these digests (never a level in
    clear), and without the deployment's key nobody can tell which level gave one."""

    def marked(item: str, content: object) -> str:
        return mark("collective-mark", group_id, member_id, item, content)

    found = {code: marked(code, level) for code, level in ratings.items()}
    if assistant and ratings:
        found[READY] = marked(READY, ",".join(sorted(ready)))
    for training in trainings:
        found[PLAN + training] = marked(PLAN + training, 1)
    return found


def _names(group_id: str, trainings: frozenset[str]) -> dict[str, str]:
    """The opaque names of a member's plan trainings in traces (`Response.names`): the same
    for every member of the group, so they add up, and meaningless without the key."""
    return {PLAN + t: PLAN + mark("collective-training", group_id, t) for t in trainings}


def _text_mark(group_id: str, member_id: str, text: str) -> dict[str, str]:
    """The mark of a member's shared words (none without words)."""
    if not text:
        return {}
    return {TEXT: mark("collective-mark", group_id, member_id, TEXT, text)}


def _latest_needs(session: Session, member_id: str) -> NeedAnswers:
    levels: dict[str, int] = {}
    last = ""
    for row in session.exec(
        select(CollectiveNeedRow)
        .where(CollectiveNeedRow.member_id == member_id)
        .order_by(col(CollectiveNeedRow.rated_at), col(CollectiveNeedRow.id))
    ).all():
        levels[row.competency] = row.level
        last = row.competency
    return NeedAnswers(levels, last)


def _words_mark(group_id: str, member_id: str, text: str) -> str:
    """The mark of a member's words in a state's text list (`states.words_mark`)."""
    return words_mark(group_id, member_id, text)


def _forget(session: Session, member: CollectiveMemberRow) -> None:
    """The member's current words, erased from the group's stored states (the caller
    commits)."""
    words = member.shared_text
    forget_words(session, member.group_id, [_words_mark(member.group_id, member.id, words)], words)


def _texts(
    states_: Mapping[Panel, PanelState | None],
    responses: Sequence[Response],
    k: int,
    scope: str,
) -> tuple[str, ...]:
    """The whole group's words at a date (`states_`: each panel's state in force then), as the
    group sees them now: each state's texts still shared now by the panel's counted
    respondents, none of a panel with fewer than k (a sub-group's view: none)."""
    if scope:
        return ()
    found: list[str] = []
    for panel, state in states_.items():
        if state is not None and in_force(state, None, k) is not None:
            found.extend(texts_shown(state.texts, shared_now(responses, panel), k))
    return tuple(sorted(found))


def _ready_roles(
    ctx: Context, ratings: Mapping[str, int], current_role: str | None
) -> frozenset[str]:
    """The roles the engine says the person is ready for now (score ≥ 85, no essential gap),
    the current role left out."""
    engine = ctx.engine
    vector = engine.readiness_vector(Assessment(ratings=dict(ratings), current_role=current_role))
    codes = engine.matrix.role_codes
    ready = (vector.tenths >= 10 * READY_MIN_SCORE) & (vector.unmet_essentials == 0)
    return frozenset(codes[i] for i in ready.nonzero()[0].tolist() if codes[i] != current_role)


_PLANS: dict[tuple[str, str], frozenset[str]] = {}
"""The trainings of a member's plan, by (referential version, answer version): plans are computed
once per version of the answers (the version covers ratings, target and constraints)."""


def _plan_trainings(
    ctx: Context, session: Session, row: AssessmentRow | None, version: str
) -> frozenset[str]:
    """The trainings of the member's own plan toward their target, if they chose one."""
    if row is None or not row.target or row.target not in ctx.referential.role_by_code:
        return frozenset()
    key = (ctx.referential.version, version)
    found = _PLANS.get(key)
    if found is None:
        stored = AssessmentStore._load(session, row)  # noqa: SLF001
        # the engine's own time limit: the very plan the member's plan page computes
        plan = ctx.engine.plan(stored.to_assessment(row.target), row.target)
        found = frozenset(item.training for item in plan.items)
        if len(_PLANS) > 5000:
            _PLANS.clear()
        _PLANS[key] = found
    return found


def _items(ctx: Context, answers: Sequence[Sequence[Response]]) -> list[Item]:
    """The referential's competencies someone answered, in the referential's order."""
    answered = {code for responses in answers for r in responses for code in r.ratings}
    return [
        Item(c.code, labels.capitalise(c.category))
        for c in ctx.referential.competencies
        if c.code in answered
    ]


def _levels(ctx: Context, shown: Distribution | None) -> Levels | None:
    if shown is None:
        return None
    mean = shown.mean
    return Levels(
        shown.counts,
        shown.n,
        mean,
        labels.decimal(mean, ctx.locale),
        labels.level_name(round(mean), ctx.locale),
    )


def _training_title(ctx: Context, code: str) -> str:
    found = ctx.referential.training_by_code.get(code)
    return referential_text(found.title, ctx.locale) if found else code


def _gap_text(ctx: Context, gap: float | None) -> str:
    if gap is None:
        return ""
    sign = "+" if gap > 0 else ""
    return sign + labels.decimal(gap, ctx.locale)


def _group_view(
    ctx: Context,
    k: int,
    view: ScopeView,
    published: datetime | None = None,
    texts: tuple[str, ...] = (),
) -> GroupView:
    by_code = ctx.referential.competency_by_code
    roles = ctx.referential.role_by_code
    locale = ctx.locale

    def label(code: str) -> str:
        found = by_code.get(code)
        return found.label if found else code

    rows = {f.code: f for f in view.competencies}
    strengths = tuple(
        Named(code, label(code), labels.level_name(round(rows[code].today.mean), locale))  # type: ignore[union-attr]
        for code in view.strengths
    )
    rising = tuple(
        Named(
            code,
            label(code),
            gettext(
                "{today} aujourd'hui, {tomorrow} attendu demain",
                locale,
                today=labels.level_name(round(rows[code].today.mean), locale),  # type: ignore[union-attr]
                tomorrow=labels.level_name(round(rows[code].tomorrow.mean), locale),  # type: ignore[union-attr]
            ),
        )
        for code in view.rising
    )
    title = (
        gettext("Ce que le groupe maîtrise", locale)
        if view.strengths_level >= 3
        else gettext("Ce que le groupe fait en autonomie", locale)
    )
    settings = load_settings()
    note = ""
    if view.assistants is None or view.managers is None:
        note = (
            gettext(
                "Les chiffres d'un panel s'affichent à partir de {k} réponses (une personne "
                "compte {delay} après avoir rejoint le groupe) ; un chiffre qu'on pourrait "
                "déduire d'un autre, ou qui n'a changé que pour moins de {k} personnes, est "
                "masqué aussi.",
                locale,
                k=k,
                delay=format_duration(settings.collective_join_delay_h, locale),
            )
            if settings.collective_join_delay_h > 0
            else gettext(
                "Les chiffres d'un panel s'affichent à partir de {k} réponses ; un chiffre "
                "qu'on pourrait déduire d'un autre, ou qui n'a changé que pour moins de {k} "
                "personnes, est masqué aussi.",
                locale,
                k=k,
            )
        )
    published_text = ""
    if published is not None:
        when = (
            gettext(
                "Entre deux publications, il s'écoule au moins {interval}.",
                locale,
                interval=format_duration(settings.collective_interval_h, locale),
            )
            if settings.collective_interval_h > 0
            else ""
        )
        published_text = " ".join(
            part
            for part in (
                gettext(
                    "Chiffres publiés le {date}.",
                    locale,
                    date=format_date(published.date(), locale),
                ),
                when,
                gettext(
                    "Ils changent quand au moins {k} personnes sont arrivées ou ont modifié "
                    "leurs réponses. Après un départ, ils attendent qu'au moins {k} des "
                    "personnes qu'ils comptent aient quitté le groupe : sinon, l'écart entre "
                    "deux publications laisserait deviner les réponses de la personne partie. "
                    "Les réponses données entre-temps sont gardées et compteront alors.",
                    locale,
                    k=k,
                ),
            )
            if part
        )
    return GroupView(
        date=view.date,
        scope=view.scope,
        k=k,
        assistants=view.assistants,
        managers=view.managers,
        categories=tuple(
            CategoryRow(
                c.category,
                _levels(ctx, c.today),
                _levels(ctx, c.tomorrow),
                c.gap,
                _gap_text(ctx, c.gap),
            )
            for c in view.categories
        ),
        competencies=tuple(
            CompetencyRow(
                f.code,
                label(f.code),
                f.category,
                _levels(ctx, f.today),
                _levels(ctx, f.tomorrow),
                f.gap,
                _gap_text(ctx, f.gap),
            )
            for f in view.competencies
        ),
        strengths_title=title,
        onboarding=tuple(
            Named(
                code,
                label(code),
                gettext(
                    "niveau attendu demain : {level}",
                    locale,
                    level=labels.level_name(round(rows[code].tomorrow.mean), locale),  # type: ignore[union-attr]
                ),
            )
            for code in view.onboarding
        ),
        strengths=strengths,
        rising=rising,
        bridges=None
        if view.bridges is None
        else tuple(
            BridgeRow(b.role, roles[b.role].title if b.role in roles else b.role, b.ready)
            for b in view.bridges
        ),
        note=note,
        published=published_text,
        trainings=tuple(
            BridgeRow(b.role, _training_title(ctx, b.role), b.ready) for b in view.trainings
        ),
        texts=texts,
    )
