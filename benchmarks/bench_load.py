"""Dashboard under load: concurrent browser sessions against one local server.

Usage: python benchmarks/bench_load.py [CORPUS] [--sessions N] [--seconds S]
                                       [--max-actions M] [--seed K]

Starts ``streamlit run dashboard.py`` on a free loopback port (as
``tests/test_browser.py`` does, with the file watcher off unless
``--watch-files``), opens one headless chromium (Playwright,
Debian's ``/usr/bin/chromium``) with N browser contexts, each a separate
Streamlit session, and drives them all at once from asyncio.  Every session
repeatedly, in a random order (fixed seed):

* clicks a tab (Overview, Sentiment, Readability, Hedging & framing,
  Article reader);
* picks a voice ("All text", "Authorial only", "Quoted only");
* removes an outlet from the filter, or adds a removed one back.

All sessions first open the dashboard at once (``first_view_*``: new context
to the first chart drawn and the page idle); then the clock starts, and each
session stops at that fixed deadline or after ``--max-actions`` actions,
whichever comes first, so the run always ends by itself.

Measured:

* ``interaction_s``: from the click to the end of the script run it caused
  (``[data-testid="stApp"]`` back to ``data-test-script-state="notRunning"``,
  seen by a MutationObserver in the page so short runs are not missed).
  Every action changes the view (another tab, another voice, one outlet
  fewer or more), so every one should cause a run;
* ``errors``: Playwright failures (timeouts, missing elements) and clicks
  that started no run within ``RUN_START_S``, per action;
* ``exception_boxes``: Streamlit exception boxes (``stException``) seen
  after an action, with the first line of each distinct one;
* ``rss_mb``: the server process's resident memory (with its children),
  sampled every ``--sample-s`` seconds (psutil if installed, else
  ``/proc/PID/status``).

Prints one JSON line.  Timings are noisy on a shared 2-core machine; the
browser and the server compete for the same cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_browser import ARGS, CHART, IDLE, running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TABS = ["Overview", "Sentiment", "Readability", "Hedging & framing", "Article reader"]
VOICE_LABELS = ["All text", "Authorial only", "Quoted only"]
EXCEPTION = '[data-testid="stException"]'
#: A click that has not started a script run within this many seconds caused none
#: (every action here changes the view, so that is an error; generous, because
#: under load a rerun waits for the server).
RUN_START_S = 30.0
#: Longest wait for one script run to finish before the action counts as an error.
RUN_TIMEOUT_MS = 120_000

# Counts script runs in the page: starts, and ends that follow a start.
_OBSERVE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const st = {starts: 0, ends: 0, last: app.getAttribute('data-test-script-state')};
  window.__bench = st;
  new MutationObserver(() => {
    const s = app.getAttribute('data-test-script-state');
    if (s === st.last) return;
    if (s === 'running') st.starts += 1;
    if (s === 'notRunning' && st.last === 'running') st.ends += 1;
    st.last = s;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@dataclass
class Session:
    """What one browser session did."""

    name: str
    times: list[float] = field(default_factory=list)  # click to the end of its run
    actions: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    exception_boxes: int = 0
    exception_texts: list[str] = field(default_factory=list)
    open_s: float | None = None  # new context to first view drawn


# --- server memory ---------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def _rss_mb_proc(pid: int) -> float:
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB."""
    try:
        import psutil
    except ImportError:
        return _rss_mb_proc(pid)
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / 2**20
    except psutil.Error:
        return 0.0


