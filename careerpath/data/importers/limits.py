"""What an import accepts before reading a byte: regular files, bounded sizes, bounded archives.

Every importer (our bundle, ROME 4.0, ESCO) opens its files through `open_regular_file` and
zip members through `open_zip_member`, so that `/dev/zero`, a FIFO, a directory, a 200 MB file
or a zip bomb is refused at once with a French reason instead of filling the memory or hanging.
The limits are well above the official files (the largest, ESCO's occupationSkillRelations.csv,
is 21 MB; ROME's largest 3 MB; ESCO archives compress about 5:1).
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import zipfile
from pathlib import Path
from typing import IO, Any

from careerpath.data.errors import ImportIssue

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest CSV file (or zip member, decompressed) an import reads."""
MAX_ARCHIVE_BYTES = 512 * 1024 * 1024
"""Largest total a zip archive may decompress to."""
MAX_COMPRESSION_RATIO = 50
"""Largest decompressed/compressed ratio of a zip member (the official ones are under 7)."""
MAX_ZIP_ENTRIES = 10_000
"""Entries (files and folders) an uploaded zip may hold: the official archives hold a few
hundred; more is a zip made to exhaust the server's files and time."""
MAX_FIELD_CHARS = 20_000
"""Longest value of one CSV field (the official files' longest is 2,237 characters)."""
MAX_ERRORS_PER_FILE = 20
"""Errors listed per file; the rest are counted in one closing line."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters no label, code or description may hold (tab, LF and CR are allowed)."""

_KINDS = (
    (stat.S_ISDIR, "directory"),
    (stat.S_ISFIFO, "fifo"),
    (stat.S_ISCHR, "device"),
    (stat.S_ISBLK, "device"),
    (stat.S_ISSOCK, "socket"),
)
_ERRNO_CODES = {
    errno.EACCES: "permission_denied",
    errno.EPERM: "permission_denied",
    errno.EISDIR: "not_regular_file",
    errno.ENOENT: "missing_file",
    errno.ELOOP: "unreadable_link",
}


class FileRefused(Exception):
    """A file an import will not read, with the issue that says why."""

    def __init__(self, issue: ImportIssue) -> None:
        super().__init__(issue.reason("en"))
        self.issue = issue


def human_size(size: int) -> str:
    """1.5 Mo, 64 Mo, 4,3 Go: sizes as a French reader writes them."""
    value = float(size)
    for unit in ("o", "Ko", "Mo", "Go"):
        if value < 1024 or unit == "Go":
            text = f"{value:.1f}".rstrip("0").rstrip(".") if unit != "o" else str(int(value))
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    raise AssertionError  # pragma: no cover


def check_regular_file(path: Path, name: str, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Raise `FileRefused` unless `path` is a regular file of at most `max_bytes`.

    Checked with `stat` before opening: opening a FIFO would block until someone writes.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FileRefused(os_error_issue(name, exc)) from exc
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise FileRefused(ImportIssue(name, "not_regular_file", params={"kind": kind}))
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(ImportIssue(name, "not_regular_file", params={"kind": "other"}))
    if info.st_size > max_bytes:
        raise FileRefused(too_large(name, info.st_size, max_bytes))


def open_regular_file(path: Path, name: str, max_bytes: int = MAX_FILE_BYTES) -> IO[bytes]:
    """Open a file for reading after `check_regular_file`; reads stop at `max_bytes`."""
    check_regular_file(path, name, max_bytes)
    try:
        # O_NONBLOCK: if the file was swapped for a FIFO since the check, never hang on it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FileRefused(os_error_issue(name, exc)) from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise FileRefused(ImportIssue(name, "not_regular_file", params={"kind": "other"}))
    return bounded(os.fdopen(fd, "rb"), name, max_bytes)


def read_regular_file(path: Path, name: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    with open_regular_file(path, name, max_bytes) as handle:
        return handle.read()


def check_zip_member(
    archive_name: str, info: zipfile.ZipInfo, total_so_far: int
) -> ImportIssue | None:
    """Why a zip member must not be read (too large, too compressed), from its declared sizes."""
    name = f"{archive_name}/{info.filename}"
    if info.file_size > MAX_FILE_BYTES:
        return too_large(name, info.file_size, MAX_FILE_BYTES)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
        return ImportIssue(
            name,
            "zip_ratio",
            params={
                "size": human_size(info.file_size),
                "ratio": int(ratio),
                "limit": MAX_COMPRESSION_RATIO,
            },
        )
    if total_so_far + info.file_size > MAX_ARCHIVE_BYTES:
        return ImportIssue(
            archive_name, "archive_too_large", params={"limit": human_size(MAX_ARCHIVE_BYTES)}
        )
    return None


def open_zip_member(
    archive: zipfile.ZipFile, archive_name: str, info: zipfile.ZipInfo
) -> IO[bytes]:
    """A member's bytes, never more than its declared (and checked) size nor the file limit."""
    name = f"{archive_name}/{info.filename}"
    return bounded(archive.open(info), name, min(info.file_size, MAX_FILE_BYTES))


def too_large(name: str, size: int, limit: int) -> ImportIssue:
    return ImportIssue(
        name, "file_too_large", params={"size": human_size(size), "limit": human_size(limit)}
    )


def os_error_issue(name: str, exc: OSError) -> ImportIssue:
    """The French reason for an operating-system error (never its English strerror)."""
    code = _ERRNO_CODES.get(exc.errno or 0, "unreadable_os")
    params: dict[str, object] = {"kind": "directory"} if code == "not_regular_file" else {}
    if code == "unreadable_os":
        params = {"errno": errno.errorcode.get(exc.errno or 0, "?")}
    return ImportIssue(name, code, params=params)


class _BoundedRaw(io.RawIOBase):
    """A raw stream that raises `FileRefused` instead of yielding more than `limit` bytes."""

    def __init__(self, raw: IO[bytes], name: str, limit: int) -> None:
        self._raw = raw
        self._name = name
        self._limit = limit
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(min(len(buffer), self._limit + 1 - self._read))
        self._read += len(data)
        if self._read > self._limit:
            raise FileRefused(too_large(self._name, self._read, self._limit))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def bounded(raw: IO[bytes], name: str, limit: int) -> IO[bytes]:
    """`raw`, buffered, raising `FileRefused` past `limit` bytes."""
    return io.BufferedReader(_BoundedRaw(raw, name, limit), buffer_size=256 * 1024)
