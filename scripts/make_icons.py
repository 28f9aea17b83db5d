"""Render the app's PNG icons from `assets/icon.svg` (run again whenever the SVG changes).

Writes into `assets/icons/`:
- `icon-192.png`, `icon-512.png`: the icon as drawn (rounded square, transparent corners);
- `maskable-512.png`: full-bleed background with the drawing shrunk into the central safe
  zone, so that Android's circle or squircle mask never cuts the path or the dots;
- `apple-touch-icon.png` (180 px): full-bleed too, since iOS rounds the corners itself and
  would paint transparent corners black.

The SVG is rendered by the Debian Chromium the browser tests use (through Playwright), so
no native SVG library is needed and the script works offline.

Usage: .venv/bin/python scripts/make_icons.py [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import io
import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "assets" / "icon.svg"
OUT_DIR = ROOT / "assets" / "icons"
SVG_NS = "http://www.w3.org/2000/svg"
# The maskable safe zone is a centred circle whose diameter is 80 % of the icon's width.
# The drawing reaches 198/512 of the width from the centre at most; at 85 % it stays within
# 168/512, comfortably inside the zone's radius of 205/512.
MASKABLE_SCALE = 0.85


def full_bleed_svg(svg_text: str, scale: float) -> str:
    """The same drawing on a square background filling the canvas, scaled about the centre.

    The first `<rect>` of the source is taken as its background: its fill colour covers the
    whole canvas and every other element is drawn on top, shrunk by `scale`.
    """
    ET.register_namespace("", SVG_NS)
    root = ET.fromstring(svg_text)
    children = list(root)
    background = next(c for c in children if c.tag == f"{{{SVG_NS}}}rect")
    min_x, min_y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    cx, cy = min_x + width / 2, min_y + height / 2
    for child in children:
        root.remove(child)
    ET.SubElement(
        root,
        f"{{{SVG_NS}}}rect",
        {
            "x": str(min_x),
            "y": str(min_y),
            "width": str(width),
            "height": str(height),
            "fill": background.attrib["fill"],
        },
    )
    group = ET.SubElement(
        root,
        f"{{{SVG_NS}}}g",
        {"transform": f"translate({cx} {cy}) scale({scale}) translate({-cx} {-cy})"},
    )
    for child in children:
        if child is not background:
            group.append(child)
    return ET.tostring(root, encoding="unicode")


def render_png(page, svg_text: str, size: int) -> bytes:  # type: ignore[no-untyped-def]
    """Rasterise an SVG at `size`×`size` px with a transparent background."""
    page.set_viewport_size({"width": size, "height": size})
    page.set_content(
        "<!doctype html><html><head><style>"
        "html,body{margin:0;padding:0;background:transparent}"
        f"svg{{display:block;width:{size}px;height:{size}px}}"
        f"</style></head><body>{svg_text}</body></html>"
    )
    shot = page.screenshot(
        omit_background=True, clip={"x": 0, "y": 0, "width": size, "height": size}
    )
    return bytes(shot)


def save_optimised(png: bytes, path: Path, opaque: bool) -> None:
    image = Image.open(io.BytesIO(png))
    image = image.convert("RGB") if opaque else image.convert("RGBA")
    image.save(path, format="PNG", optimize=True)


def make_icons(chromium: str) -> list[Path]:
    svg = SOURCE.read_text(encoding="utf-8")
    full_bleed = full_bleed_svg(svg, MASKABLE_SCALE)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    targets = [
        ("icon-192.png", svg, 192, False),
        ("icon-512.png", svg, 512, False),
        ("maskable-512.png", full_bleed, 512, True),
        ("apple-touch-icon.png", full_bleed, 180, True),
    ]
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(device_scale_factor=1)
        for name, text, size, opaque in targets:
            path = OUT_DIR / name
            save_optimised(render_png(page, text, size), path, opaque)
            written.append(path)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    for path in make_icons(args.chromium):
        with Image.open(path) as image:
            print(
                f"{path.relative_to(ROOT)}: {image.width}×{image.height}, {path.stat().st_size} B"
            )


if __name__ == "__main__":
    main()
