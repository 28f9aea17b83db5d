"""Action plans built together: the storage and validation of the shared action model.

A plan is `(PlanKind, plan id)`: a beneficiary of the counsellor workspace, or a group of
the collective diagnosis. This module does not decide who may touch a plan: the callers
(`follow.BeneficiaryPlans`, the person's `MyPlan`, the collective service) check access
first, then call these functions with the author they established.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from sqlmodel import Session, col, select

from careerpath.data.workspace_tables import ActionCommentRow, PlanActionRow, PlanObjectiveRow
from careerpath.domain.actions import (
    BENEFICIARY_KINDS,
    ActionFacts,
    ActionKind,
    ActionStatus,
    Author,
    PlanKind,
    is_overdue,
    problems,
    text_problem,
)
from careerpath.services.workspace.base import MAX_ID, WorkspaceError, as_aware, id_of


@dataclass(frozen=True)
class Comment:
    author: Author
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Action:
    id: int
    kind: ActionKind
    title: str
    training: str | None
    start: date | None
    due: date | None
    status: ActionStatus
    created_by: Author
    overdue: bool
    objective_id: int | None
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class Objective:
    id: int
    title: str
    role: str | None


@dataclass(frozen=True)
class ActionPlan:
    objectives: tuple[Objective, ...]
    actions: tuple[Action, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.actions if a.overdue)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Keep(Enum):
    """`KEEP`: a field of an edit that stays as it is (None clears a date or an objective)."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class ActionEdit:
    """What an edit of an action changes; every field is checked before anything is written.

    Dates are `AAAA-MM-JJ` (or a `date`); "" or None clears one; KEEP leaves it."""

    title: str | Keep = KEEP
    status: str | Keep = KEEP
    start: str | date | None | Keep = KEEP
    due: str | date | None | Keep = KEEP
    objective_id: int | None | Keep = KEEP


def parse_date(text: str | date | None, field: str) -> date | None:
    """A date as a form or the API sends it (AAAA-MM-JJ); "" is no date; else a refusal."""
    if text is None or isinstance(text, date):
        return text
    text = text.strip()
    if not text:
        return None
    if not ISO_DATE.fullmatch(text):
        raise WorkspaceError("date", field=field)
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise WorkspaceError("date", field=field) from error


def _kind(value: str) -> ActionKind:
    try:
        return ActionKind(value)
    except ValueError as error:
        raise WorkspaceError("kind", field="kind") from error


def beneficiary_kind(value: str) -> str:
    """A kind a beneficiary's plan takes (not a group's onboarding or meeting), or a refusal."""
    if value not in {k.value for k in BENEFICIARY_KINDS}:
        raise WorkspaceError("kind", field="kind")
    return value


def _status(value: str) -> ActionStatus:
    try:
        return ActionStatus(value)
    except ValueError as error:
        raise WorkspaceError("status", field="status") from error


def _check(facts: ActionFacts) -> None:
    for field, problem in problems(facts):
        raise WorkspaceError(f"{field}.{problem}", field=field)


def _text(text: str) -> str:
    problem = text_problem(text)
    if problem is not None:
        raise WorkspaceError(f"text.{problem}", field="text")
    return text.strip()


