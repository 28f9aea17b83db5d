"""The device's last step and last roles, painted before the app's JavaScript arrives.

With its caches evicted, a phone opening /bilan/etape/N or /metiers waits for the app's
JavaScript (about 250 KB compressed) and the server's answer before it shows the questions
or the role cards. The device already keeps what those pages last showed (head.py,
`careerpathDevice.keep`, for the offline page). `add_early_paint` puts into the built page
a small script, with no framework, that paints that saved view at once, laid out like the
live page, under a plain note saying it is the last view saved on this device and that it
updates when the page is ready; once the app has loaded the live view (the page's main
region no longer says « Chargement… »), the script removes its copy in the same frame.

- Outside React: the copy is a direct child of `<body>` after everything React renders
  (React skips such nodes when it hydrates), positioned over the page; the page frame
  (theme root, header, main region) comes from the prerendered /metiers page, kept in an
  inert `<template>`, so the copy has the live page's geometry (no layout shift).
- Painted only when the saved view is in the current language, was saved by this device
  and belongs to the assessment of the device's answer store (head.py's `keep`, `adopt`);
  a page that finds no assessment forgets its view. Painting nothing, the script starts
  the app at once (`window.__cpStart`, defined in the client-rendered shell by pwa.py).
- While the copy is up, the live page under it is `inert`; when it goes, the focus and any
  answer given on it are handed to the live page. It stays while the page says it is offline.
- Device data is untrusted: the copy is built with `createElement` and `textContent` only;
  a role's code is used in a link only when it looks like a code.
- An answer given on the copy is kept on the device like the app keeps it
  (`careerpath.reponses`); the step page takes it back when it opens (`merge_device`).
- The texts are the catalog's, French and English, chosen like the app chooses them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from careerpath.i18n import N_, Locale
from careerpath.ui.components.head import ANSWERS_KEY, SNAPSHOT_KEY
from careerpath.ui.i18n import catalog_text
from careerpath.ui.states.device import DEVICE_KEY, LANG_KEY

TEMPLATE_ID = "cp-early-frame"
EARLY_ID = "cp-early"
"""The copy's root element (tests look for it)."""

# The texts the copy shows beside the saved view (which is already in words).
MESSAGES = {
    "note": N_(
        "Dernière vue enregistrée sur cet appareil, le {date}. Elle se met à jour dès que "
        "la page est prête."
    ),
    "noteUndated": N_(
        "Dernière vue enregistrée sur cet appareil. Elle se met à jour dès que la page est prête."
    ),
    "offline": N_("Hors ligne — vos réponses sont gardées sur cet appareil."),
    "home": N_("careerpath — accueil"),
    "selfDeclared": N_(
        "Vos réponses sont auto-déclarées : elles décrivent votre ressenti, pas une certification."
    ),
    "forCurrentRole": N_("Demandé dans votre métier actuel"),
    "levels": N_("Ce que veut dire chaque niveau"),
    "rolesTitle": N_("Les métiers qui s'offrent à vous"),
    "rolesIntro": N_(
        "Classés d'après vos réponses et les passerelles entre métiers. Le pourcentage "
        "compte vos niveaux face à ceux que demande le métier, les compétences clés "
        "comptant double."
    ),
    "readiness": N_("Préparation : "),
    "toDevelop": N_("À développer :"),
    "seeRole": N_("Voir ce métier"),
    "seeRoleLabel": N_("Voir ce métier : "),
    "notForMe": N_("Pas pour moi"),
    "notForMeLabel": N_("Pas pour moi : "),
    "target": N_("Votre objectif"),
    "noneOneTraining": N_(
        "Aucun métier n'est à une seule formation de vous pour l'instant : ceux du groupe "
        "suivant demandent d'en combiner plusieurs."
    ),
    "noneInGroup": N_("Aucun métier dans ce groupe pour l'instant."),
    "more": N_("Voir plus ("),
    "refine": N_("Affiner mon bilan"),
}
LOCALES: dict[Locale, str] = {"fr": "fr-FR", "en": "en-GB"}

