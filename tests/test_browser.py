"""The dashboard in a real browser: Debian's chromium driven by Playwright.

Starts ``streamlit run dashboard.py`` on a free loopback port, waits for the
charts, changes the outlet filter and the voice, opens the resulting URL in a
fresh browser context and finds the same view.  Screenshots are saved under
``test-artifacts/`` (look at them).  Skips, saying why, where chromium or
Playwright is missing; CI installs both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
CHART = '[data-testid="stPlotlyChart"] .js-plotly-plot'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ARTIFACTS = ROOT / "test-artifacts"

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not Path(CHROMIUM).exists():
    pytest.skip("chromium not installed (apt-get install -y chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(*extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start within 60 s")


@contextmanager
def running_server(*extra: str) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A dashboard server for the duration of a ``with`` block, stopped afterwards."""
    proc, url = start_server(*extra)
    try:
        yield proc, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_server() as (_, url):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(CHART, state="attached", timeout=90_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    return context, page


def _selected_outlets(page) -> list[str]:  # type: ignore[no-untyped-def]
    tags = page.locator('[data-testid="stMultiSelect"] [data-tag]')
    return sorted({tags.nth(i).get_attribute("aria-label") or "" for i in range(tags.count())})


def _exceptions(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator('[data-testid="stException"]').count())


def test_first_view_shows_charts_naming_the_outlets(server: str, browser) -> None:
    import pandas as pd

    ARTIFACTS.mkdir(exist_ok=True)
    context, page = _open(browser, server)
    try:
        assert _exceptions(page) == 0
        charts = page.locator(CHART)
        visible = [i for i in range(charts.count()) if charts.nth(i).is_visible()]
        assert len(visible) >= 3
        text = " ".join(charts.nth(i).inner_text() for i in visible)
        for outlet in pd.read_csv(ROOT / "seeds" / "manifest.csv")["outlet"]:
            assert outlet in text, outlet
        page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)
    finally:
        context.close()


def test_changed_view_survives_a_reload_in_a_new_browser(server: str, browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    context, page = _open(browser, server)
    try:
        before = _selected_outlets(page)
        assert len(before) == 5
        removed = before[0]
        page.get_by_role("button", name=f"Remove {removed}").first.click()
        page.wait_for_function(
            "() => decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes('outlets=')",
            timeout=30_000,
        )
        page.get_by_text("Quoted only", exact=True).click()
        page.wait_for_function("() => location.search.includes('voice=')", timeout=30_000)
        page.get_by_role("tab", name="Sentiment").click()
        page.wait_for_function("() => location.search.includes('view=Sentiment')",
                               timeout=30_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        url = page.url
        chosen = _selected_outlets(page)
        assert removed not in chosen and len(chosen) == 4
        page.screenshot(path=str(ARTIFACTS / "changed_view.png"), full_page=False)
    finally:
        context.close()

    context, page = _open(browser, url)  # a fresh context: no cookies, no session
    try:
        assert _selected_outlets(page) == chosen
        assert page.get_by_role("tab", name="Sentiment").get_attribute("aria-selected") == "true"
        assert page.locator('[data-testid="stRadio"] input[type="radio"]:checked').count() >= 1
        checked = page.locator('[data-testid="stRadio"] label:has(input:checked)')
        assert "Quoted only" in " ".join(checked.all_inner_texts())
        assert _exceptions(page) == 0
        page.screenshot(path=str(ARTIFACTS / "reopened_view.png"), full_page=False)
    finally:
        context.close()