def read_plan(session: Session, kind: PlanKind, plan_id: str, today: date) -> ActionPlan:
    objectives = session.exec(
        select(PlanObjectiveRow)
        .where(PlanObjectiveRow.plan_kind == kind.value, PlanObjectiveRow.plan_id == plan_id)
        .order_by(col(PlanObjectiveRow.id))
    ).all()
    rows = session.exec(
        select(PlanActionRow)
        .where(PlanActionRow.plan_kind == kind.value, PlanActionRow.plan_id == plan_id)
        .order_by(
            col(PlanActionRow.due_date).is_(None),
            col(PlanActionRow.due_date),
            col(PlanActionRow.id),
        )
    ).all()
    ids = [r.id for r in rows if r.id is not None]
    comments: dict[int, list[Comment]] = {}
    if ids:
        for c in session.exec(
            select(ActionCommentRow)
            .where(col(ActionCommentRow.action_id).in_(ids))
            .order_by(col(ActionCommentRow.id))
        ).all():
            created = as_aware(c.created_at)
            assert created is not None
            comments.setdefault(c.action_id, []).append(
                Comment(Author(c.author), c.author_name, c.text, created)
            )
    actions = []
    for r in rows:
        assert r.id is not None
        facts = ActionFacts(
            ActionKind(r.kind), r.title, ActionStatus(r.status), r.start_date, r.due_date
        )
        actions.append(
            Action(
                id=r.id,
                kind=facts.kind,
                title=r.title,
                training=r.training,
                start=r.start_date,
                due=r.due_date,
                status=facts.status,
                created_by=Author(r.created_by),
                overdue=is_overdue(facts, today),
                objective_id=r.objective_id,
                comments=tuple(comments.get(r.id, ())),
            )
        )
    return ActionPlan(
        tuple(Objective(o.id or 0, o.title, o.role) for o in objectives), tuple(actions)
    )


def _objective_title(title: str) -> str:
    if problems(ActionFacts(ActionKind.FREE, title)):
        raise WorkspaceError("objective_title", field="title")
    return title.strip()


def _objective_of(
    session: Session, kind: PlanKind, plan_id: str, objective_id: int
) -> PlanObjectiveRow:
    row = session.get(PlanObjectiveRow, id_of(objective_id, "objective", "objective_id"))
    if row is None or (row.plan_kind, row.plan_id) != (kind.value, plan_id):
        raise WorkspaceError("objective", field="objective_id", status=404)
    return row


