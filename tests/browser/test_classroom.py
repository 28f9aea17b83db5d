"""A teacher projects a diploma's map; the class follows on its phones, answers a poll, and
the teacher prints the poster.

The display is driven at 1920×1080 (and checked at 1280×720) with the keys a presenter's
clicker sends; its QR code is decoded from a screenshot (zxing-cpp) and opened on phones
(390 px). The poll runs with six separate student browsers. The poster PDF is downloaded,
read back (pypdf) and rendered (pypdfium2) to decode its QR code too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import VIEWPORTS, PageProblems, RunningApp, service_workers
from tests.browser.test_accessibility import (  # noqa: F401  (axe_source is a fixture)
    assert_no_serious_violation,
    axe_source,
)
from tests.browser.test_journey import settle, visit

DIPLOMA = "bts-sam"
TITLE = "BTS Support à l'action managériale (SAM)"
FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}


def public_url(app: RunningApp) -> str:
    """What the app was told is its public address: `careerpath run`'s default."""
    return "http://localhost:" + app.url.rsplit(":", 1)[1]


@contextmanager
def opened(
    browser: Browser, app: RunningApp, **size: object
) -> Iterator[tuple[Page, PageProblems]]:
    """A fresh French browser context; any console error or failed request fails the test."""
    context = browser.new_context(base_url=app.url, locale="fr-FR", accept_downloads=True, **size)
    page = context.new_page()
    problems = PageProblems()
    page.on("console", problems.on_console)
    page.on("requestfailed", problems.on_request_failed)
    page.on("response", problems.on_response)
    try:
        yield page, problems
        settle(page)
    finally:
        context.close()
    assert not problems.items, "problems on the page:\n" + "\n".join(problems.items)


def decode_qr(png: bytes) -> list[str]:
    image = Image.open(io.BytesIO(png)).convert("L")
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def no_scrollbar(page: Page) -> None:
    sizes = page.evaluate(
        """() => ({
            width: document.documentElement.scrollWidth - window.innerWidth,
            height: document.documentElement.scrollHeight - window.innerHeight,
            bodyHeight: document.body.scrollHeight - window.innerHeight,
        })"""
    )
    assert sizes["width"] <= 0 and sizes["height"] <= 0 and sizes["bodyHeight"] <= 0, sizes


def qr_height(page: Page) -> float:
    box = page.locator("#cp-qr").bounding_box()
    assert box is not None
    return float(box["height"])


def slide_heading(page: Page) -> str:
    return page.locator(".cp-slide h2, .cp-slide h1").last.inner_text()


def open_display(page: Page) -> None:
    visit(page, f"/ecoles/{DIPLOMA}/classe")
    # A worker's first map is computed on a loaded machine: allow it a few seconds.
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible(timeout=20_000)
    expect(page.locator("#cp-qr")).to_be_visible()


