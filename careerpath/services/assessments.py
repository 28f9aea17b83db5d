"""The assessment store: self-assessments kept on the server, owned by a subject.

A person needs no account: the browser keeps a random device id, which is a *subject* (so
is an account), and every assessment is stored under its subject, so that reloading the
page, closing the tab or coming back next week finds the answers where they were left.
Each assessment is a dated snapshot: `reassess` starts a new one from the latest answers and
never overwrites an earlier one, so two dates can be compared. While the person shares with
a counsellor, what the counsellor holds stays as it was: a change to a sealed snapshot (sealed
at consent and when the counsellor asks for an update) or to one of an earlier day starts a new
snapshot, a copy of the latest with the change (`_writable`); changes of the same day go into
that one, and a change that changes nothing starts nothing. A share token (random,
unguessable) opens a read-only view of one assessment; deleting a device's data removes its
subject and every assessment it owns.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Executable, bindparam, delete, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.account_tables import SubjectRow
from careerpath.data.assessment_tables import AssessmentRatingRow, AssessmentRow, DeviceTabRow
from careerpath.data.database import engine_for
from careerpath.data.workspace_tables import BeneficiaryRow
from careerpath.domain.assessment import (
    MAX_QUALIFICATION_LEVEL,
    MIN_QUALIFICATION_LEVEL,
    AgeBand,
    Assessment,
    Constraints,
    Profile,
)
from careerpath.domain.referential import MAX_RATING, Modality, Situation
from careerpath.services.accounts.clock import Clock, aware, utc_now
from careerpath.services.referential import database_url, load_referential

SITUATIONS = ("en_poste", "en_recherche", "en_formation")
"""Where the person stands: employed, looking for a job, in training."""

SITUATION_CODES: dict[str, Situation] = {
    "en_poste": Situation.EMPLOYED,
    "en_recherche": Situation.JOB_SEEKER,
    "en_formation": Situation.STUDENT,
}
"""The journey's situation codes and the engine's (`situation` in the JSON contract)."""
AGE_BANDS = tuple(a.value for a in AgeBand)

MODALITIES = tuple(m.value for m in Modality)
_DEVICE_ID = re.compile(r"^[0-9a-f]{32}$")
_SHARE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
SNAPSHOT_ZONE = ZoneInfo("Europe/Paris")
"""The day of a dated snapshot is the day in France: one snapshot a day at most while shared."""


def snapshot_day(moment: datetime) -> date:
    return aware(moment).astimezone(SNAPSHOT_ZONE).date()


class AssessmentGone(LookupError):
    """The assessment was deleted (« Supprimer mes données », maybe from another tab)."""


_CLIENT_TOKEN = re.compile(r"^[0-9A-Za-z-]{8,64}$")


def new_device_id() -> str:
    """A random anonymous device id (what the browser keeps in its local storage)."""
    return uuid.uuid4().hex


def is_device_id(value: str | None) -> bool:
    """True for an id `new_device_id` could have made (anything else is refused)."""
    return bool(value) and _DEVICE_ID.match(value or "") is not None


def share_url(token: str) -> str:
    """The address of a share link, on the configured public URL (never a request's Host)."""
    return f"{load_settings().public_url}/partage/{token}"


def is_share_token(value: str | None) -> bool:
    return bool(value) and _SHARE_TOKEN.match(value or "") is not None


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment as stored: the answers plus what the journey remembers around them."""

    id: str
    device_id: str
    """The owning device's id ("" when the owner is an account)."""
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
    subject_id: str = ""
    qualification_level: int | None = None
    age_band: str = ""
    horizon_months: float | None = None
    cpf_balance_eur: float | None = None
    preparing: str | None = None
    """The diploma a student is preparing (training code), None when not told."""
    age_exception: bool | None = None
    """An exception to apprenticeship's age limit applies (None: not told)."""

    @property
    def constraints(self) -> Constraints:
        """The person's constraints for the plan: out-of-pocket budget, accepted modalities,
        pace × horizon (without a horizon, hours per week only set the pace) and CPF balance."""
        accepted = frozenset(self.modalities) if self.modalities else None
        return Constraints(
            max_cost_eur=self.budget_eur,
            modalities=accepted,
            hours_per_week=self.hours_per_week,
            horizon_months=self.horizon_months,
            cpf_balance_eur=self.cpf_balance_eur,
        )

    @property
    def profile(self) -> Profile:
        """What the person told about themselves, in the engine's terms."""
        return Profile(
            situation=SITUATION_CODES.get(self.situation),
            qualification_level=self.qualification_level,
            age_band=AgeBand(self.age_band) if self.age_band in AGE_BANDS else None,
            preparing=self.preparing,
            age_exception=self.age_exception,
        )

    def to_assessment(self, target: str | None = None) -> Assessment:
        """The domain assessment the engine reads."""
        return Assessment(
            ratings=dict(self.ratings),
            current_role=self.current_role,
            target=target if target is not None else self.target,
            constraints=self.constraints,
            profile=self.profile,
        )


@dataclass(frozen=True)
class Snapshot:
    """One dated assessment of a subject (the list a counsellor compares dates from)."""

    id: str
    created_at: datetime
    updated_at: datetime
    answered: int


def held_until(until: datetime) -> ColumnElement[bool]:
    """The snapshots a follow-up closed at `until` holds: begun by then, or sealed by then
    (closing seals them; one begun later, after the closing, is the person's alone)."""
    return or_(col(AssessmentRow.created_at) <= until, col(AssessmentRow.sealed_at) <= until)


def is_held(created_at: datetime, sealed_at: datetime | None, until: datetime) -> bool:
    """`held_until` for a snapshot already read."""
    return aware(created_at) <= until or (sealed_at is not None and aware(sealed_at) <= until)


@dataclass(frozen=True)
class _RatingStatements:
    state: Executable
    """The assessment's seal and date, whether a follow-up holds its subject, one still open."""
    upsert: Executable
    """One answer in, or its new level over the old one (run once per answer)."""
    touch: Executable
    """The assessment dated now."""
    step: Executable
    """The step on screen kept (a frozen assessment is not dated anew)."""
    step_and_touch: Executable
    """The step on screen kept, the assessment dated now."""


@functools.cache
def _rating_statements(dialect: str) -> _RatingStatements | None:
    """`_rate_open`'s statements, built once per database kind (their compiled form is then
    found in SQLAlchemy's cache at every answer); None without INSERT … ON CONFLICT."""
    inserts: dict[str, Callable[..., Any]] = {
        "sqlite": sqlite_insert,
        "postgresql": postgresql_insert,
    }
    if dialect not in inserts:
        return None
    assessment = AssessmentRow.__table__  # type: ignore[attr-defined]
    beneficiary = BeneficiaryRow.__table__  # type: ignore[attr-defined]
    rating = AssessmentRatingRow.__table__  # type: ignore[attr-defined]
    held = core_select(beneficiary.c.status).where(
        beneficiary.c.subject_id == assessment.c.subject_id
    )
    insert = inserts[dialect](rating).values(
        assessment=bindparam("new_id"),
        competency=bindparam("new_code"),
        level=bindparam("new_level"),
        rated_at=bindparam("new_at"),
    )
    return _RatingStatements(
        state=core_select(
            assessment.c.sealed_at,
            assessment.c.created_at,
            held.exists().label("shared"),
            held.where(beneficiary.c.status == "open").exists().label("open"),
        ).where(assessment.c.id == bindparam("new_id")),
        upsert=insert.on_conflict_do_update(
            index_elements=[rating.c.assessment, rating.c.competency],
            set_={"level": insert.excluded.level, "rated_at": insert.excluded.rated_at},
        ),
        touch=update(assessment)
        .where(assessment.c.id == bindparam("new_id"), assessment.c.sealed_at.is_(None))
        .values(updated_at=bindparam("new_at")),
        step=update(assessment)
        .where(assessment.c.id == bindparam("new_id"))
        .values(step=bindparam("new_step")),
        step_and_touch=update(assessment)
        .where(assessment.c.id == bindparam("new_id"))
        .values(step=bindparam("new_step"), updated_at=bindparam("new_at")),
    )


class AssessmentStore:
    """Reads and writes assessments; every method is one short transaction."""

    def __init__(self, url: str | None = None, clock: Clock = utc_now) -> None:
        self.url = url
        self.clock = clock
        self.engine: Engine = engine_for(database_url(url))

    def _is_role(self, code: str | None) -> bool:
        """Codes sent by a browser are checked against the referential before being kept."""
        return isinstance(code, str) and code in load_referential(self.url).role_by_code

    # -- reading ----------------------------------------------------------------------

    def current(self, device_id: str) -> StoredAssessment | None:
        """The device's most recently updated assessment, if any."""
        if not is_device_id(device_id):
            return None
        with Session(self.engine) as session:
            subject = self._device_subject(session, device_id)
            return self._latest(session, subject.id) if subject else None

    def current_for_subject(
        self, subject_id: str, until: datetime | None = None
    ) -> StoredAssessment | None:
        """The subject's most recently updated assessment, if any; with `until` (a closed
        follow-up's closing), only among the snapshots begun by then."""
        with Session(self.engine) as session:
            return self._latest(session, subject_id, until)

    def subject_of_device(self, device_id: str, create: bool = False) -> str | None:
        """The subject id of a device (made on demand when `create`), or None."""
        if not is_device_id(device_id):
            return None
        with Session(self.engine) as session:
            subject = self._device_subject(session, device_id, create=create)
            session.commit()
            return subject.id if subject else None

    def subject_of_account(self, account_id: str, create: bool = False) -> str | None:
        """The subject id of an account (made on demand when `create`), or None."""
        with Session(self.engine) as session:
            subject = session.exec(
                select(SubjectRow).where(SubjectRow.account_id == account_id)
            ).first()
            if subject is None and create:
                subject = SubjectRow(id=uuid.uuid4().hex, kind="account", account_id=account_id)
                session.add(subject)
                session.commit()
            return subject.id if subject else None

    def snapshots(self, subject_id: str, until: datetime | None = None) -> list[Snapshot]:
        """Every assessment of a subject, oldest first, with its date and answer count; with
        `until` (a closed follow-up's closing), those begun by then only."""
        with Session(self.engine) as session:
            query = select(AssessmentRow).where(AssessmentRow.subject_id == subject_id)
            if until is not None:
                query = query.where(held_until(until))
            rows = session.exec(
                query.order_by(col(AssessmentRow.created_at), col(AssessmentRow.id))
            ).all()
            found = []
            for row in rows:
                answered = len(
                    session.exec(
                        select(AssessmentRatingRow.competency).where(
                            AssessmentRatingRow.assessment == row.id
                        )
                    ).all()
                )
                found.append(Snapshot(row.id, row.created_at, row.updated_at, answered))
            return found

    def get(self, assessment_id: str) -> StoredAssessment | None:
        with Session(self.engine) as session:
            row = session.get(AssessmentRow, assessment_id)
            return self._load(session, row) if row else None

    def many(self, assessment_ids: Iterable[str]) -> dict[str, StoredAssessment]:
        """Several assessments in three queries, whatever their number (the caseload)."""
        ids = sorted(set(assessment_ids))
        if not ids:
            return {}
        with Session(self.engine) as session:
            rows = session.exec(select(AssessmentRow).where(col(AssessmentRow.id).in_(ids))).all()
            ratings: dict[str, dict[str, int]] = {}
            for r in session.exec(
                select(AssessmentRatingRow).where(col(AssessmentRatingRow.assessment).in_(ids))
            ).all():
                ratings.setdefault(r.assessment, {})[r.competency] = r.level
            devices = {
                s.id: s.device_id or ""
                for s in session.exec(
                    select(SubjectRow).where(col(SubjectRow.id).in_({r.subject_id for r in rows}))
                ).all()
            }
            return {
                row.id: self._stored(row, ratings.get(row.id, {}), devices.get(row.subject_id, ""))
                for row in rows
            }

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
            subject = self._device_subject(session, device_id)
            if subject is None:
                return 0
            rows = session.exec(
                select(AssessmentRow.id).where(AssessmentRow.subject_id == subject.id)
            ).all()
            return len(rows)

    # -- writing ----------------------------------------------------------------------

    def start(self, device_id: str, situation: str, current_role: str | None) -> StoredAssessment:
        """A new, empty assessment for the device (earlier ones are kept)."""
        if not is_device_id(device_id):
            raise ValueError(f"invalid device id: {device_id!r}")
        subject_id = self.subject_of_device(device_id, create=True)
        assert subject_id is not None
        return self.start_for_subject(subject_id, situation, current_role)

    def start_for_subject(
        self, subject_id: str, situation: str, current_role: str | None
    ) -> StoredAssessment:
        """A new, empty assessment for a subject (earlier ones are kept)."""
        if situation not in SITUATIONS:
            raise ValueError(f"unknown situation: {situation!r}")
        now = self.clock()
        row = AssessmentRow(
            id=uuid.uuid4().hex,
            subject_id=subject_id,
            situation=situation,
            current_role=current_role or None,
            created_at=now,
            updated_at=now,
        )
        with Session(self.engine) as session:
            session.add(row)
            session.commit()
            return self._load(session, row)

    def reassess(self, assessment_id: str) -> StoredAssessment:
        """A new dated snapshot that starts from this one's answers; the old one is kept."""
        old = self.get(assessment_id)
        if old is None:
            raise KeyError(assessment_id)
        fresh = self.start_for_subject(
            old.subject_id, old.situation or SITUATIONS[0], old.current_role
        )
        self.rate_many(fresh.id, old.ratings)
        self.set_target(fresh.id, old.target)
        self.set_constraints(fresh.id, old.hours_per_week, old.budget_eur, old.modalities)
        # The whole profile goes on: the diploma in progress, the level, age and its exception.
        self.set_profile(
            fresh.id,
            old.qualification_level,
            old.age_band or None,
            old.horizon_months,
            old.cpf_balance_eur,
        )
        self.set_preparing(fresh.id, old.preparing)
        self.set_age_exception(fresh.id, old.age_exception)
        stored = self.get(fresh.id)
        assert stored is not None
        return stored

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
        now = self.clock()
        if self._rate_open(assessment_id, ratings, now):
            return
        with Session(self.engine) as session:
            if session.get(AssessmentRow, assessment_id) is None:
                raise AssessmentGone(assessment_id)

            def changes(row: AssessmentRow) -> bool:
                return any(
                    (kept := session.get(AssessmentRatingRow, (row.id, code))) is None
                    or kept.level != level
                    for code, level in ratings.items()
                )

            target = self._writable(session, assessment_id, changes)
            if target is None:
                return  # a sealed snapshot, and nothing would change: no new snapshot
            assessment_id = target.id
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

    def _rate_open(self, assessment_id: str, ratings: Mapping[str, int], now: datetime) -> bool:
        """The common case of `rate_many` in three statements, without the ORM: when the
        assessment is not frozen (no counsellor holds it), upsert the answers and date the
        assessment in one transaction. False, having written nothing, when the assessment is
        frozen or the database has no upsert: `rate_many`'s general path decides then."""
        statements = _rating_statements(self.engine.dialect.name)
        if statements is None:
            return False
        with self.engine.begin() as connection:
            row = connection.execute(statements.state, {"new_id": assessment_id}).first()
            if row is None:
                raise AssessmentGone(assessment_id)
            if self._frozen_state(row):
                return False
            # Dated first, and only while unsealed: the row's lock makes a seal committing
            # meanwhile wait, or this finds it sealed (PostgreSQL re-checks the condition on
            # the committed row) and leaves the answer to the general path (a new snapshot);
            # a row deleted meanwhile is found gone there too.
            touched = connection.execute(statements.touch, {"new_id": assessment_id, "new_at": now})
            if touched.rowcount != 1:
                return False  # nothing written (the update matched no row)
            connection.execute(
                statements.upsert,
                [
                    {"new_id": assessment_id, "new_code": code, "new_level": level, "new_at": now}
                    for code, level in sorted(ratings.items())  # one lock order for every tab
                ],
            )
        return True

    def _frozen_state(self, row: Any) -> bool:
        """`_frozen`, read from `_RatingStatements.state`'s row (the assessment's seal and
        date, and the subject's follow-ups) instead of the ORM row and a second query."""
        return bool(row.shared) and (
            row.sealed_at is not None
            or (bool(row.open) and snapshot_day(row.created_at) < snapshot_day(self.clock()))
        )

    def set_step(self, assessment_id: str, step: int) -> None:
        """Remember the step on screen (every step page opened: two statements, no ORM)."""
        step = max(int(step), 0)
        statements = _rating_statements(self.engine.dialect.name)
        if statements is None:
            self._update(assessment_id, content=False, step=step)
            return
        with self.engine.begin() as connection:
            row = connection.execute(statements.state, {"new_id": assessment_id}).first()
            if row is None:
                return
            # As `_update(content=False)`: the step is not content, so a frozen assessment
            # keeps its date.
            if self._frozen_state(row):
                connection.execute(statements.step, {"new_id": assessment_id, "new_step": step})
            else:
                connection.execute(
                    statements.step_and_touch,
                    {"new_id": assessment_id, "new_step": step, "new_at": self.clock()},
                )

    def set_target(self, assessment_id: str, target: str | None) -> None:
        self._update(assessment_id, target=target or None)

    def set_age_exception(self, assessment_id: str, value: bool | None) -> None:
        """Whether an exception to apprenticeship's age limit applies (None: not told)."""
        self._update(assessment_id, age_exception=value)

    def set_preparing(self, assessment_id: str, diploma: str | None) -> None:
        """Remember the diploma a student is preparing (a training code; None: not told)."""
        self._update(assessment_id, preparing=diploma or None)

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

    def set_profile(
        self,
        assessment_id: str,
        qualification_level: int | None,
        age_band: str | None,
        horizon_months: float | None,
        cpf_balance_eur: float | None,
    ) -> None:
        """Save what the plan asks only where it changes the answer (None: not told)."""
        if qualification_level is not None and not (
            MIN_QUALIFICATION_LEVEL <= qualification_level <= MAX_QUALIFICATION_LEVEL
        ):
            raise ValueError("qualification level must be 1–8")
        if age_band and age_band not in AGE_BANDS:
            raise ValueError(f"unknown age band: {age_band!r}")
        if horizon_months is not None and horizon_months <= 0:
            raise ValueError("horizon must be positive")
        if cpf_balance_eur is not None and cpf_balance_eur < 0:
            raise ValueError("CPF balance must not be negative")
        values: dict[str, object] = {
            "qualification_level": qualification_level,
            "age_band": age_band or "",
            "horizon_months": horizon_months,
            "cpf_balance_eur": cpf_balance_eur,
        }
        if age_band != AgeBand.FROM_30.value:
            values["age_exception"] = None  # an exception to the age limit is for 30 and over
        self._update(assessment_id, True, **values)

    def hide_role(self, assessment_id: str, role: str) -> None:
        """Remember that the person said "pas pour moi" to a role."""
        if not self._is_role(role):
            return  # not a role of the referential (a forged event): nothing is kept
        stored = self.get(assessment_id)
        if stored is None or role in stored.hidden_roles:
            return
        self._update(
            assessment_id, content=False, hidden_roles=json.dumps([*stored.hidden_roles, role])
        )

    def unhide_roles(self, assessment_id: str) -> None:
        self._update(assessment_id, content=False, hidden_roles="[]")

    def share(self, assessment_id: str) -> str:
        """The assessment's share token, created on first use (random, 32 url-safe chars)."""
        stored = self.get(assessment_id)
        if stored is None:
            raise KeyError(assessment_id)
        if stored.share_token:
            return stored.share_token
        token = secrets.token_urlsafe(24)
        self._update(assessment_id, content=False, share_token=token)
        return token

    def remember_tab(self, device_id: str, client_token: str) -> None:
        """Note that a browser tab (its Reflex client token) works for the device."""
        if not is_device_id(device_id) or not _CLIENT_TOKEN.match(client_token or ""):
            return
        with Session(self.engine) as session:
            if session.get(DeviceTabRow, (device_id, client_token)) is None:
                session.add(DeviceTabRow(device_id=device_id, client_token=client_token))
                try:
                    session.commit()
                except IntegrityError:  # the same tab, noted by a concurrent event
                    session.rollback()

    def tabs_of(self, device_id: str) -> list[str]:
        """The client tokens of every tab that worked for the device."""
        with Session(self.engine) as session:
            return list(
                session.exec(
                    select(DeviceTabRow.client_token).where(DeviceTabRow.device_id == device_id)
                )
            )

    def delete_device(self, device_id: str) -> int:
        """Erase every assessment (and rating) of a device, the device's subject itself and
        the list of its tabs; returns how many assessments were erased."""
        with Session(self.engine) as session:
            session.execute(delete(DeviceTabRow).where(col(DeviceTabRow.device_id) == device_id))
            subject = self._device_subject(session, device_id)
            if subject is None:
                session.commit()
                return 0
            ids = list(
                session.exec(select(AssessmentRow.id).where(AssessmentRow.subject_id == subject.id))
            )
            if ids:
                session.execute(
                    delete(AssessmentRatingRow).where(col(AssessmentRatingRow.assessment).in_(ids))
                )
                session.execute(delete(AssessmentRow).where(col(AssessmentRow.id).in_(ids)))
            session.execute(delete(SubjectRow).where(col(SubjectRow.id) == subject.id))
            session.commit()
            return len(ids)

    # -- helpers ----------------------------------------------------------------------

    @staticmethod
    def _device_subject(
        session: Session, device_id: str, create: bool = False
    ) -> SubjectRow | None:
        if not is_device_id(device_id):
            return None
        subject = session.exec(select(SubjectRow).where(SubjectRow.device_id == device_id)).first()
        if subject is None and create:
            subject = SubjectRow(id=uuid.uuid4().hex, kind="device", device_id=device_id)
            session.add(subject)
            session.flush()
        return subject

    def _latest(
        self, session: Session, subject_id: str, until: datetime | None = None
    ) -> StoredAssessment | None:
        query = select(AssessmentRow).where(AssessmentRow.subject_id == subject_id)
        if until is not None:
            query = query.where(held_until(until))
        row = session.exec(
            query.order_by(col(AssessmentRow.updated_at).desc(), col(AssessmentRow.id)).limit(1)
        ).first()
        return self._load(session, row) if row else None

    def _update(self, assessment_id: str, content: bool = True, **values: object) -> None:
        """Change columns of an assessment. `content` (what a counsellor reads: goal,
        constraints, profile) goes through `_writable`; the rest (the step on screen, roles
        hidden, the share token) stays on the row, without dating a sealed snapshot anew."""
        with Session(self.engine) as session:
            row = session.get(AssessmentRow, assessment_id)
            if row is None:
                return
            if content:
                target = self._writable(
                    session,
                    assessment_id,
                    lambda r: any(getattr(r, k) != v for k, v in values.items()),
                )
                if target is None:
                    return
            else:
                target = row
            for key, value in values.items():
                setattr(target, key, value)
            if content or not self._frozen(session, target):
                target.updated_at = self.clock()
            session.add(target)
            session.commit()

    # -- dated snapshots while shared -------------------------------------------------

    def seal(self, subject_id: str) -> int:
        """Every assessment of the subject becomes a dated snapshot the counsellor holds
        (at consent, and when the counsellor asks for an update); how many were sealed."""
        with Session(self.engine) as session:
            sealed = self.seal_in(session, subject_id, self.clock())
            session.commit()
            return sealed

    @staticmethod
    def seal_in(session: Session, subject_id: str, now: datetime) -> int:
        """`seal` within the caller's transaction (closing a follow-up seals what it holds
        in the same commit); the caller commits."""
        rows = session.exec(
            select(AssessmentRow).where(
                AssessmentRow.subject_id == subject_id,
                col(AssessmentRow.sealed_at).is_(None),
            )
        ).all()
        for row in rows:
            row.sealed_at = now
            session.add(row)
        return len(rows)

    def is_frozen(self, assessment_id: str) -> bool:
        """Whether a change to this assessment would start a new dated snapshot."""
        with Session(self.engine) as session:
            row = session.get(AssessmentRow, assessment_id)
            return row is not None and self._frozen(session, row)

    def _frozen(self, session: Session, row: AssessmentRow) -> bool:
        """Shared with a counsellor (a follow-up open or closed) and sealed — at consent, when
        the counsellor asks for an update, at closing — or, while a follow-up is open, dated
        of an earlier day. What a closed follow-up holds is never rewritten."""
        statuses = set(
            session.exec(
                select(BeneficiaryRow.status).where(BeneficiaryRow.subject_id == row.subject_id)
            ).all()
        )
        if not statuses:
            return False
        if row.sealed_at is not None:
            return True
        return "open" in statuses and snapshot_day(row.created_at) < snapshot_day(self.clock())

    def _writable(
        self, session: Session, assessment_id: str, changes: Callable[[AssessmentRow], bool]
    ) -> AssessmentRow | None:
        """The row a change of `assessment_id` goes to: itself while it is not frozen; else
        the subject's newest snapshot if that one is open, else a new snapshot copied from the
        newest — or None when `changes` says the change would change nothing."""
        row = session.get(AssessmentRow, assessment_id)
        assert row is not None
        if not self._frozen(session, row):
            return row
        newest = session.exec(
            select(AssessmentRow)
            .where(AssessmentRow.subject_id == row.subject_id)
            .order_by(col(AssessmentRow.created_at).desc(), col(AssessmentRow.id).desc())
            .limit(1)
        ).one()
        if newest.id != row.id and not self._frozen(session, newest):
            return newest
        if not changes(newest):
            return None
        return self._fork(session, newest)

    def _fork(self, session: Session, base: AssessmentRow) -> AssessmentRow:
        """A new snapshot with the answers of `base`; the share link follows the newest."""
        now = self.clock()
        token, base.share_token = base.share_token, None
        session.add(base)
        session.flush()
        fresh = AssessmentRow(
            id=uuid.uuid4().hex,
            subject_id=base.subject_id,
            situation=base.situation,
            current_role=base.current_role,
            target=base.target,
            step=base.step,
            hours_per_week=base.hours_per_week,
            budget_eur=base.budget_eur,
            modalities=base.modalities,
            hidden_roles=base.hidden_roles,
            share_token=token,
            qualification_level=base.qualification_level,
            age_band=base.age_band,
            horizon_months=base.horizon_months,
            cpf_balance_eur=base.cpf_balance_eur,
            preparing=base.preparing,
            age_exception=base.age_exception,
            created_at=now,
            updated_at=now,
        )
        session.add(fresh)
        session.flush()
        for rating in session.exec(
            select(AssessmentRatingRow).where(AssessmentRatingRow.assessment == base.id)
        ).all():
            session.add(
                AssessmentRatingRow(
                    assessment=fresh.id,
                    competency=rating.competency,
                    level=rating.level,
                    rated_at=rating.rated_at,
                )
            )
        session.flush()
        return fresh

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
        subject = session.get(SubjectRow, row.subject_id)
        return AssessmentStore._stored(row, ratings, (subject.device_id or "") if subject else "")

    @staticmethod
    def _stored(row: AssessmentRow, ratings: Mapping[str, int], device_id: str) -> StoredAssessment:
        try:
            hidden = tuple(str(x) for x in json.loads(row.hidden_roles or "[]"))
        except (ValueError, TypeError):
            hidden = ()
        return StoredAssessment(
            id=row.id,
            device_id=device_id,
            subject_id=row.subject_id,
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
            qualification_level=row.qualification_level,
            age_band=row.age_band or "",
            horizon_months=row.horizon_months,
            cpf_balance_eur=row.cpf_balance_eur,
            preparing=row.preparing,
            age_exception=row.age_exception,
        )
