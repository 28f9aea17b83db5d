"""Engine speed on the full ESCO import, each figure beside a plain NumPy reference.

Prints (never asserts) the median time to rank all roles for one assessment (target
< 20 ms), to compute one training plan (< 100 ms; ESCO has no trainings, so a synthetic
catalogue of a few hundred trainings over ESCO skills is generated), and to build the role
graph with derived transitions (< 10 s). The references are straightforward dense NumPy
implementations computed in the same run; the engine should stay within 3× of them.

    .venv/bin/python benchmarks/engine.py [ESCO_DIR] [--assessments N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the targets say
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from careerpath.data.importers.esco import read_esco  # noqa: E402
from careerpath.domain.assessment import Assessment, Constraints  # noqa: E402
from careerpath.domain.engine import Engine  # noqa: E402
from careerpath.domain.matrix import RequirementMatrix  # noqa: E402
from careerpath.domain.planning import cover_problem, solve_greedy  # noqa: E402
from careerpath.domain.readiness import ranking  # noqa: E402
from careerpath.domain.referential import (  # noqa: E402
    Modality,
    Referential,
    Training,
    TrainingKind,
    TrainingOutcome,
)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "esco-v1.1.1"
SYNTHETIC_TRAININGS = 400
SEED = 20250923


def synthetic_catalogue(referential: Referential, count: int, seed: int) -> Referential:
    """`count` trainings, each teaching 3–15 skills of one or two occupations, at levels 2–4."""
    rng = random.Random(seed)
    by_role = referential.requirements_by_role
    roles = [r.code for r in referential.roles if by_role.get(r.code)]
    trainings: list[Training] = []
    outcomes: list[TrainingOutcome] = []
    kinds = [TrainingKind.FORMATION_COURTE, TrainingKind.CERTIFICATION, TrainingKind.TITRE_PRO]
    for i in range(count):
        pool = sorted({q.competency for code in rng.sample(roles, 2) for q in by_role[code]})
        taught = rng.sample(pool, min(len(pool), rng.randint(3, 15)))
        code = f"synth-{i:04d}"
        hours = float(rng.choice([7, 14, 21, 35, 70, 140, 280, 400, 600]))
        trainings.append(
            Training(
                code,
                f"Formation synthétique {i}",
                rng.choice(kinds),
                hours,
                float(round(hours * rng.uniform(10, 40), -1)),
                rng.choice(list(Modality)),
            )
        )
        outcomes += [TrainingOutcome(code, comp, rng.randint(2, 4)) for comp in sorted(taught)]
    return replace(referential, trainings=tuple(trainings), outcomes=tuple(outcomes))


def random_assessments(referential: Referential, n: int, seed: int) -> list[Assessment]:
    """People who know part of one occupation's skills well and a few others a little."""
    rng = random.Random(seed)
    by_role = referential.requirements_by_role
    roles = [r.code for r in referential.roles if len(by_role.get(r.code, ())) >= 5]
    skills = [c.code for c in referential.competencies]
    people = []
    for _ in range(n):
        current = rng.choice(roles)
        ratings = {
            q.competency: rng.randint(max(q.level - 1, 0), 4)
            for q in by_role[current]
            if rng.random() < 0.8
        }
        ratings.update({c: rng.randint(1, 3) for c in rng.sample(skills, 20)})
        people.append(
            Assessment(
                ratings=ratings,
                current_role=current,
                target=rng.choice(roles),
                constraints=Constraints(),
            )
        )
    return people


