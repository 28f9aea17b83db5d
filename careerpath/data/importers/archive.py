"""Unpack an uploaded zip (a bundle folder, a ROME 4.0 directory, the ESCO archives) safely.

The administration page receives one zip; the importers read directories. Every member is
checked before a byte is written (`limits.check_zip_member`: size, compression ratio, total;
at most `MAX_ZIP_ENTRIES` entries),
no member may leave the target directory (absolute paths, `..`, links), and a folder zipped
as a whole (`bundle/…`) is opened at that folder, so the importers see the same layout as on
the command line. Problems are `ImportIssue`s, reported like every import error.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from careerpath.data.errors import ImportIssue, ImportRejected
from careerpath.data.importers.limits import (
    MAX_ZIP_ENTRIES,
    FileRefused,
    check_zip_member,
    open_zip_member,
)

_SKIPPED = ("__MACOSX/", ".DS_Store")


def _safe_name(filename: str) -> PurePosixPath | None:
    path = PurePosixPath(filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return None
    return path


def unpack(archive_path: Path, archive_name: str, target: Path) -> Path:
    """Extract `archive_path` into `target`; return the directory an importer should read.

    Raises `ImportRejected` (with nothing left in `target`) on a bad or unsafe archive.
    """
    target.mkdir(parents=True, exist_ok=True)
    try:
        try:
            archive = zipfile.ZipFile(archive_path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportRejected([ImportIssue(archive_name, "bad_zip")]) from exc
        with archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ImportRejected(
                    [
                        ImportIssue(
                            archive_name,
                            "too_many_members",
                            params={"found": len(entries), "limit": MAX_ZIP_ENTRIES},
                        )
                    ]
                )
            total = 0
            members: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
            for info in entries:
                if info.is_dir() or any(part in info.filename for part in _SKIPPED):
                    continue
                name = _safe_name(info.filename)
                mode = info.external_attr >> 16
                if name is None or stat.S_ISLNK(mode):
                    raise ImportRejected(
                        [
                            ImportIssue(
                                archive_name, "unsafe_member", params={"value": info.filename}
                            )
                        ]
                    )
                issue = check_zip_member(archive_name, info, total)
                if issue is not None:
                    raise ImportRejected([issue])
                total += info.file_size
                members.append((info, name))
            if not members:
                raise ImportRejected([ImportIssue(archive_name, "empty_archive")])
            for info, name in members:
                destination = target.joinpath(*name.parts)
                try:
                    # Inside the try: a member named like another member's folder ("a"
                    # and "a/b.csv") cannot be written, and is refused like a corrupt one.
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with (
                        open_zip_member(archive, archive_name, info) as source,
                        destination.open("wb") as sink,
                    ):
                        shutil.copyfileobj(source, sink)
                except FileRefused as refused:
                    raise ImportRejected([refused.issue]) from refused
                except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
                    raise ImportRejected(
                        [ImportIssue(f"{archive_name}/{info.filename}", "corrupt_member")]
                    ) from exc
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return _root(target)


def _root(directory: Path) -> Path:
    """The one folder the archive holds, when it holds nothing else (a zipped folder)."""
    while True:
        entries = [p for p in directory.iterdir()]
        if len(entries) == 1 and entries[0].is_dir():
            directory = entries[0]
            continue
        return directory
