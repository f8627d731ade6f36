"""Lexicon edits on a stored corpus: time to re-score the lexicon columns.

Usage: python benchmarks/bench_lexicon_edit.py STORE.duckdb [--keep]

Works on a copy of the store (unless ``--keep``), so the benchmark leaves
no lexicon versions behind.  One run of each edit of the conflict framing
lexicon, each timed from the edited lexicon to the new scores of every
article in memory (``Store.ensure_lexicons`` + ``Store.scores``, what
``slantscope compare STORE --lexicons EDITED`` and the dashboard do):

* ``add_rare``: a term found in few articles ("sabre-rattling");
* ``add_common``: a term found in many ("officials");
* ``remove``: a term with many hits and a multi-word form taken out ("talks");
* ``remove_one_word``: a one-word term with many hits taken out (its hits
  are dropped, nothing is matched again);
* ``recategorise``: "sanctions" moved to another category.

Prints seconds, texts matched again and articles per edit; never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.lexicons import Term, default_lexicons  # noqa: E402
from analytics.pipeline import core_key  # noqa: E402
from analytics.store import Store  # noqa: E402


def edits() -> dict[str, list]:
    base = default_lexicons()
    i = next(k for k, lx in enumerate(base) if lx.family == "framing")
    fr = base[i]

    def with_terms(name: str, terms: tuple[Term, ...]) -> list:
        out = list(base)
        out[i] = replace(fr, version=f"{fr.version}+{name}", terms=terms)
        return out

    cat = next(iter(fr.categories))
    one_word = next(t for t in fr.terms if all(" " not in f for f in t.forms)
                    and {"war", "threat", "attack"} & set(t.forms))
    other = list(fr.categories)[1]
    return {
        "add_rare": with_terms("rare", (*fr.terms, Term("sabre-rattling", cat,
                                                        ("sabre-rattling",)))),
        "add_common": with_terms("common", (*fr.terms, Term("officials", cat, ("officials",)))),
        "remove": with_terms("remove", tuple(t for t in fr.terms if "talks" not in t.forms)),
        "remove_one_word": with_terms("remove1", tuple(t for t in fr.terms if t is not one_word)),
        "recategorise": with_terms("recat", tuple(
            replace(t, category=other) if "sanctions" in t.forms else t for t in fr.terms)),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--keep", action="store_true", help="edit the store itself")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lex-") as tmp:
        path = Path(args.store)
        if not args.keep:
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            wal = path.with_name(path.name + ".wal")
            if wal.exists():
                shutil.copy(wal, copy.with_name(copy.name + ".wal"))
            path = copy
        core = core_key()
        results = {}
        with Store(path) as store:
            t = time.perf_counter()
            n = len(store.scores(core=core, lexicons=default_lexicons()))
            results["read_unchanged"] = {"seconds": round(time.perf_counter() - t, 2)}
            for name, lexicons in edits().items():
                t = time.perf_counter()
                report = store.ensure_lexicons(lexicons, core=core)
                scores = store.scores(core=core, lexicons=lexicons)
                results[name] = {"seconds": round(time.perf_counter() - t, 2),
                                 "texts_rematched": report.get("framing", 0),
                                 "articles": len(scores)}
    print(json.dumps({
        "benchmark": "lexicon_edit", "store": str(args.store), "articles": n,
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, Python {platform.python_version()}, "
                   f"{os.cpu_count()} cores",
        "edits": results,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
