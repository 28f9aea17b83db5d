"""The counsellor's caseload at 1,000 beneficiaries, and one comparison of two dates, timed.

Builds a caseload in a temporary SQLite database through the services themselves (an
invitation accepted on each person's device, their assessment with a goal; half of them
re-assessed a day later, so that they have two dated snapshots), then prints medians of wall
time (the services wait on the database) for what /espace and /espace/beneficiaire/X do,
each beside a reference computed in the same run (never asserted; read the ratios):

- a page of 25 sorted by last activity, by name, by readiness (cold: no snapshot ever
  scored; another worker or a restart: the figures stored in the database, none in memory;
  warm: the usual case), and a search;
- references: the bare SQL query of one page (the floor: what any list costs), and the
  readiness sort as the workspace first did it (each snapshot loaded by itself, the engine
  run twice per beneficiary on every page);
- one comparison of two dates (each competency, readiness, the plan's hours), cold and warm,
  against loading the two snapshots alone.

    .venv/bin/python benchmarks/caseload.py [--size 1000] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Session, col, select

from careerpath.config import load_settings
from careerpath.data.assessment_tables import SnapshotFigureRow
from careerpath.data.workspace_tables import BeneficiaryRow
from careerpath.domain.access import Actor
from careerpath.services.accounts import Accounts, ManualClock, Role
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.context import context_of
from careerpath.services.referential import initialise_database, load_referential
from careerpath.services.workspace import Follow, Invitations, Store, figures

PASSWORD = "une phrase de passe pour le banc d'essai"
SEED = 20261201


def build(url: str, size: int) -> tuple[Actor, ManualClock, list[str], float]:
    """A counsellor following `size` people; returns them, the clock and the build time."""
    initialise_database(url)
    clock = ManualClock()
    accounts = Accounts(url, clock=clock, settings=load_settings({}))
    accounts.create("conseil@ml.fr", Role.COUNSELLOR, structure="Mission locale", password=PASSWORD)
    actor = accounts.resolve(accounts.sign_in("conseil@ml.fr", PASSWORD).token)
    referential = load_referential(url)
    codes = [c.code for c in referential.competencies]
    roles = [r.code for r in referential.roles]
    rng = random.Random(SEED)
    store = Store.of(url, clock)
    invitations = Invitations(store)
    assessments = AssessmentStore(url, clock)
    started = time.perf_counter()
    devices = []
    for n in range(size):
        device = new_device_id()
        stored = assessments.start(device, "en_poste", rng.choice(roles))
        assessments.rate_many(stored.id, {c: rng.randint(0, 4) for c in rng.sample(codes, 25)})
        assessments.set_target(stored.id, rng.choice(roles))
        invitations.accept(invitations.create(actor, f"Personne {n:04d}").code, device)
        devices.append(device)
        clock.advance(minutes=1)
    clock.advance(days=1)
    for device in devices[::2]:  # half re-assess the next day: a second dated snapshot
        current = assessments.current(device)
        assert current is not None
        assessments.rate_many(current.id, {c: rng.randint(1, 4) for c in rng.sample(codes, 5)})
        clock.advance(seconds=30)
    return actor, clock, devices, time.perf_counter() - started


def median_ms(
    action: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def line(label: str, value: float, reference: float, reference_label: str) -> None:
    ratio = value / reference if reference else float("inf")
    print(
        f"{label:<38} {value:9.1f} ms   {reference_label:<30} {reference:9.1f} ms   "
        f"ratio {ratio:6.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'caseload.db'}"
        actor, clock, devices, built = build(url, args.size)
        store = Store.of(url, clock)
        follow = Follow(store)
        ctx = context_of(load_referential(url))
        follow.purge_daily()  # once a day: not part of a page
        print(
            f"caseload of {args.size} beneficiaries built through the services in {built:.1f} s "
            f"({len(devices[::2])} with two dated snapshots); medians of {args.runs} runs"
        )

        def page(sort: str, query: str = "") -> Callable[[], object]:
            return lambda: follow.caseload(actor, query, sort, 1, ctx=ctx)

        def floor() -> object:
            with Session(store.engine) as session:
                return session.exec(
                    select(BeneficiaryRow)
                    .where(BeneficiaryRow.counsellor_id == actor.account.id)  # type: ignore[union-attr]
                    .order_by(col(BeneficiaryRow.last_activity_at).desc())
                    .limit(25)
                ).all()

        def naive_readiness_sort() -> object:
            """The readiness sort as first written: every snapshot loaded alone, the engine
            run for the newest and the previous one of every beneficiary."""
            assessments = follow.assessments
            with Session(store.engine) as session:
                rows = session.exec(
                    select(BeneficiaryRow).where(
                        BeneficiaryRow.counsellor_id == actor.account.id  # type: ignore[union-attr]
                    )
                ).all()
                subjects = [r.subject_id for r in rows if r.subject_id]
            scores = []
            for subject in subjects:
                snaps = assessments.snapshots(subject)
                newest = assessments.get(snaps[-1].id)
                assert newest is not None and newest.target is not None
                score = ctx.engine.role_readiness(newest.to_assessment(), newest.target).score
                if len(snaps) > 1:
                    previous = assessments.get(snaps[-2].id)
                    assert previous is not None
                    ctx.engine.role_readiness(previous.to_assessment(newest.target), newest.target)
                scores.append(score)
            return sorted(scores, reverse=True)[:25]

        floor_ms = median_ms(floor, args.runs)
        print()
        for label, sort, query in (
            ("page 1 by last activity", "activity", ""),
            ("page 1 by name", "label", ""),
            ("search « 04 » by last activity", "activity", "04"),
        ):
            line(label, median_ms(page(sort, query), args.runs), floor_ms, "bare SQL page (floor)")

        def nothing_scored() -> None:
            figures.forget()
            with Session(store.engine) as session:
                session.execute(delete(SnapshotFigureRow))
                session.commit()

        naive_ms = median_ms(naive_readiness_sort, max(1, args.runs // 3))
        cold_ms = median_ms(page("readiness"), max(1, args.runs // 3), before=nothing_scored)
        page("readiness")()
        stored_ms = median_ms(page("readiness"), args.runs, before=figures.forget)
        page("readiness")()
        warm_ms = median_ms(page("readiness"), args.runs)
        line("page 1 by readiness, cold", cold_ms, naive_ms, "first version (every page)")
        line("  … stored, none in memory", stored_ms, naive_ms, "first version (every page)")
        line("page 1 by readiness, warm", warm_ms, naive_ms, "first version (every page)")
        line("  (warm, against the floor)", warm_ms, floor_ms, "bare SQL page (floor)")

        with Session(store.engine) as session:
            two = session.exec(
                select(BeneficiaryRow).where(BeneficiaryRow.label == "Personne 0000")
            ).one()
        snapshots = follow.detail(actor, two.id, ctx).snapshots
        assert len(snapshots) == 2

        def compare() -> object:
            return follow.compare_dates(actor, two.id, "", "", ctx)

        def load_two() -> object:
            return [follow.assessments.get(s.id) for s in snapshots]

        load_ms = median_ms(load_two, args.runs)
        cold_compare = median_ms(compare, args.runs, before=nothing_scored)
        warm_compare = median_ms(compare, args.runs)
        print()
        line("one comparison of two dates, cold", cold_compare, load_ms, "the two snapshots loaded")
        line("one comparison of two dates, warm", warm_compare, load_ms, "the two snapshots loaded")
        one_page = follow.caseload(actor, "", "readiness", 1, ctx=ctx)
        print(
            f"\n{one_page.total} beneficiaries in {one_page.pages} pages; the first by readiness: "
            f"{one_page.rows[0].readiness:.0f} %, the last of page 1: "
            f"{one_page.rows[-1].readiness:.0f} %"
        )


if __name__ == "__main__":
    main()
