"""Readiness to the goal and the plan's remaining hours of one dated snapshot, computed once.

A snapshot's figures depend only on its answers and constraints (dated by `updated_at`),
the goal and the referential's version. They are kept in a bounded in-process memo under that
key, so that the caseload sorted by readiness reads a thousand numbers instead of running the
engine twice per beneficiary on every page (`benchmarks/caseload.py` measures both). A sealed
snapshot never changes, so its figures are computed once per process and referential version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from typing import Literal

from careerpath.services.accounts.clock import aware
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context

Kind = Literal["readiness", "hours"]
Key = tuple[Kind, str, str, str, str]
LIMIT = 50_000
"""Figures kept per process (a float and a short key each: a few MB at most)."""

_lock = threading.Lock()
_memo: OrderedDict[Key, float | None] = OrderedDict()


def _key(kind: Kind, ctx: Context, assessment_id: str, updated_at: datetime, goal: str) -> Key:
    return (kind, ctx.referential.version, assessment_id, aware(updated_at).isoformat(), goal)


def known(
    kind: Kind, ctx: Context, assessment_id: str, updated_at: datetime, goal: str | None
) -> tuple[bool, float | None]:
    """(True, value) when this figure is already known; (True, None) without a valid goal."""
    if goal is None or goal not in ctx.referential.role_by_code:
        return True, None
    key = _key(kind, ctx, assessment_id, updated_at, goal)
    with _lock:
        if key in _memo:
            _memo.move_to_end(key)
            return True, _memo[key]
    return False, None


def _remember(key: Key, value: float | None) -> None:
    with _lock:
        _memo[key] = value
        _memo.move_to_end(key)
        while len(_memo) > LIMIT:
            _memo.popitem(last=False)


def readiness(ctx: Context, stored: StoredAssessment, goal: str | None) -> float | None:
    """The readiness (0–100) of the snapshot to `goal`; None without a goal of the referential."""
    found, value = known("readiness", ctx, stored.id, stored.updated_at, goal)
    if found:
        return value
    assert goal is not None
    value = float(ctx.engine.role_readiness(stored.to_assessment(goal), goal).score)
    _remember(_key("readiness", ctx, stored.id, stored.updated_at, goal), value)
    return value


def plan_hours(ctx: Context, stored: StoredAssessment, goal: str | None) -> float | None:
    """The hours of the snapshot's training plan to `goal` (what is left to train)."""
    found, value = known("hours", ctx, stored.id, stored.updated_at, goal)
    if found:
        return value
    assert goal is not None
    value = float(ctx.engine.plan(stored.to_assessment(goal), goal).hours)
    _remember(_key("hours", ctx, stored.id, stored.updated_at, goal), value)
    return value


def forget() -> None:
    """Empty the memo (benchmarks measure the cold case with it)."""
    with _lock:
        _memo.clear()
