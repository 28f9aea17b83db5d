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
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp
from tests.browser.test_journey import answer_step, settle, start_assessment, visit

# Desktop contexts keep the app's service worker here (tests/browser/conftest.py).
pytestmark = pytest.mark.service_worker

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


ANSWERS_KEY = "careerpath.reponses"
DEVICE_KEY = "careerpath_device"
LANG_KEY = "careerpath_lang"


def _edit_storage(page: Page, script: str) -> None:
    """Run `script` (a function of the saved views `kept`, returning nothing) on the
    device's local storage, from a page of the app's origin that runs no app."""
    page.goto("/manifest.webmanifest")
    page.evaluate(
        f"""() => {{
            const kept = JSON.parse(localStorage.getItem('{SNAPSHOTS_KEY}'));
            ({script})(kept);
            localStorage.setItem('{SNAPSHOTS_KEY}', JSON.stringify(kept));
        }}"""
    )


def _kept(page: Page) -> dict[str, Any]:
    return dict(page.evaluate(f"() => JSON.parse(localStorage.getItem('{SNAPSHOTS_KEY}'))"))


def _no_copy_and_the_live_page(page: Page, path: str, heading: str) -> None:
    """Opened with the app's JavaScript held: no copy; once released, the live page."""
    scripts = HeldScripts(page)
    page.goto(path, wait_until="commit")
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("#cp-early")).to_have_count(0)
    scripts.release()
    expect(page.locator("main#contenu").get_by_role("heading", level=1)).to_have_text(heading)
    settle(page)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_a_view_saved_in_french_is_not_painted_in_english(
    evicted: tuple[Page, dict[str, Any]],
) -> None:
    page, kept = evicted
    assert kept["metiers"]["lang"] == "fr" and kept["etape"]["lang"] == "fr"
    _edit_storage(page, "() => {}")
    page.evaluate(f"() => localStorage.setItem('{LANG_KEY}', 'en')")
    _no_copy_and_the_live_page(page, "/metiers", "Roles open to you")


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_a_view_saved_in_english_is_painted_in_english(
    evicted: tuple[Page, dict[str, Any]],
) -> None:
    """The copy's own words, the header's label and the note are English; an unreadable
    saved date is left out rather than shown as « on . »."""
    page, _ = evicted
    _edit_storage(
        page, "kept => { kept.metiers.lang = 'en'; kept.metiers.saved = 'pas une date'; }"
    )
    page.evaluate(f"() => localStorage.setItem('{LANG_KEY}', 'en')")
    scripts = HeldScripts(page)
    page.goto("/metiers", wait_until="commit")
    early = page.locator("#cp-early")
    expect(early).to_be_visible()
    expect(early).to_have_attribute("lang", "en")
    expect(early.get_by_role("heading", level=1)).to_have_text("Roles open to you")
    expect(early.locator("[data-early-note]")).to_have_text(
        "Last view saved on this device. It updates as soon as the page is ready."
    )
    expect(early.locator("header a")).to_have_attribute("aria-label", "careerpath — home")
    # The fixed note never hides the copy's last lines.
    room = page.evaluate(
        """() => {
            const note = document.querySelector('[data-early-note]').getBoundingClientRect();
            window.scrollTo(0, document.documentElement.scrollHeight);
            const slot = document.querySelector('#cp-early [data-early-slot]');
            const last = slot.lastElementChild.getBoundingClientRect();
            return [last.bottom, document.querySelector('[data-early-note]')
                .getBoundingClientRect().top, note.height];
        }"""
    )
    assert room[0] <= room[1], room
    scripts.release()
    expect(early).to_have_count(0)
    settle(page)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_a_view_of_another_assessment_or_device_is_never_painted(
    evicted: tuple[Page, dict[str, Any]],
) -> None:
    """After « Continuer sur un autre appareil » the answer store belongs to another
    assessment (or to none): the roles and the step saved before are not painted."""
    page, kept = evicted
    assert kept["metiers"]["view"]["assessment"] == kept["etape"]["view"]["assessment"]
    _edit_storage(page, "() => {}")
    page.evaluate(
        f"() => localStorage.setItem('{ANSWERS_KEY}', "
        "JSON.stringify({ assessment: 'un-autre-bilan', ratings: {} }))"
    )
    _no_copy_and_the_live_page(page, "/metiers", "Les métiers qui s'offrent à vous")
    _edit_storage(page, "kept => { kept.metiers.device = 'un-autre-appareil'; }")
    _no_copy_and_the_live_page(page, "/metiers", "Les métiers qui s'offrent à vous")


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_a_page_that_finds_no_assessment_forgets_its_saved_view(
    evicted: tuple[Page, dict[str, Any]],
) -> None:
    page, _ = evicted
    device = "0" * 32  # a device the server never met: no assessment
    _edit_storage(page, f"kept => {{ kept.metiers.device = '{device}'; }}")
    page.evaluate(f"() => localStorage.setItem('{DEVICE_KEY}', '{device}')")
    scripts = HeldScripts(page)
    page.goto("/metiers", wait_until="commit")
    expect(page.locator("#cp-early")).to_be_visible()
    scripts.release()
    expect(page.locator("#cp-early")).to_have_count(0)
    page.wait_for_function(
        f"() => !('metiers' in (JSON.parse(localStorage.getItem('{SNAPSHOTS_KEY}')) || {{}}))",
        timeout=15_000,
    )
    settle(page)
    page.reload(wait_until="domcontentloaded")
    expect(page.locator("#cp-early")).to_have_count(0)
    settle(page)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_a_client_rendered_route_with_nothing_to_paint_starts_the_app_at_once(
    evicted: tuple[Page, dict[str, Any]],
) -> None:
    """/metier/X is served by the client-rendered shell: with no saved view to paint, its
    JavaScript starts while the page is parsed, not after a first paint."""
    page, _ = evicted
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => { window.__atParsed = ["
        "document.querySelectorAll('script[type=module]').length,"
        "document.querySelectorAll('link[rel=modulepreload]').length]; });"
    )
    page.goto("/metier/un-code-inconnu", wait_until="domcontentloaded")
    scripts, preloads = page.evaluate("window.__atParsed")
    assert scripts == 1 and preloads > 0
    expect(page.locator("#cp-early")).to_have_count(0)
    expect(page.locator("main#contenu")).to_be_visible()
    settle(page)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_while_the_copy_is_up_the_page_under_it_is_out_of_reach(
    evicted: tuple[Page, dict[str, Any]],
) -> None:
    """One banner, one h1, one status region, tab stops only on what is seen; the focus
    goes to the same radio of the live page when the copy goes, with the answer given."""
    page, kept = evicted
    step = kept["etape"]["view"]
    first = step["questions"][0]
    level = next(o["level"] for o in first["options"] if o["level"] != first["rating"])
    scripts = HeldScripts(page)
    page.goto(f"/bilan/etape/{step['number']}", wait_until="commit")
    early = page.locator("#cp-early")
    expect(early).to_be_visible()
    expect(page.locator("main#contenu")).to_have_count(0)
    # Whatever React has put in the page so far sits under the copy, out of reach.
    outside = page.evaluate(
        """() => Array.from(document.body.children).filter(c => c.id !== 'cp-early'
            && !/^(SCRIPT|TEMPLATE)$/.test(c.tagName) && !c.inert).map(c => c.tagName)"""
    )
    assert outside == []
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("status")).to_have_count(1)
    expect(page.get_by_role("banner")).to_have_count(1)
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('cp-early').contains(document.activeElement)")
    radio = early.locator("fieldset").first.get_by_role("radio").nth(level)
    radio.check()
    radio.focus()
    scripts.release()
    expect(early).to_have_count(0)
    live = page.locator("main#contenu fieldset.cp-fieldset").first.get_by_role("radio").nth(level)
    expect(live).to_be_checked()
    expect(live).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    settle(page)
    # The answer reached the server: a reload shows it from there.
    page.evaluate(f"() => localStorage.removeItem('{ANSWERS_KEY}')")
    page.reload()
    expect(
        page.locator("main#contenu fieldset.cp-fieldset").first.get_by_role("radio").nth(level)
    ).to_be_checked()
    settle(page)