EARLY_SCRIPT = r"""
(function () {
  "use strict";
  // Nothing painted here: the app starts at once (the client-rendered shell would otherwise
  // wait for its first paint, see pwa.py's DEFERRED_START, which defines __cpStart there).
  var painted = false;
  try { painted = paint(); } catch (e) { painted = false; }
  if (!painted && typeof window.__cpStart === "function") { window.__cpStart(); }

  function paint() {
    var path = location.pathname.replace(/\/+$/, "");
    var step = /^\/bilan\/etape\/(\d+)$/.exec(path);
    var name = step ? "etape" : path === "/metiers" ? "metiers" : "";
    var frame = document.getElementById("__TEMPLATE_ID__");
    if (!name || !frame || !frame.content || !window.MutationObserver) { return false; }
    var lang = "fr", device, entry, answers;
    try {
      device = localStorage.getItem("__DEVICE_KEY__");
      if (!device) { return false; }
      lang = localStorage.getItem("__LANG_KEY__") === "en" ? "en" : "fr";
      entry = (JSON.parse(localStorage.getItem("__SNAPSHOT_KEY__") || "{}") || {})[name];
      answers = JSON.parse(localStorage.getItem("__ANSWERS_KEY__") || "{}") || {};
    } catch (e) { return false; }
    // Only a view written in the current language, by this device, of the assessment its
    // answer store belongs to (head.py's `keep` and `adopt`): never another person's.
    if (!entry || typeof entry !== "object" || entry.lang !== lang || entry.device !== device) {
      return false;
    }
    var t = __TEXT__[lang];
    var view = entry.view;
    if (!view || typeof view !== "object" || !view.assessment || typeof answers !== "object"
        || answers.assessment !== view.assessment) { return false; }
    function list(value) { return Array.isArray(value) ? value : []; }
    function text(value) { return value === undefined || value === null ? "" : String(value); }
    if (step ? String(view.number) !== step[1] || !list(view.questions).length
        : !list(view.groups).length) { return false; }

    function el(tag, className, content, attrs) {
      var node = document.createElement(tag);
      if (className) { node.className = className; }
      if (content !== undefined && content !== null) { node.textContent = String(content); }
      Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
      return node;
    }
    function add(parent) {
      for (var i = 1; i < arguments.length; i++) {
        if (arguments[i]) { parent.appendChild(arguments[i]); }
      }
      return parent;
    }
    function stack(direction, align, gap) {
      var node = el("div", "rt-Flex rt-r-fd-" + direction + " rt-r-ai-" + align + " rt-r-gap-"
        + gap + " rx-Stack");
      node.style.width = "100%";
      return node;
    }
    function small(content, tone) {
      return tone ? el("p", "rt-Text rt-r-size-2 rt-high-contrast", content,
        { "data-accent-color": tone }) : el("p", "rt-Text rt-r-size-2", content);
    }
    function percent(value) {
      var number = Number(value);
      return isFinite(number) ? Math.max(0, Math.min(100, number)) : 0;
    }

    // -- /bilan/etape/N: the step as the app showed it (pages/bilan.py, step_content) -------
    var kept = answers.ratings && typeof answers.ratings === "object" ? answers.ratings : {};
    function question(q) {
      var code = text(q.code);
      var box = el("fieldset", "cp-fieldset");
      box.appendChild(add(el("legend"), el("h2", "rt-Heading rt-r-size-5", q.label)));
      if (view.first && q.category) { box.appendChild(small(q.category, "gray")); }
      if (q.for_current_role) {
        box.appendChild(el("p", "rt-Text rt-r-size-2 rt-r-weight-medium rt-high-contrast",
          t.forCurrentRole, { "data-accent-color": "teal" }));
      }
      var rating = Object.prototype.hasOwnProperty.call(kept, code) ? kept[code] : q.rating;
      var choices = el("div", "cp-rating");
      list(q.options).forEach(function (option) {
        var input = el("input", null, null, { type: "radio", name: "cp-early-" + code,
          value: text(option.level), "data-early-competency": code });
        input.checked = option.level === rating;
        choices.appendChild(add(el("label", "cp-choice"), input,
          add(el("span", "cp-choice-text"), el("span", "cp-choice-name", option.name),
            el("span", "cp-choice-hint", option.descriptor))));
      });
      box.appendChild(choices);
      var levels = el("dl", "cp-levels-list");
      list(q.options).forEach(function (option) {
        add(levels, el("dt", null, option.name), el("dd", null, option.descriptor));
      });
      box.appendChild(add(el("details"), el("summary", "cp-summary", t.levels),
        q.description ? el("p", "rt-Text rt-r-size-2", q.description) : null, levels));
      return box;
    }
    function stepView() {
      var bar = el("div", "rt-ProgressRoot rt-r-size-3 rt-variant-surface", null, {
        role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
        "aria-valuenow": String(percent(view.percent)), "aria-label": text(view.progress),
        "data-state": "loading" });
      bar.style.width = "100%";
      bar.style.setProperty("--progress-value", String(percent(view.percent)));
      bar.style.setProperty("--progress-max", "100");
      bar.appendChild(el("div", "rt-ProgressIndicator", null, { "data-state": "loading" }));
      var questions = el("div", "rt-Box");
      questions.style.width = "100%";
      list(view.questions).forEach(function (q) {
        if (q && typeof q === "object") { questions.appendChild(question(q)); }
      });
      return [add(stack("column", "stretch", "4"),
        add(stack("column", "start", "2"),
          el("p", "rt-Text rt-r-size-2 rt-r-weight-medium", view.progress), bar,
          view.time ? small(view.time, "gray") : null),
        el("h1", "rt-Heading rt-r-size-7", view.category),
        small(t.selfDeclared, "gray"),
        questions)];
    }

    // -- /metiers: the role cards as the app showed them (pages/results.py, roles_page) ----
    function card(c) {
      var title = text(c.title);
      var bar = el("span");
      bar.style.width = percent(c.score) + "%";
      var gaps = list(c.gaps);
      var actions = el("div", "cp-actions");
      if (/^[A-Za-z0-9_.-]{1,120}$/.test(text(c.code))) {
        actions.appendChild(el("a", "rt-Text rt-reset rt-Link rt-underline-none cp-link-button",
          t.seeRole, { href: "/metier/" + c.code, "aria-label": t.seeRoleLabel + title }));
      }
      var hide = el("button", "rt-reset rt-BaseButton rt-r-size-3 rt-variant-outline rt-Button",
        t.notForMe, { type: "button", "data-accent-color": "gray", disabled: "",
          "aria-label": t.notForMeLabel + title });
      hide.style.minHeight = "2.75rem";
      actions.appendChild(hide);
      var box = el("div", "rt-reset rt-BaseCard rt-Card rt-r-size-1 rt-variant-surface");
      box.style.width = "100%";
      var badge = c.is_target ? el("span", "rt-reset rt-Badge rt-r-size-2 rt-variant-soft "
        + "rt-high-contrast", t.target) : null;
      if (badge) { badge.style.width = "fit-content"; }
      return add(el("li"), add(box, add(stack("column", "start", "3"),
        badge,
        el("h3", "rt-Heading rt-r-size-4", title),
        add(stack("row", "center", "3"),
          add(el("div", "cp-bar", null, { "aria-hidden": "true" }), bar),
          el("span", "cp-figure", t.readiness + text(c.score_text))),
        el("p", "rt-Text rt-r-size-3", c.why),
        gaps.length ? add(stack("column", "start", "1"),
          el("p", "rt-Text rt-r-size-2 rt-r-weight-bold", t.toDevelop),
          add.apply(null, [el("ul", "cp-list")].concat(gaps.map(function (gap) {
            return add(el("li"), small(gap));
          })))) : null,
        actions)));
    }
    function group(g) {
      var cards = list(g.cards).filter(function (c) { return c && typeof c === "object"; });
      var more = Number(g.more) > 0 ? el("button", "rt-reset rt-BaseButton rt-r-size-3 "
        + "rt-variant-outline rt-Button", t.more + Number(g.more) + ")",
        { type: "button", disabled: "" }) : null;
      if (more) { more.style.width = "100%"; more.style.minHeight = "2.75rem"; }
      var section = el("section");
      section.style.width = "100%";
      return add(section, add(stack("column", "stretch", "3"),
        el("h2", "rt-Heading rt-r-size-5", g.title),
        small(g.hint, "gray"),
        cards.length ? add.apply(null, [el("ul", "cp-plain-list")].concat(cards.map(card)))
          : small(g.group === "one_training" ? t.noneOneTraining : t.noneInGroup),
        more));
    }
    function rolesView() {
      var body = add(stack("column", "stretch", "5"), el("p", "rt-Text rt-r-size-3", t.rolesIntro));
      if (view.unanswered) {
        // Not a status region here: the copy's note is its only one.
        var callout = el("div", "rt-CalloutRoot rt-r-size-2 rt-variant-soft rt-high-contrast",
          null, { "data-accent-color": "gray" });
        callout.style.width = "100%";
        callout.appendChild(el("p", "rt-Text rt-r-size-2 rt-CalloutText", view.unanswered));
        var best = Number(view.best_step);
        body.appendChild(add(stack("column", "start", "2"), callout,
          best > 0 && Math.floor(best) === best ? el("a", "rt-Text rt-reset rt-Link "
            + "rt-underline-none cp-link-button cp-link-button-outline", t.refine,
            { href: "/bilan/etape/" + best }) : null));
      }
      list(view.groups).forEach(function (g) {
        if (g && typeof g === "object") { body.appendChild(group(g)); }
      });
      return [el("h1", "rt-Heading rt-r-size-7", t.rolesTitle), body];
    }

    var root = frame.content.firstElementChild.cloneNode(true);
    var slot = root.querySelector("[data-early-slot]");
    if (!slot) { return false; }
    root.id = "__EARLY_ID__";
    root.setAttribute("data-early-view", name);
    root.setAttribute("lang", lang);
    var home = root.querySelector("header a[aria-label]");
    if (home) { home.setAttribute("aria-label", t.home); }
    (step ? stepView() : rolesView()).forEach(function (node) { slot.appendChild(node); });
    // Room for the fixed note, so that it never hides the end of the copy.
    slot.style.paddingBottom = "6rem";
    var saved = new Date(entry.saved);
    var dated = !!entry.saved && !isNaN(saved.getTime());
    var note = el("p", null, null, { role: "status", "data-early-note": "" });
    note.appendChild(el("span", null, dated ? t.note.replace("{date}",
      saved.toLocaleString(t.locale, { dateStyle: "long", timeStyle: "short" })) : t.noteUndated));
    var offline = el("span", null, " " + t.offline, { "data-early-offline": "" });
    note.style.cssText = "position:fixed;left:0;right:0;bottom:0;margin:0;z-index:3;"
      + "padding:0.625rem 1rem;background:#e6f4f4;border-top:2px solid #0d7377;"
      + "color:#1c2024;font-size:0.9375rem;line-height:1.4;text-align:center;";
    root.appendChild(note);
    // An answer given here is kept on the device as the app keeps it (head.py), and given to
    // the live page once it is there (`finish`).
    var given = {};
    root.addEventListener("change", function (event) {
      var input = event.target;
      var code = input && input.getAttribute && input.getAttribute("data-early-competency");
      if (!code || !input.checked) { return; }
      var level = parseInt(input.value, 10);
      given[code] = level;
      try {
        var value = JSON.parse(localStorage.getItem("__ANSWERS_KEY__") || "{}") || {};
        if (value.assessment !== view.assessment) { return; } // not this view's any more
        value.ratings = value.ratings && typeof value.ratings === "object" ? value.ratings : {};
        value.ratings[code] = level;
        localStorage.setItem("__ANSWERS_KEY__", JSON.stringify(value));
      } catch (e) {}
    });
    document.body.appendChild(root);

    // While the copy is up, the live page under it is out of reach (no second header, h1 or
    // status region, no tab stop on what cannot be seen).
    var inerted = [];
    function hideLive() {
      Array.prototype.forEach.call(document.body.children, function (child) {
        if (child !== root && !/^(SCRIPT|TEMPLATE|STYLE|LINK)$/.test(child.tagName)
            && !child.hasAttribute("inert")) {
          child.setAttribute("inert", "");
          inerted.push(child);
        }
      });
    }
    hideLive();
    function liveRadio(code, level) {
      var radios = document.querySelectorAll("#contenu input[type=radio][data-competency]");
      for (var i = 0; i < radios.length; i++) {
        if (radios[i].getAttribute("data-competency") === code
            && radios[i].value === String(level)) { return radios[i]; }
      }
      return null;
    }
    function finish() {
      var focused = document.activeElement;
      focused = focused && focused !== root && root.contains(focused) ? focused : null;
      inerted.forEach(function (child) { child.removeAttribute("inert"); });
      // The normal rating path for an answer the live page does not show yet.
      Object.keys(given).forEach(function (code) {
        var radio = liveRadio(code, given[code]);
        if (radio && !radio.checked) { radio.click(); }
      });
      if (focused) {
        var code = focused.getAttribute("data-early-competency");
        var target = code ? liveRadio(code, focused.value) : null;
        if (!target) {
          target = document.querySelector("#contenu h1");
          if (target && !target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        }
        if (target) { target.focus(); }
      }
      root.remove();
    }
    // The live view is there once the app's main region no longer says it is loading; while
    // it says the server is out of reach instead, the copy stays, and says so too.
    function state() {
      var main = document.getElementById("contenu");
      if (!main || main.querySelector(".cp-loading")) { return "loading"; }
      return main.querySelector("[data-offline-notice]") ? "offline" : "live";
    }
    var watch = new MutationObserver(function () {
      var now = state();
      if (now === "live") { watch.disconnect(); finish(); return; }
      if (now === "offline" && !offline.parentNode) { note.appendChild(offline); }
      if (now !== "offline" && offline.parentNode) { note.removeChild(offline); }
      hideLive();
    });
    watch.observe(document.body, { childList: true, subtree: true });
    return true;
  }
})();
"""

