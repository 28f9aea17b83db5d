"""Engine speed on the full ESCO import and on the curated referential, beside references.

Prints (never asserts) medians of CPU time over random assessments, each beside a reference
computed in the same run (the machine may be loaded: read the ratios):

- readiness ranking (top 20) against a plain SciPy `W @ v` + `argpartition` (goal ≤ 3×);
- the full JSON answer of `recommend_one` (top 20 roles), without a target (goal ≤ 10 ms)
  and with one (≤ 30 ms); on the curated referential with a target (≤ 8 ms);
- its parts: next roles (a page of 20, and all roles with sentences as before paging),
  paths, the training plan (ESCO has no trainings: a synthetic catalogue of 400 is added);
- start-up: the engine built from scratch against one whose derived transitions come from
  the cache file of the version; and a worker's whole start (the referential read from an
  SQLite database holding ESCO, then its engine) when it loads on its own against one
  forked from a server process that preloaded both (careerpath/cli/preload.py) (goal:
  ready in < 1 s);
- the CLI's streaming: peak memory of `recommend_stream` for 25 and 100 assessments.

    .venv/bin/python benchmarks/engine.py [ESCO_DIR] [--assessments N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the targets say
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

from careerpath.data.engine_cache import FileDerivedStore  # noqa: E402
from careerpath.data.importers.bundle import read_bundle  # noqa: E402
from careerpath.data.importers.esco import read_esco  # noqa: E402
from careerpath.domain.assessment import Assessment, Constraints  # noqa: E402
from careerpath.domain.engine import Engine  # noqa: E402
from careerpath.domain.matrix import RequirementMatrix  # noqa: E402
from careerpath.domain.planning import Person, route_problem, solve_greedy  # noqa: E402
from careerpath.domain.readiness import ranking  # noqa: E402
from careerpath.domain.referential import (  # noqa: E402
    Modality,
    Referential,
    Training,
    TrainingKind,
    TrainingOutcome,
)
from careerpath.services.recommendation import recommend_one, recommend_stream  # noqa: E402
from careerpath.services.referential import CURATED_BUNDLE  # noqa: E402

_HERE = Path(__file__).resolve()
# The datasets sit beside the project, or beside the folder of its git worktrees.
DEFAULT_DIR = next(
    (p / "shared" / "data" / "esco-v1.1.1" for p in _HERE.parents if (p / "shared").is_dir()),
    _HERE.parents[2] / "shared" / "data" / "esco-v1.1.1",
)
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
    """Median CPU time of this process (not wall time: other work on a shared machine
    would count otherwise), in milliseconds."""
    action(people[0])  # warm-up
    times = []
    for person in people:
        started = time.process_time()
        action(person)
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


class SciPyReference:
    """The plain ranking: one sparse product W @ v (weights × ratings), then argpartition."""

    def __init__(self, matrix: RequirementMatrix) -> None:
        self.matrix = matrix
        weights = matrix.entry_units / np.maximum(matrix.role_units[matrix.entry_role], 1)
        self.w = sp.csr_matrix(
            (weights.astype(np.float64), matrix.entry_competency, matrix.indptr),
            shape=(matrix.n_roles, matrix.n_competencies),
        )

    def rank(self, person: Assessment, top: int = 20) -> np.ndarray:
        scores = self.w @ self.matrix.ratings_vector(person.ratings).astype(np.float64)
        best = np.argpartition(-scores, top)[:top]
        return best[np.argsort(-scores[best], kind="stable")]


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


def answer_json(referential: Referential, person: Assessment, target: bool) -> str:
    data = {
        "current_role": person.current_role,
        "ratings": dict(person.ratings),
        "target": person.target if target else None,
    }
    return json.dumps(recommend_one(data, referential, top=20), ensure_ascii=False)


def stream_peak_kb(referential: Referential, people: list[Assessment], count: int) -> float:
    """Peak Python memory while `recommend_stream` answers `count` assessments (JSON Lines)."""
    lines = (
        json.dumps({"current_role": p.current_role, "ratings": dict(p.ratings)}) + "\n"
        for p in (people[i % len(people)] for i in range(count))
    )
    sink = io.StringIO()
    tracemalloc.start()
    for answer in recommend_stream(lines, referential, top=20):
        sink.write(json.dumps(answer, ensure_ascii=False))
        sink.seek(0)
        sink.truncate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def curated_figures(count: int) -> None:
    referential = read_bundle(CURATED_BUNDLE).referential
    engine = Engine(referential)
    codes = [r.code for r in referential.roles]
    rng = random.Random(SEED)
    people = [
        Assessment(
            ratings={
                c.code: rng.randint(0, 4) for c in referential.competencies if rng.random() < 0.5
            },
            current_role=rng.choice(codes),
            target=rng.choice(codes),
        )
        for _ in range(count)
    ]
    full_ms = median_ms(lambda p: answer_json(referential, p, True), people)
    plan_ms = median_ms(lambda p: engine.plan(p, p.target or ""), people)
    paths_ms = median_ms(lambda p: engine.paths(p, p.target or ""), people)
    next_ms = median_ms(lambda p: engine.next_roles(p, limit=20), people)
    reference = SciPyReference(engine.matrix)
    reference_ms = median_ms(lambda p: reference.rank(p, 5), people)
    print(f"\ncurated: {len(referential.roles)} roles, {len(referential.trainings)} trainings")
    line("full answer with a target (JSON)", full_ms, reference_ms, "ms", "≤ 8 ms")
    line("  of which the plan", plan_ms, reference_ms, "ms", "informative")
    line("  of which paths", paths_ms, reference_ms, "ms", "informative")
    line("  of which next roles (20)", next_ms, reference_ms, "ms", "informative")


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

    started = time.process_time()
    engine = Engine(referential)
    build_s = time.process_time() - started
    with tempfile.TemporaryDirectory() as directory:
        store = FileDerivedStore(Path(directory))
        store.save(engine.version, engine.derived_per_role, engine.derived_transitions)
        started = time.process_time()
        derived = store.load(engine.version, engine.derived_per_role)
        Engine(referential, derived=derived)
        cached_s = time.process_time() - started
    reference = DenseReference(engine.matrix)
    started = time.process_time()
    reference.derived(8)
    reference_build_s = time.process_time() - started
    print(f"graph: {engine.graph.number_of_nodes()} roles, {engine.graph.number_of_edges()} edges")

    people = random_assessments(referential, args.assessments, SEED)
    scipy_reference = SciPyReference(engine.matrix)
    rank_ms = median_ms(lambda p: ranking(engine.readiness_vector(p), 20), people)
    scipy_ms = median_ms(scipy_reference.rank, people)
    dense_rank_ms = median_ms(reference.rank, people)
    full_ms = median_ms(lambda p: answer_json(referential, p, False), people)
    full_target_ms = median_ms(lambda p: answer_json(referential, p, True), people)
    next_ms = median_ms(lambda p: engine.next_roles(p, limit=20), people)
    sentences_ms = median_ms(lambda p: engine.next_roles(p), people)
    size_kb = (
        statistics.median(len(answer_json(referential, p, True).encode()) for p in people[:10])
        / 1024
    )

    def plan(person: Assessment) -> object:
        assert person.target is not None
        return engine.plan(person, person.target)

    def greedy(person: Assessment) -> object:
        assert person.target is not None
        gaps = engine.role_readiness(person, person.target).gaps
        who = Person(person.ratings, person.current_role, person.profile)
        return solve_greedy(
            route_problem(engine.catalogue, person.target, gaps, who, person.constraints)
        )

    plan_ms = median_ms(plan, people)
    greedy_ms = median_ms(greedy, people)
    optimal = sum(engine.plan(p, p.target).optimal for p in people if p.target)
    paths_ms = median_ms(lambda p: engine.paths(p, p.target or ""), people)

    print()
    line("rank all roles, top 20", rank_ms, scipy_ms, "ms", "≤ 3× SciPy W @ v")
    line("  (dense NumPy reference)", dense_rank_ms, scipy_ms, "ms", "informative")
    line("full answer, no target (JSON)", full_ms, scipy_ms, "ms", "≤ 10 ms")
    line("full answer, with target (JSON)", full_target_ms, scipy_ms, "ms", "≤ 30 ms")
    print(f"{'':<34} answer size {size_kb:.1f} KB (top 20 next roles)")
    line("next roles, page of 20", next_ms, scipy_ms, "ms", "informative")
    line("next roles, all with sentences", sentences_ms, scipy_ms, "ms", "before paging")
    line("training plan (MILP, HiGHS)", plan_ms, greedy_ms, "ms", "< 100 ms; ref = greedy")
    print(f"{'':<34} {optimal}/{len(people)} plans proven optimal")
    line("3 best paths (Yen, CSR)", paths_ms, scipy_ms, "ms", "informative")
    line("graph + derived transitions", build_s, reference_build_s, "s ", "< 10 s; ref = cosine")
    line("engine from the cache file", cached_s, build_s, "s ", "< 1 s; ref = full build")
    small, large = stream_peak_kb(referential, people, 25), stream_peak_kb(referential, people, 100)
    line("CLI stream peak, 100 vs 25 answers", large, small, "KB", "constant memory: ≈ 1×")
    curated_figures(args.assessments)
    # Last: the preload leaves ESCO's referential and engine in this process.
    own_s, inherited_s = worker_start_s(args.esco)
    own_ms, inherited_ms, build_ms = own_s * 1000, inherited_s * 1000, build_s * 1000
    print("\nworker start on ESCO (SQLite, the engine's cache file written)")
    line("worker start, on its own", own_ms, build_ms, "ms", "informative; ref = full build")
    line("worker start, forked preloaded", inherited_ms, own_ms, "ms", "< 1 s; ref = on its own")


def _in_child(work: Callable[[], None]) -> float:
    """Wall seconds `work` takes in a forked child (as granian forks a server's workers)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: time the work, report, leave without the parent's clean-up
        os.close(read)
        try:
            started = time.perf_counter()
            work()
            os.write(write, f"{time.perf_counter() - started:.6f}".encode())
        finally:
            os._exit(0)  # never back into the parent's code (its temporary files included)
    os.close(write)
    with os.fdopen(read) as answer:
        seconds = float(answer.read() or "nan")
    os.waitpid(pid, 0)
    return seconds


def worker_start_s(esco: Path, runs: int = 3) -> tuple[float, float]:
    """Median wall seconds from a worker's fork to its referential and engine ready, on an
    SQLite database holding ESCO whose engine cache file exists: the worker loading on its
    own, and forked from a process that preloaded both (`preload_for_workers`)."""
    import gc

    from careerpath.domain import engine as engine_module
    from careerpath.services.referential import import_referential, preload_for_workers, warm_up

    previous = engine_module._store
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/careerpath.db"
        engine_module.use_derived_store(FileDerivedStore(Path(directory) / "cache"))

        def first_worker_ever() -> None:  # the import, then the version's cache file
            import_referential("esco", esco, url)
            warm_up(url)

        _in_child(first_worker_ever)
        own = statistics.median(_in_child(lambda: warm_up(url)) for _ in range(runs))
        try:
            preload_for_workers(url)
            inherited = statistics.median(_in_child(lambda: warm_up(url)) for _ in range(runs))
        finally:
            gc.unfreeze()
            engine_module.use_derived_store(previous)
    return own, inherited


if __name__ == "__main__":
    main()
