"""A phone whose browser evicted the app's caches (no service worker, an empty HTTP cache)
but kept its local storage: /metiers and /bilan/etape/N show the device's last saved view
before the app is ready, saying it is the last saved one, and the live view replaces it
once the app has loaded — no console error, no layout shift (careerpath/ui/early_paint.py).

The app's JavaScript is held back by the test until the saved view has been checked, so
"before the app is ready" is not a race.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp
from tests.browser.test_journey import answer_step, settle, start_assessment, visit

SNAPSHOTS_KEY = "careerpath.hors-ligne"
APP_SCRIPTS = re.compile(r"/assets/[^?]*\.js(\?.*)?$")
FORGED_TITLE = '<img src="x" onerror="window.__forged = 1"> Ancien intitulé'
SHIFTS = """
window.__shifts = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { if (!e.hadRecentInput) { window.__shifts += e.value; } });
}).observe({ type: "layout-shift", buffered: true });
"""


class HeldScripts:
    """Holds every request for the app's JavaScript until `release()`."""

    def __init__(self, page: Page) -> None:
        self.held: list[Route] = []
        self.released = False
        page.route(APP_SCRIPTS, self._hold)

    def _hold(self, route: Route) -> None:
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.held:
            route.continue_()
        self.held = []


@pytest.fixture
def evicted(
    browser: Browser, app: RunningApp, page: Page, page_problems: PageProblems
) -> Iterator[tuple[Page, dict[str, Any]]]:
    """The `page` fixture's device after an assessment step and the roles were seen there,
    reopened with its local storage only; yields the new page and the views it kept."""
    start_assessment(page)
    answer_step(page, 1)
    settle(page)
    visit(page, "/metiers")
    page.wait_for_function(
        f"() => {{ try {{ const kept = JSON.parse(localStorage.getItem('{SNAPSHOTS_KEY}'));"
        " return 'etape' in kept && 'metiers' in kept; } catch (e) { return false; } }",
        timeout=15_000,
    )
    settle(page)
    state = page.context.storage_state()
    kept = next(
        json.loads(item["value"])
        for origin in state["origins"]
        for item in origin["localStorage"]
        if item["name"] == SNAPSHOTS_KEY
    )
    context = browser.new_context(
        base_url=app.url,
        locale="fr-FR",
        storage_state=state,
        service_workers="block",
        **VIEWPORTS["phone"],
    )
    fresh = context.new_page()
    fresh.on("console", page_problems.on_console)
    fresh.on("requestfailed", page_problems.on_request_failed)
    fresh.on("response", page_problems.on_response)
    fresh.add_init_script(SHIFTS)
    yield fresh, kept
    context.close()


def _forge_first_title(page: Page) -> None:
    """An older saved view than the live one (and a title no page may parse as HTML)."""
    page.evaluate(
        """([key, title]) => {
            const kept = JSON.parse(localStorage.getItem(key));
            kept.metiers.view.groups.find(g => g.cards.length).cards[0].title = title;
            localStorage.setItem(key, JSON.stringify(kept));
        }""",
        [SNAPSHOTS_KEY, FORGED_TITLE],
    )


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_evicted_caches_show_the_last_saved_roles_then_the_live_ones(
    evicted: tuple[Page, dict[str, Any]], screenshots_dir: Path
) -> None:
    page, kept = evicted
    live_title = next(g for g in kept["metiers"]["view"]["groups"] if g["cards"])["cards"][0][
        "title"
    ]
    page.goto("/manifest.webmanifest")
    _forge_first_title(page)
    scripts = HeldScripts(page)
    page.goto("/metiers", wait_until="commit")

    early = page.locator("#cp-early")
    expect(early).to_be_visible()
    expect(early.get_by_role("heading", level=1)).to_have_text("Les métiers qui s'offrent à vous")
    expect(early.get_by_role("heading", level=3).first).to_have_text(FORGED_TITLE)
    assert early.locator("img[src='x']").count() == 0
    expect(early.locator("[data-early-note]")).to_contain_text(
        re.compile(r"Dernière vue enregistrée sur cet appareil, le .+ Elle se met à jour dès que")
    )
    # The app is not there yet: its own main region still says it is loading.
    expect(page.locator("main#contenu .cp-loading")).to_have_count(1)
    page.screenshot(path=screenshots_dir / "early-paint-01-metiers-vue-enregistree.png")

    scripts.release()
    expect(early).to_have_count(0)
    live = page.locator("main#contenu")
    expect(live.get_by_role("heading", level=3).first).to_have_text(live_title)
    expect(page.get_by_text("Ancien intitulé")).to_have_count(0)
    expect(page.get_by_text("Dernière vue enregistrée sur cet appareil")).to_have_count(0)
    assert page.evaluate("window.__forged") is None
    assert page.evaluate("window.__shifts") == 0
    page.screenshot(path=screenshots_dir / "early-paint-02-metiers-en-direct.png")
    settle(page)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_evicted_caches_show_the_last_saved_step_and_keep_an_answer_given_there(
    evicted: tuple[Page, dict[str, Any]], screenshots_dir: Path
) -> None:
    page, kept = evicted
    step = kept["etape"]["view"]
    first = step["questions"][0]
    level = next(o["level"] for o in first["options"] if o["level"] != first["rating"])
    scripts = HeldScripts(page)
    page.goto(f"/bilan/etape/{step['number']}", wait_until="commit")

    early = page.locator("#cp-early")
    expect(early).to_be_visible()
    expect(early.get_by_text(step["progress"], exact=True)).to_be_visible()
    expect(early.get_by_role("heading", level=1)).to_have_text(step["category"])
    expect(early.locator("fieldset")).to_have_count(len(step["questions"]))
    expect(early.get_by_role("heading", level=2).first).to_have_text(first["label"])
    expect(early.locator("[data-early-note]")).to_contain_text(
        "Dernière vue enregistrée sur cet appareil"
    )
    expect(page.locator("main#contenu")).to_have_count(0)  # the app has not rendered yet
    # An answer given on the saved view is kept on the device…
    early.locator("fieldset").first.get_by_role("radio").nth(level).check()
    page.screenshot(path=screenshots_dir / "early-paint-03-etape-vue-enregistree.png")

    scripts.release()
    expect(early).to_have_count(0)
    live = page.locator("main#contenu")
    expect(live.get_by_text(step["progress"], exact=True)).to_be_visible()
    # …and the live step, once loaded, takes it back from the device.
    radios = live.locator("fieldset.cp-fieldset").first.get_by_role("radio")
    expect(radios.nth(level)).to_be_checked()
    assert page.evaluate("window.__shifts") == 0
    page.screenshot(path=screenshots_dir / "early-paint-04-etape-en-direct.png")
    settle(page)
