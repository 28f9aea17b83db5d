"""Accounts, sessions and authorisation (issue #12). Start here:

- `Accounts(url=None, clock=utc_now)`: the service (create, sign_in, resolve, sign_out,
  sessions, end_other_sessions, change_password, use_link, reset_link, disable,
  authorise, subject_facts, audit_events).
- `careerpath.domain.access`: `Role`, `Actor`, `Need`, `Target`, `decide` (the rules).
"""

from careerpath.domain.access import (
    Account,
    Actor,
    Need,
    Role,
    SubjectFacts,
    Target,
    safe_next,
)
from careerpath.services.accounts.clock import ManualClock, utc_now
from careerpath.services.accounts.service import (
    SESSION_COOKIE,
    AccessDenied,
    AccountError,
    Accounts,
    AccountSummary,
    IssuedLink,
    SessionInfo,
    SignedIn,
)

__all__ = [
    "SESSION_COOKIE",
    "AccessDenied",
    "Account",
    "AccountError",
    "AccountSummary",
    "Accounts",
    "Actor",
    "IssuedLink",
    "ManualClock",
    "Need",
    "Role",
    "SessionInfo",
    "SignedIn",
    "SubjectFacts",
    "Target",
    "safe_next",
    "utc_now",
]
