"""Plan quality on the curated referential: the route model beside the former set cover.

Over generated personas (a current role rated around its levels, a target among its next
roles, a profile and constraints), prints how many plans break each route rule (zero
expected), how many use a VAE, how many hold more than one diploma or titre professionnel,
the median hours and out-of-pocket cost, and the time per plan — for the route model and,
computed in the same run on the same personas, the former set-cover plan.

    python benchmarks/plan_quality.py [--personas 300] [--seed 7]

Figures measured while other work runs on the machine are noisy: compare the two columns.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from careerpath.data.importers.bundle import read_bundle  # noqa: E402
from careerpath.domain.assessment import AgeBand, Assessment, Constraints, Profile  # noqa: E402
from careerpath.domain.engine import Engine  # noqa: E402
from careerpath.domain.plan_rules import RULES, broken_rules  # noqa: E402
from careerpath.domain.planning import Person, Step  # noqa: E402
from careerpath.domain.referential import LONG_KINDS, Situation  # noqa: E402
from careerpath.domain.setcover import make_plan as set_cover_plan  # noqa: E402

CURATED = Path(__file__).resolve().parent.parent / "careerpath" / "data" / "curated"


def personas(engine: Engine, n: int, seed: int) -> list[Assessment]:
    ref = engine.referential
    rng = random.Random(seed)
    roles = [r.code for r in ref.roles]
    diplomas = [t.code for t in ref.trainings if t.kind in LONG_KINDS]
    result = []
    for _ in range(n):
        current = rng.choice(roles)
        ratings = {}
        for q in ref.requirements_by_role[current]:
            ratings[q.competency] = max(0, min(4, q.level + rng.choice([-1, 0, 0, 1])))
        for c in rng.sample([c.code for c in ref.competencies], 8):
            ratings.setdefault(c, rng.randint(0, 3))
        base = Assessment(ratings=ratings, current_role=current)
        nexts = [n.role for n in engine.next_roles(base, limit=8)]
        target = rng.choice(nexts)
        situation = rng.choice([None, *Situation])
        profile = Profile(
            situation,
            rng.choice([None, 3, 4, 5, 6]),
            rng.choice([None, *AgeBand]),
            # A student may be preparing one of the diplomas (never proposed again).
            rng.choice([None, *diplomas]) if situation == Situation.STUDENT else None,
        )
        constraints = Constraints(
            max_hours=rng.choice([None, None, 200.0, 1000.0]),
            max_cost_eur=rng.choice([None, None, 500.0, 2000.0, 5000.0]),
            modalities=rng.choice(
                [None, None, frozenset({"distance"}), frozenset({"distance", "hybride"})]
            ),
            hours_per_week=rng.choice([None, 3.0, 5.0, 10.0, 35.0]),
            horizon_months=rng.choice([None, None, 6.0, 12.0, 24.0]),
            cpf_balance_eur=rng.choice([None, 0.0, 800.0, 2500.0]),
        )
        result.append(
            Assessment(ratings, current, target, constraints=constraints, profile=profile)
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--personas", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    engine = Engine(read_bundle(CURATED).referential)
    people = personas(engine, args.personas, args.seed)
    breaks = dict.fromkeys(RULES, 0)
    route_hours, route_oop, route_ms, set_hours, set_cost, set_ms = [], [], [], [], [], []
    route_vae = route_multi = set_vae = set_multi = route_long = set_long = 0
    route_empty = blocked = 0
    for a in people:
        assert a.target is not None
        gaps = engine.role_readiness(a, a.target).gaps
        t0 = time.perf_counter()
        plan = engine.plan(a, a.target)
        route_ms.append((time.perf_counter() - t0) * 1000)
        person = Person(a.ratings, a.current_role, a.profile)
        for rule in broken_rules(plan, engine.catalogue, gaps, person, a.constraints):
            breaks[rule] += 1
        route_hours.append(plan.hours)
        route_oop.append(plan.out_of_pocket_eur)
        route_vae += any(i.step == Step.VAE for i in plan.items)
        long_items = sum(i.step == Step.LONG for i in plan.items)
        route_long += long_items > 0
        route_multi += long_items > 1
        route_empty += not plan.items and bool(plan.gaps)
        blocked += bool(plan.blocked_by)
        t0 = time.perf_counter()
        old = set_cover_plan(engine.catalogue, a.target, gaps, a.ratings, a.constraints)
        set_ms.append((time.perf_counter() - t0) * 1000)
        set_hours.append(old.hours)
        set_cost.append(old.cost_eur)
        set_vae += any(t.kind == "vae" for t in old.items)
        n_long = sum(t.is_long for t in old.items)
        set_long += n_long > 0
        set_multi += n_long > 1
    n = len(people)

    def pct(k: int) -> str:
        return f"{100 * k / n:5.1f} %"

    print(f"{n} personas on the curated referential (seed {args.seed})")
    print(f"{'':44} {'route model':>14} {'set cover':>14}")
    print(f"{'plans with a VAE':44} {pct(route_vae):>14} {pct(set_vae):>14}")
    print(f"{'plans with a long training':44} {pct(route_long):>14} {pct(set_long):>14}")
    print(f"{'plans with 2+ diplomas / titres':44} {pct(route_multi):>14} {pct(set_multi):>14}")
    print(
        f"{'median hours':44} {statistics.median(route_hours):14.0f} {statistics.median(set_hours):14.0f}"
    )
    print(
        f"{'median cost € (route: out-of-pocket; set: list)':44} "
        f"{statistics.median(route_oop):14.0f} {statistics.median(set_cost):14.0f}"
    )
    print(f"{'empty plans with gaps':44} {pct(route_empty):>14}")
    print(f"{'  of which blocked_by + relaxed given':44} {pct(blocked):>14}")
    print(
        f"{'time per plan, median / max (ms)':44} "
        f"{statistics.median(route_ms):7.1f} /{max(route_ms):5.0f} "
        f"{statistics.median(set_ms):7.1f} /{max(set_ms):5.0f}"
    )
    print("rule breaks (route model, zero expected):")
    for rule, count in breaks.items():
        print(f"  {rule:40} {count}")


if __name__ == "__main__":
    main()