_ROOT_THEME = re.compile(r'<div data-is-root-theme="true"[^>]*>')
_HEADER = re.compile(r'(?:<style data-emotion="[^"]*">[^<]*</style>)?<header\b.*?</header>', re.S)
_STYLE = r'(?:<style data-emotion="[^"]*">[^<]*</style>)?'
_MAIN = re.compile(
    rf'({_STYLE})<main id="contenu"([^>]*)>({_STYLE})<div (class="rt-Flex[^"]*"[^>]*)>'
)
_EMOTION = re.compile(r'<style data-emotion="[^"]*">')
_INSTALL = re.compile(r"<button\b[^>]*data-pwa-install[^>]*>.*?</button>", re.S)


def _button_placeholder(match: re.Match[str]) -> str:
    """The header's install button, kept for its size but inert and unseen."""
    button = match.group(0).replace(' data-pwa-install=""', "")
    return button.replace(
        "<button ",
        '<button disabled="" tabindex="-1" aria-hidden="true" style="visibility:hidden" ',
        1,
    )


def early_paint_frame(prerendered: str) -> str | None:
    """The page frame (theme root, header, main region with an empty slot) out of a
    prerendered page of the app, or None when the page does not have the expected shape."""
    root, header = _ROOT_THEME.search(prerendered), _HEADER.search(prerendered)
    main = _MAIN.search(prerendered)
    if root is None or header is None or main is None:
        return None
    theme = root.group(0).replace('data-is-root-theme="true"', 'data-is-root-theme="false"')
    theme = theme.replace(
        "<div ", '<div style="position:absolute;top:0;left:0;width:100%;z-index:2" ', 1
    )
    # The main region's copy is a plain div: no second `main` landmark, no second id.
    frame = (
        theme
        + _INSTALL.sub(_button_placeholder, header.group(0))
        + f"{main.group(1)}<div{main.group(2)}>{main.group(3)}"
        + f'<div data-early-slot="" {main.group(4)}></div></div></div>'
    )
    # Plain styles: the app's style engine must not adopt the copy's (it moves its own).
    return _EMOTION.sub("<style>", frame)