def median_ms(action: Callable[[Assessment], object], people: list[Assessment]) -> float:
    action(people[0])  # warm-up
    times = []
    for person in people:
        started = time.perf_counter()
        action(person)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class DenseReference:
    """The plain approach: dense roles × competencies arrays, recomputed per person."""

    def __init__(self, matrix: RequirementMatrix) -> None:
        shape = (matrix.n_roles, matrix.n_competencies)
        self.matrix = matrix
        self.levels = np.zeros(shape, dtype=np.float32)
        self.weights = np.zeros(shape, dtype=np.float32)
        self.levels[matrix.entry_role, matrix.entry_competency] = matrix.entry_level
        self.weights[matrix.entry_role, matrix.entry_competency] = np.where(
            matrix.entry_essential, 1.0, 0.5
        )
        self.needed = (self.weights * self.levels).sum(axis=1)

    def rank(self, person: Assessment) -> np.ndarray:
        ratings = np.zeros(self.matrix.n_competencies, dtype=np.float32)
        for code, value in person.ratings.items():
            index = self.matrix.competency_index.get(code)
            if index is not None:
                ratings[index] = value
        met = (self.weights * np.minimum(self.levels, ratings[None, :])).sum(axis=1)
        scores = 100.0 * met / np.maximum(self.needed, 1e-9)
        return np.argsort(-scores, kind="stable")

    def derived(self, per_role: int) -> np.ndarray:
        """Top cosine neighbours of every role from one dense matrix product."""
        norms = np.linalg.norm(self.levels, axis=1, keepdims=True)
        unit = self.levels / np.maximum(norms, 1e-9)
        similarity = unit @ unit.T
        np.fill_diagonal(similarity, -np.inf)
        return np.argpartition(-similarity, per_role, axis=1)[:, :per_role]


def line(label: str, engine_value: float, reference_value: float, unit: str, target: str) -> None:
    ratio = engine_value / reference_value if reference_value else float("inf")
    print(
        f"{label:<34} engine {engine_value:9.2f} {unit}   reference {reference_value:9.2f} "
        f"{unit}   ratio {ratio:5.2f}×   (target {target})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("esco", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--assessments", type=int, default=50)
    args = parser.parse_args()

    started = time.perf_counter()
    referential = synthetic_catalogue(read_esco(args.esco), SYNTHETIC_TRAININGS, SEED)
    _ = referential.version
    print(
        f"ESCO import + {SYNTHETIC_TRAININGS} synthetic trainings: "
        f"{time.perf_counter() - started:.1f} s — {len(referential.roles)} roles, "
        f"{len(referential.competencies)} competencies, "
        f"{len(referential.requirements)} requirements"
    )

    started = time.perf_counter()
    engine = Engine(referential)
    build_s = time.perf_counter() - started
    reference = DenseReference(engine.matrix)
    started = time.perf_counter()
    reference.derived(8)
    reference_build_s = time.perf_counter() - started
    print(f"graph: {engine.graph.number_of_nodes()} roles, {engine.graph.number_of_edges()} edges")

    people = random_assessments(referential, args.assessments, SEED)
    rank_ms = median_ms(lambda p: ranking(engine.readiness_vector(p)), people)
    reference_rank_ms = median_ms(reference.rank, people)
    next_ms = median_ms(lambda p: engine.next_role_order(p), people)
    sentences_ms = median_ms(lambda p: engine.next_roles(p), people)

    def plan(person: Assessment) -> object:
        assert person.target is not None
        return engine.plan(person, person.target)

    def greedy(person: Assessment) -> object:
        assert person.target is not None
        gaps = engine.role_readiness(person, person.target).gaps
        return solve_greedy(
            cover_problem(engine.catalogue, gaps, person.ratings, person.constraints)
        )

    plan_ms = median_ms(plan, people)
    greedy_ms = median_ms(greedy, people)
    optimal = sum(engine.plan(p, p.target).optimal for p in people if p.target)
    paths_ms = median_ms(lambda p: engine.paths(p, p.target or ""), people)

    print()
    line("rank all roles (one assessment)", rank_ms, reference_rank_ms, "ms", "< 20 ms")
    line("next roles by fit (no sentences)", next_ms, reference_rank_ms, "ms", "< 20 ms")
    line("next roles with sentences", sentences_ms, reference_rank_ms, "ms", "informative")
    line("training plan (MILP, HiGHS)", plan_ms, greedy_ms, "ms", "< 100 ms; ref = greedy")
    print(f"{'':<34} {optimal}/{len(people)} plans proven optimal")
    line("3 best paths", paths_ms, reference_rank_ms, "ms", "informative")
    line("graph + derived transitions", build_s, reference_build_s, "s ", "< 10 s; ref = cosine")


if __name__ == "__main__":
    main()
