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

from careerpath.data.errors import ImportIssue, ImportRejected, more_errors
from careerpath.data.importers.limits import (
    CONTROL_CHARACTERS,
    MAX_ERRORS_PER_FILE,
    MAX_FIELD_CHARS,
    FileRefused,
    os_error_issue,
)

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
    """Collects issues from every file, then rejects the import if any is an error.

    Only the first `MAX_ERRORS_PER_FILE` errors of a file are kept; the others are counted,
    so a file of a million bad rows costs neither memory nor a million report lines.
    """

    def __init__(self) -> None:
        self.issues: list[ImportIssue] = []
        self._errors: dict[str, int] = {}

    def add(self, issue: ImportIssue) -> None:
        if issue.severity == "error":
            count = self._errors[issue.file] = self._errors.get(issue.file, 0) + 1
            if count > MAX_ERRORS_PER_FILE:
                return
        self.issues.append(issue)

    def missing_file(self, name: str) -> None:
        self.add(ImportIssue(file=name, code="missing_file"))

    def unreadable(self, name: str, detail: object) -> None:
        self.add(ImportIssue(file=name, code="unreadable", params={"detail": str(detail)}))

    def errors_in(self, name: str) -> int:
        return self._errors.get(name, 0)

    def has_errors(self) -> bool:
        return bool(self._errors)

    @property
    def warnings(self) -> list[ImportIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.has_errors():
            summary = [
                more_errors(name, count - MAX_ERRORS_PER_FILE, MAX_ERRORS_PER_FILE)
                for name, count in self._errors.items()
                if count > MAX_ERRORS_PER_FILE
            ]
            raise ImportRejected(self.issues + summary)


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
    columns are blank, which are too short, or whose values hold control characters or are
    longer than `MAX_FIELD_CHARS` are reported as errors and left out. The file is streamed;
    what `source.open` refuses (not a regular file, too large) is reported with its reason.
    """
    if source is None:
        log.missing_file(expected_name)
        return None
    parser = _Parser(source.name, tuple(columns), required, log)
    try:
        with source.open() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            return parser.parse(text)
    except FileRefused as exc:
        log.add(exc.issue)
    except UnicodeDecodeError as exc:
        byte = f"0x{exc.object[exc.start]:02X}" if exc.start < len(exc.object) else "?"
        line = parser.line + 1 if parser.line else None
        log.add(ImportIssue(source.name, "bad_encoding", line=line, params={"byte": byte}))
    except BadZipFile:
        log.add(ImportIssue(source.name, "corrupt_member"))
    except (zlib.error, EOFError):
        log.add(ImportIssue(source.name, "corrupt_member"))
    except OSError as exc:
        log.add(os_error_issue(source.name, exc))
    return None


class _Parser:
    """One pass over one CSV stream; `line` is where the current row starts."""

    def __init__(
        self, name: str, columns: tuple[str, ...], required: Sequence[str], log: IssueLog
    ) -> None:
        self.name = name
        self.columns = columns
        self.required = required
        self.log = log
        self.line = 0

    def parse(self, text: io.TextIOWrapper) -> Table | None:
        name, columns, log = self.name, self.columns, self.log
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            log.add(_csv_issue(name, 1, str(exc)))
            return None
        if header is None:
            log.add(ImportIssue(file=name, code="empty_file"))
            return None
        header = [h.strip() for h in header]
        if len(header) == 1:
            found = next((d for d in _SUSPECT_DELIMITERS if d in header[0]), None)
            if found is not None:
                shown = "tabulation" if found == "\t" else found
                log.add(
                    ImportIssue(file=name, code="wrong_delimiter", line=1, params={"found": shown})
                )
                return None
        position = {h: i for i, h in reversed(list(enumerate(header)))}
        missing = [c for c in columns if c not in position]
        for column in missing:
            log.add(
                ImportIssue(
                    file=name,
                    code="missing_column",
                    line=1,
                    column=column,
                    params={"column": column},
                )
            )
        if missing:
            return None

        indexes = [position[c] for c in columns]
        width = max(indexes) + 1
        project = itemgetter(*indexes) if len(indexes) > 1 else (lambda row: (row[indexes[0]],))
        required_at = [columns.index(c) for c in self.required]
        table = Table(name=name, columns=columns)
        rows, lines = table.rows, table.lines
        previous_end = reader.line_num
        control, limit = CONTROL_CHARACTERS, MAX_FIELD_CHARS
        try:
            for row in reader:
                line, previous_end = previous_end + 1, reader.line_num  # where the row starts
                self.line = line
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
                bad = False
                for index, value in enumerate(values):
                    if len(value) > limit:
                        bad = True
                        log.add(
                            ImportIssue(
                                name,
                                "field_too_long",
                                line=line,
                                column=columns[index],
                                params={"length": len(value), "limit": limit},
                            )
                        )
                    elif control.search(value):
                        bad = True
                        log.add(_control_issue(name, line, columns[index], value))
                blank = [columns[i] for i in required_at if not values[i].strip()]
                for column in blank:
                    log.add(ImportIssue(file=name, code="required", line=line, column=column))
                if bad or blank:
                    continue
                rows.append(values)
                lines.append(line)
        except csv.Error as exc:
            # What follows a broken quote cannot be trusted: the file stops here.
            log.add(_csv_issue(name, previous_end + 1, str(exc)))
        return table


def _control_issue(name: str, line: int, column: str, value: str) -> ImportIssue:
    match = CONTROL_CHARACTERS.search(value)
    char = f"U+{ord(match.group()):04X}" if match else "?"
    return ImportIssue(name, "control_character", line=line, column=column, params={"char": char})


def _csv_issue(name: str, line: int, message: str) -> ImportIssue:
    """The csv module's complaint in French: an endless field is a quote left open."""
    if "field larger than field limit" in message:
        limit = csv.field_size_limit()
        return ImportIssue(name, "field_over_limit", line=line, params={"limit": limit})
    if "unexpected end of data" in message:
        return ImportIssue(name, "unclosed_quote", line=line)
    if "expected after" in message:
        return ImportIssue(name, "bad_quote", line=line)
    if "NUL" in message:
        return ImportIssue(name, "control_character", line=line, params={"char": "U+0000"})
    return ImportIssue(name, "unreadable", line=line, params={"detail": message})
