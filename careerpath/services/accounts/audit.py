"""The audit log: sign-ins, failures, account changes, and every view or export of someone
else's data (who, what, when). Kept 12 months, then purged; a structure's manager reads
their structure's events, an administrator every event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from careerpath.data.account_tables import AuditEventRow
from careerpath.domain.access import Account
from careerpath.services.accounts.clock import aware

RETENTION = timedelta(days=365)

ACTIONS = (
    "signin",
    "signin_failed",
    "signin_throttled",
    "signout",
    "sessions_ended",
    "password_changed",
    "password_reset_requested",
    "account_created",
    "account_disabled",
    "link_issued",
    "account_activated",
    "view",
    "export",
    "referential_previewed",
    "referential_rejected",
    "referential_cancelled",
    "referential_applied",
    "referential_failed",
    "referential_restored",
    "api_token_created",
    "api_token_revoked",
    "api_tokens_revoked",
)


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    action: str
    actor_email: str
    subject_id: str | None
    detail: str
    client_address: str


def record(
    session: Session,
    action: str,
    now: datetime,
    *,
    actor: Account | None = None,
    actor_email: str = "",
    actor_id: str | None = None,
    structure_id: int | None = None,
    subject_id: str | None = None,
    detail: str = "",
    client_address: str = "",
) -> None:
    """Add one event to the session's transaction (the caller commits)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action: {action!r}")
    session.add(
        AuditEventRow(
            at=now,
            action=action,
            actor_id=actor.id if actor else actor_id,
            actor_email=(actor.email if actor else actor_email)[:254],
            structure_id=structure_id
            if structure_id is not None
            else (actor.structure_id if actor else None),
            subject_id=subject_id,
            detail=detail[:500],
            client_address=client_address[:64],
        )
    )


def events(
    session: Session, structure_id: int | None, now: datetime, limit: int = 200
) -> list[AuditEvent]:
    """The latest events (newest first) of one structure, or of every one when None."""
    query = select(AuditEventRow).where(AuditEventRow.at >= now - RETENTION)
    if structure_id is not None:
        query = query.where(AuditEventRow.structure_id == structure_id)
    rows = session.exec(
        query.order_by(col(AuditEventRow.at).desc(), col(AuditEventRow.id).desc()).limit(limit)
    )
    return [
        AuditEvent(aware(r.at), r.action, r.actor_email, r.subject_id, r.detail, r.client_address)
        for r in rows
    ]


def purge(session: Session, now: datetime) -> int:
    """Delete events older than the retention period; returns how many went."""
    result = session.execute(delete(AuditEventRow).where(col(AuditEventRow.at) < now - RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
