"""The layers keep their direction of imports (see docs/architecture.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "careerpath"
DATABASE_MODULES = ("sqlmodel", "sqlalchemy", "alembic", "psycopg", "sqlite3", "redis")

FORBIDDEN = {
    "domain": (
        "reflex",
        *DATABASE_MODULES,
        "careerpath.data",
        "careerpath.services",
        "careerpath.ui",
        "careerpath.api",
        "careerpath.cli",
    ),
    "data": ("reflex", "careerpath.services", "careerpath.ui", "careerpath.api", "careerpath.cli"),
    "services": ("reflex", "careerpath.ui", "careerpath.api", "careerpath.cli"),
    "ui": ("careerpath.data",),
    # The HTTP API is an adapter like the UI: it calls services, never the tables.
    "api": ("reflex", *DATABASE_MODULES, "careerpath.data", "careerpath.ui", "careerpath.cli"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_never_imports_what_sits_above_it(layer: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_importing_the_domain_loads_no_web_framework_nor_database() -> None:
    code = (
        "import sys, pkgutil, importlib, careerpath.domain as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'careerpath.domain.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {('reflex', *DATABASE_MODULES)!r}]\n"
        "print(','.join(sorted(bad)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
