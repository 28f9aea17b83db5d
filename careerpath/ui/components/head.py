"""Static head tags of the journey: the on-device answer store and the journey's styles.

The script keeps every answer in the browser's local storage the moment it is given (a
`change` listener on the rating radios, which works even while the websocket is down) and
offers `careerpathDevice.dump()` so that the server can take back answers it never received.

It also keeps the last results viewed (`careerpathDevice.keep(name, view)`, called by the
result pages' states once loaded): the static offline page (assets/hors-ligne.html) shows
them when the network is gone. `clear()` forgets all of it (the person deleted their data).
"""

from __future__ import annotations

import reflex as rx

from careerpath.ui.states.device import DEVICE_KEY, LANG_KEY

ANSWERS_KEY = "careerpath.reponses"
SNAPSHOT_KEY = "careerpath.hors-ligne"
"""Local-storage key of the last results viewed: {name: {saved: ISO date, view: {...}}}."""

DEVICE_SCRIPT = """
(function () {
  var KEY = "__ANSWERS_KEY__";
  var SNAPSHOTS = "__SNAPSHOT_KEY__";
  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key || KEY) || "{}") || {};
    } catch (e) { return {}; }
  }
  function write(value, key) {
    try { localStorage.setItem(key || KEY, JSON.stringify(value)); } catch (e) {}
  }
  window.careerpathDevice = {
    dump: function () { return JSON.stringify(read()); },
    adopt: function (id) {
      var value = read();
      if (value.assessment !== id) {
        write({ assessment: id, ratings: {} });
        localStorage.removeItem(SNAPSHOTS); // results of another assessment
      }
    },
    keep: function (name, view) {
      // With the language it is written in and the device it belongs to: the early paint
      // (careerpath/ui/early_paint.py) shows it only in that language, on that device.
      var all = read(SNAPSHOTS), lang = "fr", device = "";
      try {
        lang = localStorage.getItem("__LANG_KEY__") === "en" ? "en" : "fr";
        device = localStorage.getItem("__DEVICE_KEY__") || "";
      } catch (e) {}
      all[name] = { saved: new Date().toISOString(), lang: lang, device: device, view: view };
      write(all, SNAPSHOTS);
    },
    forget: function (name) {
      var all = read(SNAPSHOTS);
      if (name in all) { delete all[name]; write(all, SNAPSHOTS); }
    },
    forgetAnswers: function () {
      localStorage.removeItem(KEY);
      localStorage.removeItem(SNAPSHOTS);
    },
    clear: function () {
      localStorage.removeItem(KEY);
      localStorage.removeItem(SNAPSHOTS);
      localStorage.removeItem("__DEVICE_KEY__");
    },
    setLang: function (lang) {
      localStorage.setItem("careerpath_lang", lang);
      window.location.reload();
    }
  };
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || !input.getAttribute || !input.checked) { return; }
    var code = input.getAttribute("data-competency");
    var id = input.getAttribute("data-assessment");
    if (!code || !id) { return; }
    var value = read();
    if (value.assessment !== id) { value = { assessment: id, ratings: {} }; }
    value.ratings = value.ratings || {};
    value.ratings[code] = parseInt(input.value, 10);
    write(value);
  }, true);
})();
"""
for _marker, _value in (
    ("__ANSWERS_KEY__", ANSWERS_KEY),
    ("__SNAPSHOT_KEY__", SNAPSHOT_KEY),
    ("__LANG_KEY__", LANG_KEY),
    ("__DEVICE_KEY__", DEVICE_KEY),
):
    DEVICE_SCRIPT = DEVICE_SCRIPT.replace(_marker, _value)

