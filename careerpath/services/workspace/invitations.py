"""Inviting a person to share their assessment, and their answer (consent) on their phone.

The counsellor names the person (a name or nickname of their choice) and gets a code, a
link and a QR code valid 14 days. On their phone, with no account, the person sees who asks
(counsellor, structure), exactly what will be shared and for how long, then accepts (their
device's assessments, its later updates, the plan and the action plan become visible to that
counsellor) or refuses. Accepting links the device's subject to the beneficiary and opens
the accounts' follow-up that VIEW_SUBJECT reads; the person can stop at any time
(`follow.stop_sharing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import segno
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from careerpath.config import load_settings
from careerpath.data.account_tables import AccountRow, FollowUpRow, StructureRow
from careerpath.data.workspace_tables import (
    BeneficiaryAssignmentRow,
    BeneficiaryRow,
    InvitationRow,
)
from careerpath.domain.access import Actor
from careerpath.domain.invitations import (
    INVITATION_LIFETIME,
    display_code,
    new_code,
    normalise_code,
)
from careerpath.domain.workspace_access import BeneficiaryNeed
from careerpath.services.assessments import AssessmentStore, is_device_id
from careerpath.services.workspace.base import (
    NotFound,
    Store,
    WorkspaceError,
    as_aware,
    beneficiary_for,
    counsellor_name,
    new_id,
    require_workspace,
    touch,
)

MAX_LABEL = 120
INVITE_ROUTE = "/invitation"


@dataclass(frozen=True)
class Invitation:
    code: str
    shown_code: str
    url: str
    qr_svg: str
    expires_at: datetime
    beneficiary_id: str


@dataclass(frozen=True)
class InvitationPreview:
    """What the person sees before answering."""

    code: str
    counsellor: str
    structure: str
    expires_at: datetime
    status: str


def invitation_url(code: str) -> str:
    return f"{load_settings().public_url}{INVITE_ROUTE}/{code}"


def qr_svg(url: str) -> str:
    """A QR code as inline SVG (made on the server, no network)."""
    return str(segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#0b2f33"))


def clean_label(label: str) -> str:
    cleaned = " ".join(label.split())
    if not cleaned or len(cleaned) > MAX_LABEL or any(ord(ch) < 32 for ch in cleaned):
        raise WorkspaceError("label", field="label")
    return cleaned


class Invitations:
    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, actor: Actor, label: str) -> Invitation:
        """A new beneficiary followed by this counsellor, with its invitation."""
        require_workspace(self.store, actor)
        account = actor.account
        assert account is not None and account.structure_id is not None
        name = clean_label(label)
        now = self.store.now()
        with Session(self.store.engine) as session:
            beneficiary = BeneficiaryRow(
                id=new_id(),
                structure_id=account.structure_id,
                counsellor_id=account.id,
                label=name,
                created_at=now,
                last_activity_at=now,
            )
            session.add(beneficiary)
            session.flush()  # no ORM relationship orders the inserts: the parent goes first
            session.add(
                BeneficiaryAssignmentRow(
                    beneficiary_id=beneficiary.id,
                    counsellor_id=account.id,
                    counsellor_name=account.display_name or account.email,
                    started_at=now,
                )
            )
            invitation = self._new_invitation(session, beneficiary.id, account.id, now)
            session.commit()
            return self._view(invitation)

    def renew(self, actor: Actor, beneficiary_id: str) -> Invitation:
        """A fresh code for a beneficiary who has not shared yet (or stopped and agrees again)."""
        require_workspace(self.store, actor)
        account = actor.account
        assert account is not None
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.SEE)
            if row.status != "open":
                raise WorkspaceError("closed", status=409)
            for old in session.exec(
                select(InvitationRow).where(
                    InvitationRow.beneficiary_id == row.id, InvitationRow.status == "pending"
                )
            ).all():
                old.status = "cancelled"
                session.add(old)
            invitation = self._new_invitation(session, row.id, account.id, now)
            session.commit()
            return self._view(invitation)

    def pending(self, actor: Actor, beneficiary_id: str) -> Invitation | None:
        """The beneficiary's invitation still waiting for an answer, if any."""
        require_workspace(self.store, actor)
        now = self.store.now()
        with Session(self.store.engine) as session:
            row = beneficiary_for(session, actor, beneficiary_id, BeneficiaryNeed.SEE)
            found = session.exec(
                select(InvitationRow).where(
                    InvitationRow.beneficiary_id == row.id, InvitationRow.status == "pending"
                )
            ).all()
            live = [i for i in found if (as_aware(i.expires_at) or now) > now]
            return self._view(live[-1]) if live else None

    def preview(self, code_text: str) -> InvitationPreview:
        """Who asks and until when; an unknown code and an expired one say so."""
        code = normalise_code(code_text)
        if code is None:
            raise WorkspaceError("code", field="code")
        with Session(self.store.engine) as session:
            invitation = session.get(InvitationRow, code)
            if invitation is None:
                raise WorkspaceError("code", field="code", status=404)
            beneficiary = session.get(BeneficiaryRow, invitation.beneficiary_id)
            if beneficiary is None:
                raise WorkspaceError("code", field="code", status=404)
            structure = session.get(StructureRow, beneficiary.structure_id)
            status = invitation.status
            expires = as_aware(invitation.expires_at)
            assert expires is not None
            if status == "pending" and expires <= self.store.now():
                status = "expired"
            return InvitationPreview(
                code=code,
                counsellor=counsellor_name(session, invitation.counsellor_id),
                structure=structure.name if structure else "",
                expires_at=expires,
                status=status,
            )

    def accept(self, code_text: str, device_id: str) -> str:
        """The device's subject is shared with the counsellor; returns the beneficiary id."""
        return self._answer(code_text, device_id, accept=True)

    def refuse(self, code_text: str, device_id: str) -> None:
        self._answer(code_text, device_id, accept=False)

    # -- internals ------------------------------------------------------------------------

    def _answer(self, code_text: str, device_id: str, *, accept: bool) -> str:
        code = normalise_code(code_text)
        if code is None:
            raise WorkspaceError("code", field="code")
        if not is_device_id(device_id):
            raise WorkspaceError("device")
        now = self.store.now()
        assessments = AssessmentStore(self.store.url, self.store.clock)
        if accept and assessments.current(device_id) is None:
            raise WorkspaceError("no_assessment")
        subject_id = assessments.subject_of_device(device_id, create=accept) if accept else None
        with Session(self.store.engine) as session:
            invitation = session.get(InvitationRow, code)
            if invitation is None:
                raise WorkspaceError("code", field="code", status=404)
            if invitation.status != "pending":
                raise WorkspaceError("answered", status=409)
            expires = as_aware(invitation.expires_at)
            if expires is None or expires <= now:
                raise WorkspaceError("expired", status=410)
            beneficiary = session.get(BeneficiaryRow, invitation.beneficiary_id)
            if beneficiary is None or beneficiary.status != "open":
                raise WorkspaceError("expired", status=410)
            invitation.status = "accepted" if accept else "refused"
            invitation.answered_at = now
            session.add(invitation)
            if accept:
                assert subject_id is not None
                beneficiary.subject_id = subject_id
                beneficiary.sharing_stopped_at = None
                touch(beneficiary, now)
                counsellor = (
                    session.get(AccountRow, beneficiary.counsellor_id)
                    if beneficiary.counsellor_id
                    else None
                )
                if counsellor is not None and counsellor.status == "active":
                    session.add(
                        FollowUpRow(
                            subject_id=subject_id,
                            counsellor_id=counsellor.id,
                            structure_id=beneficiary.structure_id,
                            started_at=now,
                        )
                    )
            session.add(beneficiary)
            session.commit()
            beneficiary_id = beneficiary.id
        if accept:
            assert subject_id is not None
            assessments.seal(subject_id)  # what the counsellor now holds stays as it was
        return beneficiary_id

    def _new_invitation(
        self, session: Session, beneficiary_id: str, counsellor_id: str, now: datetime
    ) -> InvitationRow:
        for _ in range(20):
            code = new_code()
            if session.get(InvitationRow, code) is None:
                row = InvitationRow(
                    code=code,
                    beneficiary_id=beneficiary_id,
                    counsellor_id=counsellor_id,
                    created_at=now,
                    expires_at=now + INVITATION_LIFETIME,
                )
                session.add(row)
                try:
                    session.flush()
                except IntegrityError:  # pragma: no cover  (a concurrent writer took it)
                    session.rollback()
                    continue
                return row
        raise NotFound()  # pragma: no cover  (20 collisions in 7.8e10 codes)

    @staticmethod
    def _view(row: InvitationRow) -> Invitation:
        url = invitation_url(row.code)
        expires = as_aware(row.expires_at)
        assert expires is not None
        return Invitation(
            code=row.code,
            shown_code=display_code(row.code),
            url=url,
            qr_svg=qr_svg(url),
            expires_at=expires,
            beneficiary_id=row.beneficiary_id,
        )
