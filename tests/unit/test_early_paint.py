"""The early paint's build step (careerpath/ui/early_paint.py): the page frame taken from a
prerendered page, the script added after everything React renders, texts in both languages.
What a phone sees is checked in tests/browser/test_early_paint.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from careerpath.ui.early_paint import (
    EARLY_SCRIPT,
    TEMPLATE_ID,
    EarlyPaintMissing,
    add_early_paint,
    add_early_paint_to_build,
    early_paint_frame,
    early_script,
    early_texts,
    has_early_paint,
)
from careerpath.ui.pwa import PwaPlugin, start_app_after_first_paint

PRERENDERED = (
    '<!DOCTYPE html><html lang="fr"><head><title>x</title></head><body>'
    '<section aria-label="Notifications"></section>'
    '<div data-is-root-theme="true" data-accent-color="teal" class="radix-themes css-0">'
    '<style data-emotion="css v">.css-v{min-height:100vh;}</style><div class="rt-Box css-v">'
    '<style data-emotion="css h">.css-h{width:100%;}</style><header class="css-h">'
    '<a href="/">careerpath</a>'
    '<button data-accent-color="" data-pwa-install="" type="button" class="rt-Button">'
    "Installer l&#x27;application</button></header>"
    '<style data-emotion="css m">.css-m{padding-top:1.5rem;}</style>'
    '<main id="contenu" lang="fr" class="css-m">'
    '<style data-emotion="css s">.css-s{width:100%;}</style>'
    '<div class="rt-Flex rt-r-fd-column rt-r-gap-5 rx-Stack css-s"><h1>Titre</h1>'
    '<p class="cp-loading" role="status">Chargement…</p></div></main>'
    "<footer>pied</footer></div></div>"
    "<script>window.__reactRouterContext = {};</script>"
    '<script>$RC("B:1","S:1")</script></body></html>'
)


def test_the_frame_is_the_pages_header_and_an_empty_main_region() -> None:
    frame = early_paint_frame(PRERENDERED)
    assert frame is not None
    assert 'data-is-root-theme="false"' in frame and "position:absolute" in frame
    assert "<header" in frame and "careerpath" in frame
    # No second main landmark, no second #contenu, nothing of the page's own content.
    assert "<main" not in frame and 'id="contenu"' not in frame
    assert "Chargement" not in frame and "Titre" not in frame and "footer" not in frame
    assert re.search(r'<div data-early-slot="" class="rt-Flex[^"]*css-s"></div>', frame)
    # Styles kept (the client-rendered shell has none of them) but not the style engine's.
    assert ".css-m{padding-top:1.5rem;}" in frame and "data-emotion" not in frame
    # The install button keeps its size, but is neither shown nor wired by pwa.js.
    button = re.search(r"<button[^>]*>", frame)
    assert button is not None
    assert "data-pwa-install" not in button.group(0)
    assert 'disabled=""' in button.group(0) and "visibility:hidden" in button.group(0)


def test_a_page_without_the_expected_frame_gives_none() -> None:
    assert early_paint_frame("<html><body><p>autre chose</p></body></html>") is None


def test_the_script_comes_after_everything_react_renders_and_only_once() -> None:
    frame = early_paint_frame(PRERENDERED)
    assert frame is not None
    page = add_early_paint(PRERENDERED, frame)
    tail = page[page.index('<script>$RC("B:1","S:1")</script>') :]
    assert tail.startswith('<script>$RC("B:1","S:1")</script>' + f'<template id="{TEMPLATE_ID}">')
    assert tail.endswith("</script></body></html>")
    assert add_early_paint(page, frame) == page


def test_the_texts_are_french_and_english_and_the_script_is_complete() -> None:
    texts = early_texts()
    assert texts["fr"].keys() == texts["en"].keys()
    for key in texts["fr"]:
        assert texts["fr"][key] and texts["en"][key]
        if key != "locale":
            assert texts["fr"][key] != texts["en"][key], key
    assert "{date}" in texts["fr"]["note"] and "{date}" in texts["en"]["note"]
    assert texts["fr"]["note"].startswith("Dernière vue enregistrée sur cet appareil")
    code = early_script()
    assert not re.search(r"__[A-Z_]+__", code)
    # Device data is untrusted: the script builds its nodes, it never parses HTML.
    for parser in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert parser not in EARLY_SCRIPT


def test_a_build_without_the_frame_fails_instead_of_dropping_the_feature(tmp_path: Path) -> None:
    (tmp_path / "metiers.html").write_text("<html><body><p>autre</p></body></html>")
    (tmp_path / "__spa-fallback.html").write_text(PRERENDERED)
    with pytest.raises(EarlyPaintMissing):
        add_early_paint_to_build(tmp_path, "metiers.html", ["__spa-fallback.html"])


def test_a_required_page_left_without_the_early_paint_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "metiers.html").write_text(PRERENDERED)
    (tmp_path / "shell.html").write_text("<html><body></body><body></body></html>")
    with pytest.raises(EarlyPaintMissing):
        add_early_paint_to_build(
            tmp_path, "metiers.html", ["metiers.html", "shell.html"], required=("shell.html",)
        )
    changed = add_early_paint_to_build(
        tmp_path, "metiers.html", ["metiers.html"], required=("metiers.html",)
    )
    assert changed == [] and has_early_paint((tmp_path / "metiers.html").read_text())


def test_the_plugin_fails_the_build_when_the_early_paint_cannot_be_added(tmp_path: Path) -> None:
    (tmp_path / "metiers.html").write_text("<html><body><main>changé</main></body></html>")
    with pytest.raises(EarlyPaintMissing):
        PwaPlugin().post_build(static_dir=tmp_path)


def test_only_the_shell_lets_its_early_paint_start_the_app_at_once() -> None:
    page = (
        '<html><head><link rel="modulepreload" href="/assets/a.js"/></head><body>'
        '<script type="module" async="">import "/assets/a.js";</script></body></html>'
    )
    shell = start_app_after_first_paint(page, early_start=True)
    assert "window.__cpStart=start;" in shell and '<link rel="modulepreload"' not in shell
    assert "__cpStart" not in start_app_after_first_paint(page)
    # The early paint calls it whenever it paints nothing (every early return).
    assert 'if (!painted && typeof window.__cpStart === "function")' in EARLY_SCRIPT
