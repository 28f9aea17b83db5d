"""Who may do what: roles, the actor of a request, and the authorisation rules.

Pure rules over facts the services load (who the actor is, who owns or follows a subject),
so that every adapter — Reflex events, the HTTP API, the command line — asks the same
questions and gets the same answers. A decision also says whether the access must be
written to the audit log (someone else's data seen by a counsellor or a manager).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum


class Role(StrEnum):
    COUNSELLOR = "counsellor"
    STRUCTURE_ADMIN = "structure-admin"
    ADMIN = "admin"


@dataclass(frozen=True)
class Account:
    """A signed-in account as the rules see it."""

    id: str
    email: str
    role: Role
    structure_id: int | None = None
    display_name: str = ""
    structure_name: str = ""


@dataclass(frozen=True)
class Actor:
    """Who is asking: an account (signed in) and/or an anonymous device (its id or "")."""

    account: Account | None = None
    device_id: str = ""
    session_id: str = ""

    @property
    def signed_in(self) -> bool:
        return self.account is not None

    @property
    def role(self) -> Role | None:
        return self.account.role if self.account else None


ANONYMOUS = Actor()


class Need(StrEnum):
    """What an action needs. Rules for each are in `decide`."""

    SIGNED_IN = "signed_in"
    """Any account: one's own account, sessions, password."""
    COUNSELLOR_WORKSPACE = "counsellor_workspace"
    """Counsellors and structure managers (their structure's beneficiaries)."""
    MANAGE_STRUCTURE = "manage_structure"
    """A structure manager of the target structure, or an administrator."""
    READ_AUDIT = "read_audit"
    """The audit log of the target structure: its manager, or an administrator."""
    ADMINISTER = "administer"
    """The platform: structures, referential, every account (administrators only)."""
    VIEW_SUBJECT = "view_subject"
    """A person's data: its owner, the counsellor following them, their structure's manager."""


class Outcome(Enum):
    ALLOW = "allow"
    DENY = "deny"
    SIGN_IN = "sign_in"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    audited: bool = False
    reason: str = ""

    @property
    def allowed(self) -> bool:
        return self.outcome is Outcome.ALLOW


@dataclass(frozen=True)
class SubjectFacts:
    """Who owns a subject and who follows it (active follow-ups: counsellor, structure)."""

    subject_id: str
    device_id: str | None = None
    account_id: str | None = None
    follow_ups: frozenset[tuple[str, int]] = frozenset()

    @property
    def structures(self) -> frozenset[int]:
        return frozenset(structure for _, structure in self.follow_ups)


@dataclass(frozen=True)
class Target:
    """What the action is about (all optional: a structure, a subject, an account's role)."""

    structure_id: int | None = None
    subject: SubjectFacts | None = None
    account_role: Role | None = None


ALLOW = Decision(Outcome.ALLOW)
SIGN_IN = Decision(Outcome.SIGN_IN, reason="sign_in")


def _deny(reason: str) -> Decision:
    return Decision(Outcome.DENY, reason=reason)


def _view_subject(actor: Actor, subject: SubjectFacts | None) -> Decision:
    if subject is None:
        return _deny("no_subject")
    if subject.device_id and actor.device_id and subject.device_id == actor.device_id:
        return ALLOW
    account = actor.account
    if account is None:
        return _deny("not_owner")
    if subject.account_id == account.id:
        return ALLOW
    if account.role is Role.COUNSELLOR and any(
        counsellor == account.id and structure == account.structure_id
        for counsellor, structure in subject.follow_ups
    ):
        return Decision(Outcome.ALLOW, audited=True)
    if account.role is Role.STRUCTURE_ADMIN and account.structure_id in subject.structures:
        return Decision(Outcome.ALLOW, audited=True)
    return _deny("not_followed")


def decide(actor: Actor, need: Need, target: Target | None = None) -> Decision:
    """Allow, deny, or ask to sign in first; never raises."""
    target = target or Target()
    if need is Need.VIEW_SUBJECT:
        return _view_subject(actor, target.subject)
    account = actor.account
    if account is None:
        return SIGN_IN
    role = account.role
    if need is Need.SIGNED_IN:
        return ALLOW
    if need is Need.COUNSELLOR_WORKSPACE:
        if role in (Role.COUNSELLOR, Role.STRUCTURE_ADMIN) and account.structure_id is not None:
            return ALLOW
        return _deny("role")
    if need is Need.ADMINISTER:
        return ALLOW if role is Role.ADMIN else _deny("role")
    if need in (Need.MANAGE_STRUCTURE, Need.READ_AUDIT):
        if role is Role.ADMIN:
            return ALLOW
        if role is not Role.STRUCTURE_ADMIN or account.structure_id is None:
            return _deny("role")
        if target.structure_id is not None and target.structure_id != account.structure_id:
            return _deny("other_structure")
        if need is Need.MANAGE_STRUCTURE and target.account_role is Role.ADMIN:
            return _deny("role")
        return ALLOW
    return _deny("unknown_need")  # pragma: no cover  (every Need is handled above)


ACCOUNT_HOME = "/compte"
WORKSPACE_HOME = "/espace"
LANDING_HEADER = "X-Careerpath-Landing"
"""The header of a JSON sign-in's answer (204) naming `landing_for` the account, which the
sign-in page's script opens when no `?suivant=` asks for a page."""


def landing_for(role: Role | None) -> str:
    """Where a sign-in leads when no page was asked for (`?suivant=`): a counsellor or a
    structure's manager to their workspace (their beneficiaries), anyone else to /compte."""
    if role in (Role.COUNSELLOR, Role.STRUCTURE_ADMIN):
        return WORKSPACE_HOME
    return ACCOUNT_HOME


def safe_next(path: str) -> str:
    """Only a path of this site may follow the sign-in (no `//host`, no scheme, no control
    character or space): else ""."""
    if (
        not path.startswith("/")
        or path.startswith("//")
        or "\\" in path
        # Browsers drop tabs and newlines from a URL (`/\t/evil.example` → `//evil.example`),
        # and a header never carries control characters.
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in path)
    ):
        return ""
    return path[:500]
