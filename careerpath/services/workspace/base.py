"""What every workspace service shares: the database, the clock, errors and access checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from careerpath.data.account_tables import AccountRow, FollowUpRow, SubjectRow
from careerpath.data.database import engine_for
from careerpath.data.workspace_tables import BeneficiaryRow
from careerpath.domain.access import Actor, Need
from careerpath.domain.workspace_access import (
    BeneficiaryFacts,
    BeneficiaryNeed,
    counsellor_may,
    person_may,
)
from careerpath.services.accounts import Accounts
from careerpath.services.accounts.clock import Clock, aware, utc_now
from careerpath.services.labels import Locale
from careerpath.services.referential import database_url

MESSAGES: dict[str, dict[str, str]] = {
    "not_found": {
        "fr": "Cette personne n'existe pas ou vous n'y avez pas accès.",
        "en": "This person does not exist or you have no access to them.",
    },
    "not_shared": {
        "fr": "La personne ne partage plus ses données : seuls le nom et le motif de clôture "
        "sont gardés.",
        "en": "The person no longer shares their data: only the name and the closing reason "
        "are kept.",
    },
    "closed": {
        "fr": "Cet accompagnement est clos : il ne se modifie plus.",
        "en": "This follow-up is closed: it can no longer be changed.",
    },
    "label": {
        "fr": "Indiquez un nom ou un surnom (1 à 120 caractères).",
        "en": "Give a name or a nickname (1 to 120 characters).",
    },
    "reason": {
        "fr": "Indiquez le motif de clôture (1 à 300 caractères).",
        "en": "Give the reason for closing (1 to 300 characters).",
    },
    "code": {
        "fr": "Ce code n'est pas valable : vérifiez-le (8 caractères) ou demandez-en un "
        "nouveau à votre conseiller·ère.",
        "en": "This code is not valid: check it (8 characters) or ask your counsellor for a "
        "new one.",
    },
    "expired": {
        "fr": "Cette invitation a expiré : demandez-en une nouvelle à votre conseiller·ère.",
        "en": "This invitation has expired: ask your counsellor for a new one.",
    },
    "answered": {
        "fr": "Cette invitation a déjà reçu une réponse.",
        "en": "This invitation has already been answered.",
    },
    "no_assessment": {
        "fr": "Faites d'abord votre bilan sur cet appareil : c'est lui que vous partagerez.",
        "en": "Do your assessment on this device first: it is what you will share.",
    },
    "device": {
        "fr": "Cet appareil n'a pas encore d'identifiant : rechargez la page.",
        "en": "This device has no id yet: reload the page.",
    },
    "counsellor": {
        "fr": "Choisissez un·e conseiller·ère actif·ve de la structure.",
        "en": "Choose an active counsellor of the structure.",
    },
    "snapshot": {
        "fr": "Ce bilan daté n'appartient pas à cette personne.",
        "en": "This dated assessment does not belong to this person.",
    },
    "action": {
        "fr": "Cette action n'existe pas dans ce plan.",
        "en": "This action is not in this plan.",
    },
    "title.empty": {"fr": "Donnez un titre à l'action.", "en": "Give the action a title."},
    "title.too_long": {
        "fr": "Le titre fait au plus 200 caractères.",
        "en": "The title is at most 200 characters long.",
    },
    "due.before_start": {
        "fr": "L'échéance doit venir après le début.",
        "en": "The due date must come after the start date.",
    },
    "text.empty": {"fr": "Le texte est vide.", "en": "The text is empty."},
    "text.too_long": {
        "fr": "Le texte fait au plus 2 000 caractères.",
        "en": "The text is at most 2,000 characters long.",
    },
    "kind": {"fr": "Type d'action inconnu.", "en": "Unknown kind of action."},
    "status": {"fr": "Statut inconnu.", "en": "Unknown status."},
    "date": {
        "fr": "Date invalide : utilisez le format AAAA-MM-JJ.",
        "en": "Invalid date: use the YYYY-MM-DD format.",
    },
    "training": {
        "fr": "Cette formation n'est pas au catalogue.",
        "en": "This training is not in the catalogue.",
    },
}


class WorkspaceError(Exception):
    """A refusal with a message in the person's language; nothing was written."""

    def __init__(self, code: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.status = status

    def message(self, locale: Locale = "fr") -> str:
        return MESSAGES.get(self.code, MESSAGES["not_found"])[locale]


class NotFound(WorkspaceError):
    """Unknown, or not reachable by this actor: both look the same from outside."""

    def __init__(self) -> None:
        super().__init__("not_found", status=404)


@dataclass(frozen=True)
class Store:
    """The database and clock the workspace services use."""

    engine: Engine
    clock: Clock
    url: str | None

    @classmethod
    def of(cls, url: str | None = None, clock: Clock = utc_now) -> Store:
        return cls(engine_for(database_url(url)), clock, url)

    def now(self) -> datetime:
        return self.clock()

    def accounts(self) -> Accounts:
        return Accounts(self.url, clock=self.clock)


def new_id() -> str:
    return uuid.uuid4().hex


def facts_of(session: Session, row: BeneficiaryRow) -> BeneficiaryFacts:
    device = None
    if row.subject_id is not None:
        subject = session.get(SubjectRow, row.subject_id)
        device = subject.device_id if subject else None
    return BeneficiaryFacts(
        beneficiary_id=row.id,
        structure_id=row.structure_id,
        counsellor_id=row.counsellor_id,
        open=row.status == "open",
        sharing=row.subject_id is not None,
        subject_device_id=device,
    )


def require_workspace(store: Store, actor: Actor) -> None:
    """Counsellors and managers only (raises AccessDenied for anyone else)."""
    store.accounts().authorise(actor, Need.COUNSELLOR_WORKSPACE)


def beneficiary_for(
    session: Session, actor: Actor, beneficiary_id: str, need: BeneficiaryNeed
) -> BeneficiaryRow:
    """The beneficiary row if this actor may `need` it; NotFound or a refusal otherwise."""
    row = session.get(BeneficiaryRow, beneficiary_id) if beneficiary_id else None
    if row is None:
        raise NotFound()
    facts = facts_of(session, row)
    if not counsellor_may(actor, BeneficiaryNeed.SEE, facts):
        raise NotFound()
    if need is not BeneficiaryNeed.SEE and not counsellor_may(actor, need, facts):
        if not facts.sharing:
            raise WorkspaceError("not_shared", status=403)
        if not facts.open:
            raise WorkspaceError("closed", status=409)
        raise NotFound()
    return row


def shared_by_device(session: Session, actor: Actor, *, write: bool) -> list[BeneficiaryRow]:
    """The follow-ups the person's device shares (usually one)."""
    if not actor.device_id:
        return []
    subject = session.exec(
        select(SubjectRow).where(SubjectRow.device_id == actor.device_id)
    ).first()
    if subject is None:
        return []
    rows = session.exec(select(BeneficiaryRow).where(BeneficiaryRow.subject_id == subject.id)).all()
    return [r for r in rows if person_may(actor, facts_of(session, r), write=write)]


def counsellor_name(session: Session, account_id: str | None) -> str:
    if account_id is None:
        return ""
    row = session.get(AccountRow, account_id)
    if row is None:
        return ""
    return row.display_name or row.email


def end_follow_ups(session: Session, subject_id: str | None, now: datetime) -> None:
    """The counsellor's access (accounts' follow-up rows) ends with the share."""
    if subject_id is None:
        return
    for follow in session.exec(
        select(FollowUpRow).where(FollowUpRow.subject_id == subject_id)
    ).all():
        if follow.ended_at is None:
            follow.ended_at = now
            session.add(follow)


def touch(row: BeneficiaryRow, now: datetime) -> None:
    row.last_activity_at = now


def as_aware(moment: datetime | None) -> datetime | None:
    return aware(moment) if moment is not None else None