def early_texts() -> dict[str, dict[str, str]]:
    """The copy's texts in both languages, from the catalog."""
    return {
        lang: {key: catalog_text(message, lang) for key, message in MESSAGES.items()}
        | {"locale": locale}
        for lang, locale in LOCALES.items()
    }


def early_script() -> str:
    texts = json.dumps(early_texts(), ensure_ascii=False).replace("<", "\\u003c")
    code = EARLY_SCRIPT.replace("__TEXT__", texts)
    for marker, value in (
        ("__TEMPLATE_ID__", TEMPLATE_ID),
        ("__EARLY_ID__", EARLY_ID),
        ("__DEVICE_KEY__", DEVICE_KEY),
        ("__LANG_KEY__", LANG_KEY),
        ("__SNAPSHOT_KEY__", SNAPSHOT_KEY),
        ("__ANSWERS_KEY__", ANSWERS_KEY),
    ):
        code = code.replace(marker, value)
    return code


def add_early_paint(html: str, frame: str) -> str:
    """The page with the frame template and the early-paint script at the end of its body
    (after every node React renders). A page already holding them, or without a body end,
    is returned unchanged."""
    if f'id="{TEMPLATE_ID}"' in html or html.count("</body>") != 1:
        return html
    addition = f'<template id="{TEMPLATE_ID}">{frame}</template><script>{early_script()}</script>'
    return html.replace("</body>", addition + "</body>")


