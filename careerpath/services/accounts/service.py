"""Accounts, sign-in, server-side sessions, links and authorisation: one service object.

Every method is one short transaction and reads the time from the injected clock, so that
expiry and lockout are tested without waiting. Adapters (Reflex events, the HTTP API, the
command line) call these methods and nothing below them.

Sessions (ASVS 4.0 V3): the browser holds a random 256-bit token in an HttpOnly cookie; the
table keeps its SHA-256. A session ends after 12 hours whatever happens, after 30 minutes
without activity, at sign-out, when the account is disabled, and — every session but the one
making the change — when the password changes.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from careerpath.config import Settings, load_settings
from careerpath.data.account_tables import (
    AccountRow,
    AccountTokenRow,
    AuthSessionRow,
    FollowUpRow,
    StructureRow,
    SubjectRow,
    ThrottleRow,
)
from careerpath.data.admin_tables import ApiTokenRow
from careerpath.data.database import engine_for, upgrade
from careerpath.domain.access import (
    Account,
    Actor,
    Decision,
    Need,
    Outcome,
    Role,
    SubjectFacts,
    Target,
    decide,
)
from careerpath.i18n import Locale, by_locale, gettext
from careerpath.services.accounts import audit, throttle
from careerpath.services.accounts.clock import Clock, aware, utc_now
from careerpath.services.accounts.mail import mail_configured, send_mail
from careerpath.services.accounts.passwords import (
    MAX_LENGTH,
    PasswordProblem,
    check_password,
    hash_password,
    needs_rehash,
    verify_password,
)

SESSION_COOKIE = "careerpath_session"
ABSOLUTE_LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(minutes=30)
TOUCH_EVERY = timedelta(seconds=30)
ACTIVATION_VALIDITY = timedelta(hours=72)
RESET_VALIDITY = timedelta(hours=72)
"""A reset link an administrator or a manager issues (they pass it on): as long as activation."""
FORGOTTEN_VALIDITY = timedelta(hours=1)
"""A reset link mailed from « Mot de passe oublié ? »."""
LINK_PATH = "/mot-de-passe/"
MAX_EMAIL = 254

Purpose = Literal["activation", "reset"]
_last_purge: datetime | None = None

MESSAGES: dict[str, dict[str, str]] = {
    "invalid_credentials": by_locale("E-mail ou mot de passe incorrect."),
    "throttled": by_locale("Trop de tentatives : réessayez dans {minutes} min."),
    "bad_email": by_locale("Cette adresse e-mail n'est pas valide."),
    "email_taken": by_locale("Un compte existe déjà avec cette adresse e-mail."),
    "not_yourself": by_locale("Vous ne pouvez pas désactiver votre propre compte."),
    "no_account": by_locale("Aucun compte n'a cette adresse e-mail."),
    "structure_needed": by_locale(
        "Un·e conseiller·ère ou un·e responsable appartient à une structure : "
        "indiquez-la (--structure)."
    ),
    "bad_link": by_locale(
        "Ce lien n'est plus valable (déjà utilisé ou expiré) : demandez-en un nouveau."
    ),
    "wrong_password": by_locale("Le mot de passe actuel est incorrect."),
    "forbidden": by_locale("Vous n'avez pas accès à cette page ou à ces données."),
    "sign_in": by_locale("Connectez-vous pour continuer."),
}


class AccountError(Exception):
    """A refusal with a message for the person, in their language."""

    def __init__(self, code: str, *, retry_after: int = 0, problem: PasswordProblem | None = None):
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after
        self.problem = problem

    def message(self, locale: Locale = "fr") -> str:
        if self.problem is not None:
            return self.problem.message(locale)
        minutes = max(1, -(-self.retry_after // 60))
        return MESSAGES[self.code][locale].format(minutes=minutes)


class AccessDenied(AccountError):
    """An action refused by the authorisation rules (`code` is "sign_in" or "forbidden")."""

    def __init__(self, decision: Decision):
        super().__init__("sign_in" if decision.outcome is Outcome.SIGN_IN else "forbidden")
        self.decision = decision


@dataclass(frozen=True)
class SignedIn:
    token: str
    """What goes in the cookie (never stored)."""
    account: Account
    session_id: str


@dataclass(frozen=True)
class SessionInfo:
    id: str
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    client_address: str
    current: bool


@dataclass(frozen=True)
class AccountSummary:
    id: str
    email: str
    display_name: str
    role: Role
    structure: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class IssuedLink:
    url: str
    purpose: Purpose
    expires_at: datetime
    mailed: bool


def session_token(cookie_header: str | None) -> str | None:
    """The session token in a `Cookie:` header, if any."""
    for part in (cookie_header or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == SESSION_COOKIE and value:
            return value.strip('"')
    return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str | None:
    """The e-mail lower-cased and checked for syntax (no DNS), or None when invalid."""
    email = (email or "").strip()
    if not email or len(email) > MAX_EMAIL:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def _account(row: AccountRow, structure_name: str = "") -> Account:
    return Account(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        structure_id=row.structure_id,
        display_name=row.display_name,
        structure_name=structure_name,
    )


class Accounts:
    """The account service over one database, reading time from `clock`."""

    def __init__(
        self, url: str | None = None, clock: Clock = utc_now, settings: Settings | None = None
    ) -> None:
        self.settings = settings or load_settings()
        self.engine: Engine = engine_for(url or self.settings.database_url)
        self.clock = clock

    def migrate(self) -> None:
        """Bring the schema up to date (the command line runs it before any change)."""
        upgrade(self.engine)

    # -- administration (CLI, admin pages) ----------------------------------------------

    def create(
        self,
        email: str,
        role: Role,
        *,
        structure: str | None = None,
        name: str = "",
        password: str | None = None,
        by: Actor | None = None,
        locale: Locale = "fr",
    ) -> tuple[AccountSummary, IssuedLink | None]:
        """A new account: active with `password`, else pending with an activation link.

        `by` is the person doing it (None: the platform's operator at the command line).
        """
        address = normalise_email(email)
        if address is None:
            raise AccountError("bad_email")
        if role is not Role.ADMIN and not (structure or "").strip():
            raise AccountError("structure_needed")
        if password is not None:
            problem = check_password(password, (address, name))
            if problem:
                raise AccountError("weak_password", problem=problem)
        now = self.clock()
        with Session(self.engine) as session:
            structure_row = self._structure(session, structure) if structure else None
            structure_id = structure_row.id if structure_row else None
            if by is not None:
                self._require(
                    by, Need.MANAGE_STRUCTURE, Target(structure_id=structure_id, account_role=role)
                )
            if session.exec(select(AccountRow).where(AccountRow.email == address)).first():
                raise AccountError("email_taken")
            row = AccountRow(
                id=uuid.uuid4().hex,
                email=address,
                display_name=name.strip()[:200],
                role=role.value,
                structure_id=structure_id,
                status="active" if password is not None else "pending",
                created_at=now,
                password_hash=hash_password(password) if password is not None else None,
                password_changed_at=now if password is not None else None,
            )
            session.add(row)
            session.flush()
            audit.record(
                session,
                "account_created",
                now,
                actor=by.account if by else None,
                structure_id=structure_id,
                detail=f"{address} ({role.value})",
            )
            token = None if password is not None else self._new_link(session, row, "activation")
            session.commit()
            summary = self._summary(row, structure_row.name if structure_row else "")
        link = self._deliver(address, "activation", token, locale) if token else None
        return summary, link

    def list_accounts(self, by: Actor | None = None) -> list[AccountSummary]:
        """Every account (operator, administrator) or the manager's structure's accounts."""
        with Session(self.engine) as session:
            query = select(AccountRow, StructureRow).join(
                StructureRow, col(AccountRow.structure_id) == col(StructureRow.id), isouter=True
            )
            if by is not None:
                self._require(by, Need.MANAGE_STRUCTURE)
                if by.role is not Role.ADMIN and by.account is not None:
                    query = query.where(AccountRow.structure_id == by.account.structure_id)
            rows = session.exec(query.order_by(col(AccountRow.email))).all()
            return [self._summary(a, s.name if s else "") for a, s in rows]

    def disable(self, email: str, by: Actor | None = None) -> AccountSummary:
        """Disable an account and end all its sessions (its data and audit trail stay)."""
        now = self.clock()
        with Session(self.engine) as session:
            row = self._by_email(session, email)
            if by is not None:
                self._require(
                    by,
                    Need.MANAGE_STRUCTURE,
                    Target(structure_id=row.structure_id, account_role=Role(row.role)),
                )
                if by.account is not None and by.account.id == row.id:
                    raise AccountError("not_yourself")
            row.status = "disabled"
            session.add(row)
            session.execute(delete(AuthSessionRow).where(col(AuthSessionRow.account_id) == row.id))
            session.execute(
                delete(AccountTokenRow).where(col(AccountTokenRow.account_id) == row.id)
            )
            # Revoked, not suspended: enabling the account again does not bring them back.
            _revoke_api_tokens(
                session, row, now, "account_disabled", actor=by.account if by else None
            )
            audit.record(
                session,
                "account_disabled",
                now,
                actor=by.account if by else None,
                structure_id=row.structure_id,
                detail=row.email,
            )
            session.commit()
            return self._summary(row, self._structure_name(session, row.structure_id))

    def reset_link(self, email: str, by: Actor | None = None, locale: Locale = "fr") -> IssuedLink:
        """A new single-use link: activation while the account is pending, else a reset."""
        now = self.clock()
        with Session(self.engine) as session:
            row = self._by_email(session, email)
            if by is not None:
                self._require(
                    by,
                    Need.MANAGE_STRUCTURE,
                    Target(structure_id=row.structure_id, account_role=Role(row.role)),
                )
            if row.status == "disabled":
                raise AccountError("bad_link")
            purpose: Purpose = "activation" if row.status == "pending" else "reset"
            token = self._new_link(session, row, purpose)
            audit.record(
                session,
                "link_issued",
                now,
                actor=by.account if by else None,
                structure_id=row.structure_id,
                detail=f"{purpose} {row.email}",
            )
            session.commit()
            address = row.email
        return self._deliver(address, purpose, token, locale)

    # -- links ------------------------------------------------------------------------

    def link_purpose(self, token: str) -> Purpose | None:
        """What a link is for while it is still valid (the page's title), else None."""
        with Session(self.engine) as session:
            found = self._valid_link(session, token)
            return found[0].purpose if found else None  # type: ignore[return-value]

    def use_link(self, token: str, password: str) -> Account:
        """Set the password through a single-use link; ends every session of the account."""
        now = self.clock()
        with Session(self.engine) as session:
            found = self._valid_link(session, token)
            if found is None:
                raise AccountError("bad_link")
            link, row = found
            problem = check_password(password, (row.email, row.display_name))
            if problem:
                raise AccountError("weak_password", problem=problem)
            link.used_at = now
            session.add(link)
            was_pending = row.status == "pending"
            row.password_hash = hash_password(password)
            row.password_changed_at = now
            row.status = "active"
            session.add(row)
            session.execute(delete(AuthSessionRow).where(col(AuthSessionRow.account_id) == row.id))
            _revoke_api_tokens(session, row, now, link.purpose, actor=_account(row))
            audit.record(
                session,
                "account_activated" if was_pending else "password_changed",
                now,
                actor_id=row.id,
                actor_email=row.email,
                structure_id=row.structure_id,
                detail=link.purpose,
            )
            session.commit()
            return _account(row)

    def request_reset(self, email: str, client_address: str = "", locale: Locale = "fr") -> bool:
        """« Mot de passe oublié ? »: mail a reset link when the account exists and mail is
        configured. Returns whether mail is configured at all — never whether the account
        exists — so the page can say where the link will come from."""
        if not mail_configured(self.settings.smtp_url):
            return False
        address = normalise_email(email)
        now = self.clock()
        token = None
        key_set = throttle.reset_keys(address or email.strip().lower()[:MAX_EMAIL], client_address)
        with Session(self.engine) as session:
            if throttle.blocked_until(session, key_set, now) is not None:
                return True  # the same answer: the limit says nothing about the account
            throttle.record_failure(session, key_set, now)
            session.commit()
            row = (
                session.exec(select(AccountRow).where(AccountRow.email == address)).first()
                if address
                else None
            )
            if row is not None and row.status == "active":
                token = self._new_link(session, row, "reset", validity=FORGOTTEN_VALIDITY)
                audit.record(
                    session,
                    "password_reset_requested",
                    now,
                    actor_id=row.id,
                    actor_email=row.email,
                    structure_id=row.structure_id,
                    client_address=client_address,
                )
                session.commit()
        if token and address:
            self._deliver(address, "reset", token, locale)
        return True

    # -- signing in and out -----------------------------------------------------------

    def sign_in(
        self, email: str, password: str, client_address: str = "", user_agent: str = ""
    ) -> SignedIn:
        """A new session for the right e-mail and password; AccountError otherwise.

        The same message, and the same Argon2 work, whether the e-mail exists or not.
        """
        now = self.clock()
        address = normalise_email(email) or (email or "").strip().lower()[:MAX_EMAIL]
        key_set = throttle.keys(address, client_address)
        with Session(self.engine) as session:
            until = throttle.blocked_until(session, key_set, now)
            if until is not None:
                audit.record(
                    session,
                    "signin_throttled",
                    now,
                    actor_email=address,
                    client_address=client_address,
                )
                session.commit()
                raise AccountError("throttled", retry_after=int((until - now).total_seconds()))
            row = session.exec(select(AccountRow).where(AccountRow.email == address)).first()
            stored = row.password_hash if row is not None and row.status == "active" else None
            ok = len(password) <= MAX_LENGTH and verify_password(stored, password)
            if not ok or row is None or stored is None:
                throttle.record_failure(session, key_set, now)
                audit.record(
                    session,
                    "signin_failed",
                    now,
                    actor_id=row.id if row else None,
                    actor_email=address,
                    structure_id=row.structure_id if row else None,
                    client_address=client_address,
                )
                session.commit()
                raise AccountError("invalid_credentials")
            throttle.clear(session, key_set[0])
            self._purge_daily(session, now)
            if needs_rehash(stored):
                row.password_hash = hash_password(password)
                session.add(row)
            token = secrets.token_urlsafe(32)
            session_row = AuthSessionRow(
                id=uuid.uuid4().hex,
                token_hash=token_hash(token),
                account_id=row.id,
                created_at=now,
                last_seen_at=now,
                user_agent=user_agent[:200],
                client_address=client_address[:64],
            )
            session.add(session_row)
            audit.record(
                session,
                "signin",
                now,
                actor_id=row.id,
                actor_email=row.email,
                structure_id=row.structure_id,
                client_address=client_address,
            )
            session.commit()
            account = _account(row, self._structure_name(session, row.structure_id))
            return SignedIn(token, account, session_row.id)

    def resolve(self, token: str | None, device_id: str = "") -> Actor:
        """The actor behind a session cookie (and device id); anonymous when the session is
        unknown, expired (12 h, 30 min idle) or its account no longer active. Call it for
        every event and request: it also records the activity that keeps a session alive."""
        if not token or len(token) > 100:
            return Actor(device_id=device_id)
        now = self.clock()
        with Session(self.engine) as session:
            found = session.exec(
                select(AuthSessionRow, AccountRow)
                .join(AccountRow, col(AuthSessionRow.account_id) == col(AccountRow.id))
                .where(AuthSessionRow.token_hash == token_hash(token))
            ).first()
            if found is None:
                return Actor(device_id=device_id)
            row, account = found
            if (
                now - aware(row.created_at) >= ABSOLUTE_LIFETIME
                or now - aware(row.last_seen_at) >= IDLE_TIMEOUT
                or account.status != "active"
            ):
                session.delete(row)
                session.commit()
                return Actor(device_id=device_id)
            if now - aware(row.last_seen_at) >= TOUCH_EVERY:
                row.last_seen_at = now
                session.add(row)
                session.commit()
            return Actor(
                account=_account(account, self._structure_name(session, account.structure_id)),
                device_id=device_id,
                session_id=row.id,
            )

    def sign_out(self, token: str | None, client_address: str = "") -> None:
        if not token:
            return
        now = self.clock()
        with Session(self.engine) as session:
            row = session.exec(
                select(AuthSessionRow).where(AuthSessionRow.token_hash == token_hash(token))
            ).first()
            if row is None:
                return
            account = session.get(AccountRow, row.account_id)
            session.delete(row)
            if account is not None:
                audit.record(
                    session,
                    "signout",
                    now,
                    actor=_account(account),
                    client_address=client_address,
                )
            session.commit()

    def sessions(self, actor: Actor) -> list[SessionInfo]:
        """The actor's active sessions, the current one first."""
        account = self._require(actor, Need.SIGNED_IN)
        now = self.clock()
        with Session(self.engine) as session:
            rows = session.exec(
                select(AuthSessionRow)
                .where(AuthSessionRow.account_id == account.id)
                .order_by(col(AuthSessionRow.last_seen_at).desc())
            ).all()
            live = [
                r
                for r in rows
                if now - aware(r.created_at) < ABSOLUTE_LIFETIME
                and now - aware(r.last_seen_at) < IDLE_TIMEOUT
            ]
            infos = [
                SessionInfo(
                    r.id,
                    aware(r.created_at),
                    aware(r.last_seen_at),
                    r.user_agent,
                    r.client_address,
                    r.id == actor.session_id,
                )
                for r in live
            ]
            return sorted(infos, key=lambda s: not s.current)

    def end_other_sessions(self, actor: Actor) -> int:
        """« Déconnecter les autres appareils »: end every session but the actor's own."""
        account = self._require(actor, Need.SIGNED_IN)
        now = self.clock()
        with Session(self.engine) as session:
            result = session.execute(
                delete(AuthSessionRow).where(
                    col(AuthSessionRow.account_id) == account.id,
                    col(AuthSessionRow.id) != actor.session_id,
                )
            )
            ended = int(result.rowcount or 0)  # type: ignore[attr-defined]
            audit.record(session, "sessions_ended", now, actor=account, detail=str(ended))
            session.commit()
            return ended

    def change_password(self, actor: Actor, current: str, new: str) -> None:
        """Change one's password; every other session of the account ends."""
        account = self._require(actor, Need.SIGNED_IN)
        now = self.clock()
        with Session(self.engine) as session:
            row = session.get(AccountRow, account.id)
            if row is None or not verify_password(row.password_hash, current[: MAX_LENGTH + 1]):
                raise AccountError("wrong_password")
            problem = check_password(new, (row.email, row.display_name))
            if problem:
                raise AccountError("weak_password", problem=problem)
            row.password_hash = hash_password(new)
            row.password_changed_at = now
            session.add(row)
            session.execute(
                delete(AuthSessionRow).where(
                    col(AuthSessionRow.account_id) == row.id,
                    col(AuthSessionRow.id) != actor.session_id,
                )
            )
            _revoke_api_tokens(session, row, now, "password_changed", actor=account)
            audit.record(session, "password_changed", now, actor=account)
            session.commit()

    # -- authorisation ----------------------------------------------------------------

    def authorise(
        self,
        actor: Actor,
        need: Need,
        target: Target | None = None,
        *,
        audit_action: Literal["view", "export"] = "view",
        what: str = "",
    ) -> Decision:
        """Allow or raise AccessDenied; an access to someone else's data is audited."""
        decision = decide(actor, need, target)
        if not decision.allowed:
            raise AccessDenied(decision)
        if decision.audited and actor.account is not None:
            with Session(self.engine) as session:
                subject = target.subject if target else None
                audit.record(
                    session,
                    audit_action,
                    self.clock(),
                    actor=actor.account,
                    subject_id=subject.subject_id if subject else None,
                    detail=what,
                )
                session.commit()
        return decision

    def subject_facts(self, subject_id: str) -> SubjectFacts | None:
        """Owner and active follow-ups of a subject: what VIEW_SUBJECT decides on."""
        with Session(self.engine) as session:
            row = session.get(SubjectRow, subject_id)
            if row is None:
                return None
            follow_ups = session.exec(
                select(FollowUpRow).where(
                    FollowUpRow.subject_id == subject_id, col(FollowUpRow.ended_at).is_(None)
                )
            ).all()
            return SubjectFacts(
                subject_id=row.id,
                device_id=row.device_id,
                account_id=row.account_id,
                follow_ups=frozenset((f.counsellor_id, f.structure_id) for f in follow_ups),
            )

    def audit_events(
        self, actor: Actor, structure_id: int | None = None, limit: int = 200
    ) -> list[audit.AuditEvent]:
        """The audit log a manager (their structure) or an administrator (any) may read."""
        account = actor.account
        if account is not None and account.role is Role.STRUCTURE_ADMIN:
            structure_id = account.structure_id
        self._require(actor, Need.READ_AUDIT, Target(structure_id=structure_id))
        now = self.clock()
        with Session(self.engine) as session:
            return audit.events(session, structure_id, now, limit)

    def _purge_daily(self, session: Session, now: datetime) -> None:
        """Drop audit events past their 12 months, and expired sessions, links and failure
        counts, at most once a day per process."""
        global _last_purge
        if _last_purge is None or now - _last_purge >= timedelta(days=1) or now < _last_purge:
            audit.purge(session, now)
            self._forget_expired(session, now)
            _last_purge = now

    @staticmethod
    def _forget_expired(session: Session, now: datetime) -> None:
        """Sessions, links and failure counts that can no longer matter are deleted."""
        session.execute(
            delete(AuthSessionRow).where(
                (col(AuthSessionRow.created_at) < now - ABSOLUTE_LIFETIME)
                | (col(AuthSessionRow.last_seen_at) < now - IDLE_TIMEOUT)
            )
        )
        session.execute(
            delete(AccountTokenRow).where(
                (col(AccountTokenRow.expires_at) < now) | col(AccountTokenRow.used_at).is_not(None)
            )
        )
        session.execute(
            delete(ThrottleRow).where(
                col(ThrottleRow.window_started_at) < now - throttle.WINDOW - throttle.MAX_DELAY
            )
        )

    def purge_audit(self) -> int:
        with Session(self.engine) as session:
            gone = audit.purge(session, self.clock())
            session.commit()
            return gone

    # -- helpers ----------------------------------------------------------------------

    def _require(self, actor: Actor, need: Need, target: Target | None = None) -> Account:
        decision = decide(actor, need, target)
        if not decision.allowed or actor.account is None:
            raise AccessDenied(decision)
        return actor.account

    @staticmethod
    def _by_email(session: Session, email: str) -> AccountRow:
        address = normalise_email(email)
        row = (
            session.exec(select(AccountRow).where(AccountRow.email == address)).first()
            if address
            else None
        )
        if row is None:
            raise AccountError("no_account")
        return row

    @staticmethod
    def _structure(session: Session, name: str) -> StructureRow:
        name = " ".join(name.split())[:200]
        row = session.exec(select(StructureRow).where(StructureRow.name == name)).first()
        if row is None:
            row = StructureRow(name=name)
            session.add(row)
            session.flush()
        return row

    @staticmethod
    def _structure_name(session: Session, structure_id: int | None) -> str:
        if structure_id is None:
            return ""
        row = session.get(StructureRow, structure_id)
        return row.name if row else ""

    def _new_link(
        self,
        session: Session,
        row: AccountRow,
        purpose: Purpose,
        validity: timedelta | None = None,
    ) -> str:
        """A fresh single-use token; earlier unused links of the account stop working."""
        now = self.clock()
        session.execute(
            delete(AccountTokenRow).where(
                col(AccountTokenRow.account_id) == row.id, col(AccountTokenRow.used_at).is_(None)
            )
        )
        token = secrets.token_urlsafe(32)
        if validity is None:
            validity = ACTIVATION_VALIDITY if purpose == "activation" else RESET_VALIDITY
        session.add(
            AccountTokenRow(
                token_hash=token_hash(token),
                account_id=row.id,
                purpose=purpose,
                created_at=now,
                expires_at=now + validity,
            )
        )
        return token

    def _valid_link(
        self, session: Session, token: str
    ) -> tuple[AccountTokenRow, AccountRow] | None:
        if not token or len(token) > 100:
            return None
        link = session.get(AccountTokenRow, token_hash(token))
        if link is None or link.used_at is not None or aware(link.expires_at) <= self.clock():
            return None
        row = session.get(AccountRow, link.account_id)
        if row is None or row.status == "disabled":
            return None
        return link, row

    def _deliver(self, address: str, purpose: Purpose, token: str, locale: Locale) -> IssuedLink:
        url = f"{self.settings.public_url}{LINK_PATH}{token}"
        now = self.clock()
        validity = ACTIVATION_VALIDITY if purpose == "activation" else RESET_VALIDITY
        subject, body = _mail_text(purpose, url, locale)
        mailed = send_mail(self.settings.smtp_url, address, subject, body)
        return IssuedLink(url, purpose, now + validity, mailed)

    @staticmethod
    def _summary(row: AccountRow, structure: str) -> AccountSummary:
        return AccountSummary(
            row.id,
            row.email,
            row.display_name,
            Role(row.role),
            structure,
            row.status,
            aware(row.created_at),
        )


def _revoke_api_tokens(
    session: Session, row: AccountRow, now: datetime, why: str, *, actor: Account | None
) -> int:
    """Revoke every live API token of the account (its password changed, or it was
    disabled: whoever held the old password may have made them); audited when any was."""
    table = ApiTokenRow.__table__  # type: ignore[attr-defined]
    revoked = (
        session.connection()
        .execute(
            update(table)
            .where(
                table.c.account_id == row.id,
                table.c.revoked_at.is_(None),
                table.c.expires_at > now,
            )
            .values(revoked_at=now)
        )
        .rowcount
    )
    if revoked:
        audit.record(
            session,
            "api_tokens_revoked",
            now,
            actor=actor,
            structure_id=row.structure_id,
            detail=f"{row.email}: {revoked} ({why})",
        )
    return int(revoked or 0)


def _mail_text(purpose: Purpose, url: str, locale: Locale) -> tuple[str, str]:
    if purpose == "activation":
        return gettext("Votre compte careerpath", locale), gettext(
            "Un compte careerpath a été créé pour vous.\n\nChoisissez votre mot de passe "
            "ici (le lien sert une fois, pendant 72 heures) :\n{url}\n",
            locale,
            url=url,
        )
    return gettext("Nouveau mot de passe careerpath", locale), gettext(
        "Choisissez un nouveau mot de passe ici (le lien sert une fois) :\n{url}\n\n"
        "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n",
        locale,
        url=url,
    )
