"""The referential as the rest of the app sees it: initialised, imported, loaded once.

`load_referential` is what every request path uses: it checks the stored content version (one
small query) and rebuilds the in-memory referential only when an import has changed it, so
the engine's graph and matrices are built once per referential version per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from careerpath.config import load_settings
from careerpath.data import referential_versions as versions_store
from careerpath.data import repository
from careerpath.data.database import close_connections, engine_for, upgrade
from careerpath.data.engine_cache import FileDerivedStore
from careerpath.data.errors import ImportIssue, ImportRejected

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
from careerpath.data.importers.bundle import read_bundle, write_bundle
from careerpath.data.importers.esco import read_esco
from careerpath.data.importers.rome import read_rome
from careerpath.domain.changes import ChangeReport, compare, merge
from careerpath.domain.engine import engine_for as engine_of
from careerpath.domain.engine import use_derived_store
from careerpath.domain.referential import Referential

CURATED_BUNDLE = Path(__file__).resolve().parent.parent / "data" / "curated"

SourceKind = Literal["bundle", "rome", "esco"]
Progress = Callable[[str, int, int], None]

_cache: dict[str, Referential] = {}
_lock = threading.Lock()
# Engines read their derived transitions from (and write them to) <data dir>/cache.
use_derived_store(FileDerivedStore(load_settings().data_dir / "cache"))


def database_url(url: str | None = None) -> str:
    """The URL given, else the configured one (environment, then the embedded SQLite)."""
    return url or load_settings().database_url


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: the change report and the warnings worth reading."""

    changes: ChangeReport
    warnings: list[ImportIssue]
    referential: Referential


def read_source(
    kind: SourceKind, path: Path, progress: Progress | None = None
) -> tuple[Referential, list[ImportIssue]]:
    """Read and validate a referential from files; raises ImportRejected on bad input."""
    if kind == "bundle":
        if progress:
            progress("lecture des fichiers", 0, 1)
        result = read_bundle(path)
        if progress:
            progress("lecture des fichiers", 1, 1)
        return result.referential, result.warnings
    warnings: list[ImportIssue] = []
    if kind == "rome":
        return read_rome(path, progress=progress, warnings=warnings), warnings
    return read_esco(path, progress=progress, warnings=warnings), warnings


def initialise_database(url: str | None = None) -> bool:
    """Migrate the schema and, when no referential is stored, load the curated one.

    Returns True when the curated referential was loaded; running it again changes nothing.
    """
    engine = engine_for(database_url(url))
    upgrade(engine)
    if repository.stored_version(engine) is not None:
        return False
    repository.replace_referential(engine, read_bundle(CURATED_BUNDLE).referential)
    return True


def import_referential(
    kind: SourceKind,
    path: Path,
    url: str | None = None,
    *,
    mode: Literal["replace", "merge"] = "replace",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Validate the files, then replace (or merge into) the stored referential atomically.

    Nothing is written when validation fails (ImportRejected propagates) or on `dry_run`.
    """
    incoming, warnings = read_source(kind, path, progress)
    engine = engine_for(database_url(url))
    upgrade(engine)
    stored = repository.load_referential(engine)
    current = stored or Referential()
    new = merge(current, incoming) if mode == "merge" else incoming
    changes = compare(current, new)
    refused = repository.storage_issues(new)
    if refused:
        raise ImportRejected(refused)
    if not dry_run:
        if progress:
            progress("écriture en base", 0, 1)
        # Recorded as a version, like a change from /admin/referentiel, so that it can be
        # rolled back from the page or with `careerpath restore`.
        record = versions_store.recorder(
            current,
            new,
            changes,
            kind=kind,
            file_name=path.name,
            applied_by="",
            applied_at=datetime.now(UTC),
        )
        # Refused (StaleReferential, nothing written) when another change landed since
        # `current` was read: a merge would otherwise drop it.
        repository.replace_referential(
            engine, new, also=record, expect=stored.version if stored else None
        )
        if progress:
            progress("écriture en base", 1, 1)
    return ImportOutcome(changes, warnings, new)


def export_referential(directory: Path, url: str | None = None) -> Referential:
    """Write the stored referential as a CSV bundle."""
    referential = load_referential(url)
    write_bundle(referential, directory)
    return referential


def load_referential(url: str | None = None) -> Referential:
    """The stored referential (initialising an empty database first), cached per version."""
    resolved = database_url(url)
    engine = engine_for(resolved)
    version = repository.stored_version(engine) if _has_schema(engine) else None
    if version is None:
        initialise_database(resolved)
        version = repository.stored_version(engine)
    key = f"{resolved}#{version}"
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            loaded = repository.load_referential(engine)
            assert loaded is not None
            _cache.clear()
            _cache[key] = cached = loaded
    return cached


_schema_seen: set[str] = set()


def warm_up(url: str | None = None) -> None:
    """Load the referential in service and build its engine now (at a worker's start, in a
    thread), so that the first request finds both ready."""
    engine_of(load_referential(url))


def preload_for_workers(url: str | None = None) -> None:
    """In the server process, before it forks its workers (careerpath/cli/preload.py): the
    referential and its engine loaded once, for every worker to inherit. What they hold is
    then frozen out of the garbage collector's reach (`gc.freeze`): the workers' collections
    never walk it, so they do not write to (and copy) the memory they share. The process's
    own database connections are closed: it reads nothing more, and a worker never uses
    them (careerpath/data/database.py)."""
    import gc

    warm_up(url)
    close_connections()  # the server process itself reads nothing more
    gc.collect()
    gc.freeze()


def _has_schema(engine: Engine) -> bool:
    """Whether the tables exist; once seen for a database, never asked again (a schema is
    not dropped under a running server), so a request does not pay the inspection."""
    key = str(engine.url)
    if key in _schema_seen:
        return True
    from sqlalchemy import inspect

    found = bool(inspect(engine).has_table("referential_info"))
    if found:
        _schema_seen.add(key)
    return found
