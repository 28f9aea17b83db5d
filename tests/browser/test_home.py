"""The home page, as a first-time visitor sees it on a phone and on a desktop."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def test_home_says_what_careerpath_does_and_offers_the_three_ways_in(
    page: Page, viewport_name: str, screenshots_dir: Path
) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_title("careerpath — faites le point sur vos compétences d'assistant·e")
    description = page.locator('meta[name="description"]')
    expect(description).to_have_attribute(
        "content",
        "careerpath aide les assistant·e·s, secrétaires et office managers à nommer ce qu'ils et elles maîtrisent, à voir les métiers accessibles ensuite et les formations (ou la VAE) qui y mènent.",
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    start = page.get_by_role("link", name="Faire le point sur mes compétences")
    expect(start).to_be_visible()
    expect(start).to_have_attribute("href", "/bilan")
    expect(page.get_by_role("link", name="Vous accompagnez des personnes ?")).to_be_visible()
    expect(page.get_by_role("link", name="Vous enseignez ?")).to_be_visible()

    # Nothing overflows sideways: the page fits the screen it is shown on.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # The main action is big enough for a thumb on a phone.
    box = start.bounding_box()
    assert box is not None and box["height"] >= 44
    page.screenshot(path=screenshots_dir / f"home-{viewport_name}.png", full_page=True)


def test_home_fits_a_360_px_screen(page: Page, viewport_name: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    expect(page.get_by_role("link", name="Faire le point sur mes compétences")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
