"""Lighthouse (mobile) on the production build: scores and metrics beside the budget.

Within the budget (performance ≥ 90, accessibility 100, best practices ≥ 95, LCP ≤ 2.5 s,
transfer ≤ 350 KiB):
- the home page and the start of an assessment (/bilan), on a first visit: nothing stored,
  an empty HTTP cache, no service worker;
- an assessment step (/bilan/etape/1) and the results (/metiers) on the phone that holds
  the assessment: the script files one in the app's database (the role's requirements met,
  everything else at level 1), puts its device id in the browser's local storage and opens
  the app once, so that its service worker is installed, as the visit that made the
  assessment left it.

For information, in the same run: the same two pages on a device whose browser evicted the
app's caches but kept its local storage (the device id and the last views the app saved
there, which the pages paint at once: careerpath/ui/early_paint.py), and /hors-ligne.html, the app's static page (no
framework, no server round trip), the floor a framework page can be compared with.

Without --url the script starts the app the way the browser tests do (`careerpath run`,
free port, throw-away SQLite) and stops it at the end; with --url, --database-url must be
the database that app uses (default: the one `careerpath run` would use here). Lighthouse
comes from npm, installed on first use into `.cache/lighthouse` with the virtualenv's npm;
Chromium is Debian's, started by the script so that the device's storage survives.

Usage:
    .venv/bin/python benchmarks/lighthouse.py [--url http://127.0.0.1:3000
        [--database-url URL]] [--runs 3] [--pages / /metiers] [--devices evicted]
        [--save DIR] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from careerpath.cli.serve import reflex_environment, wait_until_up
from careerpath.config import load_settings
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.questionnaire import asked_competencies
from careerpath.services.referential import load_referential
from careerpath.ui.components.head import SNAPSHOT_KEY
from careerpath.ui.states.device import DEVICE_KEY

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE_CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


FIRST_VISIT = "première visite"
RETURNING = "appareil qui a déjà servi"
EVICTED = "appareil dont les caches ont été vidés"


@dataclass(frozen=True)
class Page:
    """A page measured, and the state of the device that opens it.

    - FIRST_VISIT: nothing stored (Lighthouse's usual cold load);
    - RETURNING: the device holds an assessment and the visit that made it left the app
      installed (service worker active, its precache filled), the state every device
      holding an assessment is in unless the browser evicted the app's caches;
    - EVICTED: the device's local storage survived (its device id and the views the app
      kept there: the step and the roles it showed), the caches and service worker did not.
    `budget`: False for the figures printed for information (and the reference page).
    """

    path: str
    label: str
    device: str = FIRST_VISIT
    budget: bool = True


PAGES = (
    Page("/", "accueil"),
    Page("/bilan", "début du bilan"),
    Page("/bilan/etape/1", "étape du bilan, bilan en cours", RETURNING),
    Page("/metiers", "résultats du bilan", RETURNING),
    Page("/bilan/etape/1", "étape du bilan, bilan en cours", EVICTED, budget=False),
    Page("/metiers", "résultats du bilan", EVICTED, budget=False),
    Page("/hors-ligne.html", "référence : page statique sans framework", budget=False),
)
EVICTED_VISITS = (("/bilan/etape/1", "etape"), ("/metiers", "metiers"))
"""What the device visited before its caches were evicted, and the view each kept."""
ASSESSED_ROLE = "assistant-direction"
SETUP_PATH = "/manifest.webmanifest"
"""Opened to write the device id into the origin's storage without running the app."""
CATEGORIES = ("performance", "accessibility", "best-practices")


@dataclass(frozen=True)
class Budget:
    """One line of the budget: a figure, its unit and the limit it must respect."""

    key: str
    label: str
    unit: str
    limit: float
    higher_is_better: bool

    def met(self, value: float) -> bool:
        return value >= self.limit if self.higher_is_better else value <= self.limit


BUDGET = (
    Budget("performance", "Performance", "", 90, True),
    Budget("accessibility", "Accessibilité", "", 100, True),
    Budget("best-practices", "Bonnes pratiques", "", 95, True),
    Budget("lcp", "LCP", "s", 2.5, False),
    Budget("cls", "CLS", "", 0.1, False),
    Budget("transfer", "Transfert total", "KiB", 350, False),
)
# Shown for information, without a budget line.
EXTRA_METRICS = {
    "first-contentful-paint": ("FCP", "s"),
    "total-blocking-time": ("TBT", "ms"),
    "speed-index": ("Speed Index", "s"),
}


