"""How well do next roles rediscover ROME's official mobilités? Prints recall@5/10/20.

ROME 4.0 is imported without its mobilités; each source fiche's own requirements are taken
as a fully-met assessment (ratings = required levels, current role = the fiche), and the
engine's `next_roles` order (the same fit its derived transitions use) is compared with the
official targets of the `unix_rubrique_mobilite` subset. A plain cosine similarity of the
fiches' competency sets, computed in the same run, is printed beside it.

The fit's few global weights (careerpath/domain/proximity.py) were chosen on the source
fiches of even index (in code order) only: the figures are printed for all source fiches,
for that tuning half, and for the held-out odd half, which is the honest one.

    .venv/bin/python benchmarks/rome_mobility.py [ROME_DIR]
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from careerpath.data.importers.rome import read_rome
from careerpath.domain.assessment import Assessment
from careerpath.domain.engine import Engine

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "rome-v460"
CUTOFFS = (5, 10, 20)


def official_mobilities(directory: Path, known: set[str]) -> dict[str, list[str]]:
    """Source fiche → its official targets, from the mobility file of the folder."""
    path = next(directory.glob("unix_rubrique_mobilite*.csv"))
    targets: dict[str, list[str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            source, target = row["code_rome"].strip(), row["code_rome_cible"].strip()
            if source in known and target in known and source != target:
                targets.setdefault(source, []).append(target)
    return {s: sorted(set(t)) for s, t in sorted(targets.items())}


def recall(ranked: Callable[[str], Sequence[str]], truth: dict[str, list[str]]) -> dict[int, float]:
    """Micro-averaged recall: official targets found in the top k, over all targets."""
    hits = dict.fromkeys(CUTOFFS, 0)
    total = 0
    for source, targets in truth.items():
        order = ranked(source)
        wanted = set(targets)
        total += len(wanted)
        for k in CUTOFFS:
            hits[k] += len(wanted.intersection(order[:k]))
    return {k: hits[k] / max(total, 1) for k in CUTOFFS}


def engine_ranking(engine: Engine) -> Callable[[str], Sequence[str]]:
    matrix = engine.matrix
    profiles = engine.referential.requirements_by_role

    def ranked(source: str) -> Sequence[str]:
        ratings = {q.competency: q.level for q in profiles.get(source, ())}
        order = engine.next_role_order(Assessment(ratings=ratings, current_role=source))
        return [matrix.role_codes[i] for i in order[: max(CUTOFFS)]]

    return ranked


def cosine_ranking(engine: Engine) -> Callable[[str], Sequence[str]]:
    """Baseline: cosine of binary competency sets, ties by code."""
    matrix = engine.matrix
    presence = sp.csr_matrix(
        (np.ones(len(matrix.entry_competency)), matrix.entry_competency, matrix.indptr),
        shape=(matrix.n_roles, matrix.n_competencies),
    )
    norms = np.sqrt(np.asarray(presence.sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sp.csr_matrix(sp.diags(1.0 / norms) @ presence)

    def ranked(source: str) -> Sequence[str]:
        i = matrix.role_index[source]
        similarity = np.asarray((unit[i] @ unit.T).toarray()).ravel()
        similarity[i] = -np.inf
        order = np.lexsort((np.arange(matrix.n_roles), -similarity))
        return [matrix.role_codes[j] for j in order[: max(CUTOFFS)]]

    return ranked


def main(argv: list[str]) -> None:
    directory = Path(argv[0]) if argv else DEFAULT_DIR
    started = time.perf_counter()
    referential = read_rome(directory, include_mobility=False)
    print(
        f"ROME import (sans mobilités): {time.perf_counter() - started:.1f} s, "
        f"{len(referential.roles)} fiches, {len(referential.competencies)} compétences, "
        f"{len(referential.requirements)} exigences"
    )
    started = time.perf_counter()
    engine = Engine(referential)
    print(f"engine build (graph + derived transitions): {time.perf_counter() - started:.1f} s")
    truth = official_mobilities(directory, set(engine.matrix.role_codes))
    print(f"{len(truth)} source fiches, {sum(len(t) for t in truth.values())} official mobilités")
    sources = sorted(truth)
    halves = {
        "all": truth,
        "tuning (even)": {s: truth[s] for s in sources[0::2]},
        "held-out (odd)": {s: truth[s] for s in sources[1::2]},
    }
    for name, ranking in (
        ("cosine baseline", cosine_ranking(engine)),
        ("engine next_roles", engine_ranking(engine)),
    ):
        started = time.perf_counter()
        ranked = {source: ranking(source) for source in sources}
        for half, subset in halves.items():
            result = recall(ranked.__getitem__, subset)
            figures = "  ".join(f"recall@{k} = {result[k]:.3f}" for k in CUTOFFS)
            print(f"{name:<18} {half:<15} {figures}")
        print(f"{'':<18} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])
