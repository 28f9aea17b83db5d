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
from careerpath.i18n import by_locale
from careerpath.services.accounts import Accounts
from careerpath.services.accounts.clock import Clock, aware, utc_now
from careerpath.services.labels import Locale
from careerpath.services.referential import database_url

MESSAGES: dict[str, dict[str, str]] = {
    "not_found": by_locale("Cette personne n'existe pas ou vous n'y avez pas accès."),
    "share_gone": by_locale(
        "Ce suivi n'est plus partagé depuis cet appareil : rechargez la page pour voir où "
        "vous en êtes."
    ),
    "not_shared": by_locale(
        "La personne ne partage plus ses données : seuls le nom et le motif de clôture sont gardés."
    ),
    "closed": by_locale("Cet accompagnement est clos : il ne se modifie plus."),
    "label": by_locale("Indiquez un nom ou un surnom (1 à 120 caractères)."),
    "reason": by_locale("Indiquez le motif de clôture (1 à 300 caractères)."),
    "code": by_locale(
        "Ce code n'est pas valable : vérifiez-le (8 caractères) ou demandez-en un "
        "nouveau à votre conseiller·ère."
    ),
    "expired": by_locale(
        "Cette invitation a expiré : demandez-en une nouvelle à votre conseiller·ère."
    ),
    "answered": by_locale("Cette invitation a déjà reçu une réponse."),
    "no_assessment": by_locale(
        "Faites d'abord votre bilan sur cet appareil : c'est lui que vous partagerez."
    ),
    "device": by_locale("Cet appareil n'a pas encore d'identifiant : rechargez la page."),
    "counsellor": by_locale("Choisissez un·e conseiller·ère actif·ve de la structure."),
    "snapshot": by_locale("Ce bilan daté n'appartient pas à cette personne."),
    "no_snapshot": by_locale("Aucun bilan daté pour l'instant."),
    "action": by_locale("Cette action n'existe pas dans ce plan."),
    "objective": by_locale("Cet objectif n'existe pas dans ce plan."),
    "objective_title": by_locale("Donnez un intitulé à l'objectif (1 à 200 caractères)."),
    "manager_only": by_locale(
        "Seul·e un·e responsable de la structure peut confier ce suivi à un·e autre conseiller·ère."
    ),
    "title.empty": by_locale("Donnez un titre à l'action."),
    "title.too_long": by_locale("Le titre fait au plus 200 caractères."),
    "due.before_start": by_locale("L'échéance doit venir après le début."),
    "text.empty": by_locale("Le texte est vide."),
    "text.too_long": by_locale("Le texte fait au plus 2 000 caractères."),
    "kind": by_locale("Type d'action inconnu."),
    "status": by_locale("Statut inconnu."),
    "date": by_locale("Date invalide : utilisez le format AAAA-MM-JJ."),
    "training": by_locale("Cette formation n'est pas au catalogue."),
    "training_plan": by_locale(
        "Cette formation n'est pas dans le plan de formation de la personne : choisissez-en "
        "une de son plan."
    ),
    "role": by_locale("Ce métier n'est pas au référentiel."),
}


class WorkspaceError(Exception):
    """A refusal with a message in the person's language; nothing was written.

    `messages` is the table of the codes (a subclass brings its own, e.g. the collective's)."""

    messages: dict[str, dict[str, str]] = MESSAGES

    def __init__(self, code: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.status = status

    def message(self, locale: Locale = "fr") -> str:
        table = self.messages
        return table.get(self.code, table["not_found"])[locale]


class NotFound(WorkspaceError):
    """Unknown, or not reachable by this actor: both look the same from outside.

    The only refusal a page shows as « accès refusé » (`is_denial`); every other code is a
    message under the form (an objective or action not in this plan, say)."""

    def __init__(self) -> None:
        super().__init__("not_found", status=404)


class ShareGone(NotFound):
    """NotFound as the person reads it on their device: the follow-up this page showed is
    no longer shared from it (sharing stopped, or the follow-up was purged)."""

    def __init__(self) -> None:
        WorkspaceError.__init__(self, "share_gone", status=404)


def is_denial(error: WorkspaceError) -> bool:
    """Whether a refusal means « this follow-up is not yours (or does not exist) »."""
    return isinstance(error, NotFound) or error.code == "not_found"


MAX_ID = 2**31 - 1
"""The largest id of an objective or an action (a database integer): the API's bound too."""


def id_of(value: object, code: str, field: str | None = None) -> int:
    """An objective's or action's id as a form, a websocket event or the API sends it: digits
    only, 1 to `MAX_ID`; anything else is the refusal `code` (nothing is looked up)."""
    if isinstance(value, bool):
        raise WorkspaceError(code, field=field, status=404)
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
            raise WorkspaceError(code, field=field, status=404)
        number = int(text)
    if not 1 <= number <= MAX_ID:
        raise WorkspaceError(code, field=field, status=404)
    return number


def objective_choice(value: object) -> int | None:
    """The objective a form's select chose: "" (or nothing) for none, else a valid id; a
    malformed one is refused (« Cet objectif n'existe pas dans ce plan. »), never read as
    « no objective »."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return id_of(value, "objective", "objective_id")


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