JOURNEY_CSS = """
html .radix-themes[data-accent-color] {
  --accent-9: #0d7377; --accent-10: #0b6366; --accent-11: #0a5c5f; --accent-12: #06393b;
  --accent-a11: #0a5c5f; --accent-a12: #06393b;
  --focus-8: #0d7377;
}
:focus-visible { outline: 3px solid #0d7377; outline-offset: 2px; }
.cp-choice {
  display: flex; gap: 0.75rem; align-items: flex-start; min-height: 44px;
  padding: 0.75rem 0.875rem; border: 1px solid var(--gray-a7); border-radius: var(--radius-3);
  background: var(--color-panel-solid); cursor: pointer; color: var(--gray-12);
}
.cp-choice:hover { border-color: var(--accent-9); }
.cp-choice:has(input:checked) {
  border-color: var(--accent-9); background: var(--accent-a3);
  box-shadow: inset 0 0 0 1px var(--accent-9);
}
.cp-choice:focus-within { outline: 3px solid #0d7377; outline-offset: 2px; }
.cp-choice input { width: 1.25rem; height: 1.25rem; margin: 0.15rem 0 0 0; flex: none;
  accent-color: #0d7377; }
.cp-choice input:focus-visible { outline: none; }
.cp-choice-text { display: flex; flex-direction: column; gap: 0.15rem; min-width: 0; }
.cp-choice-name { font-weight: 600; }
.cp-choice-hint { color: var(--gray-11); font-size: 0.9375rem; }
fieldset.cp-fieldset { border: 0; padding: 0; margin: 0; min-width: 0;
  display: flex; flex-direction: column; gap: 0.5rem; }
.cp-fieldset > legend { padding: 0; margin-bottom: 0.5rem; float: left; width: 100%; }
.cp-fieldset > legend + * { clear: both; }
.cp-input { width: 100%; min-height: 48px; font-size: 1rem; padding: 0.5rem 0.75rem;
  border: 1px solid var(--gray-a9); border-radius: var(--radius-3);
  background: var(--color-surface); color: var(--gray-12); box-sizing: border-box; }
.cp-input:focus-visible { outline: 3px solid #0d7377; outline-offset: 2px; }
.cp-label { font-weight: 600; display: block; margin-bottom: 0.375rem; }
.cp-bar { height: 0.75rem; background: var(--gray-a4); border-radius: 999px; overflow: hidden;
  flex: 1; min-width: 4rem; }
.cp-bar > span { display: block; height: 100%; background: #0d7377; border-radius: 999px; }
table.cp-table { width: 100%; border-collapse: collapse; }
.cp-table caption { text-align: left; font-weight: 600; padding-bottom: 0.5rem; }
.cp-table th, .cp-table td { text-align: left; padding: 0.5rem 0.25rem;
  border-bottom: 1px solid var(--gray-a5); vertical-align: middle; font-weight: normal; }
.cp-table thead th { font-weight: 600; color: var(--gray-11); font-size: 0.875rem; }
.cp-figure { white-space: nowrap; font-variant-numeric: tabular-nums; font-weight: 600;
  min-width: 4.25rem; text-align: right; }
.cp-timeline { list-style: none; margin: 0; padding: 0 0 0 1rem;
  border-left: 3px solid var(--accent-a7); display: flex; flex-direction: column; gap: 1rem; }
.cp-timeline > li { position: relative; }
.cp-timeline > li::before { content: ""; position: absolute; left: -1.55rem; top: 1.1rem;
  width: 0.85rem; height: 0.85rem; border-radius: 50%; background: #0d7377;
  border: 2px solid var(--color-background); }
.cp-list { margin: 0; padding-left: 1.25rem; display: flex; flex-direction: column; gap: 0.35rem; }
a.cp-link-button { display: flex; align-items: center; justify-content: center; width: 100%;
  min-height: 3rem; padding: 0.5rem 1rem; border-radius: var(--radius-3); box-sizing: border-box;
  background: #0d7377; color: #fff; font-weight: 500; font-size: 1.0625rem; text-align: center;
  text-decoration: none; }
a.cp-link-button:hover { background: #0b6366; color: #fff; }
a.cp-link-button-outline { background: transparent; color: #0a5c5f;
  box-shadow: inset 0 0 0 1px #0d7377; min-height: 2.75rem; }
a.cp-link-button-outline:hover { background: var(--accent-a3); color: #06393b; }
a.cp-offline-link { color: #0a5c5f; font-weight: 600; text-decoration: underline; }
.cp-actions { display: flex; flex-direction: column; gap: var(--space-2); width: 100%; }
@media (min-width: 768px) { .cp-actions { flex-direction: row; } }
.cp-loading { display: flex; align-items: center; gap: 0.5rem; min-height: 2.75rem; margin: 0;
  color: var(--gray-11); font-size: 0.9375rem; }
.cp-loading::before { content: ""; flex: none; width: 1rem; height: 1rem; border-radius: 50%;
  border: 2px solid var(--accent-a6); border-top-color: #0d7377; }
.cp-sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
.cp-code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 2rem;
  font-weight: 700; letter-spacing: 0.15em; margin: 0; }
.cp-code-input { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  letter-spacing: 0.1em; text-transform: uppercase; }
.cp-summary { cursor: pointer; min-height: 44px; display: flex; align-items: center;
  font-weight: 600; color: #0a5c5f; }
.cp-rating { display: flex; flex-direction: column; gap: 0.375rem; }
.cp-rating .cp-choice { padding: 0.5rem 0.875rem; }
.cp-rating .cp-choice:not(:has(input:checked)) .cp-choice-hint { display: none; }
.cp-levels-list { margin: 0.25rem 0 0 0; }
.cp-levels-list dt { font-weight: 600; margin-top: 0.5rem; }
.cp-levels-list dd { margin: 0; color: var(--gray-11); }
.cp-tap { min-height: 44px; display: inline-flex; align-items: center; }
.cp-plain-list { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column;
  gap: 0.75rem; }
"""


FORM_GUARD_SCRIPT = """
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form && form.tagName === "FORM" && !form.hasAttribute("action")) event.preventDefault();
}, true);
"""
"""A form tapped before the app's JavaScript runs would be sent natively, as a GET to the page
itself: the e-mail (or a code, a note) would land in the address bar, the history and the
server's logs. Every form of the app is sent by its handler, except the sign-in form, which
has an `action` of its own (a plain POST the API accepts): any other is never sent natively.
The app's handlers still run (the default is prevented, not the event). It must run before
the app does, so it is written into every built page's body (`pwa.add_form_guard`), not
rendered by React."""


def head_components() -> list[rx.Component]:
    """The journey's static head tags, to add to the app's."""
    return [rx.script(DEVICE_SCRIPT), rx.el.style(JOURNEY_CSS)]
