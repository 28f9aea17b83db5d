"""Radix Themes with a stylesheet cut to what careerpath's pages can use.

Radix's `styles.css` (~800 KB unminified, ~83 KB gzipped) carries the tokens of its 30
colours and, for every component and utility class, five copies prefixed by a breakpoint
(`xs:` … `xl:`) that only a responsive prop (`size={"initial": …, "sm": …}`) can select.
careerpath passes no responsive prop to a Radix component (phone-first layouts adapt with
our own CSS) and uses a handful of colours, so the stylesheet built here keeps:

- the base tokens and the colour files listed in `LeanRadixThemesPlugin.colors`;
- `components.css` and `utilities.css` without their breakpoint-prefixed rules.

That is ~290 KB unminified (36 KB gzipped in the build): less to download before the first
paint and less for a phone to parse. `tests/unit/test_lean_theme.py` fails when a page starts using a
responsive Radix prop or a colour the stylesheet does not carry.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reflex.utils.prerequisites import get_web_dir
from reflex_components_radix.plugin import RadixThemesPlugin

STYLESHEET_NAME = "radix-themes-careerpath.css"
"""Written next to Reflex's root stylesheet (`.web/styles/`), which imports it."""

RADIX_PACKAGE = Path("node_modules") / "@radix-ui" / "themes"
BREAKPOINT_PREFIX = re.compile(r"(?<![\w-])(?:xs|sm|md|lg|xl)\\:")
"""How Radix names a class that applies from a breakpoint up: `.md\\:rt-r-size-2`."""
WIDTH_MEDIA = re.compile(r"^@media\s*\(min-width:\s*\d+px\)$")


def css_blocks(css: str) -> Iterator[tuple[str, str | None]]:
    """Top-level (prelude, body) pairs of a stylesheet; trailing text comes with body None.

    Radix's sources hold no comments or strings with braces, so matching braces is enough.
    """
    position = 0
    while position < len(css):
        opening = css.find("{", position)
        if opening < 0:
            yield css[position:], None
            return
        depth, cursor = 1, opening + 1
        while depth:
            if cursor >= len(css):
                raise ValueError("malformed stylesheet: unclosed brace")
            depth += {"{": 1, "}": -1}.get(css[cursor], 0)
            cursor += 1
        yield css[position:opening], css[opening + 1 : cursor - 1]
        position = cursor


def is_breakpoint_rule(prelude: str) -> bool:
    """True when every selector of the rule needs a breakpoint-prefixed class."""
    selectors = prelude.split(",")
    return all(BREAKPOINT_PREFIX.search(selector) for selector in selectors)


def drop_breakpoint_rules(css: str) -> str:
    """The stylesheet without the rules that only responsive props can select."""
    kept: list[str] = []
    for prelude, body in css_blocks(css):
        if body is None:
            kept.append(prelude)
            continue
        head = prelude.strip()
        if WIDTH_MEDIA.match(head):
            inner = "".join(
                f"{inner_prelude}{{{inner_body}}}"
                for inner_prelude, inner_body in css_blocks(body)
                if inner_body is not None and not is_breakpoint_rule(inner_prelude)
            )
            if inner:
                kept.append(f"{prelude}{{{inner}}}")
        elif head.startswith("@") or not is_breakpoint_rule(prelude):
            kept.append(f"{prelude}{{{body}}}")
    return "".join(kept)


def lean_radix_stylesheet(package_dir: Path, colors: Sequence[str]) -> str:
    """careerpath's cut of Radix Themes, read from the installed npm package."""
    missing = [c for c in colors if not (package_dir / "tokens" / "colors" / f"{c}.css").exists()]
    if missing:
        raise ValueError(f"Radix Themes has no such colours: {', '.join(missing)}")
    parts = [(package_dir / "tokens" / "base.css").read_text(encoding="utf-8")]
    parts += [
        (package_dir / "tokens" / "colors" / f"{color}.css").read_text(encoding="utf-8")
        for color in dict.fromkeys(colors)
    ]
    for name in ("components.css", "utilities.css"):
        parts.append(drop_breakpoint_rules((package_dir / name).read_text(encoding="utf-8")))
    return "\n".join(parts)


@dataclasses.dataclass
class LeanRadixThemesPlugin(RadixThemesPlugin):  # type: ignore[misc]  # untyped package
    """Radix Themes, imported through `lean_radix_stylesheet` instead of `styles.css`.

    `colors`: every Radix colour a page may name (the theme's accent and gray included).
    """

    colors: tuple[str, ...] = ("teal", "slate", "gray", "red", "amber")

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return (f"./{STYLESHEET_NAME}",) if self.enabled else ()

    def get_static_assets(self, **context: Any) -> Sequence[tuple[Path, str | bytes]]:
        # Reflex asks for static assets after it installed the npm packages, so the
        # package's sources are there even on a first build.
        if not self.enabled:
            return ()
        package_dir = get_web_dir() / RADIX_PACKAGE
        stylesheet = lean_radix_stylesheet(package_dir, self.colors)
        return ((Path("styles") / STYLESHEET_NAME, stylesheet),)
