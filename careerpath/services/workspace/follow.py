"""Following beneficiaries: the caseload, one person over time, notes, closing, the end of
sharing, reassignment and the purge of old follow-ups.

Readiness to the goal and the plan's hours come from the engine on each dated snapshot, so
two dates compare on the same referential; each snapshot's figures are computed once per
process and referential version (`figures.py`), so the caseload sorted by readiness builds
the lines of one page only. « Demander une mise à jour » is noted and seals what the
counsellor holds: the person's next change is a new dated snapshot (`AssessmentStore`). Every call checks access first
(`base.beneficiary_for`), and opening someone's data is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from careerpath.config import load_settings
from careerpath.data.account_tables import AccountRow, FollowUpRow
from careerpath.data.assessment_tables import AssessmentRow
from careerpath.data.workspace_tables import (
    BeneficiaryAssignmentRow,
    BeneficiaryRow,
    CounsellorNoteRow,
    InvitationRow,
    PlanActionRow,
)
from careerpath.domain.access import Actor, Role, SubjectFacts, Target
from careerpath.domain.access import Need as AccessNeed
from careerpath.domain.actions import FINISHED, ActionStatus, PlanKind
from careerpath.domain.workspace_access import BeneficiaryNeed, counsellor_may
from careerpath.services.assessments import AssessmentStore, StoredAssessment, is_held
from careerpath.services.context import Context, current_context
from careerpath.services.workspace import figures
from careerpath.services.workspace.base import (
    NotFound,
    Store,
    WorkspaceError,
    as_aware,
    beneficiary_for,
    counsellor_name,
    end_follow_ups,
    facts_of,
    require_workspace,
    touch,
)
from careerpath.services.workspace.plans import check_text, delete_plan

STALE_AFTER = timedelta(days=61)
"""« Sans nouvelles depuis 2 mois »: the person changed no assessment for this long (what the
counsellor writes, asks or notes is no news of the person); see `is_stale`."""
PURGE_AFTER = timedelta(days=730)
"""A follow-up without activity for 24 months is purged (CNIL, social sector): neither the
counsellor's nor the person's (a re-assessment is activity); see `purge`."""
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
MAX_QUERY = 100
PERSON_ROUTE = "/mon-suivi"
"""The person's page: who follows them, their action plan, « Arrêter le partage »."""
SortKey = Literal["label", "activity", "readiness", "status"]
_last_purge: datetime | None = None
SORTS: tuple[SortKey, ...] = ("activity", "label", "readiness", "status")


@dataclass(frozen=True)
class CaseloadRow:
    id: str
    label: str
    status: str
    sharing: bool
    goal: str | None
    goal_title: str
    last_activity: datetime
    readiness: float | None
    change: float | None
    """Readiness to the goal now minus at the previous dated snapshot (None with one)."""
    stale: bool
    overdue: int
    counsellor: str
    update_requested: datetime | None = None
    """When the counsellor last asked for an update (« Mise à jour demandée le … »)."""


@dataclass(frozen=True)
class CaseloadPage:
    rows: tuple[CaseloadRow, ...]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class SnapshotSummary:
    id: str
    created_at: datetime
    answered: int
    readiness: float | None
    plan_hours: float | None


@dataclass(frozen=True)
class CompetencyChange:
    code: str
    label: str
    category: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class CategoryChange:
    """A category's mean level (0–4) over the competencies answered at either date."""

    category: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Comparison:
    before: SnapshotSummary
    after: SnapshotSummary
    goal: str | None
    goal_title: str
    changes: tuple[CompetencyChange, ...]
    categories: tuple[CategoryChange, ...] = ()


@dataclass(frozen=True)
class UpdateRequest:
    """« Demander une mise à jour »: the link the person opens, and when it was asked."""

    link: str
    requested_at: datetime


class _Snap(NamedTuple):
    """The columns of a snapshot the caseload reads (no ORM object: 1,000s of them)."""

    id: str
    subject_id: str
    target: str | None
    created_at: datetime
    updated_at: datetime
    sealed_at: datetime | None


