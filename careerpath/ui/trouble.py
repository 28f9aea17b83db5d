"""When the server fails an event (Redis out of reach, a bug), the page says so in French.

Reflex's default answer to a failing event is an English toast (« An error occurred »), and
with our overlay removed nothing showed at all: during a Redis outage « Suivant » silently did
nothing. `backend_exception_handler` (given to `rx.App`) answers every failed event with
`careerpathTrouble(kind)`, a head script that shows a plain-DOM banner (it needs neither the
state store nor React) and polls `/_health` until the server and its store answer again,
then hides itself. Answers keep being recorded on the device meanwhile (head.py's script).
After a store outage the page reloads once the server answers: the store may have come back
empty, and the page's state is rebuilt from the database and the device (answers replayed).
"""

from __future__ import annotations

import json
import logging
import time

import reflex as rx
from reflex.event import EventSpec

log = logging.getLogger(__name__)

STORE_DOWN = "store"
SERVER_ERROR = "server"
_LOG_EVERY_S = 30.0
_last_logged: dict[str, float] = {}

TROUBLE_SCRIPT = """
(function () {
  var ID = "careerpath-trouble";
  var TEXT = {
    store: {
      fr: "Le serveur ne peut pas enregistrer pour l'instant (stockage hors d'atteinte) : votre dernière action n'a pas abouti. Vos réponses restent gardées sur cet appareil. Nouvel essai automatique…",
      en: "The server cannot save right now (storage out of reach): your last action did not go through. Your answers stay kept on this device. Trying again automatically…"
    },
    server: {
      fr: "Un problème technique a empêché votre dernière action. Vos réponses restent gardées sur cet appareil. Réessayez dans un instant.",
      en: "A technical problem stopped your last action. Your answers stay kept on this device. Please try again shortly."
    },
    back: { fr: "Le serveur répond de nouveau.", en: "The server answers again." }
  };
  function lang() {
    try { return localStorage.getItem("careerpath_lang") === "en" ? "en" : "fr"; }
    catch (e) { return "fr"; }
  }
  var timer = null;
  var storeLost = false;
  function hide(later) {
    var banner = document.getElementById(ID);
    if (!banner) { return; }
    banner.textContent = TEXT.back[lang()];
    banner.setAttribute("data-state", "back");
    setTimeout(function () {
      // The store may have come back empty: this page's state on the server is gone, so
      // the page starts again from what is stored (the database, this device's answers).
      if (storeLost) { window.location.reload(); } else { banner.remove(); }
    }, later);
  }
  function poll() {
    fetch("/_health", { cache: "no-store" }).then(function (r) {
      if (r.ok) { clearInterval(timer); timer = null; hide(3000); }
    }).catch(function () {});
  }
  window.careerpathTrouble = function (kind) {
    var text = (TEXT[kind] || TEXT.server)[lang()];
    var banner = document.getElementById(ID);
    if (!banner) {
      banner = document.createElement("div");
      banner.id = ID;
      banner.setAttribute("role", "alert");
      banner.style.cssText =
        "position:fixed;top:0;left:0;right:0;z-index:2147483646;padding:0.75rem 1rem;" +
        "background:#fff1e7;color:#1c2024;border-bottom:2px solid #ec5e00;" +
        "font:1rem/1.4 system-ui,sans-serif;text-align:center;";
      document.body.appendChild(banner);
    }
    banner.textContent = text;
    banner.setAttribute("data-state", kind);
    storeLost = storeLost || kind === "store";
    if (timer === null) { timer = setInterval(poll, 3000); }
  };
})();
"""


def _is_store_outage(exception: BaseException) -> bool:
    try:
        import redis.exceptions as redis_errors
    except ImportError:  # pragma: no cover (redis is a dependency)
        return False
    seen: BaseException | None = exception
    while seen is not None:
        if isinstance(seen, redis_errors.ConnectionError | redis_errors.TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def backend_exception_handler(exception: Exception) -> EventSpec:
    """The page's answer to any event the server failed: the banner, never a raw trace."""
    kind = STORE_DOWN if _is_store_outage(exception) else SERVER_ERROR
    now = time.monotonic()
    if kind == SERVER_ERROR:
        log.error("an event failed", exc_info=exception)
    elif now - _last_logged.get(kind, 0.0) > _LOG_EVERY_S:  # one line per outage, not per click
        _last_logged[kind] = now
        log.error("the state store (Redis) is out of reach: %s", exception)
    return rx.call_script(
        f"window.careerpathTrouble && window.careerpathTrouble({json.dumps(kind)})"
    )


def trouble_head_components() -> list[rx.Component]:
    return [rx.script(TROUBLE_SCRIPT)]
