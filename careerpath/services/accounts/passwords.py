"""Password rules (ASVS 4.0 §2.1) and hashing (Argon2id, OWASP parameters).

- 12 to 128 characters, any characters, no composition rules (spaces and emoji welcome).
- Refused when common or breached: the 30,000 most common passwords of public breaches
  that `zxcvbn` ships (its `passwords` frequency list, no network call), or when zxcvbn
  estimates fewer than 10⁸ guesses (score below 3: repeats, keyboard walks, a common
  password with a suffix…).
- Hashed with Argon2id through argon2-cffi, with OWASP's parameters (19 MiB, 2 passes,
  1 lane); a hash made with other parameters is redone at the next sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from careerpath.i18n import Locale, by_locale

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_ZXCVBN_SCORE = 3
ZXCVBN_MAX_INPUT = 72  # zxcvbn refuses longer input; the rest only adds guesses

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


@dataclass(frozen=True)
class PasswordProblem:
    code: str  # too_short, too_long, common

    def message(self, locale: Locale) -> str:
        return PROBLEMS[self.code][locale].format(min=MIN_LENGTH, max=MAX_LENGTH)


PROBLEMS = {
    "too_short": by_locale("Le mot de passe doit compter au moins {min} caractères."),
    "too_long": by_locale("Le mot de passe ne doit pas dépasser {max} caractères."),
    "common": by_locale(
        "Ce mot de passe est trop courant ou figure dans des fuites connues : "
        "choisissez-en un autre (une phrase de plusieurs mots convient très bien)."
    ),
}


@cache
def _breached() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, context: tuple[str, ...] = ()) -> PasswordProblem | None:
    """The first problem with a new password, or None when it is acceptable.

    `context` holds words the password must not lean on (the e-mail, the name).
    """
    if len(password) < MIN_LENGTH:
        return PasswordProblem("too_short")
    if len(password) > MAX_LENGTH:
        return PasswordProblem("too_long")
    if password.lower() in _breached():
        return PasswordProblem("common")
    words = [w for w in context if w]
    estimate = zxcvbn(password[:ZXCVBN_MAX_INPUT], user_inputs=words)
    if int(estimate["score"]) < MIN_ZXCVBN_SCORE:
        return PasswordProblem("common")
    return None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    return HASHER.hash("careerpath: no such account, same work")


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash, spends the same time and says False."""
    try:
        return HASHER.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