@dataclass(frozen=True)
class _Figures:
    newest_updated: datetime | None
    """The last change of any of the person's snapshots (their news)."""
    goal: str | None
    readiness: float | None
    change: float | None


@dataclass(frozen=True)
class PlanItemView:
    """An item of the person's training plan to the goal (« Ajouter au plan d'action »)."""

    training: str
    title: str
    hours: float


@dataclass(frozen=True)
class Note:
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Assignment:
    counsellor: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class CounsellorChoice:
    """A counsellor of the structure a manager may give a follow-up to."""

    email: str
    name: str
    current: bool


@dataclass(frozen=True)
class BeneficiaryDetail:
    id: str
    label: str
    status: str
    closed_reason: str
    sharing: bool
    counsellor: str
    goal: str | None
    goal_title: str
    snapshots: tuple[SnapshotSummary, ...]
    history: tuple[Assignment, ...]
    subject_id: str | None
    update_requested: datetime | None = None


def held_until(row: BeneficiaryRow) -> datetime | None:
    """A closed follow-up holds the snapshots begun by its closing, as they were then (they
    are sealed at closing: a later change is a new snapshot it does not read); an open one,
    every snapshot (None)."""
    return _until(row.status, row.closed_at)


def _until(status: str, closed_at: datetime | None) -> datetime | None:
    return as_aware(closed_at) if status != "open" else None


def is_stale(status: str, news: datetime, now: datetime) -> bool:
    """« Sans nouvelles depuis 2 mois »: an open follow-up whose person gave no news (see
    `person_news`) for `STALE_AFTER` or longer."""
    return status == "open" and now - news >= STALE_AFTER


def person_news(
    session: Session, rows: Iterable[tuple[str, str | None, datetime]]
) -> dict[str, datetime]:
    """When each beneficiary `(id, subject_id, created_at)` last gave news themselves: the
    newest change of their assessments (a re-assessment, a rating, a goal), or their consent,
    else when the counsellor invited them. Nothing the counsellor writes, asks or notes counts:
    a weekly note does not hide a six-month-old assessment. Two grouped queries."""
    rows = list(rows)
    subjects = {subject for _, subject, _ in rows if subject}
    changed: dict[str, datetime] = {}
    if subjects:
        changed = {
            subject: at
            for subject, at in session.execute(
                sa_select(col(AssessmentRow.subject_id), func.max(AssessmentRow.updated_at))
                .where(col(AssessmentRow.subject_id).in_(subjects))
                .group_by(col(AssessmentRow.subject_id))
            ).all()
            if at is not None
        }
    consent: dict[str, datetime] = {}
    ids = [ident for ident, _, _ in rows]
    for start in range(0, len(ids), 500):
        for ident, at in session.execute(
            sa_select(col(InvitationRow.beneficiary_id), func.max(InvitationRow.answered_at))
            .where(
                col(InvitationRow.beneficiary_id).in_(ids[start : start + 500]),
                col(InvitationRow.status) == "accepted",
            )
            .group_by(col(InvitationRow.beneficiary_id))
        ).all():
            if at is not None:
                consent[ident] = at
    found = {}
    for ident, subject, created in rows:
        moments = [created, changed.get(subject or ""), consent.get(ident)]
        found[ident] = max(m for m in (as_aware(m) for m in moments) if m is not None)
    return found


def _goal_of(stored: StoredAssessment | None) -> str | None:
    return stored.target if stored is not None else None


def plan_items_of(ctx: Context, stored: StoredAssessment | None) -> tuple[PlanItemView, ...]:
    """The training plan of an assessment to its goal (none without a known goal): what
    « Ajouter au plan d'action » may add."""
    goal = _goal_of(stored)
    if stored is None or goal is None or goal not in ctx.referential.role_by_code:
        return ()
    plan = ctx.engine.plan(stored.to_assessment(goal), goal)
    return tuple(PlanItemView(i.training, i.title, float(i.hours)) for i in plan.items)


def _mean(levels: list[int]) -> float | None:
    return sum(levels) / len(levels) if levels else None


