"""Screenshots of the main pages at 360 px (a phone) and 1280 px, kept as test artefacts.

Written to build/screenshots/ (gitignored): `<page>-<width>.png` is the first screen,
`<page>-<width>-full.png` the whole page. docs/screenshots/ holds two of them for the README.
"""
from pathlib import Path

import pytest

from wiki.demo_content import AMINATA, T_WATER_GROUP, T_WELL
from wiki.markup import slugify

OUT = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SHEET = f"/p/{slugify(T_WELL)}"
PAGES = {
    "home": "/",
    "sheet": SHEET,
    "search": "/recherche?q=puits",
    "group": f"/groupes/{slugify(T_WATER_GROUP.removeprefix('Groupe '))}",
    "edit": SHEET + "/modifier",
}
HEIGHTS = {360: 740, 1280: 800}


@pytest.mark.parametrize("width", sorted(HEIGHTS))
def test_screenshots_of_the_main_pages(browser, server, login, width):
    OUT.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]}, locale="fr-FR")
    try:
        page = context.new_page()
        login(page, AMINATA)
        for name, path in PAGES.items():
            response = page.goto(server.url + path)
            assert response.status == 200, f"{name}: {response.status}"
            # Nothing wider than the screen: no sideways scrolling on a phone.
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} at {width} px is {overflow} px too wide"
            page.screenshot(path=OUT / f"{name}-{width}.png")
            page.screenshot(path=OUT / f"{name}-{width}-full.png", full_page=True)
    finally:
        context.close()
    assert all((OUT / f"{name}-{width}.png").stat().st_size > 5_000 for name in PAGES)
