"""The last results viewed, kept on the device for the offline page.

A result page's state, once loaded, hands what it shows (already formatted for the screen)
to the head script's `careerpathDevice.keep`; the static page assets/hors-ligne.html reads it
back when the network is gone. Only what the page displays is kept: no business rule here,
and nothing the person could not already read on the screen.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from reflex.event import EventSpec

PROFILE = "profil"
ROLES = "metiers"
PLAN = "objectif"
STEP = "etape"


def keep_on_device(name: str, view: dict[str, Any]) -> EventSpec:
    """An event that stores `view` under `name` in the browser's local storage."""
    payload = json.dumps(view, ensure_ascii=False).replace("</", "<\\/")
    return rx.call_script(
        f"window.careerpathDevice && window.careerpathDevice.keep({json.dumps(name)}, {payload})"
    )


def pick(items: list[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """The listed fields of each shown item (the screen's own texts)."""
    return [{key: item.get(key) for key in keys} for item in items]


def forget_on_device(name: str) -> EventSpec:
    """An event that removes the view kept under `name` (its assessment is gone)."""
    return rx.call_script(
        f"window.careerpathDevice && window.careerpathDevice.forget"
        f" && window.careerpathDevice.forget({json.dumps(name)})"
    )
