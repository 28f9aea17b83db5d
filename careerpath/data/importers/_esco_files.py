"""Finding the ESCO CSV files, whether zipped (the official archives) or extracted in a folder.

ESCO is published as archives whose members carry a language suffix (`skills_en.csv`) except
the relations (`occupationSkillRelations.csv`). Files are found by name inside every zip of a
folder, a single zip, or a folder of extracted CSVs (extracted files win over zipped ones).
"""

from __future__ import annotations

import re
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from careerpath.data.errors import ImportIssue
from careerpath.data.importers._rome_esco_tables import IssueLog, TableSource
from careerpath.data.importers.limits import (
    MAX_ARCHIVE_BYTES,
    FileRefused,
    check_regular_file,
    check_zip_member,
    open_regular_file,
    open_zip_member,
    os_error_issue,
)

_VERSION = re.compile(r"v(\d+(?:\.\d+)+)", re.I)
_PREFERRED_LANGUAGE = "en"


@dataclass(frozen=True)
class EscoFiles:
    """The CSV files reachable from the path given by the user, by file name."""

    sources: dict[str, TableSource]
    version: str

    def find(self, stem: str) -> TableSource | None:
        """`stem.csv`, or its language variant, English first (e.g. `skills_en.csv`)."""
        pattern = re.compile(rf"{re.escape(stem)}(_[a-z]{{2}}(-[a-z]+)?)?\.csv", re.I)
        names = [n for n in self.sources if pattern.fullmatch(n)]
        preferred = [f"{stem}_{_PREFERRED_LANGUAGE}.csv".casefold(), f"{stem}.csv".casefold()]
        names.sort(key=lambda n: (_rank(n.casefold(), preferred), n))
        return self.sources[names[0]] if names else None


def _rank(name: str, preferred: list[str]) -> int:
    return preferred.index(name) if name in preferred else len(preferred)


def find_esco_files(path: Path, log: IssueLog, stack: ExitStack) -> EscoFiles:
    """Index the CSV files under `path`; zips stay open until `stack` closes."""
    sources: dict[str, TableSource] = {}
    if path.is_dir():
        for archive in sorted(path.glob("*.zip")):
            _add_zip(archive, sources, log, stack)
        for csv_path in sorted(path.rglob("*.csv")):
            sources[csv_path.name] = _file_source(csv_path)
    elif path.exists():
        _add_zip(path, sources, log, stack)
    else:
        log.missing_file(str(path))
    return EscoFiles(sources=sources, version=_version(path))


def _add_zip(path: Path, sources: dict[str, TableSource], log: IssueLog, stack: ExitStack) -> None:
    """Index an archive's CSV members, refusing the archive if a member is a zip bomb."""
    try:
        check_regular_file(path, path.name, MAX_ARCHIVE_BYTES)
        archive = stack.enter_context(zipfile.ZipFile(path))
    except FileRefused as exc:
        log.add(exc.issue)
        return
    except (zipfile.BadZipFile, EOFError, ValueError):
        log.add(ImportIssue(path.name, "bad_zip"))
        return
    except OSError as exc:
        log.add(os_error_issue(path.name, exc))
        return
    found: dict[str, TableSource] = {}
    total = 0
    for info in archive.infolist():
        member = PurePosixPath(info.filename)
        if info.is_dir() or member.suffix.lower() != ".csv" or "__MACOSX" in member.parts:
            continue
        issue = check_zip_member(path.name, info, total)
        if issue is not None:
            log.add(issue)
            return
        total += info.file_size
        found.setdefault(member.name, _member_source(archive, path.name, info))
    for name, source in found.items():
        sources.setdefault(name, source)


def _member_source(
    archive: zipfile.ZipFile, archive_name: str, info: zipfile.ZipInfo
) -> TableSource:
    return TableSource(
        name=f"{archive_name}/{info.filename}",
        open=lambda: open_zip_member(archive, archive_name, info),
    )


def _file_source(path: Path) -> TableSource:
    return TableSource(name=path.name, open=lambda: open_regular_file(path, path.name))


def _version(path: Path) -> str:
    """The ESCO release named in the archives' or the folder's names, e.g. "v1.1.1"."""
    names = [path.name]
    if path.is_dir():
        names = sorted(p.name for p in path.glob("*.zip")) + names
    for name in names:
        match = _VERSION.search(name)
        if match:
            return f"v{match[1]}"
    return ""
