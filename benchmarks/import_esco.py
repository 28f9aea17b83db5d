"""Time the ESCO importer on the official v1.1.1 archives and print the figures.

ESCO is the scale reference (≈3,000 roles, ≈14,000 competencies, ≈124,000 requirements):
reading it must take a few seconds. This prints the median, fastest and slowest of a few runs.

    .venv/bin/python benchmarks/import_esco.py [--data PATH] [--runs N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from careerpath.data.importers.esco import read_esco
from careerpath.domain.referential import Referential

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "esco-v1.1.1"


def time_read(path: Path, runs: int) -> tuple[Referential, list[float]]:
    """Read ESCO `runs` times; the last referential and every duration in seconds."""
    durations = []
    referential = Referential()
    for _ in range(runs):
        start = time.perf_counter()
        referential = read_esco(path)
        durations.append(time.perf_counter() - start)
    return referential, durations


def time_content_hash(referential: Referential) -> float:
    """Seconds to compute the referential's content hash (the key of the engine's caches)."""
    fresh = Referential(
        competencies=referential.competencies,
        roles=referential.roles,
        requirements=referential.requirements,
        transitions=referential.transitions,
        provenance=referential.provenance,
    )
    start = time.perf_counter()
    _ = fresh.version
    return time.perf_counter() - start


def time_full_import(data: Path, database_url: str) -> tuple[float, float]:
    """Seconds for the whole `careerpath import esco` path (read, validate, compare with the
    stored referential, write in one transaction), and for the write alone."""
    from careerpath.data import repository
    from careerpath.data.database import engine_for
    from careerpath.services.referential import import_referential

    phases: dict[str, float] = {}

    def progress(label: str, done: int, total: int) -> None:
        if label == "écriture en base":
            phases["write_start" if done == 0 else "write_end"] = time.perf_counter()

    start = time.perf_counter()
    import_referential("esco", data, database_url, progress=progress)
    total = time.perf_counter() - start
    assert repository.stored_version(engine_for(database_url)) is not None
    return total, phases["write_end"] - phases["write_start"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="ESCO folder or zip")
    parser.add_argument("--runs", type=int, default=5, help="number of timed reads (default 5)")
    parser.add_argument(
        "--database-url",
        help="database to import into (default: a throw-away SQLite file); its referential is replaced",
    )
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"ESCO data not found: {args.data}", file=sys.stderr)
        return 2

    referential, durations = time_read(args.data, max(1, args.runs))
    print(f"source        {referential.provenance.source} ({args.data})")
    print(f"roles         {len(referential.roles):>9,}")
    print(f"competencies  {len(referential.competencies):>9,}")
    print(f"requirements  {len(referential.requirements):>9,}")
    print(f"categories    {len(referential.categories):>9,}")
    median = statistics.median(durations)
    print(
        f"read_esco     median {median:.2f} s, fastest {min(durations):.2f} s, "
        f"slowest {max(durations):.2f} s over {len(durations)} run(s)"
    )
    print(f"              {len(referential.requirements) / median:,.0f} requirements/s")
    print(f"content hash  {time_content_hash(referential):.2f} s (Referential.version)")
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/esco.db"
        total, write = time_full_import(args.data, url)
    print(
        f"full import   {total:.2f} s into {url.split(':')[0]} (write {write:.2f} s); budget 60 s"
    )
    print(
        f"reference     bare read_esco above: {median:.2f} s → import overhead {total / median:.1f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
