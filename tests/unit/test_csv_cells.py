"""CSV injection: every cell careerpath writes is safe to open in a spreadsheet."""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from careerpath.data.csv_cells import FORMULA_STARTS, csv_writer, neutralise, restore
from careerpath.data.importers.bundle import read_bundle, write_bundle
from careerpath.domain.referential import Competency, Referential, Requirement, Role, Weight

PACKAGE = Path(__file__).resolve().parents[2] / "careerpath"


def test_formula_cells_are_written_as_text() -> None:
    buffer = io.StringIO()
    csv_writer(buffer, lineterminator="\n").writerow(
        ['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "ok", 3]
    )
    cells = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert cells == ['\'=HYPERLINK("http://evil")', "'+1", "'-2", "'@SUM(A1)", "ok", "3"]
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)


@given(st.text(max_size=20))
def test_neutralised_cells_never_start_a_formula_and_read_back_equal(value: str) -> None:
    safe = neutralise(value)
    assert not safe.startswith(FORMULA_STARTS)
    assert restore(safe) == value


def test_exported_bundle_neutralises_titles_and_reads_them_back(tmp_path: Path) -> None:
    referential = Referential(
        competencies=(Competency("c1", "=1+1", "@catégorie", "-tiret"),),
        roles=(Role("r1", "+33 standard", family="=cmd|' /C calc'!A0"),),
        requirements=(Requirement("r1", "c1", 2, Weight.ESSENTIAL),),
    )
    write_bundle(referential, tmp_path)
    for path in tmp_path.glob("*.csv"):
        for row in csv.reader(path.open(encoding="utf-8", newline="")):
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row), (path.name, row)
    back = read_bundle(tmp_path).referential
    assert back.roles[0].title == "+33 standard"
    assert back.roles[0].family == "=cmd|' /C calc'!A0"
    assert back.competencies[0].label == "=1+1"


def test_no_module_writes_csv_without_the_helper() -> None:
    """Whoever adds a CSV export uses careerpath.data.csv_cells.csv_writer."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "csv_cells.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
                and node.attr in {"writer", "DictWriter"}
            ):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []
