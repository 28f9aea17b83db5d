"""sqlmodel tables of the administration: referential versions and personal API tokens.

- A **referential version** is one referential an administrator applied (or the one in
  service before the first such change), kept whole as the zip of its CSV bundle, with who
  applied it, when, and from which file, so that « Revenir à cette version » restores it.
- An **API token** lets an account's integration call `/api/v1` with
  `Authorization: Bearer …`; the table keeps only the token's SHA-256 (see
  `careerpath/services/accounts/api_tokens.py` for why not Argon2).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, ForeignKey, LargeBinary, String, Text
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(UTC)


class ReferentialVersionRow(SQLModel, table=True):
    """One applied referential, restorable (its bundle, zipped)."""

    __tablename__ = "referential_version"

    id: int | None = Field(default=None, primary_key=True)
    content_version: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=10)
    """bundle, rome, esco, rollback or initial (the referential in service before)."""
    file_name: str = Field(default="", max_length=255)
    applied_by: str = Field(default="", max_length=254)
    applied_at: datetime = Field(default_factory=_now, index=True)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    restored_from: int | None = Field(default=None)
    bundle_zip: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class ApiTokenRow(SQLModel, table=True):
    """A personal API token of an account (its SHA-256; the token is shown once)."""

    __tablename__ = "api_token"

    id: str = Field(primary_key=True, max_length=32)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    account_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=16)
    """The token's first characters, to recognise it in the list (not enough to use it)."""
    created_at: datetime = Field(default_factory=_now)
    expires_at: datetime
    last_used_at: datetime | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None)


ADMIN_TABLES = (ApiTokenRow, ReferentialVersionRow)
