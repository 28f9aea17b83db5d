"""Invitation codes a person types on a phone: short, unambiguous, forgiving when typed.

A code is `CODE_LENGTH` characters from an alphabet without the characters people confuse
(0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V): 8 characters of a 23-character alphabet give about 36 bits,
enough for codes that live `INVITATION_DAYS` days and are refused after a few wrong tries
(the service limits attempts). Typing is forgiving: spaces, dashes and lower case are
accepted; a character outside the alphabet makes the code invalid (never silently read as
another one).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
CODE_LENGTH = 8
INVITATION_DAYS = 14
INVITATION_LIFETIME = timedelta(days=INVITATION_DAYS)


def new_code() -> str:
    """A fresh random code (cryptographically random)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """The code a person meant, or None when it cannot be one of ours."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_.\t")
    if len(cleaned) != CODE_LENGTH:
        return None
    if any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def display_code(code: str) -> str:
    """`ACDE FGHJ`: the code in two groups, easier to read out and type."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"