def test_the_classroom_display_moves_with_the_keys_and_its_qr_code_opens_the_map(
    browser: Browser, app: RunningApp, request: pytest.FixtureRequest, screenshots_dir: Path
) -> None:
    axe_js: str = request.getfixturevalue("axe_source")
    student_url = f"{public_url(app)}/ecoles/{DIPLOMA}"
    with opened(browser, app, viewport=FULL_HD) as (page, _):
        open_display(page)
        # First slide: a QR code at least a quarter of the screen high, the short link under it.
        assert qr_height(page) >= FULL_HD["height"] / 4
        expect(page.locator("#cp-student-link")).to_have_text(student_url.split("://", 1)[1])
        page.screenshot(path=screenshots_dir / "classe-1920.png")
        assert decode_qr(page.screenshot()) == [student_url]
        no_scrollbar(page)
        assert_no_serious_violation(page, axe_js, "/ecoles/[diplome]/classe, first slide")

        # A clicker's Page Down, the arrows and the space bar move one step at a time.
        page.keyboard.press("PageDown")
        expect(page.get_by_role("heading", level=2, name="Premiers métiers")).to_be_visible()
        expect(
            page.get_by_text(re.compile(r"^Proximité\s: ce que le diplôme apporte déjà"))
        ).to_be_visible()
        figures = [
            float(f.replace("\u202f%", "").replace(",", "."))
            for f in page.locator(".cp-row-figure").all_inner_texts()
        ]
        assert len(figures) == 4 and figures == sorted(figures, reverse=True)
        # Available on every slide: the QR code moves to the side, still ≥ ¼ of the height.
        assert qr_height(page) >= FULL_HD["height"] / 4
        assert decode_qr(page.screenshot()) == [student_url]
        no_scrollbar(page)
        assert_no_serious_violation(page, axe_js, "/ecoles/[diplome]/classe, first jobs")
        first_job = page.locator(".cp-row-title").first.inner_text()

        page.keyboard.press("Space")
        expect(page.get_by_role("heading", level=2, name=f"Après : {first_job}")).to_be_visible()
        expect(
            page.get_by_text(re.compile(rf"^Pour devenir {re.escape(first_job)}\s: .*BTS"))
        ).to_be_visible()
        page.screenshot(path=screenshots_dir / "classe-1920-apres.png")
        no_scrollbar(page)
        page.keyboard.press("ArrowRight")
        expect(page.locator(".cp-counter").last).to_have_text("4 / 6")
        second = slide_heading(page)
        assert re.match(r"Après\s: ", second) and not second.endswith(first_job), second
        page.keyboard.press("PageUp")
        expect(page.get_by_role("heading", level=2, name=f"Après : {first_job}")).to_be_visible()
        page.keyboard.press("ArrowLeft")
        expect(page.get_by_role("heading", level=2, name="Premiers métiers")).to_be_visible()
        # The on-screen buttons do the same; « Précédent » is off on the first slide.
        page.get_by_role("button", name="Précédent").click()
        expect(page.locator("#cp-student-link")).to_be_visible()
        expect(page.get_by_role("button", name="Précédent")).to_be_disabled()
        for _ in range(8):  # to the last slide, then no further
            page.keyboard.press("ArrowDown")
        expect(page.get_by_role("button", name="Suivant")).to_be_disabled()
        expect(page.locator(".cp-counter").last).to_have_text("6 / 6")
        no_scrollbar(page)
        # No personal data anywhere on the display.
        body = page.locator("body").inner_text()
        assert "vous maîtrisez" not in body.casefold()

    # 1280×720: same slides, nothing scrolls, the QR code still a quarter of the height.
    with opened(browser, app, viewport=HD) as (page, _):
        open_display(page)
        for number in range(1, 7):
            expect(page.locator(".cp-counter").last).to_have_text(f"{number} / 6")
            assert qr_height(page) >= HD["height"] / 4
            no_scrollbar(page)
            page.keyboard.press("PageDown")
        page.screenshot(path=screenshots_dir / "classe-1280.png")


def tap_targets_too_small(page: Page) -> list[str]:
    return page.evaluate(
        """() => [...document.querySelectorAll('main a, main button')]
            .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
            .map(e => e.textContent.trim() + ' ' + e.getBoundingClientRect().height)"""
    )


