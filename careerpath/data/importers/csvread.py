"""Read CSV files the way people actually write them, and say precisely what is wrong.

These helpers are shared by the importers (our bundle, ROME, ESCO). They never raise on bad
input: every problem becomes an `ImportIssue` naming the file, the physical line a person sees
in an editor (the header is line 1 unless blank lines precede it), the column and the reason.

Typical use::

    spec = TableSpec("roles.csv", required=("code", "title"), optional=("family",))
    table, issues = read_table(directory / spec.file, spec)
    if table is not None:
        cells = RowReader(table, issues)
        for line, fields in table.rows:
            cells.start(line, fields)
            code = cells.text("code", required=True)
            ...
            if cells.ok:
                ...  # build the domain object
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TypeVar

from careerpath.data.csv_cells import restore
from careerpath.data.errors import ImportIssue
from careerpath.data.importers.limits import (
    CONTROL_CHARACTERS,
    MAX_FIELD_CHARS,
    FileRefused,
    read_regular_file,
)

UTF8_BOM = b"\xef\xbb\xbf"

# Compiled once: these run on every cell of files with a hundred thousand rows.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_UNDECODABLE = re.compile("[\udc80-\udcff]")

_DIGITS = {str(digit): digit for digit in range(10)}

TRUE_WORDS = frozenset({"true", "oui", "1", "yes"})
FALSE_WORDS = frozenset({"false", "non", "0", "no"})

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class TableSpec:
    """The columns one CSV file must have (`required`) and may have (`optional`).

    Column names are matched case-insensitively, ignoring surrounding spaces. Columns that are
    neither required nor optional are ignored, with a warning when `warn_unknown` is set (turn
    it off for third-party files that carry many columns we do not use).
    """

    file: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    warn_unknown: bool = True

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass
class CsvTable:
    """The data rows of one CSV file whose header is usable.

    `rows` holds `(line, fields)` pairs, `line` being the physical line where the row starts.
    Every row has exactly as many fields as the header; rows that could not be read were left
    out and reported, and `complete` is then False, so callers can avoid checking references
    against a set of codes they know to be partial.
    """

    file: str
    header_line: int
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    complete: bool = True


def read_table(path: Path, spec: TableSpec) -> tuple[CsvTable | None, list[ImportIssue]]:
    """Read and check one CSV file; the table is None when the file cannot be used at all."""
    try:
        raw = read_regular_file(path, spec.file)
    except FileRefused as exc:
        return None, [exc.issue]
    return read_table_bytes(raw, spec)


def read_table_bytes(raw: bytes, spec: TableSpec) -> tuple[CsvTable | None, list[ImportIssue]]:
    """Same as `read_table` for content already in memory (e.g. a member of a zip archive)."""
    text, issue = decode_utf8(raw, spec)
    if issue is not None:
        return None, [issue]
    assert text is not None
    return parse_table(text, spec)


def decode_utf8(raw: bytes, spec: TableSpec) -> tuple[str | None, ImportIssue | None]:
    """Decode UTF-8 (with or without BOM), or name the line and column of the first bad byte.

    A file saved as ISO-8859-15 or Windows-1252 with accented letters fails here, which is the
    point: guessing the encoding would silently corrupt labels.
    """
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM) :]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        start = exc.start
    line = len(_NEWLINE.findall(raw[:start].decode("utf-8"))) + 1
    column = _column_of_undecodable(raw.decode("utf-8", "surrogateescape"), line)
    issue = ImportIssue(
        spec.file, "bad_encoding", line=line, column=column, params={"byte": f"0x{raw[start]:02X}"}
    )
    return None, issue


def _column_of_undecodable(text: str, line: int) -> str | None:
    """The header name of the field holding the first undecodable byte, when it can be told."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    previous_end = 0
    try:
        for fields in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                if previous_end >= line:
                    return None
                header = fields
                continue
            if start <= line <= previous_end:
                for index, value in enumerate(fields):
                    if _UNDECODABLE.search(value) and index < len(header):
                        return header[index].strip()
                return None
    except csv.Error:
        return None
    return None