def ensure_lighthouse() -> None:
    if LIGHTHOUSE_CLI.exists():
        return
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Installation de Lighthouse dans {LIGHTHOUSE_DIR.relative_to(ROOT)} …", flush=True)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    subprocess.run(
        [str(BIN / "npm"), "install", "--prefix", str(LIGHTHOUSE_DIR), "lighthouse"],
        check=True,
        env=env,
        cwd=LIGHTHOUSE_DIR,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app() -> Iterator[tuple[str, str]]:
    """careerpath's production build on a free port with its own SQLite, like the tests."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="careerpath-lighthouse-") as tmp:
        data_dir = Path(tmp)
        database_url = f"sqlite:///{data_dir / 'careerpath.db'}"
        env = reflex_environment(port, database_url)
        env["CAREERPATH_DATA_DIR"] = str(data_dir)
        for name in ("REFLEX_DB_URL", "REFLEX_REDIS_URL", "CAREERPATH_REDIS_URL"):
            env.pop(name, None)
        log = data_dir / "server.log"
        print(f"Construction et démarrage de l'application (port {port}) …", flush=True)
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "careerpath.cli.main", "run", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            if not wait_until_up(url + "/", process, timeout=900):
                tail = log.read_text(errors="replace")[-4000:]
                raise SystemExit(f"l'application n'a pas démarré sur {url} :\n{tail}")
            yield url, database_url
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def page_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our server)
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def assessed_device(database_url: str) -> str:
    """A new device id holding a complete assessment: the role's requirements met, the rest at 1."""
    referential = load_referential(database_url)
    role = ASSESSED_ROLE if ASSESSED_ROLE in referential.role_by_code else referential.roles[0].code
    required = {q.competency: q.level for q in referential.requirements_by_role.get(role, ())}
    ratings = {code: required.get(code, 1) for code in asked_competencies(referential, role)}
    store = AssessmentStore(database_url)
    device_id = new_device_id()
    assessment = store.start(device_id, "en_poste", role)
    store.rate_many(assessment.id, ratings)
    return device_id


def launcher_flags() -> list[str]:
    """The flags Lighthouse's own launcher gives Chromium (no backgrounding, no extras)."""
    script = "import {Launcher} from 'chrome-launcher'; console.log(JSON.stringify(Launcher.defaultFlags()))"
    done = subprocess.run(
        [str(BIN / "node"), "--input-type=module", "-e", script],
        cwd=LIGHTHOUSE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout))