def test_a_student_follows_the_map_on_a_phone_both_ways(
    browser: Browser, app: RunningApp, request: pytest.FixtureRequest, screenshots_dir: Path
) -> None:
    axe_js: str = request.getfixturevalue("axe_source")
    with opened(browser, app, **VIEWPORTS["phone"]) as (page, _):
        # The address the display's QR code carries (decoded in the test above).
        visit(page, f"{public_url(app)}/ecoles/{DIPLOMA}")
        expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible(timeout=20_000)
        expect(
            page.get_by_text(re.compile(r"^Proximité\s: ce que le diplôme apporte déjà")).first
        ).to_be_visible()
        # The first jobs are in the order of the figure they show.
        bars = page.locator("ol > li h3 + div .cp-figure").all_inner_texts()
        shown = [float(re.sub(r"[^\d,]", "", f).replace(",", ".")) for f in bars]
        assert len(shown) == 4 and shown == sorted(shown, reverse=True), bars
        assert tap_targets_too_small(page) == []
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.screenshot(path=screenshots_dir / "ecoles-carte-390.png", full_page=True)

        # From a role back to the diplomas that lead to it.
        office = page.get_by_role("link", name="Quels diplômes y mènent ? Assistant·e de direction")
        office.click()
        expect(
            page.get_by_role("heading", level=1, name="Pour devenir Assistant·e de direction")
        ).to_be_visible(timeout=20_000)  # reads every diploma's map: seconds on a loaded machine
        expect(page.get_by_role("link", name=TITLE).first).to_be_visible()
        assert tap_targets_too_small(page) == []
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert_no_serious_violation(page, axe_js, "/ecoles/devenir/[role]")
        page.screenshot(path=screenshots_dir / "ecoles-devenir-390.png", full_page=True)

        # A role opened from the map speaks of the diploma, not of a « vous » who answered nothing.
        visit(page, f"/ecoles/{DIPLOMA}/metier/assistant-direction")
        expect(page.get_by_role("heading", level=1, name="Assistant·e de direction")).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_text(re.compile(r"^Le diplôme couvre"))).to_be_visible()
        expect(page.get_by_role("heading", name="Ce que le diplôme apporte")).to_be_visible()
        expect(
            page.get_by_role("heading", name="Pour devenir Assistant·e de direction :")
        ).to_be_visible()
        main = page.get_by_role("main").inner_text().casefold()
        assert "vous maîtrisez" not in main and "il vous manque" not in main
        assert tap_targets_too_small(page) == []
        assert_no_serious_violation(page, axe_js, "/ecoles/[diplome]/metier/[role]")
        visit(page, f"/ecoles/{DIPLOMA}")
        assert_no_serious_violation(page, axe_js, "/ecoles/[diplome]")


def read_poll_code(page: Page) -> str:
    code = page.locator(".cp-poll-code strong").first.inner_text()
    assert re.fullmatch(r"[A-Z2-9]{6}", code), code
    return code


def test_a_class_poll_with_six_students_shows_counts_only_from_five(
    browser: Browser, app: RunningApp, screenshots_dir: Path
) -> None:
    with opened(browser, app, viewport=FULL_HD) as (display, _):
        open_display(display)
        display.get_by_role("button", name="Lancer un sondage de la classe").click()
        code = read_poll_code(display)
        poll_url = f"{public_url(app)}/c/{code}"
        expect(display.locator("#cp-student-link")).to_have_text(poll_url.split("://", 1)[1])
        assert decode_qr(display.screenshot()) == [poll_url]
        for _ in range(8):
            display.keyboard.press("PageDown")
        expect(
            display.get_by_role("heading", level=2, name="Ce qui intéresse la classe")
        ).to_be_visible()

        students = []
        for number in range(6):
            with opened(browser, app, **VIEWPORTS["phone"]) as (phone, _):
                visit(phone, poll_url)
                # Six phones at once on a loaded machine: the first map a worker computes
                # may take a few seconds.
                expect(phone.get_by_role("heading", level=1, name=TITLE)).to_be_visible(
                    timeout=20_000
                )
                mine = phone.get_by_role("button", name="Ça m'intéresse : Assistant·e de direction")
                mine.click()
                expect(mine).to_have_attribute("aria-pressed", "true")
                if number % 2:
                    other = phone.get_by_role(
                        "button", name="Ça m'intéresse : Office manager"
                    ).first
                    other.click()
                    expect(other).to_have_attribute("aria-pressed", "true")
                if number == 0:
                    # Answers are kept: a reload shows the choice; a second tap takes it back.
                    visit(phone, poll_url)
                    expect(mine).to_have_attribute("aria-pressed", "true")
                    phone.screenshot(path=screenshots_dir / "sondage-390.png", full_page=True)
                students.append(number)
            if number == 3:
                expect(display.get_by_text("4 élève(s) ont répondu.")).to_be_visible(timeout=15_000)
                expect(
                    display.get_by_text(re.compile("Les résultats s'affichent à partir de 5"))
                ).to_be_visible()
                expect(display.locator(".cp-rows")).to_have_count(0)

        expect(display.get_by_text("6 élève(s) ont répondu.")).to_be_visible(timeout=15_000)
        rows = display.locator(".cp-rows .cp-row")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Assistant·e de direction")
        expect(rows.nth(0).locator(".cp-row-figure")).to_have_text("6")
        expect(rows.nth(1)).to_contain_text("Office manager")
        expect(rows.nth(1).locator(".cp-row-figure")).to_have_text("3")
        display.screenshot(path=screenshots_dir / "sondage-resultats-1920.png")
        no_scrollbar(display)

        display.get_by_role("button", name="Terminer le sondage").click()
        expect(display.get_by_role("button", name="Lancer un sondage de la classe")).to_be_visible()
        with opened(browser, app, **VIEWPORTS["phone"]) as (phone, _):
            visit(phone, poll_url)
            expect(phone.get_by_role("heading", level=1, name="Sondage terminé")).to_be_visible()


