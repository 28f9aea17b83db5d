"""Read and write the stored referential.

Writing replaces the whole referential inside one transaction: either every row of the new
referential is stored, or (on any error) the database is exactly as before. Bulk inserts
keep an ESCO-sized referential (≈140,000 rows) within seconds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.engine import Connection, Engine

from careerpath.data.errors import ImportIssue, ImportRejected, StaleReferential
from careerpath.data.importers.limits import CONTROL_CHARACTERS
from careerpath.data.tables import (
    REFERENTIAL_TABLES,
    CertificationBlocRow,
    CompetencyRow,
    ReferentialInfo,
    RequirementRow,
    RoleRow,
    RoleTitleRow,
    TrainingOutcomeRow,
    TrainingRow,
    TransitionRow,
)
from careerpath.domain.effort import gap_hours
from careerpath.domain.referential import (
    Bloc,
    Competency,
    Modality,
    Provenance,
    Referential,
    Requirement,
    Role,
    Situation,
    Training,
    TrainingKind,
    TrainingOutcome,
    Transition,
    TransitionKind,
    Weight,
)

_BATCH = 20_000


def _table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


def transition_delta(
    referential: Referential, from_role: str, to_role: str
) -> tuple[dict[str, list[int]], float]:
    """What `to_role` requires beyond `from_role` (competency → [has, needs]) and its hours."""
    source = {q.competency: q.level for q in referential.requirements_by_role.get(from_role, ())}
    delta: dict[str, list[int]] = {}
    hours = 0.0
    for req in referential.requirements_by_role.get(to_role, ()):
        has = source.get(req.competency, 0)
        if has < req.level:
            delta[req.competency] = [has, req.level]
            hours += gap_hours(has, req.level, req.weight is Weight.ESSENTIAL)
    return delta, hours


def _rows(referential: Referential) -> Iterator[tuple[Table, list[dict[str, Any]]]]:
    p = referential.provenance
    yield (
        _table(ReferentialInfo),
        [
            {
                "id": 1,
                "source": p.source,
                "version": p.version,
                "date": p.date,
                "licence": p.licence,
                "content_version": referential.version,
            }
        ],
    )
    yield (
        _table(CompetencyRow),
        [
            {
                "code": c.code,
                "position": i,
                "label": c.label,
                "category": c.category,
                "description": c.description,
                "level_1": c.levels[0],
                "level_2": c.levels[1],
                "level_3": c.levels[2],
                "level_4": c.levels[3],
            }
            for i, c in enumerate(referential.competencies)
        ],
    )
    yield (
        _table(RoleRow),
        [
            {
                "code": r.code,
                "position": i,
                "title": r.title,
                "family": r.family,
                "rome_code": r.rome_code,
                "qualification_level": r.qualification_level,
                "description": r.description,
            }
            for i, r in enumerate(referential.roles)
        ],
    )
    titles: list[dict[str, Any]] = []
    for role in referential.roles:
        titles.extend(
            {"role": role.code, "position": len(titles) + j, "title": t}
            for j, t in enumerate(role.alt_titles)
        )
    yield _table(RoleTitleRow), titles
    yield (
        _table(RequirementRow),
        [
            {
                "role": q.role,
                "competency": q.competency,
                "position": i,
                "level": q.level,
                "weight": q.weight.value,
            }
            for i, q in enumerate(referential.requirements)
        ],
    )
    transitions = []
    for i, t in enumerate(referential.transitions):
        delta, hours = transition_delta(referential, t.from_role, t.to_role)
        transitions.append(
            {
                "from_role": t.from_role,
                "to_role": t.to_role,
                "position": i,
                "kind": t.kind.value,
                "delta_json": json.dumps(delta, sort_keys=True),
                "effort_hours": hours,
            }
        )
    yield _table(TransitionRow), transitions
    yield (
        _table(TrainingRow),
        [
            {
                "code": t.code,
                "position": i,
                "title": t.title,
                "kind": t.kind.value,
                "rncp": t.rncp,
                "qualification_level": t.qualification_level,
                "hours": t.hours,
                "cost_eur": t.cost_eur,
                "modality": t.modality.value,
                "cpf": t.cpf,
                "prerequisites": t.prerequisites,
                "entry_level": t.entry_level,
                "situations": " ".join(sorted(str(x) for x in t.situations)),
            }
            for i, t in enumerate(referential.trainings)
        ],
    )
    yield (
        _table(TrainingOutcomeRow),
        [
            {"training": o.training, "competency": o.competency, "position": i, "level": o.level}
            for i, o in enumerate(referential.outcomes)
        ],
    )
    yield (
        _table(CertificationBlocRow),
        [
            {
                "certification": b.certification,
                "code": b.code,
                "position": i,
                "title": b.title,
                "competencies": " ".join(b.competencies),
            }
            for i, b in enumerate(referential.blocs)
        ],
    )


def _insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), _BATCH):
        connection.execute(insert(table), list(rows[start : start + _BATCH]))


def storage_issues(referential: Referential) -> list[ImportIssue]:
    """What the database would refuse, found before writing: too long values, control characters.

    Checked against the tables' own column lengths, so that PostgreSQL never aborts halfway
    through a transaction with a raw error printing row values (SQLite would accept them).
    """
    issues: list[ImportIssue] = []
    for table, rows in _rows(referential):
        limits = {column.name: getattr(column.type, "length", None) for column in table.columns}
        for row in rows:
            label = str(row.get("code") or row.get("role") or row.get("training") or "")
            for key, value in row.items():
                if not isinstance(value, str):
                    continue
                limit = limits.get(key)
                if limit is not None and len(value) > limit:
                    issues.append(
                        ImportIssue(
                            table.name,
                            "value_too_long",
                            column=key,
                            params={
                                "value": _shorten(value),
                                "length": len(value),
                                "limit": limit,
                                "what": f"{table.name}.{key}",
                            },
                        )
                    )
                elif (match := CONTROL_CHARACTERS.search(value)) is not None:
                    issues.append(
                        ImportIssue(
                            f"{table.name} « {_shorten(label)} »",
                            "control_character",
                            column=key,
                            params={"char": f"U+{ord(match.group()):04X}"},
                        )
                    )
                if len(issues) >= 2 * ImportRejected.MAX_LISTED:
                    return issues
    return issues


def _shorten(value: str, size: int = 40) -> str:
    return value if len(value) <= size else value[: size - 1] + "…"


ANY_VERSION = "*"
"""`replace_referential(expect=ANY_VERSION)`: replace whatever is stored."""


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction that holds the referential's write lock from its first statement:
    two writers run one after the other, and what one reads inside it stays true until its
    commit. PostgreSQL: a lock on `referential_info` that conflicts with itself (and with
    no reader); SQLite: `BEGIN IMMEDIATE` (the database's write lock, taken at once)."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql(
                f"LOCK TABLE {_table(ReferentialInfo).name} IN SHARE ROW EXCLUSIVE MODE"
            )
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def replace_referential(
    engine: Engine,
    referential: Referential,
    also: Callable[[Connection], None] | None = None,
    *,
    expect: str | None = ANY_VERSION,
) -> None:
    """Store `referential` in place of the current one, atomically.

    `also` runs inside the same transaction (the version row an administrator's change
    records): either both are written, or neither. Raises `ImportRejected` (nothing written)
    when a value does not fit its column, and `StaleReferential` (nothing written) when
    `expect` is given and the stored content version (None: nothing stored) is another one
    — checked under the write lock, so two concurrent changes computed against the same
    referential cannot both be written.
    """
    issues = storage_issues(referential)
    if issues:
        raise ImportRejected(issues)
    with writing(engine) as connection:
        if expect != ANY_VERSION:
            stored = connection.execute(
                select(_table(ReferentialInfo).c.content_version)
            ).scalar_one_or_none()
            if stored != expect:
                raise StaleReferential(stored)
        for model in REFERENTIAL_TABLES:
            connection.execute(delete(_table(model)))
        for table, rows in _rows(referential):
            _insert(connection, table, rows)
        if also is not None:
            also(connection)


def stored_version(engine: Engine) -> str | None:
    """The content version of the stored referential, or None when there is none."""
    with engine.connect() as connection:
        return connection.execute(
            select(_table(ReferentialInfo).c.content_version)
        ).scalar_one_or_none()


def load_referential(engine: Engine) -> Referential | None:
    """The stored referential, rebuilt in file order, or None when the database is empty."""
    with engine.connect() as connection:

        def rows(model: Any, *order: str) -> list[Any]:
            table = _table(model)
            return list(connection.execute(select(table).order_by(*(table.c[o] for o in order))))

        info = rows(ReferentialInfo, "id")
        if not info:
            return None
        alt_titles: dict[str, list[str]] = {}
        for row in rows(RoleTitleRow, "position"):
            alt_titles.setdefault(row.role, []).append(row.title)
        loaded = Referential(
            competencies=tuple(
                Competency(
                    r.code,
                    r.label,
                    r.category,
                    r.description,
                    (r.level_1, r.level_2, r.level_3, r.level_4),
                )
                for r in rows(CompetencyRow, "position")
            ),
            roles=tuple(
                Role(
                    r.code,
                    r.title,
                    r.family,
                    r.rome_code,
                    r.qualification_level,
                    r.description,
                    tuple(alt_titles.get(r.code, ())),
                )
                for r in rows(RoleRow, "position")
            ),
            requirements=tuple(
                Requirement(r.role, r.competency, r.level, Weight(r.weight))
                for r in rows(RequirementRow, "position")
            ),
            transitions=tuple(
                Transition(r.from_role, r.to_role, TransitionKind(r.kind))
                for r in rows(TransitionRow, "position")
            ),
            trainings=tuple(
                Training(
                    code=r.code,
                    title=r.title,
                    kind=TrainingKind(r.kind),
                    hours=r.hours,
                    cost_eur=r.cost_eur,
                    modality=Modality(r.modality),
                    cpf=bool(r.cpf),
                    rncp=r.rncp,
                    qualification_level=r.qualification_level,
                    prerequisites=r.prerequisites,
                    entry_level=r.entry_level,
                    situations=frozenset(Situation(x) for x in r.situations.split()),
                )
                for r in rows(TrainingRow, "position")
            ),
            outcomes=tuple(
                TrainingOutcome(r.training, r.competency, r.level)
                for r in rows(TrainingOutcomeRow, "position")
            ),
            provenance=Provenance(info[0].source, info[0].version, info[0].date, info[0].licence),
            blocs=tuple(
                Bloc(r.certification, r.code, r.title, tuple(r.competencies.split()))
                for r in rows(CertificationBlocRow, "position")
            ),
        )
    # The content hash was stored with the content: reuse it instead of hashing ~30 MB of
    # text again (about a second on ESCO) at every worker start.
    if info[0].content_version:
        loaded.__dict__["version"] = info[0].content_version
    return loaded


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every referential row, table by table, in key order: to prove a rejected import
    changed nothing."""
    with engine.connect() as connection:
        result = {}
        for model in REFERENTIAL_TABLES:
            table = _table(model)
            keys = [c for c in table.primary_key.columns]
            result[table.name] = [
                tuple(r) for r in connection.execute(select(table).order_by(*keys))
            ]
        return result
