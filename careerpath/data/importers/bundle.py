"""careerpath's own referential format: a directory of UTF-8 CSV files (see docs/referential-format.md).

`read_bundle` checks everything before building anything and reports every error at once, so a
counsellor fixes a file in one pass; `write_bundle` writes the same format deterministically, so
that export → import → export gives byte-identical files.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from careerpath.data.csv_cells import csv_writer
from careerpath.data.errors import ImportIssue, ImportRejected
from careerpath.data.importers.csvread import (
    CsvTable,
    RowReader,
    TableSpec,
    normalise_line_breaks,
    read_table,
)
from careerpath.domain.referential import (
    MAX_LEVEL,
    MIN_LEVEL,
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

MIN_QUALIFICATION = 1
MAX_BLOC_CODE = 100  # the certification_bloc.code column
CERTIFYING_KINDS = (TrainingKind.DIPLOME, TrainingKind.TITRE_PRO, TrainingKind.CERTIFICATION)
MAX_QUALIFICATION = 8

COMPETENCIES = TableSpec(
    "competencies.csv",
    ("code", "label", "category", "description", "level_1", "level_2", "level_3", "level_4"),
)
ROLES = TableSpec(
    "roles.csv", ("code", "title", "family", "rome_code", "qualification_level", "description")
)
ROLE_TITLES = TableSpec("role_titles.csv", ("role", "title"))
REQUIREMENTS = TableSpec("requirements.csv", ("role", "competency", "level", "weight"))
TRANSITIONS = TableSpec("transitions.csv", ("from_role", "to_role", "kind"))
TRAININGS = TableSpec(
    "trainings.csv",
    (
        "code",
        "title",
        "kind",
        "rncp",
        "qualification_level",
        "hours",
        "cost_eur",
        "modality",
        "cpf",
    ),
    optional=("prerequisites", "entry_level", "situations"),
)
OUTCOMES = TableSpec("training_outcomes.csv", ("training", "competency", "level"))
BLOCS = TableSpec("certification_blocs.csv", ("certification", "bloc", "title", "competency"))
PROVENANCE = TableSpec("provenance.csv", ("source", "version", "date", "licence"))

REQUIRED_FILES = (COMPETENCIES, ROLES, REQUIREMENTS)
ALL_FILES = (
    COMPETENCIES,
    ROLES,
    ROLE_TITLES,
    REQUIREMENTS,
    TRANSITIONS,
    TRAININGS,
    OUTCOMES,
    BLOCS,
    PROVENANCE,
)

# Codes defined by one file, with the line each first appears on. None means the file could
# not be fully read, so references to it are not checked (they would only add noise).
Codes = dict[str, int] | None


@dataclass(frozen=True)
class BundleResult:
    """A valid referential read from a bundle, with the warnings found on the way."""

    referential: Referential
    warnings: list[ImportIssue] = field(default_factory=list)


def read_bundle(directory: Path) -> BundleResult:
    """Read and fully validate a bundle; raise `ImportRejected` listing every error found."""
    return _BundleReader(Path(directory)).read()


def write_bundle(referential: Referential, directory: Path) -> None:
    """Write `referential` as a bundle into `directory` (created if needed).

    Optional files are written only when they have rows (provenance always); a stale optional
    file left by an earlier export is removed, so the directory reads back as this referential.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for spec, rows in _bundle_rows(referential):
        path = directory / spec.file
        if rows or spec in REQUIRED_FILES or spec is PROVENANCE:
            _write_csv(path, spec.known, rows)
        elif path.exists():
            path.unlink()


