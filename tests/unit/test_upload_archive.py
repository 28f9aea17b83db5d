"""An uploaded zip never writes outside its folder, whatever its members are named."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerpath.data.errors import ImportRejected
from careerpath.data.importers.archive import unpack

PARTS = st.sampled_from(["..", ".", "", "a", "b.csv", "C:", "~", "\\..", "x\\..\\.."])
NAMES = (
    st.lists(PARTS, min_size=1, max_size=5).map("/".join) | st.text(min_size=1, max_size=30)
).filter(lambda name: name.strip("/"))


@settings(max_examples=200, deadline=None)
@pytest.mark.filterwarnings("ignore:Duplicate name")
@given(names=st.lists(NAMES, min_size=1, max_size=4), absolute=st.booleans())
def test_members_land_inside_the_target_or_the_archive_is_refused(
    names: list[str], absolute: bool
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(("/" if absolute else "") + name)
            if info.filename:  # zipfile itself drops what it cannot name
                archive.writestr(info, b"code,title\n")
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        upload = root / "upload.zip"
        upload.write_bytes(buffer.getvalue())
        target = root / "inside" / "files"
        try:
            unpack(upload, "envoi.zip", target)
        except ImportRejected as rejected:
            assert rejected.errors  # refused with a reason, and nothing left behind
            assert not target.exists()
        written = {p.resolve() for p in root.rglob("*") if p.is_file()} - {upload.resolve()}
        assert all(target.resolve() in p.parents for p in written), written