@contextmanager
def chromium() -> Iterator[int]:
    """Debian's Chromium as Lighthouse would start it, on a throw-away profile; yields its
    DevTools port (Lighthouse and the device set-up both connect to it)."""
    port = _free_port()
    flags = dict.fromkeys([*launcher_flags(), *CHROMIUM_FLAGS])
    with tempfile.TemporaryDirectory(prefix="careerpath-chromium-") as profile:
        process = subprocess.Popen(
            [
                CHROMIUM,
                *flags,
                f"--remote-debugging-port={port}",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=1)  # noqa: S310
                    break
                except OSError:
                    if process.poll() is not None:
                        raise SystemExit("Chromium s'est arrêté au démarrage") from None
                    time.sleep(0.1)
            yield port
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def prepare_browser(port: int, origin: str, device: str, device_id: str) -> None:
    """Put the browser in the state `device` names (see `Page`) for the next run."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
        context = browser.contexts[0]
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        cdp.send("Network.clearBrowserCache")
        if device != FIRST_VISIT:
            page.goto(origin + SETUP_PATH)
            page.evaluate("([key, id]) => localStorage.setItem(key, id)", [DEVICE_KEY, device_id])
        if device == RETURNING:
            page.goto(origin + "/")
            page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
            page.wait_for_function(
                "caches.keys().then(keys => keys.some(k => k.includes('precache')))",
                timeout=60_000,
            )
            # A phone coming back later finds its service worker installed but stopped, in
            # a renderer of its own. Left running, the worker would keep this set-up page's
            # renderer alive, and Lighthouse's tab would open in it: its debugger, enabled
            # before the navigation, then walks the set-up page's whole JavaScript heap
            # (130–150 ms on the old blank page, which the trace counts as blocking time
            # of the page measured; seen in most runs, never on a first visit).
            page.goto("about:blank")  # nothing left that the worker controls, to wake it
            cdp.send("ServiceWorker.enable")
            cdp.send("ServiceWorker.stopAllWorkers")
        elif device == EVICTED:
            # The visits that made the assessment left their views in local storage
            # (careerpathDevice.keep); the browser then evicted the caches and the worker.
            for path, view in EVICTED_VISITS:
                page.goto(origin + path)
                page.wait_for_function(
                    "([key, view]) => { try { return view in JSON.parse(localStorage.getItem(key)); }"
                    " catch (e) { return false; } }",
                    arg=[SNAPSHOT_KEY, view],
                    timeout=60_000,
                )
            page.goto(origin + SETUP_PATH)
            cdp.send(
                "Storage.clearDataForOrigin",
                {"origin": origin, "storageTypes": "cache_storage,service_workers"},
            )
            cdp.send("Network.clearBrowserCache")
        page.close()


def run_lighthouse(url: str, port: int) -> dict:  # type: ignore[type-arg]
    """One mobile Lighthouse run (Lighthouse's default: Moto G Power, slow 4G, simulated).

    The storage reset is ours (`prepare_browser`), so that a device can keep what it holds.
    """
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    command = [
        str(BIN / "node"),
        str(LIGHTHOUSE_CLI),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--form-factor=mobile",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--port={port}",
        "--disable-storage-reset",
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse a échoué sur {url} :\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout))


def figures(report: dict) -> dict[str, float]:  # type: ignore[type-arg]
    """The budgeted figures (and a few more) out of one Lighthouse report."""
    audits = report["audits"]
    result = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    result["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    result["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    result["transfer"] = audits["total-byte-weight"]["numericValue"] / 1024
    for audit, (_, unit) in EXTRA_METRICS.items():
        value = audits[audit]["numericValue"]
        result[audit] = value / 1000 if unit == "s" else value
    return result


def failed_audits(report: dict) -> list[str]:  # type: ignore[type-arg]
    """Titles of the weighted audits that lost points, per category (what to fix next)."""
    lines = []
    for key in CATEGORIES:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                lines.append(f"{key}: {audit['title']} ({audit.get('displayValue', '')})".strip())
    return lines


def median_figures(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def format_value(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "KiB":
        return f"{value:.0f} KiB"
    if unit == "ms":
        return f"{value:.0f} ms"
    return f"{value:.3f}" if value < 1 and value != 0 else f"{value:.0f}"


def print_page(title: str, budget: bool, result: dict[str, float], runs: int) -> bool:
    print(f"\n{title}, médiane de {runs} passage(s)")
    all_met = True
    for line in BUDGET:
        value = result[line.key]
        met = line.met(value)
        sign = "≥" if line.higher_is_better else "≤"
        limit = format_value(line.limit, line.unit)
        if not budget:
            mark = "(pour information)"
        else:
            all_met &= met
            mark = "ok" if met else "HORS BUDGET"
        print(
            f"  {line.label:<18} {format_value(value, line.unit):>10}   budget {sign} {limit:<8} {mark}"
        )
    for audit, (label, unit) in EXTRA_METRICS.items():
        print(f"  {label:<18} {format_value(result[audit], unit):>10}")
    return all_met


def measure(
    base_url: str, database_url: str, pages: list[Page], runs: int, save: Path | None
) -> bool:
    all_met = True
    origin = base_url.rstrip("/")
    needs_device = any(p.device != FIRST_VISIT for p in pages)
    device_id = assessed_device(database_url) if needs_device else ""
    with chromium() as port:
        for page in pages:
            url = origin + page.path
            status = page_status(url)
            title = f"{page.path} ({page.label}, {page.device})"
            if status != 200:
                print(f"\n{title} : pas servie (HTTP {status}), non mesurée")
                all_met = False
                continue
            reports = []
            for _ in range(runs):
                for attempt in range(3):
                    prepare_browser(port, origin, page.device, device_id)
                    try:
                        reports.append(run_lighthouse(url, port))
                        break
                    except RuntimeError as error:
                        # Lighthouse's own advice for a trace without its navigation start.
                        if "NO_NAVSTART" not in str(error) or attempt == 2:
                            raise
                        print(f"  (trace sans début de navigation, nouvel essai : {url})")
            if save:
                save.mkdir(parents=True, exist_ok=True)
                name = page.path.strip("/").replace("/", "_").replace(".", "_") or "accueil"
                name += "" if page.device == FIRST_VISIT else f"-{page.device.split()[-1]}"
                (save / f"{name}.json").write_text(json.dumps(reports[-1]), encoding="utf-8")
            all_met &= print_page(
                title, page.budget, median_figures([figures(r) for r in reports]), runs
            )
            for line in failed_audits(reports[-1]):
                print(f"    - {line}")
    return all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (default: start the prod build)")
    parser.add_argument("--database-url", help="with --url: the database that app uses")
    known = sorted({p.path for p in PAGES})
    parser.add_argument("--pages", nargs="+", default=known, choices=known, help="paths")
    devices = {"first": FIRST_VISIT, "returning": RETURNING, "evicted": EVICTED}
    parser.add_argument(
        "--devices", nargs="+", default=list(devices), choices=list(devices), help="devices"
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median reported)")
    parser.add_argument("--save", type=Path, help="directory for the last JSON report per page")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args()
    wanted = {devices[name] for name in args.devices}
    pages = [p for p in PAGES if p.path in args.pages and p.device in wanted]
    ensure_lighthouse()
    print(f"Lighthouse mobile (Chromium {CHROMIUM}), budget : performance ≥ 90, ")
    print("accessibilité 100, bonnes pratiques ≥ 95, LCP ≤ 2,5 s, transfert ≤ 350 KiB")
    if args.url:
        database_url = args.database_url or load_settings().database_url
        met = measure(args.url, database_url, pages, args.runs, args.save)
    else:
        with running_app() as (url, database_url):
            met = measure(url, database_url, pages, args.runs, args.save)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
