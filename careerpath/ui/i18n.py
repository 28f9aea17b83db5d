"""French first, English on request: `tr("Suivant", "Next")` picks by the device's language."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from careerpath.ui.states.device import DeviceState


def french_spacing(text: str) -> str:
    """No line break inside « … » nor before : ; ? ! (no-break spaces, as French prints)."""
    text = text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    for mark in (":", ";", "?", "!"):
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text


def tr(fr: str, en: str) -> Var[str]:
    """The French text, or the English one when the person switched to English."""
    chosen: Var[str] = rx.cond(DeviceState.is_english, en, french_spacing(fr)).to(str)
    return chosen


def lang_attr() -> Var[str]:
    """The language of the page's main content, for screen readers."""
    return tr("fr", "en")
