"""Reading the CSV tables of public referentials (ROME 4.0, ESCO) into plain rows.

Both importers read official files the project does not control. Every missing file, missing
column or malformed row becomes an `ImportIssue`; issues are collected across all files so one
run reports everything, and the import is then rejected as a whole, never partially returned.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import IO
from zipfile import BadZipFile

from careerpath.data.errors import ImportIssue, ImportRejected

Opener = Callable[[], IO[bytes]]
Progress = Callable[[str, int, int], None]

_SUSPECT_DELIMITERS = (";", "\t", "|")


@dataclass(frozen=True)
class TableSource:
    """A CSV file to read: the name shown to the user and how to open it as bytes."""

    name: str
    open: Opener


@dataclass
class Table:
    """The requested columns of a CSV file, one tuple per data row, and the line it starts on."""

    name: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class IssueLog:
    """Collects issues from every file, then rejects the import if any is an error."""

    def __init__(self) -> None:
        self.issues: list[ImportIssue] = []

    def add(self, issue: ImportIssue) -> None:
        self.issues.append(issue)

    def missing_file(self, name: str) -> None:
        self.add(ImportIssue(file=name, code="missing_file"))

    def unreadable(self, name: str, detail: object) -> None:
        self.add(ImportIssue(file=name, code="unreadable", params={"detail": str(detail)}))

    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def raise_if_errors(self) -> None:
        if self.has_errors():
            raise ImportRejected(self.issues)


class StepCounter:
    """Reports progress as (what is being done, steps done, total steps)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self._total = total
        self._done = 0

    def step(self, label: str) -> None:
        if self._progress is not None:
            self._progress(label, self._done, self._total)
        self._done = min(self._done + 1, self._total)

    def finish(self, label: str) -> None:
        if self._progress is not None:
            self._progress(label, self._total, self._total)


def read_table(
    source: TableSource | None,
    expected_name: str,
    columns: Sequence[str],
    log: IssueLog,
    *,
    required: Sequence[str] = (),
) -> Table | None:
    """Read `columns` of a CSV file; None (with issues logged) when it cannot be used at all.

    `source` None means the file was not found under `expected_name`. Rows whose `required`
    columns are blank, or which are too short, are reported as errors and left out.
    """
    if source is None:
        log.missing_file(expected_name)
        return None
    try:
        with source.open() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            return _parse(source.name, text, tuple(columns), required, log)
    except UnicodeDecodeError as exc:
        byte = f"0x{exc.object[exc.start]:02x}" if exc.start < len(exc.object) else "?"
        log.add(ImportIssue(file=source.name, code="bad_encoding", params={"byte": byte}))
    except (BadZipFile, zlib.error, EOFError, OSError, csv.Error) as exc:
        log.unreadable(source.name, exc)
    return None


def _parse(
    name: str,
    text: io.TextIOWrapper,
    columns: tuple[str, ...],
    required: Sequence[str],
    log: IssueLog,
) -> Table | None:
    reader = csv.reader(text)
    header = next(reader, None)
    if header is None:
        log.add(ImportIssue(file=name, code="empty_file"))
        return None
    header = [h.strip() for h in header]
    if len(header) == 1:
        found = next((d for d in _SUSPECT_DELIMITERS if d in header[0]), None)
        if found is not None:
            shown = "tabulation" if found == "\t" else found
            log.add(ImportIssue(file=name, code="wrong_delimiter", line=1, params={"found": shown}))
            return None
    position = {h: i for i, h in reversed(list(enumerate(header)))}
    missing = [c for c in columns if c not in position]
    for column in missing:
        log.add(
            ImportIssue(file=name, code="missing_column", column=column, params={"column": column})
        )
    if missing:
        return None

    indexes = [position[c] for c in columns]
    width = max(indexes) + 1
    project = itemgetter(*indexes) if len(indexes) > 1 else (lambda row: (row[indexes[0]],))
    required_at = [columns.index(c) for c in required]
    table = Table(name=name, columns=columns)
    rows, lines = table.rows, table.lines
    previous_end = reader.line_num
    for row in reader:
        line, previous_end = previous_end + 1, reader.line_num  # where the row starts
        if not row:
            continue
        if len(row) < width:
            log.add(
                ImportIssue(
                    file=name,
                    code="wrong_field_count",
                    line=line,
                    params={"found": len(row), "expected": len(header)},
                )
            )
            continue
        values: tuple[str, ...] = project(row)
        blank = [columns[i] for i in required_at if not values[i].strip()]
        if blank:
            for column in blank:
                log.add(ImportIssue(file=name, code="required", line=line, column=column))
            continue
        rows.append(values)
        lines.append(line)
    return table
