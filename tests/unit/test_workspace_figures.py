"""Each snapshot's readiness and plan hours are computed once, and never served stale: the
memo is keyed by the snapshot's id, its `updated_at`, the goal and the referential version,
and bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from careerpath.data.importers.bundle import read_bundle
from careerpath.services.assessments import StoredAssessment
from careerpath.services.context import Context, context_of
from careerpath.services.referential import CURATED_BUNDLE
from careerpath.services.workspace import figures

MOMENT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def ctx() -> Context:
    return context_of(read_bundle(CURATED_BUNDLE).referential)


@pytest.fixture(autouse=True)
def fresh_memo() -> None:
    figures.forget()


def _snapshot(level: int, updated_at: datetime = MOMENT, ident: str = "a" * 32) -> StoredAssessment:
    return StoredAssessment(
        id=ident,
        device_id="d" * 32,
        situation="en_poste",
        current_role="secretaire",
        ratings={"org-prioriser": level, "com-ecrire": level},
        target="office-manager",
        updated_at=updated_at,
    )


def test_a_figure_is_the_engines_and_is_computed_once(ctx: Context) -> None:
    stored = _snapshot(2)
    expected = ctx.engine.role_readiness(stored.to_assessment(), "office-manager").score
    assert figures.readiness(ctx, stored, "office-manager") == pytest.approx(expected)
    assert figures.known("readiness", ctx, stored.id, stored.updated_at, "office-manager") == (
        True,
        pytest.approx(expected),
    )
    hours = figures.plan_hours(ctx, stored, "office-manager")
    assert hours == pytest.approx(ctx.engine.plan(stored.to_assessment(), "office-manager").hours)
    # A naive datetime read back from SQLite is the same moment: the same entry.
    naive = MOMENT.replace(tzinfo=None)
    assert figures.known("hours", ctx, stored.id, naive, "office-manager") == (True, hours)


def test_a_changed_snapshot_is_never_served_its_old_figure(ctx: Context) -> None:
    before = figures.readiness(ctx, _snapshot(1), "office-manager")
    later = _snapshot(4, MOMENT + timedelta(minutes=5))  # same id, answers changed
    after = figures.readiness(ctx, later, "office-manager")
    assert after is not None and before is not None and after > before
    # Another goal is another figure.
    other = figures.readiness(ctx, later, "gestionnaire-paie")
    assert other == pytest.approx(
        ctx.engine.role_readiness(
            later.to_assessment("gestionnaire-paie"), "gestionnaire-paie"
        ).score
    )


def test_no_goal_or_an_unknown_one_has_no_figure(ctx: Context) -> None:
    stored = _snapshot(3)
    assert figures.readiness(ctx, stored, None) is None
    assert figures.plan_hours(ctx, stored, "no-such-role") is None


def test_the_memo_is_bounded(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "LIMIT", 5)
    for n in range(12):
        figures.readiness(ctx, _snapshot(n % 5, ident=f"{n:032d}"), "office-manager")
    assert len(figures._memo) == 5
    # The oldest went first; the newest is still known.
    assert not figures.known("readiness", ctx, f"{0:032d}", MOMENT, "office-manager")[0]
    assert figures.known("readiness", ctx, f"{11:032d}", MOMENT, "office-manager")[0]
