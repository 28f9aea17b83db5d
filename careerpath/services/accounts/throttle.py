"""Brute-force limits on sign-in: per account e-mail and per client address.

Within a 15-minute window, the first failures cost nothing; from the limit on (10 for an
e-mail, 30 for an address, which a school's or an agency's network shares) every further
failure blocks the key for a growing delay: 30 s, 1 min, 2 min… up to one hour. A success
clears the e-mail's count. The key of an e-mail is its SHA-256, whether an account has it or
not, so the limit says nothing about which e-mails exist.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from careerpath.data.account_tables import ThrottleRow
from careerpath.services.accounts.clock import aware

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 10
ADDRESS_LIMIT = 30
FIRST_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)


@dataclass(frozen=True)
class Key:
    value: str
    limit: int


def keys(email: str, client_address: str) -> tuple[Key, ...]:
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()
    found = [Key(f"account:{digest}", ACCOUNT_LIMIT)]
    if client_address:
        found.append(Key(f"address:{client_address[:60]}", ADDRESS_LIMIT))
    return tuple(found)


RESET_LIMIT = 3
"""Reset mails per e-mail (and 10 per address) in the window before requests wait."""


def reset_keys(email: str, client_address: str) -> tuple[Key, ...]:
    """Keys limiting « Mot de passe oublié ? » (nobody's inbox gets flooded)."""
    digest = hashlib.sha256(email.encode("utf-8")).hexdigest()
    found = [Key(f"reset:{digest}", RESET_LIMIT)]
    if client_address:
        found.append(Key(f"reset-address:{client_address[:50]}", RESET_LIMIT * 3 + 1))
    return tuple(found)


def blocked_until(session: Session, key_set: tuple[Key, ...], now: datetime) -> datetime | None:
    """The latest moment any of the keys is blocked until, when that is in the future."""
    latest: datetime | None = None
    for key in key_set:
        row = session.get(ThrottleRow, key.value)
        if row is None or row.blocked_until is None:
            continue
        until = aware(row.blocked_until)
        if until > now and (latest is None or until > latest):
            latest = until
    return latest


def delay_after(failures: int, limit: int) -> timedelta | None:
    """How long a key is blocked after its `failures`-th failure in the window."""
    if failures < limit:
        return None
    delay: timedelta = min(FIRST_DELAY * (2 ** min(failures - limit, 20)), MAX_DELAY)
    return delay


def record_failure(session: Session, key_set: tuple[Key, ...], now: datetime) -> None:
    for key in key_set:
        row = session.get(ThrottleRow, key.value, with_for_update=True)
        if row is None:
            row = ThrottleRow(key=key.value, failures=0, window_started_at=now)
        blocked = aware(row.blocked_until) if row.blocked_until else None
        if now - aware(row.window_started_at) > WINDOW and (blocked is None or blocked <= now):
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        delay = delay_after(row.failures, key.limit)
        row.blocked_until = now + delay if delay else None
        session.add(row)


def clear(session: Session, key: Key) -> None:
    row = session.get(ThrottleRow, key.value)
    if row is not None:
        session.delete(row)
