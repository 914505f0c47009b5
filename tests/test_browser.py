"""The query page of `kg serve` in a real browser (headless Chromium from Debian's packages,
driven by Playwright): it loads with no console error and nothing fetched from elsewhere, an
example of the catalogue runs with its parameter and shows its rows, labels beside the IRIs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

sync_api = pytest.importorskip("playwright.sync_api",
                               reason="the browser test needs playwright (the dev extra)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("the browser test needs Chromium: apt-get install chromium (.ci/run does)",
                allow_module_level=True)
# Flags for a machine with no network and no display: nothing of Chromium's own goes out.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_an_example_runs_and_shows_its_rows_with_labels(article_site: str, tmp_path: Path) -> None:
    errors: list[str] = []
    elsewhere: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("request", lambda r: None if r.url.startswith((article_site, "data:"))
                    else elsewhere.append(r.url))
            page.goto(article_site + "/")
            example = page.locator('#example-list button[data-name="treaties-between"]')
            example.click()
            assert "Treaties between two states" in page.locator("#about h2").inner_text()
            page.fill('#params input[name="asOf"]', "1990-01-01")
            page.click("#run")
            page.wait_for_selector("#result-table tbody tr")
            assert page.locator("#status").inner_text().startswith("3 rows in ")
            rows = page.locator("#result-table tbody tr")
            assert rows.count() == 3
            first = rows.nth(0).inner_text()
            assert "1961 USSR–North Korea Treaty of Friendship" in first  # the label...
            assert "kgr:treaty-1961-ussr-dprk" in first  # ...beside the IRI
            assert "in force" in first
            link = rows.nth(0).locator('a[href="/id/treaty-1961-ussr-dprk"]')
            assert link.count() == 1
            page.screenshot(path=str(tmp_path / "query-page.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert elsewhere == []


def test_a_query_with_a_mistake_says_what_is_wrong(article_site: str) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(article_site + "/")
            page.fill("#editor", "SELECT ?s WHERE { ?s a kg:State")
            page.click("#run")
            page.wait_for_selector("#status.error")
            assert page.locator("#status").inner_text().startswith("HTTP 400")
        finally:
            browser.close()
