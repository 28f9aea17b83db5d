"""Class polls: which roles of a diploma's map interest a class, kept in the database.

A poll belongs to one classroom display; students answer from their phones, each under a
voter key that is a hash of a random token their browser keeps (no device id, no name).
Everything lives in the database, not in one process, so every backend worker of a
scaled-out deployment sees the same answers. Rules (who may read, how many answers, when a
poll ends) are the services' (`careerpath.services.class_poll`); this module only stores.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, ForeignKey, String, delete, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select


def _now() -> datetime:
    return datetime.now(UTC)


class ClassPollRow(SQLModel, table=True):
    """One class poll: the diploma whose map it asks about, and until when it runs."""

    __tablename__ = "class_poll"

    code: str = Field(primary_key=True, max_length=12)
    diploma: str = Field(max_length=512)
    key_hash: str = Field(max_length=64)
    created_at: datetime = Field(
        default_factory=_now, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    expires_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )


class ClassPollAnswerRow(SQLModel, table=True):
    """« Ça m'intéresse » from one (anonymous) student for one role."""

    __tablename__ = "class_poll_answer"

    poll: str = Field(
        sa_column=Column(
            String(12), ForeignKey("class_poll.code", ondelete="CASCADE"), primary_key=True
        )
    )
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    role: str = Field(sa_column=Column(String(512), primary_key=True))


CLASS_POLL_TABLES = (ClassPollAnswerRow, ClassPollRow)
"""Children before parents (the order to delete in)."""


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def create_poll(engine: Engine, code: str, diploma: str, key_hash: str, expires: datetime) -> bool:
    """Store a new poll; False when the code is already taken."""
    with Session(engine) as session:
        session.add(ClassPollRow(code=code, diploma=diploma, key_hash=key_hash, expires_at=expires))
        try:
            session.commit()
        except IntegrityError:
            return False
    return True


def find_poll(engine: Engine, code: str, now: datetime) -> ClassPollRow | None:
    """The poll, when it exists and has not ended."""
    with Session(engine) as session:
        row = session.get(ClassPollRow, code)
        if row is None or _aware(row.expires_at) <= now:
            return None
        session.expunge(row)
        return row


def end_poll(engine: Engine, code: str) -> None:
    """Delete a poll and its answers (what the teacher's « Terminer » does)."""
    with Session(engine) as session:
        session.execute(delete(ClassPollAnswerRow).where(col(ClassPollAnswerRow.poll) == code))
        session.execute(delete(ClassPollRow).where(col(ClassPollRow.code) == code))
        session.commit()


def delete_expired(engine: Engine, now: datetime) -> int:
    """Forget every poll that has ended, with its answers; returns how many."""
    with Session(engine) as session:
        codes = list(
            session.exec(select(ClassPollRow.code).where(col(ClassPollRow.expires_at) <= now))
        )
        if codes:
            session.execute(
                delete(ClassPollAnswerRow).where(col(ClassPollAnswerRow.poll).in_(codes))
            )
            session.execute(delete(ClassPollRow).where(col(ClassPollRow.code).in_(codes)))
        session.commit()
        return len(codes)


def poll_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(ClassPollRow)).one())


def voter_roles(engine: Engine, code: str, voter: str) -> frozenset[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(ClassPollAnswerRow.role).where(
                ClassPollAnswerRow.poll == code, ClassPollAnswerRow.voter == voter
            )
        )
        return frozenset(rows)


def voter_count(engine: Engine, code: str) -> int:
    with Session(engine) as session:
        count = session.exec(
            select(func.count(func.distinct(ClassPollAnswerRow.voter))).where(
                ClassPollAnswerRow.poll == code
            )
        ).one()
        return int(count)


def add_answer(engine: Engine, code: str, voter: str, role: str) -> None:
    """Record one « ça m'intéresse » (answering twice keeps one)."""
    with Session(engine) as session:
        if session.get(ClassPollAnswerRow, (code, voter, role)) is not None:
            return
        session.add(ClassPollAnswerRow(poll=code, voter=voter, role=role))
        try:
            session.commit()
        except IntegrityError:  # the same answer from another worker at the same moment
            session.rollback()


def remove_answer(engine: Engine, code: str, voter: str, role: str) -> None:
    with Session(engine) as session:
        session.execute(
            delete(ClassPollAnswerRow).where(
                col(ClassPollAnswerRow.poll) == code,
                col(ClassPollAnswerRow.voter) == voter,
                col(ClassPollAnswerRow.role) == role,
            )
        )
        session.commit()


def counts(engine: Engine, code: str) -> tuple[int, dict[str, int]]:
    """(how many students answered, how many chose each role)."""
    with Session(engine) as session:
        per_role = session.exec(
            select(ClassPollAnswerRow.role, func.count())
            .where(ClassPollAnswerRow.poll == code)
            .group_by(ClassPollAnswerRow.role)
        ).all()
    return voter_count(engine, code), {role: int(n) for role, n in per_role}
