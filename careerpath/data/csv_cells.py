"""Every CSV file careerpath writes goes through here, so a spreadsheet never runs a cell.

A cell that starts with `=`, `+`, `-`, `@` (or a tab or carriage return) is a formula for
Excel, LibreOffice and Google Sheets (« CSV injection »): `=HYPERLINK(...)` in a role title
would run on the counsellor's machine. `neutralise` prefixes such a cell with an apostrophe,
which spreadsheets show as text; `restore` undoes it when careerpath reads its own files back,
so export → import → export stays byte-identical (a value that really starts with apostrophes
before one of those characters gets one more, and loses it again on reading).

Use `csv_writer(stream)` instead of `csv.writer(stream)` for any new CSV export: its
`writerow`/`writerows` neutralise every cell. `tests/unit/test_csv_cells.py` fails if a module
of careerpath calls `csv.writer` or `csv.DictWriter` anywhere else.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PREFIX = "'"


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def _is_formula_like(value: str) -> bool:
    return value.lstrip(_PREFIX).startswith(FORMULA_STARTS)


def neutralise(value: object) -> str:
    """The cell as text, with an apostrophe in front when a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return _PREFIX + text if _is_formula_like(text) else text


def restore(value: str) -> str:
    """The value `neutralise` was given (for careerpath's readers of its own files)."""
    if value.startswith(_PREFIX) and _is_formula_like(value[1:]):
        return value[1:]
    return value


class SafeWriter:
    """A `csv.writer` whose every cell is neutralised."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: _Writable, **options: Any) -> SafeWriter:
    """The one way careerpath writes CSV (same options as `csv.writer`)."""
    return SafeWriter(stream, **options)