def parse_table(text: str, spec: TableSpec) -> tuple[CsvTable | None, list[ImportIssue]]:
    """Parse decoded CSV text: check the header, then keep rows of the right width."""
    issues: list[ImportIssue] = []
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return None, [ImportIssue(spec.file, "empty_file")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table: CsvTable | None = None
    width = 0
    previous_end = 0
    while True:
        try:
            for fields in reader:
                line, previous_end = previous_end + 1, reader.line_num
                if len(fields) <= 1 and not (fields and fields[0].strip()):
                    continue  # blank line
                if table is None:
                    table = _check_header(fields, line, spec, issues)
                    if table is None:
                        return None, issues
                    width = len(fields)
                elif len(fields) != width:
                    issues.append(
                        ImportIssue(
                            spec.file,
                            "wrong_field_count",
                            line=line,
                            params={"found": len(fields), "expected": width},
                        )
                    )
                    table.complete = False
                else:
                    table.rows.append((line, fields))
            break
        except csv.Error as exc:
            line, previous_end = previous_end + 1, reader.line_num
            issues.append(_quoting_issue(spec.file, line, str(exc)))
            if table is None:
                return None, issues
            table.complete = False
    return table, issues


def _quoting_issue(file: str, line: int, message: str) -> ImportIssue:
    """Translate the csv module's complaint; an oversized field means a quote left open."""
    if "expected after" in message:
        return ImportIssue(file, "bad_quote", line=line)
    if "field larger" in message:
        return ImportIssue(
            file, "field_over_limit", line=line, params={"limit": csv.field_size_limit()}
        )
    if "unexpected end" in message:
        return ImportIssue(file, "unclosed_quote", line=line)
    return ImportIssue(file, "unreadable", line=line, params={"detail": message})


def _check_header(
    fields: list[str], line: int, spec: TableSpec, issues: list[ImportIssue]
) -> CsvTable | None:
    """Map known column names to positions; None (with issues) when the header is unusable."""
    names = [name.strip().lower() for name in fields]
    missing = [column for column in spec.required if column not in names]
    delimiter = _wrong_delimiter(fields, names, missing)
    if delimiter is not None:
        code = "wrong_delimiter_tab" if delimiter == "\t" else "wrong_delimiter"
        issues.append(ImportIssue(spec.file, code, line=line, params={"found": delimiter}))
        return None
    usable = True
    known = set(spec.known)
    columns: dict[str, int] = {}
    for position, (original, name) in enumerate(zip(fields, names, strict=True), start=1):
        if name in columns:
            issues.append(
                ImportIssue(
                    spec.file,
                    "duplicate_column",
                    line=line,
                    column=original.strip(),
                    params={"column": original.strip()},
                )
            )
            usable = False
        elif name in known:
            columns[name] = position - 1
        elif spec.warn_unknown:
            code = "extra_column" if name else "unnamed_column"
            params: dict[str, object] = (
                {"column": original.strip()} if name else {"position": position}
            )
            issues.append(
                ImportIssue(
                    spec.file,
                    code,
                    line=line,
                    column=original.strip() or None,
                    severity="warning",
                    params=params,
                )
            )
    for column in missing:
        issues.append(
            ImportIssue(
                spec.file, "missing_column", line=line, column=column, params={"column": column}
            )
        )
    if missing or not usable:
        return None
    return CsvTable(spec.file, line, columns)


def _wrong_delimiter(fields: list[str], names: list[str], missing: list[str]) -> str | None:
    """The semicolon or tab the header was written with, when it was not written with commas."""
    for delimiter in (";", "\t"):
        if len(fields) == 1 and delimiter in fields[0]:
            return delimiter
        if missing:
            split = {part.strip().lower() for name in names for part in name.split(delimiter)}
            if any(column in split for column in missing):
                return delimiter
    return None


def normalise_line_breaks(value: str) -> str:
    """CRLF and lone CR inside a value become LF, the one line break the bundle writes."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


@cache
def _members_by_value(allowed: type[E]) -> dict[str, E]:
    return {member.value: member for member in allowed}


class RowReader:
    """Reads the cells of one row at a time by column name, recording an issue per bad value.

    Values are stripped of surrounding spaces. Each accessor returns a usable value or, after
    recording an error, an empty string or None; `ok` tells whether the current row is clean.
    One instance is reused for all the rows of a table (call `start` for each row).
    """

    __slots__ = ("_columns", "_file", "_issues", "fields", "line", "ok")

    def __init__(self, table: CsvTable, issues: list[ImportIssue]) -> None:
        self._columns = table.columns
        self._file = table.file
        self._issues = issues
        self.fields: list[str] = []
        self.line = 0
        self.ok = True

    def start(self, line: int, fields: list[str]) -> None:
        self.line, self.fields, self.ok = line, fields, True

    def error(self, code: str, column: str | None = None, **params: object) -> None:
        """Record an error on the current row (also used for cross-file checks)."""
        self._issues.append(ImportIssue(self._file, code, self.line, column, params=params))
        self.ok = False

    def text(self, column: str, *, required: bool = False) -> str:
        """The stripped value, line breaks inside it as LF; an absent optional column is empty."""
        index = self._columns.get(column)
        value = "" if index is None else self.fields[index].strip()
        if "\r" in value:
            value = normalise_line_breaks(value)
        if value[:1] == "'":
            value = restore(value)  # a cell our export neutralised (careerpath.data.csv_cells)
        if len(value) > MAX_FIELD_CHARS:
            self.error("field_too_long", column, length=len(value), limit=MAX_FIELD_CHARS)
            return ""
        if (match := CONTROL_CHARACTERS.search(value)) is not None:
            self.error("control_character", column, char=f"U+{ord(match.group()):04X}")
            return ""
        if required and not value:
            self.error("required", column)
        return value

    def integer(
        self,
        column: str,
        minimum: int,
        maximum: int,
        *,
        required: bool = True,
        range_code: str = "out_of_range",
    ) -> int | None:
        """A whole number within [minimum, maximum]; empty gives None when not required."""
        value = self.text(column, required=required)
        if not value:
            return None
        number = _DIGITS.get(value)
        if number is None:
            if not _INTEGER.fullmatch(value):
                self.error("not_integer", column, value=value)
                return None
            number = int(value)
        if not minimum <= number <= maximum:
            self.error(range_code, column, value=value, minimum=minimum, maximum=maximum)
            return None
        return number

    def number(self, column: str) -> float | None:
        """A required non-negative number; a decimal comma ("12,5") is accepted."""
        value = self.text(column, required=True)
        if not value:
            return None
        if not _NUMBER.fullmatch(value):
            self.error("not_number", column, value=value)
            return None
        number = float(value.replace(",", "."))
        if number != number or number in (float("inf"), float("-inf")):
            self.error("not_number", column, value=value)
            return None
        if number < 0:
            self.error("negative", column, value=value)
            return None
        return number

    def boolean(self, column: str) -> bool | None:
        """A required yes/no value: true/false, oui/non, yes/no, 1/0, in any case."""
        value = self.text(column, required=True)
        if not value:
            return None
        word = value.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error("bad_boolean", column, value=value)
        return None

    def choice(self, column: str, allowed: type[E]) -> E | None:
        """A required member of a StrEnum, matched case-insensitively on its value."""
        value = self.text(column, required=True)
        if not value:
            return None
        members = _members_by_value(allowed)
        member = members.get(value) or members.get(value.lower())
        if member is None:
            self.error("bad_choice", column, value=value, allowed=", ".join(members))
        return member
