"""The printable poster of a diploma's map and the QR codes: read back, rendered, decoded."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from careerpath.data.importers.bundle import read_bundle
from careerpath.domain.referential import Referential
from careerpath.services import qr
from careerpath.services.school_poster import poster, render_poster
from careerpath.services.schools import UnknownDiploma

CURATED = Path(__file__).resolve().parents[2] / "careerpath" / "data" / "curated"
PUBLIC = "https://careerpath.example.fr"


@pytest.fixture(scope="module")
def curated() -> Referential:
    return read_bundle(CURATED).referential


@pytest.fixture(autouse=True)
def public_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", PUBLIC + "/")


def test_links_given_out_use_the_configured_public_address() -> None:
    assert qr.public_link("/ecoles/bts-sam") == f"{PUBLIC}/ecoles/bts-sam"
    assert qr.public_link("c/ABC234") == f"{PUBLIC}/c/ABC234"
    assert qr.short_text(qr.public_link("/c/ABC234")) == "careerpath.example.fr/c/ABC234"
    # Whatever the path holds, it stays a path on our address.
    assert qr.public_link("/ecoles/x y?z=1#w").startswith(f"{PUBLIC}/ecoles/x%20y%3Fz%3D1%23w")


def test_the_qr_svg_decodes_to_its_link() -> None:
    uri = qr.qr_svg_data_uri(f"{PUBLIC}/ecoles/bts-sam")
    assert uri.startswith("data:image/svg+xml")
    modules = qr.qr_modules(f"{PUBLIC}/ecoles/bts-sam")
    size = len(modules)
    image = Image.new("L", (size * 8, size * 8), 255)
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                image.paste(0, (c * 8, r * 8, c * 8 + 8, r * 8 + 8))
    assert [x.text for x in zxingcpp.read_barcodes(image)] == [f"{PUBLIC}/ecoles/bts-sam"]


@pytest.mark.parametrize(("paper", "points"), [("A4", (595, 842)), ("A3", (842, 1191))])
def test_the_poster_is_one_page_of_the_map_with_a_readable_qr_code(
    curated: Referential, paper: str, points: tuple[int, int]
) -> None:
    data = poster("bts-sam", paper, "fr", curated)  # type: ignore[arg-type]
    pdf = render_poster(data)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "BTS Support à l'action managériale (SAM)" in text
    assert "Proximité : ce que le diplôme apporte déjà" in text.replace("\u00a0", " ")
    for first in data.progression.first_roles:
        assert first.title.split("·")[0] in text
        for move in data.progression.next_steps[first.role]:
            assert move.title.split("·")[0] in text
    assert "careerpath.example.fr/ecoles/bts-sam" in text
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=1.5).to_pil().convert("L")
    assert [x.text for x in zxingcpp.read_barcodes(image)] == [f"{PUBLIC}/ecoles/bts-sam"]


def test_the_poster_is_in_english_too_and_refuses_what_it_cannot_print(
    curated: Referential,
) -> None:
    text = PdfReader(io.BytesIO(render_poster(poster("bts-gpme", "A4", "en", curated))))
    assert "First jobs" in text.pages[0].extract_text()
    with pytest.raises(ValueError):
        poster("bts-sam", "A5", "fr", curated)  # type: ignore[arg-type]
    with pytest.raises(UnknownDiploma):
        poster("pas-un-diplome", "A4", "fr", curated)
