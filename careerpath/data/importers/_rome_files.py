"""Finding the ROME 4.0 open-data files in a folder, whatever the release number.

France Travail names every file `unix_<table>_v<release>_utf8.csv` (e.g. `v460` for ROME 4.0
version 60); the release is read from the names so that a later one (v461…) works unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from careerpath.data.importers._rome_esco_tables import TableSource
from careerpath.data.importers.limits import FileRefused, open_regular_file, read_regular_file

_FILE_NAME = re.compile(r"^unix_(?P<table>[a-z_]+?)_v(?P<release>\d+)_utf8\.csv$")
_MAIN_TABLE = "referentiel_code_rome"
_PUBLICATION_DATE = re.compile(r"date de publication\s*:\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.I)


@dataclass(frozen=True)
class RomeFiles:
    """The files of one ROME release found in a folder."""

    release: str
    paths: dict[str, Path]

    def expected_name(self, table: str) -> str:
        release = self.release or "*"
        return f"unix_{table}_v{release}_utf8.csv"

    def source(self, table: str) -> TableSource | None:
        path = self.paths.get(table)
        if path is None:
            return None
        return TableSource(name=path.name, open=lambda: open_regular_file(path, path.name))


def find_rome_files(directory: Path) -> RomeFiles:
    """The tables of the newest release present (judged by the fiches file when there is one)."""
    by_release: dict[str, dict[str, Path]] = {}
    for path in sorted(directory.iterdir()):
        match = _FILE_NAME.match(path.name)
        if match:  # a FIFO or a folder of that name is refused when read, with the reason
            by_release.setdefault(match["release"], {})[match["table"]] = path
    if not by_release:
        return RomeFiles(release="", paths={})
    with_main = [r for r, tables in by_release.items() if _MAIN_TABLE in tables]
    release = max(with_main or by_release, key=int)
    return RomeFiles(release=release, paths=by_release[release])


def publication_date(directory: Path) -> str:
    """The publication date in `version.txt` as YYYY-MM-DD, or "" when it is not there."""
    match = _PUBLICATION_DATE.search(release_note(directory))
    if match is None:
        return ""
    day, month, year = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


_FICHE_COUNT = re.compile(
    r"compte\s+(?:toujours\s+|désormais\s+)?(\d[\d\s\u202f\u00a0]*)\s+fiches", re.I
)


def release_note(directory: Path) -> str:
    """The text of `version.txt` ("" when absent or not a small regular file)."""
    try:
        raw = read_regular_file(directory / "version.txt", "version.txt", 1024 * 1024)
    except FileRefused:
        return ""
    return raw.decode("utf-8", errors="replace")


def announced_fiche_count(directory: Path) -> int | None:
    """How many fiches métier the release note says the ROME has (« Le ROME compte … »)."""
    match = _FICHE_COUNT.search(release_note(directory))
    if match is None:
        return None
    return int(re.sub(r"\D", "", match[1]))