def add_objective(
    session: Session, kind: PlanKind, plan_id: str, title: str, role: str | None, now: datetime
) -> int:
    title = _objective_title(title)
    row = PlanObjectiveRow(
        plan_kind=kind.value, plan_id=plan_id, title=title.strip(), role=role, created_at=now
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def add_action(
    session: Session,
    kind: PlanKind,
    plan_id: str,
    *,
    action_kind: str,
    title: str,
    author: Author,
    now: datetime,
    start: str | date | None = None,
    due: str | date | None = None,
    training: str | None = None,
    objective_id: int | None = None,
) -> int:
    """A new action (status « à faire »); every field checked before anything is written."""
    facts = ActionFacts(
        _kind(action_kind),
        title,
        ActionStatus.TODO,
        parse_date(start, "start"),
        parse_date(due, "due"),
    )
    _check(facts)
    if objective_id is not None:
        _objective_of(session, kind, plan_id, objective_id)
    row = PlanActionRow(
        plan_kind=kind.value,
        plan_id=plan_id,
        objective_id=objective_id,
        kind=facts.kind.value,
        title=title.strip(),
        training=training,
        start_date=facts.start,
        due_date=facts.due,
        created_by=author.value,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def rename_objective(
    session: Session, kind: PlanKind, plan_id: str, objective_id: int, title: str
) -> None:
    row = _objective_of(session, kind, plan_id, objective_id)
    row.title = _objective_title(title)
    session.add(row)


def delete_objective(session: Session, kind: PlanKind, plan_id: str, objective_id: int) -> None:
    """The objective goes; its actions stay in the plan, under no objective. One that is not
    (or no longer) in this plan is gone already: nothing to do (a repeated removal is no
    error), and nothing of another plan is touched."""
    if not 1 <= objective_id <= MAX_ID:
        return
    row = session.get(PlanObjectiveRow, objective_id)
    if row is None or (row.plan_kind, row.plan_id) != (kind.value, plan_id):
        return
    for action in session.exec(
        select(PlanActionRow).where(PlanActionRow.objective_id == objective_id)
    ).all():
        action.objective_id = None
        session.add(action)
    session.delete(row)


def update_action(
    session: Session,
    kind: PlanKind,
    plan_id: str,
    action_id: int,
    edit: ActionEdit,
    now: datetime,
) -> None:
    """Title, status, dates and objective of an action at once, or nothing when one is wrong
    (a due date before the start, an unreadable date, an unknown status or objective)."""
    row = _action_of(session, kind, plan_id, action_id)
    title = row.title if isinstance(edit.title, Keep) else edit.title
    status = ActionStatus(row.status) if isinstance(edit.status, Keep) else _status(edit.status)
    start = row.start_date if isinstance(edit.start, Keep) else parse_date(edit.start, "start")
    due = row.due_date if isinstance(edit.due, Keep) else parse_date(edit.due, "due")
    facts = ActionFacts(ActionKind(row.kind), title, status, start, due)
    _check(facts)
    objective_id = row.objective_id
    if not isinstance(edit.objective_id, Keep):
        objective_id = edit.objective_id
        if objective_id is not None:
            _objective_of(session, kind, plan_id, objective_id)
    row.title, row.status = title.strip(), status.value
    row.start_date, row.due_date, row.objective_id = start, due, objective_id
    row.updated_at = now
    session.add(row)


def action_of(
    session: Session, kind: PlanKind, plan_id: str, action_id: int, today: date
) -> Action:
    """One action of a plan as `read_plan` gives it."""
    for action in read_plan(session, kind, plan_id, today).actions:
        if action.id == action_id:
            return action
    raise WorkspaceError("action", status=404)


def _action_of(session: Session, kind: PlanKind, plan_id: str, action_id: int) -> PlanActionRow:
    row = session.get(PlanActionRow, id_of(action_id, "action"))
    if row is None or (row.plan_kind, row.plan_id) != (kind.value, plan_id):
        raise WorkspaceError("action", status=404)
    return row


def set_status(
    session: Session, kind: PlanKind, plan_id: str, action_id: int, status: str, now: datetime
) -> None:
    row = _action_of(session, kind, plan_id, action_id)
    row.status = _status(status).value
    row.updated_at = now
    session.add(row)


def set_dates(
    session: Session,
    kind: PlanKind,
    plan_id: str,
    action_id: int,
    start: str | date | None,
    due: str | date | None,
    now: datetime,
) -> None:
    row = _action_of(session, kind, plan_id, action_id)
    facts = ActionFacts(
        ActionKind(row.kind),
        row.title,
        ActionStatus(row.status),
        parse_date(start, "start"),
        parse_date(due, "due"),
    )
    _check(facts)
    row.start_date, row.due_date, row.updated_at = facts.start, facts.due, now
    session.add(row)


def comment(
    session: Session,
    kind: PlanKind,
    plan_id: str,
    action_id: int,
    author: Author,
    author_name: str,
    text: str,
    now: datetime,
) -> None:
    row = _action_of(session, kind, plan_id, action_id)
    session.add(
        ActionCommentRow(
            action_id=action_id,
            author=author.value,
            author_name=author_name[:200],
            text=_text(text),
            created_at=now,
        )
    )
    row.updated_at = now
    session.add(row)


def delete_plan(session: Session, kind: PlanKind, plan_id: str) -> None:
    """Everything of a plan (comments go with their actions)."""
    for action in session.exec(
        select(PlanActionRow).where(
            PlanActionRow.plan_kind == kind.value, PlanActionRow.plan_id == plan_id
        )
    ).all():
        for c in session.exec(
            select(ActionCommentRow).where(ActionCommentRow.action_id == action.id)
        ).all():
            session.delete(c)
        session.delete(action)
    for objective in session.exec(
        select(PlanObjectiveRow).where(
            PlanObjectiveRow.plan_kind == kind.value, PlanObjectiveRow.plan_id == plan_id
        )
    ).all():
        session.delete(objective)


def check_text(text: str) -> str:
    """A comment's or note's text as kept (stripped), or a WorkspaceError."""
    return _text(text)
