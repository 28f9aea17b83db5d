"""Lighthouse (mobile) on the production build: scores and metrics beside the budget.

Pages: the home page, an assessment step (/bilan) and a results page (/metiers); a page the
app does not serve yet is reported as missing. Without --url the script starts the app the
way the browser tests do (`careerpath run`, free port, throw-away SQLite) and stops it at
the end. Lighthouse comes from npm, installed on first use into `.cache/lighthouse` with the
virtualenv's npm; Chromium is Debian's.

Usage:
    .venv/bin/python benchmarks/lighthouse.py [--url http://127.0.0.1:3000] [--runs 3]
        [--pages / /bilan /metiers] [--save DIR] [--check]
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
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from careerpath.cli.serve import reflex_environment, wait_until_up

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
PAGES = {"/": "accueil", "/bilan": "étape du bilan", "/metiers": "résultats"}
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
def running_app() -> Iterator[str]:
    """careerpath's production build on a free port with its own SQLite, like the tests."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="careerpath-lighthouse-") as tmp:
        data_dir = Path(tmp)
        env = reflex_environment(port, f"sqlite:///{data_dir / 'careerpath.db'}")
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
            yield url
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


def run_lighthouse(url: str) -> dict:  # type: ignore[type-arg]
    """One mobile Lighthouse run (Lighthouse's default: Moto G Power, slow 4G, simulated)."""
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
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
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


def print_page(path: str, result: dict[str, float], runs: int) -> bool:
    print(f"\n{path} ({PAGES.get(path, 'page')}), médiane de {runs} passage(s)")
    all_met = True
    for line in BUDGET:
        value = result[line.key]
        met = line.met(value)
        all_met &= met
        sign = "≥" if line.higher_is_better else "≤"
        limit = format_value(line.limit, line.unit)
        mark = "ok" if met else "HORS BUDGET"
        print(
            f"  {line.label:<18} {format_value(value, line.unit):>10}   budget {sign} {limit:<8} {mark}"
        )
    for audit, (label, unit) in EXTRA_METRICS.items():
        print(f"  {label:<18} {format_value(result[audit], unit):>10}")
    return all_met


def measure(base_url: str, paths: list[str], runs: int, save: Path | None) -> bool:
    all_met = True
    for path in paths:
        url = base_url.rstrip("/") + path
        status = page_status(url)
        if status != 200:
            print(
                f"\n{path} ({PAGES.get(path, 'page')}) : pas encore servie (HTTP {status}), non mesurée"
            )
            continue
        reports = [run_lighthouse(url) for _ in range(runs)]
        if save:
            save.mkdir(parents=True, exist_ok=True)
            name = path.strip("/").replace("/", "_") or "accueil"
            (save / f"{name}.json").write_text(json.dumps(reports[-1]), encoding="utf-8")
        all_met &= print_page(path, median_figures([figures(r) for r in reports]), runs)
        for line in failed_audits(reports[-1]):
            print(f"    - {line}")
    return all_met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (default: start the prod build)")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), help="paths to measure")
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median reported)")
    parser.add_argument("--save", type=Path, help="directory for the last JSON report per page")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    args = parser.parse_args()
    ensure_lighthouse()
    print(f"Lighthouse mobile (Chromium {CHROMIUM}), budget : performance ≥ 90, ")
    print("accessibilité 100, bonnes pratiques ≥ 95, LCP ≤ 2,5 s, transfert ≤ 350 KiB")
    if args.url:
        met = measure(args.url, args.pages, args.runs, args.save)
    else:
        with running_app() as url:
            met = measure(url, args.pages, args.runs, args.save)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
