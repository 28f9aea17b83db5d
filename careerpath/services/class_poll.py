"""The class poll: students tap « ça m'intéresse » on roles of the map shown on the projector.

Rules (one definition each):
- a poll is opened by a classroom display for one diploma; it ends after `POLL_HOURS` or when
  the display ends it, and every answer goes with it;
- whoever holds the poll's code may answer; only the display that opened it (holding the
  poll's secret key) may read the results;
- a student is an anonymous voter: a random token their browser keeps, stored only as a hash
  salted with the poll's code — no device id, no name, nothing that links two polls;
- a student may mark only roles that the diploma's map shows, each once;
- the counts per role are shown once at least `MIN_VOTERS` students answered, never who;
- a poll takes at most `MAX_VOTERS` students; at most `MAX_RUNNING_POLLS` polls run at once
  (nobody signs in to open one: storage stays bounded).

State lives in the database (`careerpath.data.class_polls`), so every backend worker of a
scaled-out deployment sees the same poll.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from careerpath.data import class_polls as store
from careerpath.data.database import engine_for
from careerpath.i18n import Locale
from careerpath.services import schools
from careerpath.services.referential import database_url, load_referential

MIN_VOTERS = 5
MAX_VOTERS = 200
MAX_RUNNING_POLLS = 2000
POLL_HOURS = 6
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed on a phone
CODE_LENGTH = 6
_CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_VOTER_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PollClosed(LookupError):
    """The code names no running poll (unknown, malformed, ended)."""


class PollRefused(ValueError):
    """The answer breaks a rule (a role the map does not show, a full poll, a bad token)."""


@dataclass(frozen=True)
class OpenedPoll:
    """What the display keeps: the code students type, the key that reads the results."""

    code: str
    key: str
    diploma: str


@dataclass(frozen=True)
class RoleCount:
    role: str
    title: str
    count: int


@dataclass(frozen=True)
class PollResults:
    """How many students answered; the counts per role only once `MIN_VOTERS` answered."""

    voters: int
    shown: bool
    counts: tuple[RoleCount, ...]


def normalise_code(value: str | None) -> str:
    """What a student typed or scanned, as a code: upper case, no spaces."""
    return re.sub(r"\s+", "", value or "")[: CODE_LENGTH + 4].upper()


def is_code(value: str | None) -> bool:
    return bool(value) and _CODE.match(value or "") is not None


def new_voter_token() -> str:
    """What a student's browser keeps to answer a poll (random, not linked to anything)."""
    return secrets.token_hex(16)


def is_voter_token(value: str | None) -> bool:
    return bool(value) and _VOTER_TOKEN.match(value or "") is not None


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _engine(url: str | None) -> Engine:
    return engine_for(database_url(url))


def _map(diploma: str, url: str | None, locale: Locale = "fr") -> schools.Progression:
    return schools.progression(load_referential(url), diploma, locale=locale)


def _now() -> datetime:
    return datetime.now(UTC)


def open_poll(diploma: str, url: str | None = None) -> OpenedPoll:
    """A new poll about `diploma`'s map (UnknownDiploma when the code names none)."""
    _map(diploma, url)  # refuses an unknown diploma
    engine = _engine(url)
    now = _now()
    store.delete_expired(engine, now)
    if store.poll_count(engine) >= MAX_RUNNING_POLLS:
        raise PollRefused("too many polls are running")
    key = secrets.token_urlsafe(24)
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if store.create_poll(
            engine, code, diploma, _hash(code, key), now + timedelta(hours=POLL_HOURS)
        ):
            return OpenedPoll(code, key, diploma)
    raise RuntimeError("no free class poll code")  # 32⁶ codes: only if the table is full


def poll_diploma(code: str, url: str | None = None) -> str:
    """The diploma a running poll asks about (PollClosed otherwise)."""
    if not is_code(code):
        raise PollClosed(code)
    row = store.find_poll(_engine(url), code, _now())
    if row is None:
        raise PollClosed(code)
    return row.diploma


def _allowed_roles(diploma: str, url: str | None) -> frozenset[str]:
    return schools.map_roles(_map(diploma, url))


def my_answers(code: str, token: str, url: str | None = None) -> frozenset[str]:
    """The roles this student marked (empty for an unknown poll or token)."""
    if not is_code(code) or not is_voter_token(token):
        return frozenset()
    return store.voter_roles(_engine(url), code, _hash(code, token))


def answer(
    code: str, token: str, role: str, interested: bool, url: str | None = None
) -> frozenset[str]:
    """Mark (or unmark) a role for this student; returns the roles they now mark."""
    diploma = poll_diploma(code, url)
    if not is_voter_token(token):
        raise PollRefused("voter token")
    if role not in _allowed_roles(diploma, url):
        raise PollRefused(f"role {role[:80]!r} is not on this map")
    engine = _engine(url)
    voter = _hash(code, token)
    if interested:
        known = store.voter_roles(engine, code, voter)
        if not known and store.voter_count(engine, code) >= MAX_VOTERS:
            raise PollRefused("the poll is full")
        store.add_answer(engine, code, voter, role)
    else:
        store.remove_answer(engine, code, voter, role)
    return store.voter_roles(engine, code, voter)


def _may_read(code: str, key: str, url: str | None) -> str:
    if not is_code(code) or not _KEY.match(key or ""):
        raise PollClosed(code)
    row = store.find_poll(_engine(url), code, _now())
    if row is None or not hmac.compare_digest(row.key_hash, _hash(code, key)):
        raise PollClosed(code)
    return row.diploma


def results(code: str, key: str, locale: Locale = "fr", url: str | None = None) -> PollResults:
    """The class's answers, for the display that opened the poll only (PollClosed otherwise).

    Counts per role, most chosen first (then by title), once `MIN_VOTERS` students answered.
    """
    diploma = _may_read(code, key, url)
    voters, per_role = store.counts(_engine(url), code)
    if voters < MIN_VOTERS:
        return PollResults(voters, False, ())
    titles = schools.role_titles(_map(diploma, url, locale))
    found = [RoleCount(role, titles[role], n) for role, n in per_role.items() if role in titles]
    found.sort(key=lambda c: (-c.count, c.title.casefold(), c.role))
    return PollResults(voters, True, tuple(found))


def end(code: str, key: str, url: str | None = None) -> None:
    """The display ends its poll: the poll and every answer are deleted."""
    _may_read(code, key, url)
    store.end_poll(_engine(url), code)
