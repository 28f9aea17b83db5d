"""The UI's reactive translation: `t("Suivant")` shows French, or the catalog's English.

`t()` is resolved when the page is compiled: it becomes a condition on the device's
language between the French msgid (with French no-break spacing) and its English from
`careerpath/locale/en/LC_MESSAGES/messages.po`. Placeholders take strings or Vars:
`t("Voir les autres points forts ({count})", count=more.length())`.

Handlers and services translate with `careerpath.i18n.gettext(message, locale)`; the
device's locale comes from `DeviceState` (`device_of`).
"""

from __future__ import annotations

import json
import re

import reflex as rx
from reflex.vars import Var

from careerpath.i18n import DEFAULT_LOCALE, Locale, translations
from careerpath.ui.states.device import LANG_KEY, DeviceState

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def french_spacing(text: str) -> str:
    """No line break inside « … » nor before : ; ? ! (no-break spaces, as French prints)."""
    text = text.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    for mark in (":", ";", "?", "!"):
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text


def catalog_text(message: str, locale: Locale) -> str:
    """The text `t(message)` shows in `locale`, before placeholders are filled."""
    if locale == DEFAULT_LOCALE:
        return french_spacing(message)
    return translations(locale).gettext(message)


def _filled(template: str, params: dict[str, object]) -> Var[str] | str:
    if not params:
        return template
    parts: list[Var[str] | str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > position:
            parts.append(template[position : match.start()])
        value = params[match.group(1)]
        parts.append(value.to(str) if isinstance(value, Var) else str(value))
        position = match.end()
    if position < len(template):
        parts.append(template[position:])
    result: Var[str] = Var.create("")
    for part in parts:
        result = result + part  # type: ignore[operator]
    return result


def t(message: str, /, **params: object) -> Var[str]:
    """The French `message`, or its English when the person chose English (reactive)."""
    french = _filled(catalog_text(message, "fr"), params)
    english = _filled(catalog_text(message, "en"), params)
    chosen: Var[str] = rx.cond(DeviceState.is_english, english, french).to(str)
    return chosen


def lang_attr() -> Var[str]:
    """The language of the page's content, for screen readers."""
    chosen: Var[str] = rx.cond(DeviceState.is_english, "en", "fr").to(str)
    return chosen


_PAGE_TITLES: set[str] = set()


def page_title(message: str) -> str:
    """A page's static `<title>` (French, prerendered); the head script shows its English."""
    _PAGE_TITLES.add(message)
    return message


LANGUAGE_SCRIPT = """
(function () {
  var lang = "fr";
  try { lang = localStorage.getItem("__LANG_KEY__") === "en" ? "en" : "fr"; } catch (e) {}
  document.documentElement.lang = lang;
  if (lang !== "en") { return; }
  var titles = __TITLES__;
  function fix() {
    var english = titles[document.title];
    if (english) { document.title = english; }
  }
  fix();
  new MutationObserver(fix).observe(document.head, {
    subtree: true, childList: true, characterData: true
  });
})();
"""


def language_script() -> rx.Component:
    """`<html lang>` from the device's choice before the first paint, and English titles.

    Static (head components must be): built once, after the pages registered their titles.
    """
    titles = {message: catalog_text(message, "en") for message in sorted(_PAGE_TITLES)}
    code = LANGUAGE_SCRIPT.replace("__LANG_KEY__", LANG_KEY).replace(
        "__TITLES__", json.dumps(titles, ensure_ascii=False)
    )
    script: rx.Component = rx.script(code)
    return script
