"""A group's published states over months of arrivals, departures and new answers, timed.

Simulates one collective group through the domain's anonymity rule itself
(`domain.collective.publish_state`, what the organiser's view runs once a day): `--members`
assistants answering `--items` competencies in 6 categories, 3 sub-groups, then `--days`
days; each day some leave, some join, some change one answer, and the group's state is
published when the rule allows. Printed beside a reference computed in the same run, the
atom-only rule the exact check replaced (a figure refused as soon as one atom of its family
holds fewer than `k` people): how many states each publishes (the atom-only rule freezes the
group after the first departure), and the CPU time per daily publication (median, p95).

    .venv/bin/python benchmarks/collective.py [--members 40] [--items 30] [--days 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from careerpath.domain import disclosure
from careerpath.domain.collective import (
    READY,
    Item,
    Panel,
    PanelState,
    Response,
    publish_state,
)

SUBGROUPS = ("s1", "s2", "s3")


def _marked(response: Response) -> Response:
    marks = {code: f"L{level}" for code, level in response.ratings.items()}
    marks[READY] = ",".join(sorted(response.ready_roles))
    return replace(response, marks=marks)


def _member(rng: random.Random, person: str, items: list[Item]) -> Response:
    answered = rng.sample(items, k=max(1, int(len(items) * rng.uniform(0.6, 1.0))))
    return _marked(
        Response(
            person,
            Panel.ASSISTANT,
            {i.code: rng.randint(0, 4) for i in answered},
            rng.choice(SUBGROUPS),
            frozenset(rng.sample(["r1", "r2", "r3"], k=rng.randint(0, 2))),
        )
    )


def history(
    members: int, n_items: int, days: int, seed: int
) -> tuple[list[Item], list[list[Response]]]:
    rng = random.Random(seed)
    items = [Item(f"c{i}", f"K{i % 6}") for i in range(n_items)]
    current = {f"p{i}": _member(rng, f"p{i}", items) for i in range(members)}
    moments = [list(current.values())]
    serial = members
    for _ in range(days):
        for person in rng.sample(sorted(current), k=min(len(current), rng.randint(0, 2))):
            del current[person]
        for _ in range(rng.randint(0, 3)):
            current[f"p{serial}"] = _member(rng, f"p{serial}", items)
            serial += 1
        for person in rng.sample(sorted(current), k=min(len(current), rng.randint(0, 3))):
            was = current[person]
            code = rng.choice(sorted(was.ratings))
            current[person] = _marked(
                replace(was, ratings={**was.ratings, code: rng.randint(0, 4)})
            )
        moments.append(list(current.values()))
    return items, moments


@contextmanager
def atom_only() -> Iterator[None]:
    """The reference: the atom rule alone (no exact check of a family with a small atom)."""
    exact = disclosure.Span._safe

    def safe(self: disclosure.Span, touched, splits, fresh) -> bool:  # type: ignore[no-untyped-def]
        family = self._family(touched)
        atoms = {a for f in family for a in self._atoms_of[f]} | set(touched)
        return (
            all(self._size[a] >= self.k for a in atoms - set(splits))
            and all(
                disclosure.people(inside) >= self.k
                and disclosure.people(self._atoms[a] - inside) >= self.k
                for a, inside in splits.items()
            )
            and (not fresh or disclosure.people(fresh) >= self.k)
        )

    disclosure.Span._safe = safe  # type: ignore[method-assign]
    try:
        yield
    finally:
        disclosure.Span._safe = exact  # type: ignore[method-assign]


def run(
    items: list[Item], moments: list[list[Response]], k: int, verbose: bool = False
) -> tuple[int, list[float]]:
    states: list[PanelState] = []
    times = []
    for day, responses in enumerate(moments):
        start = time.process_time()
        fresh = publish_state(states, responses, Panel.ASSISTANT, items, k, SUBGROUPS)
        times.append((time.process_time() - start) * 1000)
        if fresh is not None:
            states.append(fresh)
        if verbose:
            shown = len(fresh.shown) if fresh else 0
            print(
                f"  day {day:3}: {times[-1]:8.1f} ms, {'new state' if fresh else 'no state'}, {shown} figures",
                flush=True,
            )
    return len(states), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="print each day's figure")
    args = parser.parse_args()
    items, moments = history(args.members, args.items, args.days, args.seed)
    print(
        f"{args.members} assistants at first, {len(items)} competencies, {args.days} days, "
        f"k={args.k}; {len(moments[-1])} members at the end"
    )
    for label, context in (
        ("exact check (today)", None),
        ("atom rule alone (reference)", atom_only),
    ):
        if context is None:
            published, times = run(items, moments, args.k, args.verbose)
        else:
            with context():
                published, times = run(items, moments, args.k, args.verbose)
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(
            f"{label:30} states published {published:3}   publication CPU "
            f"median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"last {times[-1]:7.1f} ms"
        )


if __name__ == "__main__":
    main()
