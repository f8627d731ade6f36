"""Corpus text is data, never markup: a hostile corpus in a real browser.

Titles, outlet names, article text and a lexicon-shaped string carry
``<img src=x onerror=...>``, ``<script>`` and Markdown image/link syntax.
Every view is opened; no element, request or script may come from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.test_browser import ARGS, CHART, CHROMIUM, IDLE, playwright_api, running_server

PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_SCRIPT = "<script>window.__pwned=2</script>"
PAYLOAD_MD = "![pixel](http://127.0.0.1:9/tracker.png) [click](javascript:window.__pwned=3)"
VIEWS = ["Overview", "Sentiment", "Readability", "Hedging & framing", "Sourcing", "Actors",
         "Vocabulary", "Similarity", "Article reader", "Lexicons"]


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))[:3]]
    rows = [
        {"title": f"Talks {PAYLOAD_IMG} end", "outlet": f"Evil {PAYLOAD_SCRIPT} Times",
         "text": f"{PAYLOAD_IMG} {PAYLOAD_SCRIPT} {PAYLOAD_MD}\n\n" + texts[0]},
        {"title": f"{PAYLOAD_MD}", "outlet": f"Markdown {PAYLOAD_MD} Post",
         "text": texts[1] + f'\n\nHe said "{PAYLOAD_IMG}" and left.'},
        {"title": "=HYPERLINK(\"http://x\")", "outlet": "@Formula Daily", "text": texts[2]},
    ]
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def hostile_server(hostile_corpus: Path) -> Iterator[str]:
    with running_server("--", str(hostile_corpus)) as (_, url):
        yield url


def test_no_markup_from_the_corpus_in_any_view(hostile_server: str) -> None:
    requests: list[str] = []
    dialogs: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(hostile_server)
        page.wait_for_selector(CHART, state="attached", timeout=90_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        body_before = page.content()
        assert "Evil" in body_before  # the hostile corpus is the one shown
        for view in VIEWS:
            page.get_by_role("tab", name=view).click()
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_timeout(300)
            assert page.evaluate("() => window.__pwned") is None, view
            # No element created from the payloads, anywhere in the page.
            assert page.locator('img[src="x"]').count() == 0, view
            assert page.locator('img[src*="tracker"]').count() == 0, view
            assert page.locator('a[href^="javascript"]').count() == 0, view
            scripts = page.locator("script").all_inner_texts()
            assert not any("__pwned" in s for s in scripts), view
            assert page.locator('[data-testid="stException"]').count() == 0, view
        # The payloads are shown as text somewhere (escaped, not dropped).
        text = page.locator("body").inner_text()
        page.get_by_role("tab", name="Article reader").click()
        page.wait_for_selector(IDLE, timeout=60_000)
        text += page.locator("body").inner_text()
        assert "onerror" in text
        browser.close()
    assert not dialogs
    assert not any("tracker" in u or u.startswith("javascript") for u in requests)
