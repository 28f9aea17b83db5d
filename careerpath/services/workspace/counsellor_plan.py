"""The counsellor's side of a beneficiary's action plan: objectives, actions, comments.

« Ajouter au plan d'action » on an item of the person's training plan adds an action of
kind training (or VAE) carrying the training's code, so both sides see where it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from careerpath.data.workspace_tables import BeneficiaryRow
from careerpath.domain.access import Actor
from careerpath.domain.actions import ActionKind, Author, PlanKind
from careerpath.domain.referential import TrainingKind
from careerpath.domain.workspace_access import BeneficiaryNeed
from careerpath.services.context import Context, current_context
from careerpath.services.workspace import plans
from careerpath.services.workspace.base import (
    Store,
    WorkspaceError,
    beneficiary_for,
    require_workspace,
    touch,
)
from careerpath.services.workspace.follow import Follow, plan_items_of

T = TypeVar("T")


class CounsellorPlan:
    def __init__(self, store: Store) -> None:
        self.store = store

    def read(self, actor: Actor, beneficiary_id: str) -> plans.ActionPlan:
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.READ)
            return plans.read_plan(session, PlanKind.BENEFICIARY, row.id, self.store.now().date())

    def action(self, actor: Actor, beneficiary_id: str, action_id: int) -> plans.Action:
        """One action as both sides see it (after a change, say)."""
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.READ)
            return plans.action_of(
                session, PlanKind.BENEFICIARY, row.id, action_id, self.store.now().date()
            )

    def add_objective(
        self,
        actor: Actor,
        beneficiary_id: str,
        title: str,
        role: str | None = None,
        ctx: Context | None = None,
    ) -> int:
        """An objective, usually a goal role (its title then defaults to the role's).
        Access is checked before the input: another counsellor learns nothing from it."""
        self._writable(actor, beneficiary_id)
        if role:
            found = (ctx or current_context()).referential.role_by_code.get(role)
            if found is None:
                raise WorkspaceError("role", field="role")
            title = title.strip() or found.title[:200]
        return self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.add_objective(
                session, PlanKind.BENEFICIARY, plan_id, title, role or None, now
            ),
        )

    def rename_objective(
        self, actor: Actor, beneficiary_id: str, objective_id: int, title: str
    ) -> None:
        self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.rename_objective(
                session, PlanKind.BENEFICIARY, plan_id, objective_id, title
            ),
        )

    def delete_objective(self, actor: Actor, beneficiary_id: str, objective_id: int) -> None:
        """The objective goes; its actions stay, under no objective."""
        self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.delete_objective(
                session, PlanKind.BENEFICIARY, plan_id, objective_id
            ),
        )

    def update_action(
        self, actor: Actor, beneficiary_id: str, action_id: int, edit: plans.ActionEdit
    ) -> None:
        """Title, status, start and due dates, objective: all checked, then all written."""
        self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.update_action(
                session, PlanKind.BENEFICIARY, plan_id, action_id, edit, now
            ),
        )

    def add_action(
        self,
        actor: Actor,
        beneficiary_id: str,
        kind: str,
        title: str,
        start: str = "",
        due: str = "",
        objective_id: int | None = None,
    ) -> int:
        return self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.add_action(
                session,
                PlanKind.BENEFICIARY,
                plan_id,
                action_kind=plans.beneficiary_kind(kind),
                title=title,
                author=Author.COUNSELLOR,
                now=now,
                start=start or None,
                due=due or None,
                objective_id=objective_id,
            ),
        )

    def add_training(
        self,
        actor: Actor,
        beneficiary_id: str,
        training: str,
        ctx: Context | None = None,
        objective_id: int | None = None,
    ) -> int:
        """An item of the person's training plan (of their latest assessment, to their goal)
        becomes an action, its title and code kept; any other code is refused. Access is
        checked first: another counsellor gets the same refusal whatever the code."""
        ctx = ctx or current_context()
        subject_id = self._writable(actor, beneficiary_id).subject_id
        latest = Follow(self.store).latest_of(subject_id) if subject_id else None
        if training not in {i.training for i in plan_items_of(ctx, latest)}:
            raise WorkspaceError("training_plan", field="training")
        found = next((t for t in ctx.referential.trainings if t.code == training), None)
        if found is None:
            raise WorkspaceError("training", field="training")
        kind = ActionKind.VAE if found.kind == TrainingKind.VAE else ActionKind.TRAINING
        return self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.add_action(
                session,
                PlanKind.BENEFICIARY,
                plan_id,
                action_kind=kind.value,
                title=found.title[:200],
                author=Author.COUNSELLOR,
                now=now,
                training=found.code,
                objective_id=objective_id,
            ),
        )

    def set_status(self, actor: Actor, beneficiary_id: str, action_id: int, status: str) -> None:
        self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.set_status(
                session, PlanKind.BENEFICIARY, plan_id, action_id, status, now
            ),
        )

    def set_dates(
        self, actor: Actor, beneficiary_id: str, action_id: int, start: str, due: str
    ) -> None:
        self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.set_dates(
                session, PlanKind.BENEFICIARY, plan_id, action_id, start or None, due or None, now
            ),
        )

    def comment(self, actor: Actor, beneficiary_id: str, action_id: int, text: str) -> None:
        account = actor.account
        name = (account.display_name or account.email) if account else ""
        self._write(
            actor,
            beneficiary_id,
            lambda session, plan_id, now: plans.comment(
                session,
                PlanKind.BENEFICIARY,
                plan_id,
                action_id,
                Author.COUNSELLOR,
                name,
                text,
                now,
            ),
        )

    def _writable(self, actor: Actor, beneficiary_id: str) -> BeneficiaryRow:
        """The beneficiary if this actor may change their plan (else the usual refusal)."""
        require_workspace(self.store, actor)
        with Session(self.store.engine) as session:
            return beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.WRITE)

    def _write(
        self,
        actor: Actor,
        beneficiary_id: str,
        change: Callable[[Session, str, datetime], T],
    ) -> T:
        require_workspace(self.store, actor)
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.WRITE)
            result = change(session, row.id, now)
            touch(row, now)
            session.add(row)
            session.commit()
            return result