class Follow:
    """The counsellor's side: caseload, one beneficiary, notes, closing, reassignment."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.assessments = AssessmentStore(store.url, store.clock)

    # -- caseload ---------------------------------------------------------------------

    def purge_daily(self) -> None:
        """The server's own purge: at most once a day per process (see `purge`)."""
        global _last_purge
        now = self.store.now()
        if _last_purge is None or now - _last_purge >= timedelta(days=1) or now < _last_purge:
            _last_purge = now
            self.purge()

    def caseload(
        self,
        actor: Actor,
        query: str = "",
        sort: str = "activity",
        page: int = 1,
        page_size: int = PAGE_SIZE,
        status: str = "open",
        ctx: Context | None = None,
    ) -> CaseloadPage:
        """The beneficiaries this actor follows (a manager: the structure's), one page."""
        require_workspace(self.store, actor)
        self.purge_daily()
        account = actor.account
        assert account is not None
        ctx = ctx or current_context()
        sort_key = sort if sort in SORTS else "activity"
        page_size = max(1, min(page_size, MAX_PAGE_SIZE))
        now = self.store.now()
        with Session(self.store.engine) as session:
            where: list[Any] = [BeneficiaryRow.structure_id == account.structure_id]
            if account.role is Role.COUNSELLOR:
                where.append(BeneficiaryRow.counsellor_id == account.id)
            if status in ("open", "closed"):
                where.append(BeneficiaryRow.status == status)
            text = " ".join(query.split())[:MAX_QUERY]
            if text:
                where.append(
                    col(BeneficiaryRow.label).ilike(f"%{_escape_like(text)}%", escape="\\")
                )
            total = session.exec(
                select(func.count()).select_from(BeneficiaryRow).where(*where)
            ).one()
            pages = max(1, -(-total // page_size))
            page = max(1, min(page, pages))
            statement = select(BeneficiaryRow).where(*where)
            if sort_key == "label":
                statement = statement.order_by(
                    func.lower(BeneficiaryRow.label), col(BeneficiaryRow.id)
                )
            elif sort_key == "status":
                statement = statement.order_by(
                    col(BeneficiaryRow.status), col(BeneficiaryRow.last_activity_at).desc()
                )
            else:
                statement = statement.order_by(
                    col(BeneficiaryRow.last_activity_at).desc(), col(BeneficiaryRow.id)
                )
            if sort_key == "readiness":
                # Every match's readiness (from the memo of each snapshot's figures, the
                # engine only for snapshots never seen), then the full lines of one page.
                every = [
                    tuple(r)
                    for r in session.execute(
                        sa_select(
                            col(BeneficiaryRow.id),
                            col(BeneficiaryRow.label),
                            col(BeneficiaryRow.subject_id),
                            col(BeneficiaryRow.status),
                            col(BeneficiaryRow.closed_at),
                        ).where(*where)
                    ).all()
                ]
                known = self._figures(
                    session,
                    [
                        (i, subject, _until(status, closed))
                        for i, _, subject, status, closed in every
                    ],
                    ctx,
                )
                every.sort(
                    key=lambda r: (
                        known[r[0]].readiness is None,
                        -(known[r[0]].readiness or 0),
                        r[1].lower(),
                        r[0],
                    )
                )
                ids = [r[0] for r in every[(page - 1) * page_size : page * page_size]]
                by_id = {
                    r.id: r
                    for r in session.exec(
                        select(BeneficiaryRow).where(col(BeneficiaryRow.id).in_(ids))
                    ).all()
                }
                rows = [by_id[i] for i in ids]
            else:
                rows = list(
                    session.exec(statement.offset((page - 1) * page_size).limit(page_size)).all()
                )
            built = self._rows(session, rows, ctx, now)
            return CaseloadPage(tuple(built), total, page, pages)

    def _figures(
        self,
        session: Session,
        rows: list[tuple[str, str | None, datetime | None]],
        ctx: Context,
    ) -> dict[str, _Figures]:
        """Goal, readiness and its change of each beneficiary `(id, subject_id, until)`, from
        their two newest snapshots (begun by `until`, a closed follow-up's closing): one query
        for the snapshots, one bulk load for those whose figures this process never computed."""
        subject_ids = [subject for _, subject, _ in rows if subject]
        snaps: dict[str, list[_Snap]] = {}
        if subject_ids:
            for a in session.execute(
                sa_select(
                    col(AssessmentRow.id),
                    col(AssessmentRow.subject_id),
                    col(AssessmentRow.target),
                    col(AssessmentRow.created_at),
                    col(AssessmentRow.updated_at),
                    col(AssessmentRow.sealed_at),
                )
                .where(col(AssessmentRow.subject_id).in_(subject_ids))
                .order_by(col(AssessmentRow.subject_id), col(AssessmentRow.created_at))
            ).all():
                snap = _Snap(*a)
                snaps.setdefault(snap.subject_id, []).append(snap)

        def held(subject: str | None, until: datetime | None) -> list[_Snap]:
            mine = snaps.get(subject or "", [])
            if until is None:
                return mine
            return [a for a in mine if is_held(a.created_at, a.sealed_at, until)]

        wanted: list[tuple[_Snap, str | None]] = []
        for _, subject, until in rows:
            mine = held(subject, until)
            goal = mine[-1].target if mine else None
            wanted.extend((a, goal) for a in mine[-2:])
        figures.prime(
            self.store.engine, ctx, "readiness", [(a.id, a.updated_at, g) for a, g in wanted]
        )
        unknown = [
            (a, goal)
            for a, goal in wanted
            if not figures.known("readiness", ctx, a.id, a.updated_at, goal)[0]
        ]
        loaded = self.assessments.many(a.id for a, _ in unknown)

        def value(a: _Snap, goal: str | None) -> float | None:
            stored = loaded.get(a.id)
            if stored is not None:
                return figures.readiness(ctx, stored, goal)
            return figures.known("readiness", ctx, a.id, a.updated_at, goal)[1]

        found = {}
        for ident, subject, until in rows:
            mine = held(subject, until)
            if not mine:
                found[ident] = _Figures(None, None, None, None)
                continue
            newest, goal = mine[-1], mine[-1].target
            readiness = value(newest, goal)
            change = None
            if len(mine) > 1 and readiness is not None:
                before = value(mine[-2], goal)
                change = readiness - before if before is not None else None
            news = max(a.updated_at for a in mine)
            found[ident] = _Figures(news, goal, readiness, change)
        figures.keep(
            self.store.engine, ctx, "readiness", [(a.id, a.updated_at, g) for a, g in unknown]
        )
        return found

    def _rows(
        self, session: Session, rows: Iterable[BeneficiaryRow], ctx: Context, now: datetime
    ) -> list[CaseloadRow]:
        rows = list(rows)
        known = self._figures(session, [(r.id, r.subject_id, held_until(r)) for r in rows], ctx)
        ids = [r.id for r in rows]
        overdue: dict[str, int] = {}
        if ids:
            today = now.date()
            for action in session.exec(
                select(PlanActionRow).where(
                    PlanActionRow.plan_kind == PlanKind.BENEFICIARY.value,
                    col(PlanActionRow.plan_id).in_(ids),
                    col(PlanActionRow.due_date) < today,
                )
            ).all():
                if ActionStatus(action.status) not in FINISHED:
                    overdue[action.plan_id] = overdue.get(action.plan_id, 0) + 1
        names = {
            a.id: a.display_name or a.email
            for a in session.exec(
                select(AccountRow).where(
                    col(AccountRow.id).in_([r.counsellor_id for r in rows if r.counsellor_id])
                )
            ).all()
        }
        news = person_news(session, [(r.id, r.subject_id, r.created_at) for r in rows])
        result = []
        for r in rows:
            figured = known[r.id]
            goal, readiness, change = figured.goal, figured.readiness, figured.change
            last = as_aware(r.last_activity_at)
            assert last is not None
            if figured.newest_updated is not None:
                updated = as_aware(figured.newest_updated)
                if updated is not None and updated > last:
                    last = updated
            role = ctx.referential.role_by_code.get(goal) if goal else None
            result.append(
                CaseloadRow(
                    id=r.id,
                    label=r.label,
                    status=r.status,
                    sharing=r.subject_id is not None,
                    goal=goal,
                    goal_title=role.title if role else "",
                    last_activity=last,
                    readiness=readiness,
                    change=change,
                    stale=is_stale(r.status, news[r.id], now),
                    overdue=overdue.get(r.id, 0),
                    counsellor=names.get(r.counsellor_id or "", ""),
                    update_requested=as_aware(r.update_requested_at),
                )
            )
        return result

    # -- one beneficiary ----------------------------------------------------------------

    def detail(
        self,
        actor: Actor,
        beneficiary_id: str,
        ctx: Context | None = None,
        *,
        audited: bool = True,
    ) -> BeneficiaryDetail:
        """One beneficiary over time; opening it is audited as a view, except for a caller
        that audits its own use (an export, with `note_export`)."""
        require_workspace(self.store, actor)
        ctx = ctx or current_context()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.SEE)
            history = tuple(
                Assignment(
                    a.counsellor_name, as_aware(a.started_at) or a.started_at, as_aware(a.ended_at)
                )
                for a in session.exec(
                    select(BeneficiaryAssignmentRow)
                    .where(BeneficiaryAssignmentRow.beneficiary_id == row.id)
                    .order_by(col(BeneficiaryAssignmentRow.id))
                ).all()
            )
            counsellor = counsellor_name(session, row.counsellor_id)
            subject_id, until = row.subject_id, held_until(row)
            requested = as_aware(row.update_requested_at)
            snapshots: tuple[SnapshotSummary, ...] = ()
            goal = None
        if subject_id is not None:
            if audited:
                self._audit(actor, subject_id, "bilans")
            stored = [
                self.assessments.get(s.id) for s in self.assessments.snapshots(subject_id, until)
            ]
            kept = [s for s in stored if s is not None]
            goal = _goal_of(kept[-1]) if kept else None
            snapshots = self._summaries(ctx, kept, goal)
        role = ctx.referential.role_by_code.get(goal) if goal else None
        return BeneficiaryDetail(
            id=row.id,
            label=row.label,
            status=row.status,
            closed_reason=row.closed_reason,
            sharing=subject_id is not None,
            counsellor=counsellor,
            goal=goal,
            goal_title=role.title if role else "",
            snapshots=snapshots,
            history=history,
            subject_id=subject_id,
            update_requested=requested,
        )

    def latest_assessment(
        self, actor: Actor, beneficiary_id: str, *, audited: bool = True
    ) -> StoredAssessment | None:
        """The person's latest dated assessment (what the counsellor opens as their bilan);
        audited as a view unless the caller audits its own use (see `detail`)."""
        subject_id, until = self._shared(actor, beneficiary_id, BeneficiaryNeed.READ)
        if audited:
            self._audit(actor, subject_id, "bilan")
        return self.latest_of(subject_id, until)

    def latest_of(self, subject_id: str, until: datetime | None = None) -> StoredAssessment | None:
        """The subject's latest assessment (begun by `until`, see `held_until`), with no
        access check nor audit: for services that checked access already."""
        return self.assessments.current_for_subject(subject_id, until)

    def plan_items(
        self, actor: Actor, beneficiary_id: str, ctx: Context | None = None
    ) -> tuple[PlanItemView, ...]:
        """The training plan of the person's latest assessment to their goal (none without).
        Not audited again: the beneficiary page shows it with `detail`, which is."""
        latest = self.latest_assessment(actor, beneficiary_id, audited=False)
        return plan_items_of(ctx or current_context(), latest)

    def compare_dates(
        self,
        actor: Actor,
        beneficiary_id: str,
        before_id: str = "",
        after_id: str = "",
        ctx: Context | None = None,
    ) -> Comparison:
        """`compare` with the page's defaults: the latest snapshot (or `after_id`) against
        the one before it (or `before_id`); with one snapshot, both sides are that one."""
        subject_id, until = self._shared(actor, beneficiary_id, BeneficiaryNeed.READ)
        ids = [s.id for s in self.assessments.snapshots(subject_id, until)]
        if not ids:
            raise WorkspaceError("no_snapshot", status=409)
        after_id = after_id or ids[-1]
        if not before_id:
            earlier = ids[: ids.index(after_id)] if after_id in ids else []
            before_id = earlier[-1] if earlier else ids[max(0, len(ids) - 2)]
        return self.compare(actor, beneficiary_id, before_id, after_id, ctx)

    def compare(
        self,
        actor: Actor,
        beneficiary_id: str,
        before_id: str,
        after_id: str,
        ctx: Context | None = None,
    ) -> Comparison:
        """Two dated snapshots side by side: each competency, readiness, the plan's hours."""
        ctx = ctx or current_context()
        subject_id, until = self._shared(actor, beneficiary_id, BeneficiaryNeed.READ)
        before = self.assessments.get(before_id)
        after = self.assessments.get(after_id)
        if before is None or after is None or {before.subject_id, after.subject_id} != {subject_id}:
            raise WorkspaceError("snapshot", status=404)
        if until is not None and not {before.id, after.id} <= {
            s.id for s in self.assessments.snapshots(subject_id, until)
        }:
            raise WorkspaceError("snapshot", status=404)  # begun after the closing
        if before.created_at > after.created_at:
            before, after = after, before
        self._audit(actor, subject_id, "comparaison")
        goal = after.target or before.target
        codes = sorted(set(before.ratings) | set(after.ratings))
        by_code = ctx.referential.competency_by_code
        changes = tuple(
            CompetencyChange(
                code,
                by_code[code].label,
                str(by_code[code].category),
                before.ratings.get(code),
                after.ratings.get(code),
            )
            for code in codes
            if code in by_code
        )
        role = ctx.referential.role_by_code.get(goal) if goal else None
        categories = tuple(
            CategoryChange(
                category,
                _mean(
                    [c.before for c in changes if c.category == category and c.before is not None]
                ),
                _mean([c.after for c in changes if c.category == category and c.after is not None]),
            )
            for category in dict.fromkeys(c.category for c in changes)
        )
        pair = self._summaries(ctx, [before, after], goal)
        return Comparison(
            pair[0],
            pair[1],
            goal,
            role.title if role else "",
            changes,
            categories,
        )

    def request_update(self, actor: Actor, beneficiary_id: str) -> UpdateRequest:
        """« Demander une mise à jour »: noted (the list says « Mise à jour demandée le … »),
        what the counsellor holds is sealed (the person's changes make a new dated snapshot),
        and the link the person opens on their device (/mon-suivi) is returned."""
        require_workspace(self.store, actor)
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.WRITE)
            assert row.subject_id is not None
            subject_id = row.subject_id
            row.update_requested_at = now
            touch(row, now)
            session.add(row)
            session.commit()
        self.assessments.seal(subject_id)
        return UpdateRequest(f"{load_settings().public_url}{PERSON_ROUTE}", now)

    def note_export(self, actor: Actor, beneficiary_id: str, what: str) -> None:
        """An export of the person's data, written to the audit log as an export (refused
        as a read)."""
        subject_id = self._shared_subject(actor, beneficiary_id, BeneficiaryNeed.READ)
        self._audit(actor, subject_id, what, "export")

    # -- notes ------------------------------------------------------------------------

    def notes(self, actor: Actor, beneficiary_id: str) -> list[Note]:
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.READ)
            return [
                Note(n.author_name, n.text, as_aware(n.created_at) or n.created_at)
                for n in session.exec(
                    select(CounsellorNoteRow)
                    .where(CounsellorNoteRow.beneficiary_id == row.id)
                    .order_by(col(CounsellorNoteRow.id).desc())
                ).all()
            ]

    def add_note(self, actor: Actor, beneficiary_id: str, text: str) -> None:
        require_workspace(self.store, actor)
        account = actor.account
        assert account is not None
        kept = check_text(text)
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.WRITE)
            session.add(
                CounsellorNoteRow(
                    beneficiary_id=row.id,
                    author_id=account.id,
                    author_name=account.display_name or account.email,
                    text=kept,
                    created_at=now,
                )
            )
            touch(row, now)
            session.add(row)
            session.commit()

    # -- closing, reassigning ---------------------------------------------------------

    def close(self, actor: Actor, beneficiary_id: str, reason: str) -> None:
        """Closing asks for a reason and makes the follow-up read-only: its plan and notes
        refuse changes, and its snapshots stay as they were at closing (`held_until`)."""
        require_workspace(self.store, actor)
        cleaned = " ".join(reason.split())
        if not cleaned or len(cleaned) > 300:
            raise WorkspaceError("reason", field="reason")
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.SEE)
            if row.status != "open":
                raise WorkspaceError("closed", status=409)
            row.status, row.closed_reason, row.closed_at = "closed", cleaned, now
            if row.subject_id is not None:
                # Read-only from now on: what the follow-up holds is sealed with the closing
                # (the person's next change is a new snapshot it does not read).
                AssessmentStore.seal_in(session, row.subject_id, now)
            for invitation in session.exec(
                select(InvitationRow).where(
                    InvitationRow.beneficiary_id == row.id, InvitationRow.status == "pending"
                )
            ).all():
                invitation.status = "cancelled"
                session.add(invitation)
            session.add(row)
            session.commit()

    def reassign(self, actor: Actor, beneficiary_id: str, counsellor_email: str) -> None:
        """A manager gives the follow-up to another active counsellor of the structure."""
        require_workspace(self.store, actor)
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = self._reassignable(session, actor, beneficiary_id)
            target = session.exec(
                select(AccountRow).where(AccountRow.email == counsellor_email.strip().lower())
            ).first()
            if (
                target is None
                or target.status != "active"
                or target.structure_id != row.structure_id
                or target.role not in (Role.COUNSELLOR.value, Role.STRUCTURE_ADMIN.value)
            ):
                raise WorkspaceError("counsellor", field="counsellor")
            if target.id == row.counsellor_id:
                return  # already theirs: the history does not change
            for open_row in session.exec(
                select(BeneficiaryAssignmentRow).where(
                    BeneficiaryAssignmentRow.beneficiary_id == row.id,
                    col(BeneficiaryAssignmentRow.ended_at).is_(None),
                )
            ).all():
                open_row.ended_at = now
                session.add(open_row)
            session.add(
                BeneficiaryAssignmentRow(
                    beneficiary_id=row.id,
                    counsellor_id=target.id,
                    counsellor_name=target.display_name or target.email,
                    started_at=now,
                )
            )
            end_follow_ups(session, row.subject_id, now)
            if row.subject_id is not None:
                session.add(
                    FollowUpRow(
                        subject_id=row.subject_id,
                        counsellor_id=target.id,
                        structure_id=row.structure_id,
                        started_at=now,
                    )
                )
            for invitation in session.exec(
                select(InvitationRow).where(
                    InvitationRow.beneficiary_id == row.id, InvitationRow.status == "pending"
                )
            ).all():
                invitation.counsellor_id = target.id  # the person reads who follows them now
                session.add(invitation)
            row.counsellor_id = target.id
            touch(row, now)
            session.add(row)
            session.commit()

    def _reassignable(self, session: Session, actor: Actor, beneficiary_id: str) -> BeneficiaryRow:
        """The beneficiary if this actor is a manager of their structure and the follow-up is
        open; the counsellor following them is told it is the manager's to do."""
        row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.SEE)
        if row.status != "open":
            raise WorkspaceError("closed", status=409)
        if not counsellor_may(actor, BeneficiaryNeed.REASSIGN, facts_of(session, row)):
            raise WorkspaceError("manager_only", status=403)
        return row

    def may_reassign(self, actor: Actor, beneficiary_id: str) -> bool:
        """Whether « Confier à un·e autre conseiller·ère » is this actor's to offer."""
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            try:
                self._reassignable(session, actor, beneficiary_id)
            except WorkspaceError:
                return False
            return True

    def counsellors(self, actor: Actor, beneficiary_id: str) -> list[CounsellorChoice]:
        """Whom a manager may give this follow-up to: the active counsellors and managers of
        the beneficiary's own structure (never another structure's), the current one first."""
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            row = self._reassignable(session, actor, beneficiary_id)
            found = session.exec(
                select(AccountRow)
                .where(
                    AccountRow.structure_id == row.structure_id,
                    AccountRow.status == "active",
                    col(AccountRow.role).in_([Role.COUNSELLOR.value, Role.STRUCTURE_ADMIN.value]),
                )
                .order_by(func.lower(AccountRow.display_name), col(AccountRow.email))
            ).all()
            choices = [
                CounsellorChoice(a.email, a.display_name or a.email, a.id == row.counsellor_id)
                for a in found
            ]
        return sorted(choices, key=lambda c: not c.current)

    # -- purge ------------------------------------------------------------------------

    def purge(self) -> int:
        """Delete follow-ups without activity for 24 months, the counsellor's (the row's last
        activity) and the person's (`person_news`: a re-assessment keeps it); how many."""
        limit = self.store.now() - PURGE_AFTER
        with Session(self.store.engine) as session:
            quiet = session.exec(
                select(BeneficiaryRow).where(col(BeneficiaryRow.last_activity_at) < limit)
            ).all()
            news = person_news(session, [(r.id, r.subject_id, r.created_at) for r in quiet])
            old = [r for r in quiet if news[r.id] < limit]
            for row in old:
                end_follow_ups(session, row.subject_id, self.store.now())
                delete_plan(session, PlanKind.BENEFICIARY, row.id)
                session.delete(row)
            session.commit()
            return len(old)

    # -- internals --------------------------------------------------------------------

    def _shared_subject(self, actor: Actor, beneficiary_id: str, need: BeneficiaryNeed) -> str:
        return self._shared(actor, beneficiary_id, need)[0]

    def _shared(
        self, actor: Actor, beneficiary_id: str, need: BeneficiaryNeed
    ) -> tuple[str, datetime | None]:
        """The shared subject, and the moment its snapshots are read until (`held_until`)."""
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, need)
            assert row.subject_id is not None
            return row.subject_id, held_until(row)

    def _summaries(
        self, ctx: Context, stored: list[StoredAssessment], goal: str | None
    ) -> tuple[SnapshotSummary, ...]:
        """Each snapshot's summary; its figures from the memo or the database when known,
        stored when the engine had to compute them."""
        wanted = [(s.id, s.updated_at, goal) for s in stored]
        kinds: tuple[figures.Kind, ...] = ("readiness", "hours")
        for kind in kinds:
            figures.prime(self.store.engine, ctx, kind, wanted)
        unknown = {
            kind: [w for w in wanted if not figures.known(kind, ctx, *w)[0]] for kind in kinds
        }
        summaries = tuple(self._summary(ctx, s, goal) for s in stored)
        for kind in kinds:
            figures.keep(self.store.engine, ctx, kind, unknown[kind])
        return summaries

    def _summary(self, ctx: Context, stored: StoredAssessment, goal: str | None) -> SnapshotSummary:
        return SnapshotSummary(
            stored.id,
            stored.created_at,
            len(stored.ratings),
            figures.readiness(ctx, stored, goal),
            figures.plan_hours(ctx, stored, goal),
        )

    def _audit(
        self,
        actor: Actor,
        subject_id: str,
        what: str,
        action: Literal["view", "export"] = "view",
    ) -> None:
        accounts = self.store.accounts()
        facts = accounts.subject_facts(subject_id) or SubjectFacts(subject_id)
        try:
            accounts.authorise(
                actor,
                AccessNeed.VIEW_SUBJECT,
                Target(subject=facts),
                audit_action=action,
                what=what,
            )
        except Exception as error:  # a reassigned or ended follow-up: nothing to show
            raise NotFound() from error


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