@pytest.mark.parametrize("viewport_name", ["phone"], indirect=True)
def test_voir_plus_does_not_make_the_saved_roles_longer_than_the_page_opens(
    page: Page,
) -> None:
    start_assessment(page)
    answer_step(page, 1)
    settle(page)
    visit(page, "/metiers")
    page.wait_for_function(
        f"() => 'metiers' in (JSON.parse(localStorage.getItem('{SNAPSHOTS_KEY}')) || {{}})"
    )
    before = _kept(page)["metiers"]["view"]["groups"]
    more = page.locator("main#contenu").get_by_role("button", name=re.compile(r"^Voir plus"))
    expect(more.first).to_be_visible()
    shown = page.locator("main#contenu h3").count()
    more.first.click()
    expect(page.locator("main#contenu h3")).not_to_have_count(shown)
    settle(page)
    assert _kept(page)["metiers"]["view"]["groups"] == before


def test_the_built_pages_carry_the_early_paint(app: RunningApp) -> None:
    """The real build (not a hand-written page) still has the frame, the template and the
    script: a change of Reflex's HTML must not drop the feature silently."""
    from careerpath.ui.early_paint import TEMPLATE_ID, early_paint_frame, has_early_paint
    from tests.browser.test_pwa import fetch

    _, _, body = fetch(app.url + "/metiers")
    metiers = body.decode()
    assert has_early_paint(metiers)
    assert early_paint_frame(metiers) is not None
    for path in ("/bilan/etape/1", "/metier/un-code-inconnu"):
        try:
            _, _, body = fetch(app.url + path)
        except urllib.error.HTTPError as error:  # the 404 page is the shell too
            body = error.read()
        shell = body.decode()
        assert has_early_paint(shell), path
        assert f'<template id="{TEMPLATE_ID}">' in shell
        assert "window.__cpStart=start;" in shell
    assert "window.__cpStart" not in metiers.split("<template")[0]
