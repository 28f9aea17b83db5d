"""The phone-sized Radix stylesheet keeps what the pages use and drops what they cannot."""

from __future__ import annotations

import re
from functools import cache
from typing import get_args

import pytest
from reflex.config import get_config
from reflex_components_radix.themes.base import LiteralAccentColor

from careerpath.ui.lean_theme import LeanRadixThemesPlugin, drop_breakpoint_rules

RADIX_COLORS = set(get_args(LiteralAccentColor)) | {"slate", "mauve", "sage", "olive", "sand"}

SAMPLE = """
.rt-Text:where(.rt-r-size-1) { font-size: var(--font-size-1); }
.rt-Button, .xs\\:rt-r-size-1 { cursor: pointer; }
.md\\:rt-r-display-none { display: none; }
@media (hover: hover) { .rt-Button:hover { opacity: 0.9; } }
@media (min-width: 520px) {
    .rt-Text:where(.xs\\:rt-r-size-1) { font-size: var(--font-size-1); }
    .rt-Dialog { max-width: 30rem; }
}
@media (min-width: 768px) {
    .rt-Text:where(.sm\\:rt-r-size-2), .rt-Text:where(.sm\\:rt-r-size-3) { color: red; }
}
"""


def test_breakpoint_rules_go_and_everything_else_stays() -> None:
    lean = drop_breakpoint_rules(SAMPLE)
    assert "xs\\:rt-r-size-1) {" not in lean
    assert "sm\\:" not in lean and "md\\:" not in lean
    assert "@media (min-width: 768px)" not in lean  # nothing left in it
    # Plain rules, a selector list that also matches without a breakpoint, other media.
    assert ".rt-Text:where(.rt-r-size-1)" in lean
    assert ".rt-Button, .xs\\:rt-r-size-1 { cursor: pointer; }" in lean
    assert "@media (hover: hover) { .rt-Button:hover { opacity: 0.9; } }" in lean
    assert re.search(
        r"@media \(min-width: 520px\) \{\s*\.rt-Dialog \{ max-width: 30rem; \}\}", lean
    )


def test_an_unclosed_block_is_reported() -> None:
    with pytest.raises(ValueError, match="unclosed"):
        drop_breakpoint_rules(".rt-Text { color: red;")


@cache
def rendered_pages() -> dict[str, str]:
    """Every page's compiled JSX, as Reflex writes it into the frontend build."""
    from careerpath.ui.app import app

    app._apply_decorated_pages()
    return {route: str(page.component()) for route, page in app._unevaluated_pages.items()}


def lean_plugin() -> LeanRadixThemesPlugin:
    plugins = [p for p in get_config().plugins if isinstance(p, LeanRadixThemesPlugin)]
    assert len(plugins) == 1, "rxconfig.py must use LeanRadixThemesPlugin for Radix Themes"
    return plugins[0]


def test_no_page_passes_a_responsive_prop_to_a_radix_component() -> None:
    # {"initial": …, "sm": …} would select breakpoint classes the stylesheet does not carry.
    offenders = [route for route, jsx in rendered_pages().items() if '["initial"]' in jsx]
    assert not offenders, f"responsive Radix props on: {offenders}; use a cp- CSS class"


def test_every_colour_a_page_names_is_in_the_stylesheet() -> None:
    named: set[str] = set()
    for jsx in rendered_pages().values():
        for expression in re.findall(r"\bcolor:([^,}]+)", jsx):
            named.update(w for w in re.findall(r'"(\w+)"', expression) if w in RADIX_COLORS)
    assert named, "the pages name no Radix colour: the scan no longer reads the JSX"
    assert named <= set(lean_plugin().colors)


def test_the_theme_colours_are_in_the_stylesheet() -> None:
    plugin = lean_plugin()
    assert plugin.theme is not None
    theme = str(plugin.theme.render())
    for prop in ("accentColor", "grayColor"):
        found = re.search(prop + r'[^\w]+"?(\w+)', theme)
        assert found, f"the theme has no {prop}"
        assert found.group(1) in plugin.colors
