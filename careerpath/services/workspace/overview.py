"""What a platform administrator sees of the counsellor workspace: each structure's counts.

An administrator runs the instance (accounts, structures, the referential) and belongs to
no structure. The people a structure follows are the structure's: the administrator never
sees their names, assessments or plans (`domain.workspace_access`). What they need to run
the platform — which structures work, with how many counsellors and follow-ups, whether a
structure lacks a manager to reassign its follow-ups — is given here as counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from careerpath.data.account_tables import AccountRow, StructureRow
from careerpath.data.workspace_tables import BeneficiaryRow
from careerpath.domain.access import Actor, Need, Role
from careerpath.services.workspace.base import Store
from careerpath.services.workspace.follow import is_stale, person_news


@dataclass(frozen=True)
class StructureCounts:
    """One structure, in numbers (no person's name, no data of theirs)."""

    id: int
    name: str
    counsellors: int
    managers: int
    open: int
    closed: int
    sharing: int
    """Follow-ups in progress whose person shares their data."""
    stale: int
    """Follow-ups in progress whose person gave no news for two months (`follow.is_stale`,
    as the counsellors' list flags them)."""


def structures_overview(store: Store, actor: Actor) -> list[StructureCounts]:
    """Every structure's counts, by name; administrators only (AccessDenied otherwise)."""
    store.accounts().authorise(actor, Need.ADMINISTER)
    now = store.now()
    with Session(store.engine) as session:
        structures = session.exec(select(StructureRow).order_by(func.lower(StructureRow.name)))
        people: dict[tuple[int, str], int] = {}
        for structure_id, role, count in session.exec(
            select(AccountRow.structure_id, AccountRow.role, func.count())
            .where(AccountRow.status == "active", col(AccountRow.structure_id).is_not(None))
            .group_by(col(AccountRow.structure_id), col(AccountRow.role))
        ).all():
            if structure_id is not None:
                people[(structure_id, role)] = int(count)
        follow: dict[tuple[int, str], int] = {}
        for structure_id, status, count in session.exec(
            select(BeneficiaryRow.structure_id, BeneficiaryRow.status, func.count()).group_by(
                col(BeneficiaryRow.structure_id), col(BeneficiaryRow.status)
            )
        ).all():
            follow[(structure_id, status)] = int(count)
        sharing = dict(
            session.exec(
                select(BeneficiaryRow.structure_id, func.count())
                .where(BeneficiaryRow.status == "open", col(BeneficiaryRow.subject_id).is_not(None))
                .group_by(col(BeneficiaryRow.structure_id))
            ).all()
        )
        opened = session.exec(
            select(
                BeneficiaryRow.id,
                BeneficiaryRow.subject_id,
                BeneficiaryRow.created_at,
                BeneficiaryRow.structure_id,
            ).where(BeneficiaryRow.status == "open")
        ).all()
        news = person_news(session, [(i, subject, created) for i, subject, created, _ in opened])
        stale: dict[int, int] = {}
        for ident, _, _, structure_id in opened:
            if is_stale("open", news[ident], now):
                stale[structure_id] = stale.get(structure_id, 0) + 1
        return [
            StructureCounts(
                id=s.id or 0,
                name=s.name,
                counsellors=people.get((s.id or 0, Role.COUNSELLOR.value), 0),
                managers=people.get((s.id or 0, Role.STRUCTURE_ADMIN.value), 0),
                open=follow.get((s.id or 0, "open"), 0),
                closed=follow.get((s.id or 0, "closed"), 0),
                sharing=int(sharing.get(s.id or 0, 0)),
                stale=int(stale.get(s.id or 0, 0)),
            )
            for s in structures.all()
        ]