class EarlyPaintMissing(RuntimeError):
    """The build does not have the shape the early paint needs (a Reflex upgrade changed it?)."""


def has_early_paint(html: str) -> bool:
    return f'id="{TEMPLATE_ID}"' in html and f'getElementById("{TEMPLATE_ID}")' in html


def add_early_paint_to_build(
    static_dir: Path, frame_page: str, pages: list[str], required: tuple[str, ...] = ()
) -> list[Path]:
    """Add the early paint to the built `pages` (file names under `static_dir`), with the
    frame taken from `frame_page`; returns the files changed. Raises `EarlyPaintMissing`
    when the frame is not found or a `required` page ends up without the early paint, so
    that a change of the build's HTML cannot silently drop the feature."""
    source = static_dir / frame_page
    frame = early_paint_frame(source.read_text(encoding="utf-8")) if source.is_file() else None
    if frame is None:
        msg = f"{source}: no page frame (theme root, header, main#contenu) for the early paint"
        raise EarlyPaintMissing(msg)
    changed = []
    for name in pages:
        path = static_dir / name
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        updated = add_early_paint(html, frame)
        if updated != html:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    for name in required:
        path = static_dir / name
        if not path.is_file() or not has_early_paint(path.read_text(encoding="utf-8")):
            msg = f"{path}: the early paint could not be added"
            raise EarlyPaintMissing(msg)
    return changed
