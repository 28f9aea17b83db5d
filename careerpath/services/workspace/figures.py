"""Readiness to the goal and the plan's remaining hours of one dated snapshot, computed once.

A snapshot's figures depend only on its answers and constraints (dated by `updated_at`),
the goal and the referential's version. They are kept under that key in a bounded in-process
memo and in the database (`snapshot_figure`: `prime` reads the stored ones into the memo in
one query, `keep` writes the new ones), so that the caseload sorted by readiness reads a
thousand numbers instead of running the engine twice per beneficiary on every page, in every
worker and after a restart (`benchmarks/caseload.py` measures it). A sealed snapshot never
changes: its figures are computed once per referential version.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from careerpath.data.assessment_tables import SnapshotFigureRow
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


Wanted = tuple[str, datetime, str | None]
"""A snapshot's figure to find: its id, its `updated_at` and the goal."""


def prime(engine: Engine, ctx: Context, kind: Kind, wanted: Iterable[Wanted]) -> None:
    """Put the stored figures of these snapshots into the memo (one query); stale ones
    (the snapshot changed since) are left for the engine."""
    missing = {
        (i, aware(u).isoformat(), g): (i, u, g)
        for i, u, g in wanted
        if g is not None and not known(kind, ctx, i, u, g)[0]
    }
    if not missing:
        return
    version = ctx.referential.version
    with Session(engine) as session:
        rows = session.exec(
            select(SnapshotFigureRow).where(
                SnapshotFigureRow.kind == kind,
                SnapshotFigureRow.version == version,
                col(SnapshotFigureRow.assessment).in_({i for i, _, _ in missing.values()}),
            )
        ).all()
    for row in rows:
        found = missing.get((row.assessment, row.stamp, row.goal))
        if found is not None:
            _remember(_key(kind, ctx, found[0], found[1], row.goal), row.value)


def keep(engine: Engine, ctx: Context, kind: Kind, wanted: Iterable[Wanted]) -> None:
    """Store the memo's figures of these snapshots (those computed by this call's caller);
    a concurrent worker storing the same figure first is fine: it is the same number."""
    version = ctx.referential.version
    unique: dict[tuple[str, str], tuple[str, str, str, float | None]] = {}
    for ident, updated_at, goal in wanted:
        found, value = known(kind, ctx, ident, updated_at, goal)
        if found and goal is not None and goal in ctx.referential.role_by_code:
            unique[(ident, goal)] = (ident, goal, aware(updated_at).isoformat(), value)
    rows = list(unique.values())
    if not rows:
        return
    with Session(engine) as session:
        kept = {
            (r.assessment, r.goal): r
            for r in session.exec(
                select(SnapshotFigureRow).where(
                    SnapshotFigureRow.kind == kind,
                    SnapshotFigureRow.version == version,
                    col(SnapshotFigureRow.assessment).in_({ident for ident, _, _, _ in rows}),
                )
            ).all()
        }
        for ident, goal, stamp, value in rows:
            existing = kept.get((ident, goal))
            if existing is None:
                session.add(
                    SnapshotFigureRow(
                        assessment=ident,
                        kind=kind,
                        goal=goal,
                        version=version,
                        stamp=stamp,
                        value=value,
                    )
                )
            elif existing.stamp != stamp:
                existing.stamp, existing.value = stamp, value
                session.add(existing)
        try:
            session.commit()
        except IntegrityError:  # another worker stored them meanwhile
            session.rollback()


def forget() -> None:
    """Empty the memo (benchmarks measure the cold case with it)."""
    with _lock:
        _memo.clear()