async def sample_rss(pid: int, every: float, stop: asyncio.Event, out: list[float]) -> None:
    while not stop.is_set():
        out.append(rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
    out.append(rss_mb(pid))


# --- one session -------------------------------------------------------------------------


async def _open(browser: Any, url: str) -> tuple[Any, Any]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    await page.goto(url, timeout=180_000)
    await page.wait_for_selector(CHART, state="attached", timeout=180_000)
    await page.wait_for_selector(IDLE, timeout=180_000)
    await page.evaluate(_OBSERVE)
    return context, page


async def _selected(page: Any) -> list[str]:
    tags = page.locator('[data-testid="stMultiSelect"] [data-tag]')
    return [await tags.nth(i).get_attribute("aria-label") or "" for i in range(await tags.count())]


class NoRun(Exception):
    """The click started no script run."""


async def _timed(page: Any, click: Any) -> float:
    """Run ``click`` and wait for the end of the script run it causes (seconds)."""
    before = await page.evaluate("() => [window.__bench.starts, window.__bench.ends]")
    t0 = time.perf_counter()
    await click()
    try:
        await page.wait_for_function(
            f"() => window.__bench.starts > {before[0]}", timeout=RUN_START_S * 1000
        )
    except Exception as exc:
        raise NoRun(f"no script run within {RUN_START_S:g} s of the click") from exc
    await page.wait_for_function(
        f"() => window.__bench.ends > {before[1]} && window.__bench.last === 'notRunning'",
        timeout=RUN_TIMEOUT_MS,
    )
    return time.perf_counter() - t0


async def _action(
    page: Any, kind: str, rng: random.Random, all_outlets: list[str]
) -> tuple[str, Any]:
    """What one action of ``kind`` does, and its click."""
    if kind == "tab":
        selected = page.locator('[role="tab"][aria-selected="true"]')
        current = (await selected.first.inner_text()).strip() if await selected.count() else ""
        name = rng.choice([t for t in TABS if t != current])
        return f"tab {name!r}", lambda: page.get_by_role("tab", name=name, exact=True).click()
    if kind == "voice":
        checked = page.locator('[data-testid="stRadio"] label:has(input:checked)')
        current = " ".join(await checked.all_inner_texts())
        label = rng.choice([v for v in VOICE_LABELS if v not in current])
        return f"voice {label!r}", lambda: page.get_by_text(label, exact=True).click()
    chosen = await _selected(page)
    missing = [o for o in all_outlets if o not in chosen]
    if missing and (len(chosen) <= 2 or rng.random() < 0.5):
        outlet = rng.choice(missing)

        async def add() -> None:
            box = page.locator('[data-testid="stMultiSelect"] input').first
            await box.click()
            await box.fill(outlet)
            await page.get_by_role("option", name=outlet, exact=True).first.click()
            await page.keyboard.press("Escape")

        return f"add {outlet!r}", add
    outlet = rng.choice(chosen)
    return f"remove {outlet!r}", lambda: page.get_by_role(
        "button", name=f"Remove {outlet}", exact=True
    ).first.click()


async def open_session(browser: Any, url: str, name: str) -> tuple[Session, Any, Any]:
    """A new context on the dashboard, first view drawn; (session, context, page)."""
    s = Session(name)
    t0 = time.perf_counter()
    try:
        context, page = await _open(browser, url)
    except Exception as exc:
        s.errors.append(f"open: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
        return s, None, None
    s.open_s = time.perf_counter() - t0
    return s, context, page


async def run_session(
    s: Session, context: Any, page: Any, seed: int, deadline: float, max_actions: int
) -> Session:
    if page is None:
        return s
    rng = random.Random(seed)
    try:
        all_outlets = sorted(await _selected(page))
        for _ in range(max_actions):
            if time.monotonic() >= deadline:
                break
            kind = rng.choice(["tab", "voice", "outlet"])
            s.actions[kind] = s.actions.get(kind, 0) + 1
            what = kind
            try:
                what, click = await _action(page, kind, rng, all_outlets)
                s.times.append(await _timed(page, click))
            except Exception as exc:
                s.errors.append(f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
                try:  # start the next action from a settled page
                    await page.keyboard.press("Escape")
                    await page.wait_for_selector(IDLE, timeout=RUN_TIMEOUT_MS)
                except Exception:
                    pass
            boxes = page.locator(EXCEPTION)
            n = await boxes.count()
            if n:
                s.exception_boxes += n
                for i in range(n):
                    text = " ".join((await boxes.nth(i).inner_text()).split())[:200]
                    s.exception_texts.append(f"after {what}: {text}")
    finally:
        await context.close()
    return s


# --- the run -------------------------------------------------------------------------------


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def bench(args: argparse.Namespace, url: str, pid: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    samples: list[float] = [rss_mb(pid)]
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_rss(pid, args.sample_s, stop, samples))
    t0 = time.monotonic()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            opened = await asyncio.gather(
                *(open_session(browser, url, f"s{i}") for i in range(args.sessions))
            )
            deadline = time.monotonic() + args.seconds  # the clock starts once all are open
            sessions = await asyncio.gather(
                *(
                    run_session(s, context, page, args.seed + i, deadline, args.max_actions)
                    for i, (s, context, page) in enumerate(opened)
                )
            )
        finally:
            await browser.close()
    stop.set()
    await sampler
    times = [t for s in sessions for t in s.times]
    errors = [e for s in sessions for e in s.errors]
    opens = [s.open_s for s in sessions if s.open_s is not None]
    actions: dict[str, int] = {}
    for s in sessions:
        for k, v in s.actions.items():
            actions[k] = actions.get(k, 0) + v
    return {
        "benchmark": "dashboard_load",
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "corpus": args.corpus or "seeds",
        "sessions": args.sessions,
        "seconds": round(time.monotonic() - t0, 1),
        "first_view_p50_s": _round(_percentile(opens, 50)),
        "first_view_max_s": _round(max(opens) if opens else None),
        "actions": sum(actions.values()),
        "actions_by_kind": actions,
        "interactions_timed": len(times),
        "interaction_p50_s": _round(_percentile(times, 50)),
        "interaction_p95_s": _round(_percentile(times, 95)),
        "interaction_max_s": _round(max(times) if times else None),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "exception_boxes": sum(s.exception_boxes for s in sessions),
        "exception_examples": sorted({t for s in sessions for t in s.exception_texts})[:5],
        "sessions_without_actions": sum(1 for s in sessions if not s.actions),
        "rss_mb_start": _round(samples[0], 1),
        "rss_mb_peak": _round(max(samples), 1),
        "rss_mb_end": _round(samples[-1], 1),
        "rss_samples": len(samples),
        "rss_source": "psutil" if _has_psutil() else "/proc/PID/status",
    }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _has_psutil() -> bool:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", help="corpus path for the dashboard (default: seeds)")
    ap.add_argument("--sessions", type=int, default=10, help="browser sessions (default: 10)")
    ap.add_argument("--seconds", type=float, default=60, help="run time (default: 60)")
    ap.add_argument(
        "--max-actions", type=int, default=60, help="most actions per session (default: 60)"
    )
    ap.add_argument(
        "--sample-s", type=float, default=2.0, help="seconds between RSS samples (default: 2)"
    )
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument(
        "--watch-files",
        action="store_true",
        help="keep Streamlit's file watcher on (off by default, see main())",
    )
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found (apt-get install -y chromium)", file=sys.stderr)
        return 2
    # No file watcher: an edit to a source file during the run would make
    # Streamlit unload modules while other sessions' scripts import them
    # (KeyError: 'analytics.charts' in the exception boxes), which is a
    # development-server effect, not load.
    watcher = [] if args.watch_files else ["--server.fileWatcherType", "none"]
    with running_server(*watcher, *(["--", args.corpus] if args.corpus else [])) as (proc, url):
        result = asyncio.run(bench(args, url, proc.pid))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
