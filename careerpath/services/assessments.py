"""The assessment store: self-assessments kept on the server under an anonymous device id.

A person needs no account: the browser keeps a random device id, and every assessment is
stored under it, so that reloading the page, closing the tab or coming back next week finds
the answers where they were left. A share token (random, unguessable) opens a read-only view
of one assessment; deleting a device's data removes every assessment it owns.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from careerpath.data.assessment_tables import AssessmentRatingRow, AssessmentRow
from careerpath.data.database import engine_for
from careerpath.domain.assessment import Assessment, Constraints
from careerpath.domain.referential import MAX_RATING, Modality
from careerpath.services.referential import database_url

SITUATIONS = ("en_poste", "en_recherche", "en_formation")
"""Where the person stands: employed, looking for a job, in training."""

MODALITIES = tuple(m.value for m in Modality)
_DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")
_SHARE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_device_id() -> str:
    """A random anonymous device id (what the browser keeps in its local storage)."""
    return uuid.uuid4().hex


def is_device_id(value: str | None) -> bool:
    """True for an id `new_device_id` could have made (anything else is refused)."""
    return bool(value) and _DEVICE_ID.match(value or "") is not None


def is_share_token(value: str | None) -> bool:
    return bool(value) and _SHARE_TOKEN.match(value or "") is not None


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment as stored: the answers plus what the journey remembers around them."""

    id: str
    device_id: str
    situation: str = ""
    current_role: str | None = None
    target: str | None = None
    ratings: Mapping[str, int] = field(default_factory=dict)
    step: int = 0
    hours_per_week: float | None = None
    budget_eur: float | None = None
    modalities: tuple[str, ...] = ()
    hidden_roles: tuple[str, ...] = ()
    share_token: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def constraints(self) -> Constraints:
        """The person's constraints for the plan: budget and accepted modalities.

        Hours per week set the pace (how many weeks the plan takes), not a cap on hours.
        """
        accepted = frozenset(self.modalities) if self.modalities else None
        return Constraints(max_cost_eur=self.budget_eur, modalities=accepted)

    def to_assessment(self, target: str | None = None) -> Assessment:
        """The domain assessment the engine reads."""
        return Assessment(
            ratings=dict(self.ratings),
            current_role=self.current_role,
            target=target if target is not None else self.target,
            constraints=self.constraints,
        )


