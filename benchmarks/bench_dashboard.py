"""Dashboard speed: server start to first chart in a real browser, and the
time a filter change costs.

Usage: python benchmarks/bench_dashboard.py [CORPUS] [--runs N]

* ``first_chart_s``: from launching ``streamlit run dashboard.py`` to the first
  Plotly chart drawn in headless chromium (Playwright), cold caches.
* ``filter_change_server_s``: one script rerun after removing an outlet from
  the filter, timed inside the server process by streamlit's AppTest (warm
  cache: what a visitor waits for on the server).
* ``filter_change_browser_s``: the same change in the browser, from the click
  to the page being idle again (server time + transfer + drawing).

Each figure is the median of N runs on this machine; they are timings, not
tests, and noisy on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_browser import ARGS, CHART, CHROMIUM, IDLE, running_server  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    import psutil

    proc = psutil.Process(pid)
    procs = [proc, *proc.children(recursive=True)]
    return sum(p.memory_info().rss for p in procs) / 2**20


def first_chart(corpus: str | None) -> tuple[float, float, float]:
    """Seconds to the first chart and to the filter change answered, in a
    browser, and the server's memory afterwards (MB)."""
    from playwright.sync_api import sync_playwright

    t0 = time.monotonic()
    with running_server(*(["--", corpus] if corpus else [])) as (proc, url), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector(CHART, timeout=180_000)
        first = time.monotonic() - t0
        page.wait_for_selector(IDLE, timeout=180_000)
        tag = page.locator('[data-testid="stMultiSelect"] [data-tag] button').first
        t1 = time.monotonic()
        tag.click()
        page.wait_for_function("() => location.search.includes('outlets=')", timeout=60_000)
        page.wait_for_selector(IDLE, timeout=180_000)
        change = time.monotonic() - t1
        memory = rss_mb(proc.pid)
        browser.close()
    return first, change, memory


def server_rerun(corpus: str | None, runs: int) -> float:
    from streamlit.testing.v1 import AppTest

    argv = sys.argv
    sys.argv = [str(ROOT / "dashboard.py"), *([corpus] if corpus else [])]
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.run()
        outlets = list(at.session_state["outlets"])
        times = []
        for i in range(runs):
            chosen = outlets[: len(outlets) - 1] if i % 2 == 0 else outlets
            t = time.perf_counter()
            at.multiselect(key="outlets").set_value(chosen).run()
            times.append(time.perf_counter() - t)
            assert not at.exception, [e.value for e in at.exception]
    finally:
        sys.argv = argv
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", help="corpus or store path (default: bundled seeds)")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    firsts, changes, memory = zip(*(first_chart(args.corpus) for _ in range(args.runs)),
                                  strict=True)
    result = {
        "corpus": args.corpus or "seeds",
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}, "
                   f"{__import__('os').cpu_count()} cores",
        "runs": args.runs,
        "first_chart_s": round(statistics.median(firsts), 2),
        "filter_change_browser_s": round(statistics.median(changes), 3),
        "filter_change_server_s": round(server_rerun(args.corpus, max(args.runs, 5)), 3),
        "server_rss_mb_max": round(max(memory)),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