@pytest.mark.parametrize(("paper", "points"), [("A4", (595, 842)), ("A3", (842, 1191))])
def test_the_poster_prints_the_map_with_its_qr_code(
    browser: Browser, app: RunningApp, paper: str, points: tuple[int, int], tmp_path: Path
) -> None:
    with opened(browser, app, viewport={"width": 1280, "height": 800}) as (page, _):
        visit(page, f"/ecoles/{DIPLOMA}")
        expect(page.get_by_role("heading", level=2, name="Premiers métiers")).to_be_visible()
        first_jobs = page.locator("ol h3").all_inner_texts()
        with page.expect_download() as info:
            page.get_by_role("button", name=f"Affiche {paper} (PDF)").click()
        download = info.value
        assert download.suggested_filename == f"affiche-{DIPLOMA}-{paper.lower()}.pdf"
        path = tmp_path / download.suggested_filename
        download.save_as(path)

    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points
    text = reader.pages[0].extract_text()
    flat = re.sub(r"\s+", " ", text)
    assert "BTS Support à l'action" in flat and "Proximité" in flat
    assert all(job.split("·")[0] in flat for job in first_jobs), (first_jobs, flat[:400])
    if paper == "A4":  # rendered once: the printed QR code opens the student's map
        pdf = pypdfium2.PdfDocument(str(path))
        image = pdf[0].render(scale=2).to_pil().convert("L")
        pdf.close()
        found = [r.text for r in zxingcpp.read_barcodes(image)]
        assert found == [f"{public_url(app)}/ecoles/{DIPLOMA}"]


def test_addresses_that_name_nothing_get_a_plain_message(browser: Browser, app: RunningApp) -> None:
    with opened(browser, app, **VIEWPORTS["phone"]) as (page, _):
        for path, heading in (
            ("/ecoles/inconnu/classe", "Diplôme introuvable"),
            ("/c/ZZZZZZ", "Sondage terminé"),
            ("/c/n'importe-quoi", "Sondage terminé"),
            ("/ecoles/devenir/inconnu", "Métier introuvable"),
            ("/ecoles/bts-sam/metier/inconnu", "Page introuvable"),
        ):
            visit(page, path)
            expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
            expect(page.get_by_role("link", name="Voir tous les diplômes")).to_be_visible()


def test_the_display_speaks_english_when_the_device_chose_it(
    browser: Browser, app: RunningApp
) -> None:
    context = browser.new_context(
        base_url=app.url, locale="en-GB", viewport=HD, service_workers=service_workers("desktop")
    )
    context.add_init_script("localStorage.setItem('careerpath_lang', 'en')")
    page = context.new_page()
    try:
        visit(page, f"/ecoles/{DIPLOMA}/classe")
        expect(page.get_by_text("Scan the code to follow the map on your phone")).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_role("button", name="Start a class poll")).to_be_visible()
        page.keyboard.press("PageDown")
        expect(page.get_by_role("heading", level=2, name="First jobs")).to_be_visible()
        expect(
            page.get_by_text(re.compile("^Closeness: how much of what the role asks"))
        ).to_be_visible()
        page.keyboard.press("PageDown")
        expect(page.get_by_role("heading", level=2, name=re.compile("^After: "))).to_be_visible()
        settle(page)
    finally:
        context.close()
