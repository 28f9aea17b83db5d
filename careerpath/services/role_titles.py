"""Role codes to the titles a person reads, skipping codes the referential no longer knows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from careerpath.domain.referential import Referential


def known_roles(referential: Referential, codes: Iterable[str]) -> list[str]:
    return [c for c in codes if c in referential.role_by_code]


def role_title(referential: Referential, code: str | None) -> str:
    if not code:
        return ""
    role = referential.role_by_code.get(code)
    return role.title if role else ""


def titles(referential: Referential, codes: Sequence[str]) -> list[str]:
    return [referential.role_by_code[c].title for c in codes if c in referential.role_by_code]
