"""Slide navigation for the classroom display: keys and a presenter's clicker.

A presenter's clicker sends Page Down / Page Up (some send the arrow keys); a keyboard has
the arrows and the space bar. The listener clicks the display's own « Suivant » /
« Précédent » buttons, so keys, clicks and taps go through one path, and it stops the keys'
default action (scrolling; the space bar would also press a focused button a second time).
Keys typed into a form field are left alone.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

NEXT_ID = "cp-slide-next"
PREVIOUS_ID = "cp-slide-prev"
NEXT_KEYS = ("ArrowRight", "ArrowDown", "PageDown", " ", "Spacebar")
PREVIOUS_KEYS = ("ArrowLeft", "ArrowUp", "PageUp")

_HOOK = """
useEffect(() => {
  if (typeof window === "undefined") return;
  const next = new Set(__NEXT__);
  const previous = new Set(__PREVIOUS__);
  const target = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return null;
    const t = event.target;
    const tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) {
      return null;
    }
    if (next.has(event.key) && !(event.key === " " && event.shiftKey)) return "__NEXT_ID__";
    if (previous.has(event.key) || (event.key === " " && event.shiftKey)) return "__PREVIOUS_ID__";
    return null;
  };
  const onKeyDown = (event) => {
    const id = target(event);
    if (!id) return;
    event.preventDefault();
    if (event.repeat) return;
    const button = document.getElementById(id);
    if (button && !button.disabled) button.click();
  };
  const onKeyUp = (event) => { if (target(event)) event.preventDefault(); };
  window.addEventListener("keydown", onKeyDown);
  window.addEventListener("keyup", onKeyUp);
  return () => {
    window.removeEventListener("keydown", onKeyDown);
    window.removeEventListener("keyup", onKeyUp);
  };
}, []);
"""


def _js_list(keys: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{k}"' for k in keys) + "]"


class SlideKeys(rx.Fragment):  # type: ignore[misc]  # Reflex's components are untyped
    """Renders nothing; while mounted, turns navigation keys into clicks on the slide buttons."""

    def add_imports(self) -> dict[str, str]:
        return {"react": "useEffect"}

    def add_hooks(self) -> list[str | Var[str]]:
        hook = (
            _HOOK.replace("__NEXT__", _js_list(NEXT_KEYS))
            .replace("__PREVIOUS__", _js_list(PREVIOUS_KEYS))
            .replace("__NEXT_ID__", NEXT_ID)
            .replace("__PREVIOUS_ID__", PREVIOUS_ID)
        )
        return [hook]


slide_keys = SlideKeys.create
