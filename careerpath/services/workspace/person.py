"""The person's side of a follow-up, from their device, with no account.

They see who follows them and what is shared, read and update their action plan (statuses,
comments, their own actions), update their assessment (a new dated snapshot), and stop
sharing at any time: effective at once, the counsellor then keeps only the name they entered
and a closing reason (« Partage arrêté par la personne »); the action plan, comments, notes
and invitations of that follow-up are deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from careerpath.data.account_tables import StructureRow
from careerpath.data.workspace_tables import BeneficiaryRow, CounsellorNoteRow, InvitationRow
from careerpath.domain.access import Actor
from careerpath.domain.actions import Author, PlanKind
from careerpath.services.assessments import AssessmentStore, StoredAssessment
from careerpath.services.workspace import plans
from careerpath.services.workspace.base import (
    ShareGone,
    Store,
    WorkspaceError,
    as_aware,
    counsellor_name,
    end_follow_ups,
    shared_by_device,
    touch,
)

STOPPED_REASON = "Partage arrêté par la personne"


@dataclass(frozen=True)
class MyFollowUp:
    beneficiary_id: str
    counsellor: str
    structure: str
    open: bool
    since: datetime
    plan: plans.ActionPlan
    update_requested: datetime | None = None
    """When the counsellor last asked for an update of the assessment."""


class Person:
    def __init__(self, store: Store) -> None:
        self.store = store

    def follow_ups(self, actor: Actor) -> list[MyFollowUp]:
        """What this device shares, and with whom."""
        today = self.store.now().date()
        with Session(self.store.engine) as session:
            found = []
            for row in shared_by_device(session, actor, write=False):
                structure = session.get(StructureRow, row.structure_id)
                found.append(
                    MyFollowUp(
                        beneficiary_id=row.id,
                        counsellor=counsellor_name(session, row.counsellor_id),
                        structure=structure.name if structure else "",
                        open=row.status == "open",
                        since=row.created_at,
                        plan=plans.read_plan(session, PlanKind.BENEFICIARY, row.id, today),
                        update_requested=as_aware(row.update_requested_at),
                    )
                )
            return found

    def has_assessment(self, device_id: str) -> bool:
        """Whether this device holds an assessment it could share (accepting needs one)."""
        if not device_id:
            return False
        return AssessmentStore(self.store.url, self.store.clock).current(device_id) is not None

    def _mine(
        self, session: Session, actor: Actor, beneficiary_id: str, *, write: bool
    ) -> BeneficiaryRow:
        """The follow-up this device shares; a closed one is read-only (refused here, not
        only hidden on the page)."""
        for row in shared_by_device(session, actor, write=False):
            if row.id == beneficiary_id:
                if write and row.status != "open":
                    raise WorkspaceError("closed", status=409)
                return row
        raise ShareGone()

    def set_status(self, actor: Actor, beneficiary_id: str, action_id: int, status: str) -> None:
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = self._mine(session, actor, beneficiary_id, write=True)
            plans.set_status(session, PlanKind.BENEFICIARY, row.id, action_id, status, now)
            touch(row, now)
            session.add(row)
            session.commit()

    def comment(self, actor: Actor, beneficiary_id: str, action_id: int, text: str) -> None:
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = self._mine(session, actor, beneficiary_id, write=True)
            plans.comment(
                session, PlanKind.BENEFICIARY, row.id, action_id, Author.BENEFICIARY, "", text, now
            )
            touch(row, now)
            session.add(row)
            session.commit()

    def add_action(
        self,
        actor: Actor,
        beneficiary_id: str,
        kind: str,
        title: str,
        due: str = "",
        start: str = "",
        objective_id: int | None = None,
    ) -> int:
        """An action of the person's own (« ajoutée par vous »), under an objective or not."""
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = self._mine(session, actor, beneficiary_id, write=True)
            action_id = plans.add_action(
                session,
                PlanKind.BENEFICIARY,
                row.id,
                action_kind=plans.beneficiary_kind(kind),
                title=title,
                author=Author.BENEFICIARY,
                now=now,
                start=start or None,
                due=due or None,
                objective_id=objective_id,
            )
            touch(row, now)
            session.add(row)
            session.commit()
            return action_id

    def reassess(self, actor: Actor) -> StoredAssessment | None:
        """A new dated snapshot from the device's latest answers (the counsellor sees both);
        the latest itself while it is still open (changed today, not sealed). Changing a
        shared assessment does the same by itself (`AssessmentStore._writable`)."""
        assessments = AssessmentStore(self.store.url, self.store.clock)
        current = assessments.current(actor.device_id) if actor.device_id else None
        if current is None:
            return None
        if not assessments.is_frozen(current.id):
            return current  # today's snapshot is still open: no copy of it
        fresh = assessments.reassess(current.id)
        now = self.store.now()
        with Session(self.store.engine) as session:
            for row in shared_by_device(session, actor, write=True):
                touch(row, now)
                session.add(row)
            session.commit()
        return fresh

    def stop_all_sharing(self, actor: Actor) -> int:
        """Every follow-up this device shares stops, as with « Arrêter le partage » (before
        « Supprimer mes données » erases the device); how many there were."""
        with Session(self.store.engine) as session:
            shared = [row.id for row in shared_by_device(session, actor, write=False)]
        for beneficiary_id in shared:
            self.stop_sharing(actor, beneficiary_id)
        return len(shared)

    def stop_sharing(self, actor: Actor, beneficiary_id: str) -> None:
        """Effective at once: the counsellor keeps only the name and the closing reason."""
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = self._mine(session, actor, beneficiary_id, write=False)
            end_follow_ups(session, row.subject_id, now)
            plans.delete_plan(session, PlanKind.BENEFICIARY, row.id)
            for note in session.exec(
                select(CounsellorNoteRow).where(CounsellorNoteRow.beneficiary_id == row.id)
            ).all():
                session.delete(note)
            for invitation in session.exec(
                select(InvitationRow).where(InvitationRow.beneficiary_id == row.id)
            ).all():
                session.delete(invitation)
            row.subject_id = None
            row.sharing_stopped_at = now
            if row.status == "open":
                row.status, row.closed_reason, row.closed_at = "closed", STOPPED_REASON, now
            touch(row, now)
            session.add(row)
            session.commit()
