"""Incremental scoring: what a re-run over a stored corpus costs.

Usage: python benchmarks/bench_incremental.py [CORPUS.jsonl.gz] [--n 2000] [--add 100]

Whole commands (``slantscope score FIRST_N.jsonl -o out.parquet --store S``)
in subprocesses, one run each, on the first N articles of the corpus
(default: the shared corpus):

* ``first_s``: scoring into an empty store;
* ``rerun_s``: the same command again (everything comes from the store);
* ``startup_s``: a one-article corpus already in its store, scored again:
  the fixed cost every command pays (interpreter, imports, opening the store,
  writing the output);
* ``rerun_share``: (rerun - startup) / first, the issue's measure (target
  at most 0.10);
* ``add_s`` / ``add_scored``: the first N + ``--add`` articles: only the new
  ones are scored;
* ``peak_rss_mb`` of the first run and the re-run (``/usr/bin/time -v`` when
  present).

Timings are printed, never asserted; the machine is noisy.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "corpora" / "abp-articles.jsonl.gz"


def head(corpus: Path, n: int, out: Path) -> Path:
    """The first ``n`` lines of a (gzipped) JSONL corpus as a file."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def run(cmd: list[str]) -> tuple[float, float | None, str]:
    """Seconds, peak RSS in MB (when /usr/bin/time exists) and stderr of a command."""
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    full = [timer, "-v", *cmd] if timer else cmd
    t = time.perf_counter()
    r = subprocess.run(full, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode != 0:
        sys.exit(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return elapsed, (int(m.group(1)) / 1024 if m else None), r.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--add", type=int, default=100)
    args = ap.parse_args()
    cli = [sys.executable, "-m", "analytics.cli", "score"]
    with tempfile.TemporaryDirectory(prefix="bench-incr-") as tmp:
        d = Path(tmp)
        first = head(Path(args.corpus), args.n, d / "first.jsonl")
        more = head(Path(args.corpus), args.n + args.add, d / "more.jsonl")
        one = head(Path(args.corpus), 1, d / "one.jsonl")
        store = d / "s.duckdb"
        t_first, rss_first, _ = run([*cli, str(first), "-o", str(d / "a.parquet"),
                                     "--store", str(store)])
        t_rerun, rss_rerun, _ = run([*cli, str(first), "-o", str(d / "b.parquet"),
                                     "--store", str(store)])
        run([*cli, str(one), "-o", str(d / "c.parquet"), "--store", str(d / "one.duckdb")])
        t_start, _, _ = run([*cli, str(one), "-o", str(d / "c.parquet"),
                             "--store", str(d / "one.duckdb")])
        t_add, _, err = run([*cli, str(more), "-o", str(d / "e.parquet"), "--store", str(store)])
        reused = re.search(r"\((\d+) from the store", err)
    n_reused = int(reused.group(1)) if reused else 0
    result = {
        "benchmark": "incremental",
        "corpus": f"first {args.n} articles of {Path(args.corpus).name}",
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, Python {platform.python_version()}, "
                   f"{os.cpu_count()} cores",
        "first_s": round(t_first, 2),
        "rerun_s": round(t_rerun, 2),
        "startup_s": round(t_start, 2),
        "rerun_share": round((t_rerun - t_start) / t_first, 3),
        "add_s": round(t_add, 2),
        "add_scored": args.n + args.add - n_reused,
        "peak_rss_mb": {"first": rss_first and round(rss_first),
                        "rerun": rss_rerun and round(rss_rerun)},
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
