"""The sign-in and sign-out requests, made by the page itself over HTTP.

The session cookie is HttpOnly and set by `POST /api/v1/session` (careerpath/api/session.py):
the password goes straight from the form to that endpoint, never into a Reflex state (which
Redis would keep). Once signed in or out, the page reloads, so that the new websocket
carries the new cookie.

- A form with `data-cp-auth="signin"` (fields `email`, `password`; an element with
  `data-cp-auth-status` for messages) signs in, then opens `?suivant=` (a path of this site)
  or /compte.
- `careerpathAuth.signOut()` ends the session, then opens /deconnexion.
"""

from __future__ import annotations

import json

import reflex as rx

from careerpath.domain.access import LANDING_HEADER
from careerpath.i18n import N_, by_locale_table

AUTH_SCRIPT = """
(function () {
  function lang() {
    try { return localStorage.getItem("careerpath_lang") === "en" ? "en" : "fr"; }
    catch (e) { return "fr"; }
  }
  var TEXT = __TEXT__;
  function safePath(next) {
    if (!next || next.charAt(0) !== "/" || next.charAt(1) === "/" || next.indexOf("\\\\") >= 0 ||
        /[\\u0000-\\u0020\\u007f]/.test(next)) {
      return "";
    }
    return next;
  }
  function nextPath(landing) {
    var next = new URLSearchParams(window.location.search).get("suivant") || "";
    return safePath(next) || safePath(landing) || "/compte";
  }
  function say(form, text) {
    var status = form.querySelector("[data-cp-auth-status]");
    if (status) { status.textContent = text; }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.getAttribute || form.getAttribute("data-cp-auth") !== "signin") {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var l = lang();
    if (button) { button.disabled = true; }
    say(form, TEXT[l].busy);
    fetch("/api/v1/session?lang=" + l, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: form.elements.email.value, password: form.elements.password.value })
    }).then(function (response) {
      if (response.status === 204) {
        window.location.assign(nextPath(response.headers.get("__LANDING__")));
        return;
      }
      return response.json().then(function (body) {
        say(form, (body.errors && body.errors[0] && body.errors[0].message) || "");
        if (button) { button.disabled = false; }
        form.elements.password.value = "";
        form.elements.password.focus();
      });
    }).catch(function () {
      say(form, TEXT[l].offline);
      if (button) { button.disabled = false; }
    });
  }, true);
  window.careerpathAuth = {
    signOut: function () {
      fetch("/api/v1/session", { method: "DELETE", credentials: "same-origin" })
        .then(function () { window.location.assign("/deconnexion?fait=1"); })
        .catch(function () { window.location.assign("/deconnexion?fait=0"); });
    }
  };
})();
"""

# The script's words, from the catalog (French and English in one static table).
SCRIPT_TEXT = by_locale_table(
    {
        "busy": N_("Connexion…"),
        "offline": N_("Pas de réseau : réessayez quand la connexion revient."),
    }
)


def auth_head_components() -> list[rx.Component]:
    text = json.dumps(SCRIPT_TEXT, ensure_ascii=False)
    script = AUTH_SCRIPT.replace("__TEXT__", text).replace("__LANDING__", LANDING_HEADER)
    return [rx.script(script)]
