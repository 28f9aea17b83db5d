"""QR codes (segno) and the public links they carry, for the classroom display and posters.

Links given out of the app are built on the configured public address
(`CAREERPATH_PUBLIC_URL`), never on a request's Host or Origin header, which the client sets.
"""

from __future__ import annotations

from urllib.parse import quote

import segno

from careerpath.config import load_settings


def public_link(path: str, base: str | None = None) -> str:
    """The absolute address of an app path (`/ecoles/bts-sam`) people open from outside."""
    root = (base if base is not None else load_settings().public_url).rstrip("/")
    return root + quote("/" + path.lstrip("/"), safe="/-_.~")


def short_text(link: str) -> str:
    """A link as people type it: without the scheme."""
    return link.split("://", 1)[-1]


def qr_code(link: str) -> segno.QRCode:
    """Error correction M: still readable from the back of a room with a projector's blur."""
    return segno.make_qr(link, error="m")


def qr_svg_data_uri(link: str) -> str:
    """The QR code as an SVG data URI (black on white, quiet zone included), for an <img>."""
    return str(qr_code(link).svg_data_uri(scale=10, border=4, dark="#000000", light="#ffffff"))


def qr_modules(link: str) -> list[list[bool]]:
    """The QR code's dark modules row by row, quiet zone included (what a PDF draws)."""
    return [[bool(cell) for cell in row] for row in qr_code(link).matrix_iter(border=4)]