def canonical_number(value: float) -> str:
    """`35` for whole numbers (never `35.0`), else the shortest exact form such as `12.5`."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


class _BundleReader:
    """One validation pass over a bundle directory, collecting issues file by file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.issues: list[ImportIssue] = []

    def read(self) -> BundleResult:
        competencies, competency_codes = self._competencies()
        roles, role_codes = self._roles()
        alt_titles = self._role_titles(role_codes)
        requirements = self._requirements(role_codes, competency_codes)
        transitions = self._transitions(role_codes)
        trainings, training_codes = self._trainings()
        outcomes = self._outcomes(training_codes, competency_codes)
        blocs = self._blocs(training_codes, competency_codes, trainings, outcomes)
        provenance = self._provenance()
        if any(issue.severity == "error" for issue in self.issues):
            raise ImportRejected(self.issues)
        if alt_titles:
            roles = [
                replace(role, alt_titles=tuple(alt_titles[role.code]))
                if role.code in alt_titles
                else role
                for role in roles
            ]
        referential = Referential(
            competencies=tuple(competencies),
            roles=tuple(roles),
            requirements=tuple(requirements),
            transitions=tuple(transitions),
            trainings=tuple(trainings),
            outcomes=tuple(outcomes),
            provenance=provenance,
            blocs=tuple(blocs),
        )
        return BundleResult(referential, list(self.issues))

    # -- plumbing -------------------------------------------------------------------------

    def _table(self, spec: TableSpec) -> tuple[CsvTable | None, bool]:
        """The file's table (None if unusable) and whether the file exists at all."""
        path = self.directory / spec.file
        if spec not in REQUIRED_FILES and not path.exists():
            return None, False
        table, issues = read_table(path, spec)
        self.issues.extend(issues)
        if table is not None and not table.rows and spec in (COMPETENCIES, ROLES):
            self.issues.append(ImportIssue(spec.file, "no_rows"))
        return table, True

    @staticmethod
    def _codes_of(table: CsvTable | None, exists: bool, seen: dict[str, int]) -> Codes:
        if not exists:
            return {}
        return seen if table is not None and table.complete else None

    @staticmethod
    def _unique(cells: RowReader, column: str, code: str, seen: dict[str, int]) -> None:
        first = seen.setdefault(code, cells.line)
        if first != cells.line:
            cells.error("duplicate_code", column, value=code, first_line=first)

    @staticmethod
    def _reference(cells: RowReader, column: str, value: str, codes: Codes, target: str) -> None:
        if codes is not None and value and value not in codes:
            cells.error("unknown_reference", column, value=value, target=target)

    # -- one method per file ----------------------------------------------------------------

    def _competencies(self) -> tuple[list[Competency], Codes]:
        table, exists = self._table(COMPETENCIES)
        seen: dict[str, int] = {}
        items: list[Competency] = []
        if table is None:
            return items, self._codes_of(table, exists, seen)
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            code = cells.text("code", required=True)
            if code:
                self._unique(cells, "code", code, seen)
            label = cells.text("label", required=True)
            category = cells.text("category", required=True)
            description = cells.text("description")
            levels = (
                cells.text("level_1"),
                cells.text("level_2"),
                cells.text("level_3"),
                cells.text("level_4"),
            )
            if cells.ok:
                items.append(Competency(code, label, category, description, levels))
        return items, self._codes_of(table, exists, seen)

    def _roles(self) -> tuple[list[Role], Codes]:
        table, exists = self._table(ROLES)
        seen: dict[str, int] = {}
        items: list[Role] = []
        if table is None:
            return items, self._codes_of(table, exists, seen)
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            code = cells.text("code", required=True)
            if code:
                self._unique(cells, "code", code, seen)
            title = cells.text("title", required=True)
            family = cells.text("family")
            rome_code = cells.text("rome_code")
            qualification = cells.integer(
                "qualification_level", MIN_QUALIFICATION, MAX_QUALIFICATION, required=False
            )
            description = cells.text("description")
            if cells.ok:
                items.append(Role(code, title, family, rome_code, qualification, description))
        return items, self._codes_of(table, exists, seen)

    def _role_titles(self, role_codes: Codes) -> dict[str, list[str]]:
        table, _ = self._table(ROLE_TITLES)
        titles: dict[str, list[str]] = {}
        if table is None:
            return titles
        seen: dict[tuple[str, str], int] = {}
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            role = cells.text("role", required=True)
            self._reference(cells, "role", role, role_codes, ROLES.file)
            title = cells.text("title", required=True)
            if role and title:
                first = seen.setdefault((role, title), line)
                if first != line:
                    cells.error("duplicate_row", "title", first_line=first)
            if cells.ok:
                titles.setdefault(role, []).append(title)
        return titles

    def _requirements(self, role_codes: Codes, competency_codes: Codes) -> list[Requirement]:
        table, _ = self._table(REQUIREMENTS)
        items: list[Requirement] = []
        if table is None:
            return items
        seen: dict[tuple[str, str], int] = {}
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            role = cells.text("role", required=True)
            self._reference(cells, "role", role, role_codes, ROLES.file)
            competency = cells.text("competency", required=True)
            self._reference(cells, "competency", competency, competency_codes, COMPETENCIES.file)
            if role and competency:
                first = seen.setdefault((role, competency), line)
                if first != line:
                    cells.error(
                        "duplicate_requirement",
                        "competency",
                        role=role,
                        competency=competency,
                        first_line=first,
                    )
            level = cells.integer("level", MIN_LEVEL, MAX_LEVEL, range_code="level_out_of_range")
            weight = cells.choice("weight", Weight)
            if cells.ok and level is not None and weight is not None:
                items.append(Requirement(role, competency, level, weight))
        return items

    def _transitions(self, role_codes: Codes) -> list[Transition]:
        table, _ = self._table(TRANSITIONS)
        items: list[Transition] = []
        if table is None:
            return items
        seen: dict[tuple[str, str], int] = {}
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            source = cells.text("from_role", required=True)
            self._reference(cells, "from_role", source, role_codes, ROLES.file)
            target = cells.text("to_role", required=True)
            self._reference(cells, "to_role", target, role_codes, ROLES.file)
            if source and source == target:
                cells.error("self_transition", "to_role")
            elif source and target:
                first = seen.setdefault((source, target), line)
                if first != line:
                    cells.error(
                        "duplicate_transition",
                        "to_role",
                        from_role=source,
                        to_role=target,
                        first_line=first,
                    )
            kind = cells.choice("kind", TransitionKind)
            if cells.ok and kind is not None:
                items.append(Transition(source, target, kind))
        return items

    def _trainings(self) -> tuple[list[Training], Codes]:
        table, exists = self._table(TRAININGS)
        seen: dict[str, int] = {}
        items: list[Training] = []
        if table is None:
            return items, self._codes_of(table, exists, seen)
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            code = cells.text("code", required=True)
            if code:
                self._unique(cells, "code", code, seen)
            title = cells.text("title", required=True)
            kind = cells.choice("kind", TrainingKind)
            rncp = cells.text("rncp")
            qualification = cells.integer(
                "qualification_level", MIN_QUALIFICATION, MAX_QUALIFICATION, required=False
            )
            hours = cells.number("hours")
            cost = cells.number("cost_eur")
            modality = cells.choice("modality", Modality)
            cpf = cells.boolean("cpf")
            prerequisites = cells.text("prerequisites")
            entry_level = cells.integer(
                "entry_level", MIN_QUALIFICATION, MAX_QUALIFICATION, required=False
            )
            situations = self._situations(cells)
            if (
                cells.ok
                and kind is not None
                and hours is not None
                and cost is not None
                and modality is not None
                and cpf is not None
            ):
                items.append(
                    Training(
                        code,
                        title,
                        kind,
                        hours,
                        cost,
                        modality,
                        cpf,
                        rncp,
                        qualification,
                        prerequisites,
                        entry_level,
                        situations,
                    )
                )
        return items, self._codes_of(table, exists, seen)

    @staticmethod
    def _situations(cells: RowReader) -> frozenset[Situation]:
        """Who may take a training: situation codes separated by spaces, commas or « ; »."""
        value = cells.text("situations")
        result: set[Situation] = set()
        allowed = {s.value: s for s in Situation}
        for word in value.replace(";", " ").replace(",", " ").split():
            member = allowed.get(word.lower())
            if member is None:
                cells.error("bad_choice", "situations", value=word, allowed=", ".join(allowed))
            else:
                result.add(member)
        return frozenset(result)

    def _outcomes(self, training_codes: Codes, competency_codes: Codes) -> list[TrainingOutcome]:
        table, _ = self._table(OUTCOMES)
        items: list[TrainingOutcome] = []
        if table is None:
            return items
        seen: dict[tuple[str, str], int] = {}
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            training = cells.text("training", required=True)
            self._reference(cells, "training", training, training_codes, TRAININGS.file)
            competency = cells.text("competency", required=True)
            self._reference(cells, "competency", competency, competency_codes, COMPETENCIES.file)
            if training and competency:
                first = seen.setdefault((training, competency), line)
                if first != line:
                    cells.error(
                        "duplicate_outcome",
                        "competency",
                        training=training,
                        competency=competency,
                        first_line=first,
                    )
            level = cells.integer("level", MIN_LEVEL, MAX_LEVEL, range_code="level_out_of_range")
            if cells.ok and level is not None:
                items.append(TrainingOutcome(training, competency, level))
        return items

    def _blocs(
        self,
        training_codes: Codes,
        competency_codes: Codes,
        trainings: list[Training],
        outcomes: list[TrainingOutcome],
    ) -> list[Bloc]:
        """One row per competency of a bloc: the bloc's title repeated on each of its rows, the
        competency among the certification's outcomes, in no other bloc of it."""
        table, _ = self._table(BLOCS)
        if table is None:
            return []
        kinds = {t.code: t.kind for t in trainings}
        outcome_keys = {(o.training, o.competency) for o in outcomes}
        titles: dict[tuple[str, str], tuple[str, int]] = {}
        members: dict[tuple[str, str], list[str]] = {}
        owner: dict[tuple[str, str], tuple[str, int]] = {}
        cells = RowReader(table, self.issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            cert = cells.text("certification", required=True)
            self._reference(cells, "certification", cert, training_codes, TRAININGS.file)
            if cert in kinds and kinds[cert] == TrainingKind.VAE:
                cells.error("bloc_of_a_vae", "certification", value=cert)
            elif cert in kinds and kinds[cert] not in CERTIFYING_KINDS:
                cells.error("bloc_not_a_certification", "certification", value=cert)
            bloc = cells.text("bloc", required=True)
            if len(bloc) > MAX_BLOC_CODE:
                cells.error("field_too_long", "bloc", length=len(bloc), limit=MAX_BLOC_CODE)
            title = cells.text("title", required=True)
            competency = cells.text("competency", required=True)
            self._reference(cells, "competency", competency, competency_codes, COMPETENCIES.file)
            if not cells.ok:
                continue
            key = (cert, bloc)
            first_title, first_line = titles.setdefault(key, (title, line))
            if first_title != title:
                cells.error("bloc_title_differs", "title", bloc=bloc, first_line=first_line)
            if (cert, competency) not in outcome_keys:
                cells.error(
                    "bloc_competency_not_an_outcome",
                    "competency",
                    competency=competency,
                    certification=cert,
                )
            other_bloc, other_line = owner.setdefault((cert, competency), (bloc, line))
            if other_line != line:
                cells.error(
                    "bloc_competency_twice",
                    "competency",
                    competency=competency,
                    bloc=other_bloc,
                    first_line=other_line,
                )
            if cells.ok:
                members.setdefault(key, []).append(competency)
        return [
            Bloc(cert, bloc, titles[(cert, bloc)][0], tuple(members[(cert, bloc)]))
            for cert, bloc in titles
            if (cert, bloc) in members
        ]

    def _provenance(self) -> Provenance:
        """The single provenance row; without the file, the bundle's directory name is the source."""
        table, exists = self._table(PROVENANCE)
        if not exists:
            return Provenance(source=self.directory.resolve().name)
        if table is None:
            return Provenance()
        if not table.rows:
            return Provenance(source=self.directory.resolve().name)
        if len(table.rows) > 1:
            self.issues.append(
                ImportIssue(
                    PROVENANCE.file,
                    "too_many_rows",
                    line=table.rows[1][0],
                    params={"found": len(table.rows)},
                )
            )
        cells = RowReader(table, self.issues)
        cells.start(*table.rows[0])
        return Provenance(
            source=cells.text("source"),
            version=cells.text("version"),
            date=cells.text("date"),
            licence=cells.text("licence"),
        )


# -- writing ------------------------------------------------------------------------------------


def _optional_int(value: int | None) -> str:
    return "" if value is None else str(value)


def _bundle_rows(referential: Referential) -> list[tuple[TableSpec, list[list[str]]]]:
    """Each bundle file with its rows as text, in the referential's own order."""
    ref = referential
    provenance = ref.provenance
    return [
        (
            COMPETENCIES,
            [[c.code, c.label, c.category, c.description, *c.levels] for c in ref.competencies],
        ),
        (
            ROLES,
            [
                [
                    r.code,
                    r.title,
                    r.family,
                    r.rome_code,
                    _optional_int(r.qualification_level),
                    r.description,
                ]
                for r in ref.roles
            ],
        ),
        (ROLE_TITLES, [[r.code, title] for r in ref.roles for title in r.alt_titles]),
        (
            REQUIREMENTS,
            [[q.role, q.competency, str(q.level), str(q.weight)] for q in ref.requirements],
        ),
        (TRANSITIONS, [[t.from_role, t.to_role, str(t.kind)] for t in ref.transitions]),
        (
            TRAININGS,
            [
                [
                    t.code,
                    t.title,
                    str(t.kind),
                    t.rncp,
                    _optional_int(t.qualification_level),
                    canonical_number(t.hours),
                    canonical_number(t.cost_eur),
                    str(t.modality),
                    "true" if t.cpf else "false",
                    t.prerequisites,
                    _optional_int(t.entry_level),
                    " ".join(sorted(str(x) for x in t.situations)),
                ]
                for t in ref.trainings
            ],
        ),
        (OUTCOMES, [[o.training, o.competency, str(o.level)] for o in ref.outcomes]),
        (
            BLOCS,
            [[b.certification, b.code, b.title, c] for b in ref.blocs for c in b.competencies],
        ),
        (
            PROVENANCE,
            [[provenance.source, provenance.version, provenance.date, provenance.licence]],
        ),
    ]


def _write_csv(path: Path, header: Iterable[str], rows: list[list[str]]) -> None:
    """Write one file in full, then swap it in, so a reader never sees half a file.

    Values are stripped and their line breaks made LF, as the reader does, which keeps
    export → import → export byte-identical even for a referential built elsewhere. (With a
    "\n" line terminator the csv module would not quote a lone CR, which then splits the row.)
    """
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([normalise_line_breaks(value.strip()) for value in row] for row in rows)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(buffer.getvalue().encode("utf-8"))
    os.replace(partial, path)
