"""Personal API tokens: an account's integrations call `/api/v1` with `Authorization: Bearer …`.

A token is `cpt_` followed by 256 random bits (`secrets.token_urlsafe(32)`), shown once at
creation. The table keeps its SHA-256, like the session cookies: Argon2 exists to slow down
guessing a low-entropy password from its hash; a 256-bit random token cannot be guessed
whatever the hash, and a fast unsalted digest lets each request find its token by an index
lookup (a salted Argon2 hash would need one expensive comparison per stored token).

A token acts as its account, with the account's own role and structure: the same
authorisation rules decide every call, so a token never grants more than signing in as the
account would (and a disabled account's tokens stop at once, for good). Tokens expire (at most
`MAX_VALIDITY_DAYS`), can be revoked on /compte, and both steps are audited; they are all
revoked when the account is disabled or its password changes (by the person or through a
reset link). Only counsellors and structure managers create them (`TOKEN_ROLES`). Each token
makes at most `RATE_LIMIT` requests a minute (a counter row shared by every worker).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, literal
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from careerpath.config import Settings, load_settings
from careerpath.data.account_tables import AccountRow, StructureRow, ThrottleRow
from careerpath.data.admin_tables import ApiTokenRow
from careerpath.data.database import engine_for
from careerpath.domain.access import Account, Actor, Need, Role, decide
from careerpath.i18n import Locale, by_locale
from careerpath.services.accounts import audit
from careerpath.services.accounts.clock import Clock, aware, utc_now
from careerpath.services.accounts.service import AccessDenied, token_hash

TOKEN_PREFIX = "cpt_"
VALIDITY_DAYS = (30, 90, 365)
"""The choices /compte offers; the default is the first."""
MAX_VALIDITY_DAYS = 365
MAX_TOKENS = 10
"""Live (unrevoked, unexpired) tokens an account may hold at once."""
MAX_NAME = 80
TOUCH_EVERY = timedelta(minutes=1)
RATE_LIMIT = 120
"""Requests one token may make per `RATE_WINDOW` (then 429 with Retry-After)."""
RATE_WINDOW = timedelta(minutes=1)
TOKEN_ROLES = frozenset({Role.COUNSELLOR, Role.STRUCTURE_ADMIN})
"""Who may create tokens: counsellors and structure managers, for their integrations (an
administrator's work is done on the administration pages, never by script)."""

MESSAGES = {
    "name": by_locale(
        "Donnez un nom au jeton (1 à {max} caractères), par exemple « Tableur du CIO »."
    ),
    "validity": by_locale("Durée de validité inconnue : 30, 90 ou 365 jours."),
    "too_many": by_locale("Vous avez déjà {max} jetons actifs : révoquez-en un d'abord."),
    "no_token": by_locale("Ce jeton n'existe pas ou n'est pas à vous."),
    "role": by_locale(
        "Les jetons d'API sont réservés aux conseillers et aux responsables de structure, "
        "pour leurs intégrations."
    ),
    "bad_token": by_locale(
        "jeton d'API inconnu, expiré ou révoqué : créez-en un nouveau sur votre page /compte"
    ),
}


class TokenError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def message(self, locale: Locale = "fr") -> str:
        return MESSAGES[self.code][locale].format(
            max=MAX_TOKENS if self.code == "too_many" else MAX_NAME
        )


class TokenThrottled(Exception):
    """A token past its `RATE_LIMIT`: wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


@dataclass(frozen=True)
class TokenInfo:
    """A token as /compte lists it (never the token itself)."""

    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True)
class NewToken:
    info: TokenInfo
    token: str
    """Shown once; only its SHA-256 is stored."""


def looks_like_token(value: str) -> bool:
    return value.startswith(TOKEN_PREFIX) and 20 <= len(value) <= 100


def _info(row: ApiTokenRow) -> TokenInfo:
    return TokenInfo(
        row.id,
        row.name,
        row.prefix,
        aware(row.created_at),
        aware(row.expires_at),
        aware(row.last_used_at) if row.last_used_at else None,
        aware(row.revoked_at) if row.revoked_at else None,
    )


class ApiTokens:
    """Personal API tokens over one database, reading time from `clock`."""

    def __init__(
        self, url: str | None = None, clock: Clock = utc_now, settings: Settings | None = None
    ) -> None:
        self.settings = settings or load_settings()
        self.engine: Engine = engine_for(url or self.settings.database_url)
        self.clock = clock

    @staticmethod
    def _require(actor: Actor) -> Account:
        decision = decide(actor, Need.SIGNED_IN)
        if not decision.allowed or actor.account is None:
            raise AccessDenied(decision)
        return actor.account

    def create(self, actor: Actor, name: str, days: int = VALIDITY_DAYS[0]) -> NewToken:
        """A new token of the actor's own account, valid `days` days."""
        account = self._require(actor)
        if account.role not in TOKEN_ROLES:
            raise TokenError("role")
        name = " ".join(str(name or "").split())
        if not name or len(name) > MAX_NAME:
            raise TokenError("name")
        if days not in VALIDITY_DAYS or days > MAX_VALIDITY_DAYS:
            raise TokenError("validity")
        now = self.clock()
        with Session(self.engine) as session:
            if (
                len([t for t in self._rows(session, account.id) if _info(t).live(now)])
                >= MAX_TOKENS
            ):
                raise TokenError("too_many")
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            row = ApiTokenRow(
                id=uuid.uuid4().hex,
                token_hash=token_hash(token),
                account_id=account.id,
                name=name,
                prefix=token[:10],
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            session.add(row)
            audit.record(
                session, "api_token_created", now, actor=account, detail=f"{name} ({days} j)"
            )
            session.commit()
            return NewToken(_info(row), token)

    def tokens(self, actor: Actor) -> list[TokenInfo]:
        """The actor's tokens, the newest first (revoked and expired ones included)."""
        account = self._require(actor)
        with Session(self.engine) as session:
            return [_info(r) for r in self._rows(session, account.id)]

    def revoke(self, actor: Actor, token_id: str) -> TokenInfo:
        """End one of the actor's own tokens at once."""
        account = self._require(actor)
        now = self.clock()
        with Session(self.engine) as session:
            row = session.get(ApiTokenRow, str(token_id)[:32])
            if row is None or row.account_id != account.id:
                raise TokenError("no_token")
            if row.revoked_at is None:
                row.revoked_at = now
                session.add(row)
                audit.record(session, "api_token_revoked", now, actor=account, detail=row.name)
                session.commit()
            return _info(row)

    def resolve(self, token: str) -> Actor | None:
        """The actor a bearer token stands for, or None (unknown, revoked, expired, or its
        account is no longer active)."""
        if not looks_like_token(token):
            return None
        now = self.clock()
        with Session(self.engine) as session:
            found = session.exec(
                select(ApiTokenRow, AccountRow)
                .join(AccountRow, col(ApiTokenRow.account_id) == col(AccountRow.id))
                .where(ApiTokenRow.token_hash == token_hash(token))
            ).first()
            if found is None:
                return None
            row, account = found
            if not _info(row).live(now) or account.status != "active":
                return None
            self._count(session, row.id, now)
            if row.last_used_at is None or now - aware(row.last_used_at) >= TOUCH_EVERY:
                row.last_used_at = now
                session.add(row)
                session.commit()
            structure = (
                session.get(StructureRow, account.structure_id) if account.structure_id else None
            )
            return Actor(
                account=Account(
                    id=account.id,
                    email=account.email,
                    role=Role(account.role),
                    structure_id=account.structure_id,
                    display_name=account.display_name,
                    structure_name=structure.name if structure else "",
                )
            )

    @staticmethod
    def _count(session: Session, token_id: str, now: datetime) -> None:
        """One more request in the token's window (shared by every worker: it is a row);
        raises `TokenThrottled` past the limit.

        One atomic statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, SQLite ≥ 3.35
        and PostgreSQL): concurrent requests of every worker are each counted, none lost."""
        table = ThrottleRow.__table__  # type: ignore[attr-defined]
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        started = table.c.window_started_at
        expired = started <= literal(now - RATE_WINDOW, started.type)
        counting = insert(table).values(key=f"token:{token_id}", failures=1, window_started_at=now)
        statement = counting.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((expired, 1), else_=table.c.failures + 1),
                "window_started_at": case((expired, literal(now, started.type)), else_=started),
            },
        ).returning(table.c.failures, table.c.window_started_at)
        failures, window_started_at = session.execute(statement).one()
        session.commit()
        if failures > RATE_LIMIT:
            waited = now - aware(window_started_at)
            raise TokenThrottled(max(1, int((RATE_WINDOW - waited).total_seconds()) + 1))

    @staticmethod
    def _rows(session: Session, account_id: str) -> list[ApiTokenRow]:
        return list(
            session.exec(
                select(ApiTokenRow)
                .where(ApiTokenRow.account_id == account_id)
                .order_by(col(ApiTokenRow.created_at).desc())
            ).all()
        )
