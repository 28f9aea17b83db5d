"""Fixtures shared by every test: paths to the real public datasets and the curated bundle."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Beside the project (/work/main → /work/shared), or beside the folder of git worktrees.
SHARED_DATA = next(
    (
        p
        for p in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "data",
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real ROME and ESCO files beside the project (never copied into it)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"the public datasets are missing: expected them in {SHARED_DATA}")
    return SHARED_DATA
