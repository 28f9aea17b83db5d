"""sqlmodel table for moving an assessment to another device with a short code.

A row is a code one device made (`from_device`); redeeming it moves that device's
assessments to the other device and keeps the row as a tombstone (`redeemed_at`), so the
first device learns that it must forget what it still holds. Device ids are random and
anonymous: a row holds no answer and no personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class DeviceTransferRow(SQLModel, table=True):
    """A transfer code: who made it, until when it works, and who used it."""

    __tablename__ = "device_transfer"

    code: str = Field(primary_key=True, max_length=16)
    from_device: str = Field(max_length=64, index=True)
    to_device: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=_now)
    expires_at: datetime
    redeemed_at: datetime | None = Field(default=None)