class AssessmentStore:
    """Reads and writes assessments; every method is one short transaction."""

    def __init__(self, url: str | None = None) -> None:
        self.engine: Engine = engine_for(database_url(url))

    # -- reading ----------------------------------------------------------------------

    def current(self, device_id: str) -> StoredAssessment | None:
        """The device's most recently updated assessment, if any."""
        if not is_device_id(device_id):
            return None
        with Session(self.engine) as session:
            row = session.exec(
                select(AssessmentRow)
                .where(AssessmentRow.device_id == device_id)
                .order_by(col(AssessmentRow.updated_at).desc(), col(AssessmentRow.id))
                .limit(1)
            ).first()
            return self._load(session, row) if row else None

    def get(self, assessment_id: str) -> StoredAssessment | None:
        with Session(self.engine) as session:
            row = session.get(AssessmentRow, assessment_id)
            return self._load(session, row) if row else None

    def by_share_token(self, token: str) -> StoredAssessment | None:
        """The assessment a share link opens; None for an unknown or malformed token."""
        if not is_share_token(token):
            return None
        with Session(self.engine) as session:
            row = session.exec(
                select(AssessmentRow).where(AssessmentRow.share_token == token)
            ).first()
            return self._load(session, row) if row else None

    def count_for_device(self, device_id: str) -> int:
        with Session(self.engine) as session:
            rows = session.exec(
                select(AssessmentRow.id).where(AssessmentRow.device_id == device_id)
            ).all()
            return len(rows)

    # -- writing ----------------------------------------------------------------------

    def start(self, device_id: str, situation: str, current_role: str | None) -> StoredAssessment:
        """A new, empty assessment for the device (earlier ones are kept)."""
        if not is_device_id(device_id):
            raise ValueError(f"invalid device id: {device_id!r}")
        if situation not in SITUATIONS:
            raise ValueError(f"unknown situation: {situation!r}")
        row = AssessmentRow(
            id=uuid.uuid4().hex,
            device_id=device_id,
            situation=situation,
            current_role=current_role or None,
        )
        with Session(self.engine) as session:
            session.add(row)
            session.commit()
            return self._load(session, row)

    def rate(self, assessment_id: str, competency: str, level: int) -> None:
        """Record one answer (replacing an earlier one)."""
        self.rate_many(assessment_id, {competency: level})

    def rate_many(self, assessment_id: str, ratings: Mapping[str, int]) -> None:
        """Record several answers at once; levels outside 0–4 are refused."""
        for code, level in ratings.items():
            if not isinstance(level, int) or not 0 <= level <= MAX_RATING:
                raise ValueError(f"rating of {code!r} must be 0–{MAX_RATING}, not {level!r}")
        if not ratings:
            return
        now = datetime.now(UTC)
        with Session(self.engine) as session:
            for code, level in ratings.items():
                existing = session.get(AssessmentRatingRow, (assessment_id, code))
                if existing is None:
                    session.add(
                        AssessmentRatingRow(
                            assessment=assessment_id, competency=code, level=level, rated_at=now
                        )
                    )
                else:
                    existing.level = level
                    existing.rated_at = now
                    session.add(existing)
            self._touch(session, assessment_id, now)
            session.commit()

    def set_step(self, assessment_id: str, step: int) -> None:
        self._update(assessment_id, step=max(int(step), 0))

    def set_target(self, assessment_id: str, target: str | None) -> None:
        self._update(assessment_id, target=target or None)

    def set_constraints(
        self,
        assessment_id: str,
        hours_per_week: float | None,
        budget_eur: float | None,
        modalities: Iterable[str],
    ) -> None:
        """Save the person's pace, budget and accepted modalities (empty: all accepted)."""
        accepted = sorted({m for m in modalities if m in MODALITIES})
        if len(accepted) == len(MODALITIES):
            accepted = []
        if hours_per_week is not None and hours_per_week <= 0:
            raise ValueError("hours per week must be positive")
        if budget_eur is not None and budget_eur < 0:
            raise ValueError("budget must not be negative")
        self._update(
            assessment_id,
            hours_per_week=hours_per_week,
            budget_eur=budget_eur,
            modalities=",".join(accepted),
        )

    def hide_role(self, assessment_id: str, role: str) -> None:
        """Remember that the person said "pas pour moi" to a role."""
        stored = self.get(assessment_id)
        if stored is None or role in stored.hidden_roles:
            return
        self._update(assessment_id, hidden_roles=json.dumps([*stored.hidden_roles, role]))

    def unhide_roles(self, assessment_id: str) -> None:
        self._update(assessment_id, hidden_roles="[]")

    def share(self, assessment_id: str) -> str:
        """The assessment's share token, created on first use (random, 32 url-safe chars)."""
        stored = self.get(assessment_id)
        if stored is None:
            raise KeyError(assessment_id)
        if stored.share_token:
            return stored.share_token
        token = secrets.token_urlsafe(24)
        self._update(assessment_id, share_token=token)
        return token

    def delete_device(self, device_id: str) -> int:
        """Erase every assessment (and rating) of a device; returns how many were erased."""
        with Session(self.engine) as session:
            ids = list(
                session.exec(select(AssessmentRow.id).where(AssessmentRow.device_id == device_id))
            )
            if ids:
                session.execute(
                    delete(AssessmentRatingRow).where(col(AssessmentRatingRow.assessment).in_(ids))
                )
                session.execute(delete(AssessmentRow).where(col(AssessmentRow.id).in_(ids)))
            session.commit()
            return len(ids)

    # -- helpers ----------------------------------------------------------------------

    def _update(self, assessment_id: str, **values: object) -> None:
        with Session(self.engine) as session:
            session.execute(
                update(AssessmentRow)
                .where(col(AssessmentRow.id) == assessment_id)
                .values(**values, updated_at=datetime.now(UTC))
            )
            session.commit()

    @staticmethod
    def _touch(session: Session, assessment_id: str, now: datetime) -> None:
        session.execute(
            update(AssessmentRow)
            .where(col(AssessmentRow.id) == assessment_id)
            .values(updated_at=now)
        )

    @staticmethod
    def _load(session: Session, row: AssessmentRow) -> StoredAssessment:
        ratings = {
            r.competency: r.level
            for r in session.exec(
                select(AssessmentRatingRow).where(AssessmentRatingRow.assessment == row.id)
            )
        }
        try:
            hidden = tuple(str(x) for x in json.loads(row.hidden_roles or "[]"))
        except (ValueError, TypeError):
            hidden = ()
        return StoredAssessment(
            id=row.id,
            device_id=row.device_id,
            situation=row.situation,
            current_role=row.current_role,
            target=row.target,
            ratings=ratings,
            step=row.step,
            hours_per_week=row.hours_per_week,
            budget_eur=row.budget_eur,
            modalities=tuple(m for m in row.modalities.split(",") if m),
            hidden_roles=hidden,
            share_token=row.share_token,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
