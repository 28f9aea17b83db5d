"""Stored referential versions: each one the zip of its CSV bundle, restorable as it was.

A version is written in the same transaction as the referential it describes
(`repository.replace_referential(…, also=…)`), so the list never names a referential that
was not stored, and a stored referential always has its version.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection, Engine

from careerpath.data.admin_tables import ReferentialVersionRow
from careerpath.data.assessment_tables import AssessmentRatingRow, AssessmentRow
from careerpath.data.importers.bundle import read_bundle, write_bundle
from careerpath.data.workspace_tables import PlanActionRow
from careerpath.domain.changes import ChangeReport
from careerpath.domain.referential import Referential

_TABLE = ReferentialVersionRow.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StoredVersion:
    """A version as the administration page lists it (without its bundle)."""

    id: int
    content_version: str
    kind: str
    file_name: str
    applied_by: str
    applied_at: datetime
    summary: str
    restored_from: int | None


@dataclass(frozen=True)
class Impact:
    """What removing roles, competencies or trainings does to data people already have."""

    assessments_rating_removed: int = 0
    """Assessments that rate at least one competency that would disappear."""
    assessments_aiming_removed: int = 0
    """Assessments whose current role or goal would disappear."""
    actions_citing_removed: int = 0
    """Actions of action plans that cite a training that would disappear."""


def bundle_zip(referential: Referential) -> bytes:
    """The referential's CSV bundle, zipped (what a version keeps)."""
    with tempfile.TemporaryDirectory() as directory:
        write_bundle(referential, Path(directory))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(directory).iterdir()):
                archive.write(path, path.name)
        return buffer.getvalue()


def referential_of(data: bytes) -> Referential:
    """Read back a version's bundle (written by `bundle_zip`, so it is valid)."""
    with tempfile.TemporaryDirectory() as directory:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                name = Path(info.filename).name
                (Path(directory) / name).write_bytes(archive.read(info))
        return read_bundle(Path(directory)).referential


def add_version(
    connection: Connection,
    referential: Referential,
    *,
    kind: str,
    file_name: str,
    applied_by: str,
    applied_at: datetime,
    summary: str,
    restored_from: int | None = None,
    data: bytes | None = None,
) -> None:
    """Record a version inside the caller's transaction."""
    connection.execute(
        insert(_TABLE).values(
            content_version=referential.version,
            kind=kind,
            file_name=file_name[:255],
            applied_by=applied_by[:254],
            applied_at=applied_at,
            summary=summary,
            restored_from=restored_from,
            bundle_zip=data if data is not None else bundle_zip(referential),
        )
    )


def summary_json(changes: ChangeReport) -> str:
    """(added, changed, removed) per collection: what a version's line says."""
    return json.dumps(
        {
            name: [len(c.added), len(c.changed), len(c.removed)]
            for name, c in changes.collections.items()
        }
    )


def recorder(
    current: Referential | None,
    new: Referential,
    changes: ChangeReport,
    *,
    kind: str,
    file_name: str,
    applied_by: str,
    applied_at: datetime,
    restored_from: int | None = None,
    data: bytes | None = None,
) -> Callable[[Connection], None]:
    """What `replace_referential(…, also=)` runs to record `new` as a version — and, at the
    first change ever, the referential it replaces, so that it stays restorable.

    Whether this is the first change is asked inside the writing transaction (which holds
    the referential's write lock, `repository.writing`): two concurrent first changes
    cannot both record an "initial" version."""

    def record(connection: Connection) -> None:
        first = (
            current is not None
            and bool(current.roles)
            and connection.execute(select(func.count()).select_from(_TABLE)).scalar_one() == 0
        )
        if first and current is not None:
            add_version(
                connection,
                current,
                kind="initial",
                file_name="",
                applied_by="",
                applied_at=applied_at,
                summary="{}",
            )
        add_version(
            connection,
            new,
            kind=kind,
            file_name=file_name,
            applied_by=applied_by,
            applied_at=applied_at,
            summary=summary_json(changes),
            restored_from=restored_from,
            data=data,
        )

    return record


def count_versions(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(_TABLE)).scalar_one())


def list_versions(engine: Engine) -> list[StoredVersion]:
    """Every version, the newest first."""
    columns = [c for c in _TABLE.columns if c.name != "bundle_zip"]
    with engine.connect() as connection:
        rows = connection.execute(select(*columns).order_by(_TABLE.c.id.desc())).all()
    return [
        StoredVersion(
            id=r.id,
            content_version=r.content_version,
            kind=r.kind,
            file_name=r.file_name,
            applied_by=r.applied_by,
            applied_at=r.applied_at,
            summary=r.summary,
            restored_from=r.restored_from,
        )
        for r in rows
    ]


def version_data(engine: Engine, version_id: int) -> tuple[StoredVersion, bytes] | None:
    with engine.connect() as connection:
        row = connection.execute(select(_TABLE).where(_TABLE.c.id == version_id)).first()
    if row is None:
        return None
    info = StoredVersion(
        row.id,
        row.content_version,
        row.kind,
        row.file_name,
        row.applied_by,
        row.applied_at,
        row.summary,
        row.restored_from,
    )
    return info, bytes(row.bundle_zip)


def impact(
    engine: Engine,
    removed_competencies: tuple[str, ...],
    removed_roles: tuple[str, ...],
    removed_trainings: tuple[str, ...],
) -> Impact:
    """How many stored assessments and actions cite what an import would remove."""
    ratings = AssessmentRatingRow.__table__  # type: ignore[attr-defined]
    assessments = AssessmentRow.__table__  # type: ignore[attr-defined]
    actions = PlanActionRow.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:

        def count(query: object) -> int:
            return int(connection.execute(query).scalar_one())  # type: ignore[call-overload]

        rating = (
            count(
                select(func.count(func.distinct(ratings.c.assessment))).where(
                    ratings.c.competency.in_(removed_competencies)
                )
            )
            if removed_competencies
            else 0
        )
        aiming = (
            count(
                select(func.count()).where(
                    assessments.c.current_role.in_(removed_roles)
                    | assessments.c.target.in_(removed_roles)
                )
            )
            if removed_roles
            else 0
        )
        citing = (
            count(select(func.count()).where(actions.c.training.in_(removed_trainings)))
            if removed_trainings
            else 0
        )
    return Impact(rating, aiming, citing)
