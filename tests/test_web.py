"""The dashboard in a real browser: headless Debian Chromium driven by Playwright, over a server on 127.0.0.1
whose store holds the seed article. Saves a screenshot under the test's tmp_path (its path is printed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from test_api import SEED_DATE, running  # the server fixture helpers (tests/ is on sys.path)

from eventcoder.api import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASTED = ("Russian troops shelled Kharkiv on Monday, local officials said. "
          "The French president met the German chancellor in Berlin to discuss aid to Ukraine.")

pytestmark = pytest.mark.slow


def _other_filter(client: httpx.Client, total: int) -> tuple[str, str, int]:
    """A (field, value, expected total) filter that selects some of the stored events but not all."""
    for quad in (0, 1, 2, 3, 4):
        n = client.get("/v1/events", params={"quad": quad}).json()["total"]
        if 0 < n < total:
            return "quad", str(quad), n
    for actor in client.get("/v1/actors").json()["actors"]:
        if 0 < actor["events"] < total:
            n = client.get("/v1/events", params={"actor": actor["code"]}).json()["total"]
            return "actor", actor["code"], n
    return "actor", "ZZZ", 0


def _screenshot(page: Any, path: Path) -> None:
    page.locator("header.topbar").scroll_into_view_if_needed()  # the filter bar is sticky: shoot from the top
    page.screenshot(path=str(path), full_page=True)


def _wait_refreshed(page: Any, count: int) -> None:
    # attribute selectors, not JavaScript: the page's Content-Security-Policy forbids eval
    page.wait_for_selector(f'body[data-refreshes="{count}"][data-loading="0"]', state="attached", timeout=30_000)


def test_dashboard_in_a_browser(coder: Any, seed_text: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (install Debian's chromium: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    app = create_app(db_path=tmp_path / "events.duckdb", coder=coder)
    with running(app) as url, httpx.Client(base_url=url, timeout=120) as client:
        stored = client.post("/v1/code", json={"text": seed_text, "date": SEED_DATE, "id": "nato_japan_office",
                                               "title": "NATO office in Japan",
                                               "url": "https://news.example/nato-japan", "store": True}).json()
        assert stored["stored"] and stored["events"]
        total = client.get("/v1/events").json()["total"]
        places = client.get("/v1/places").json()["places"]
        field, value, expected = _other_filter(client, total)

        problems: list[str] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
                page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
                page.on("request", lambda r: None if r.url.startswith(url) else problems.append(f"went out: {r.url}"))
                page.goto(url + "/")
                _wait_refreshed(page, 1)

                # the map: country outlines and one marker per stored place
                assert page.locator("#map path.leaflet-interactive").count() > 150
                assert places, "the seed article's events have places"
                assert page.locator("#map").get_attribute("data-markers") == str(len(places))
                assert page.locator("#map path.event-marker").count() == len(places)
                # the timeline and the network render
                assert int(page.locator("#timeline").get_attribute("data-periods") or 0) >= 1
                assert page.locator("#timeline").bounding_box()["height"] > 100
                assert int(page.locator("#network").get_attribute("data-nodes") or 0) >= 2
                assert int(page.locator("#network").get_attribute("data-edges") or 0) >= 1
                assert page.locator("#network canvas").count() >= 1
                # the table lists the seed's events, with highlighted evidence and the article link
                rows = page.locator("#events tbody tr.event-row")
                assert rows.count() == min(total, 25)
                assert page.locator("#table-count").inner_text().endswith(f"of {total} events")
                assert page.locator("#events mark.hl-trigger").count() >= 1
                assert page.locator('#events a[href="https://news.example/nato-japan"]').count() == rows.count()
                # a row opens every report of its event
                rows.first.locator("td.date").click()
                page.wait_for_selector("#events tr.detail ul.mentions li", timeout=10_000)
                _screenshot(page, tmp_path / "dashboard.png")

                # changing a filter changes the table
                if field == "quad":
                    page.select_option('select[name="quad"]', value)
                else:
                    page.fill('input[name="actor"]', value)
                _wait_refreshed(page, 2)
                assert page.locator("#events").get_attribute("data-total") == str(expected)
                assert page.locator("#events tbody tr.event-row").count() == min(expected, 25)
                assert f"{field}={value}" in page.url
                assert f"{field}={value}" in (page.locator("#export-csv").get_attribute("href") or "")

                # pasting an article shows its events
                page.fill("#code-form textarea", PASTED)
                page.fill('#code-form input[name="date"]', "2022-05-02")
                page.click('#code-form button[type="submit"]')
                page.wait_for_selector("#code-results .card", timeout=60_000)
                assert page.locator("#code-results .card").count() >= 1
                assert page.locator("#code-results mark.hl-trigger").count() >= 1

                shot = tmp_path / "dashboard-filtered.png"
                _screenshot(page, shot)
                print(f"\nscreenshots: {tmp_path / 'dashboard.png'} {shot}")

                # the API docs render from the package's own Swagger UI
                page.goto(url + "/docs")
                page.wait_for_selector(".opblock", timeout=30_000)
                assert page.locator(".opblock").count() >= 8
            finally:
                browser.close()
        assert not problems, problems
