"""A cache file per referential version for what the engine derives (derived transitions).

Building the engine's derived transitions on ESCO takes seconds (the fit of every role
against every other); the result depends only on the referential's content, which its
`version` hashes. The first process on a version writes `<dir>/derived-<version>-<k>.npy`
(atomically: a temporary file renamed), every later one — other workers, restarts — reads
it in milliseconds. A missing, unreadable or malformed file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

import numpy as np

from careerpath.domain.matrix import IntArray

log = logging.getLogger(__name__)
FORMAT = 1  # bump when the meaning of the stored array changes
_SAFE = re.compile(r"[^A-Za-z0-9_-]")
# The code the derived transitions come from: a change to the fit invalidates the files.
_SOURCES = ("matrix.py", "proximity.py", "graph.py", "readiness.py", "effort.py")


def code_fingerprint() -> str:
    """A short hash of the engine modules that compute derived transitions."""
    domain = Path(__file__).resolve().parent.parent / "domain"
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((domain / name).read_bytes())
    return digest.hexdigest()[:10]


class FileDerivedStore:
    """`careerpath.domain.engine.DerivedStore` on files in one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.code = code_fingerprint()

    def path(self, version: str, per_role: int) -> Path:
        name = _SAFE.sub("_", version)[:128]
        return self.directory / f"derived-v{FORMAT}-{self.code}-{name}-{per_role}.npy"

    def load(self, version: str, per_role: int) -> IntArray | None:
        path = self.path(version, per_role)
        try:
            array = np.load(path, allow_pickle=False)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError) as problem:
            log.warning("derived-transition cache %s unreadable (%s): rebuilding", path, problem)
            return None
        if array.ndim != 2 or array.shape[1] != per_role or array.dtype.kind != "i":
            return None
        result: IntArray = array.astype(np.int64, copy=False)
        return result

    def save(self, version: str, per_role: int, derived: IntArray) -> None:
        path = self.path(version, per_role)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    np.save(out, np.ascontiguousarray(derived, dtype=np.int64), allow_pickle=False)
                os.replace(temporary, path)
            finally:
                Path(temporary).unlink(missing_ok=True)
        except OSError as problem:  # a read-only disk only costs the next start its build
            log.warning("derived-transition cache %s not written (%s)", path, problem)
