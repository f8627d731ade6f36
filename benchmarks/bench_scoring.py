"""Scoring throughput: ``score_corpus`` against the loop a user writes first.

Usage: python benchmarks/bench_scoring.py [CORPUS] [-n N] [--command]
                                          [--profile] [--check-vader [M]]

CORPUS defaults to ``../shared/corpora/abp-articles.jsonl.gz`` (from the
repository root); its first N (default 2,000) lines are read, streamed
through gzip, and loaded with :func:`analytics.corpus.load_corpus` exactly as
``slantscope score`` loads them (cleaned text).  On those same articles:

* **naive**: one process, per article: split sentences with a regex and run
  vaderSentiment's ``polarity_scores`` on each; textstat's seven formulas
  (``set_lang("en_US")``); one compiled regex per lexicon term (the default
  hedges, boosters and framing lexicons: all of a term's forms, matched
  whole-word in the lower-cased text).  Regexes are compiled and the
  analyser built once, before the clock starts.  The left word boundary is
  checked on each match rather than with a leading ``\b``, which stops
  Python's ``re`` from scanning for the first letter and makes every regex
  about 25 times slower: the baseline is the fast way to write that loop;
* **ours**: ``analytics.pipeline.score_corpus(articles)``, default engine
  (worker processes on all cores), timed from the call to the returned
  frames, so worker start-up and assembling the DataFrames are included.

Prints both rates (articles/s), their ratio, the machine and the date.
Timings are printed, never asserted: they are noisy on a shared machine.

Then a check that our per-article values are the libraries' own: every
readability index equals textstat's (where we do not null it), every
sentence's ``sentiment_compound`` equals ``polarity_scores`` of that
sentence, and ``sentiment_mean`` is their mean.  A mismatch exits with 1.

Options:

* ``--command``: also time the whole command ``slantscope score FILE -o
  OUT.parquet --store NEW`` in a subprocess (FILE: the same N lines in a
  temporary file; NEW: an empty store there, so nothing comes from earlier
  runs);
* ``--profile``: the CPU time of each part of ``ArticleScorer.score_all``
  (one process, on the second half of the articles after the first half
  warmed its caches), then cProfile of it on the first 300 articles, top
  functions by own time;
* ``--check-vader [M]``: compare our VADER (``analytics.features.sentiment``:
  the compound and all four ``polarity_scores`` values) with vaderSentiment's
  ``polarity_scores`` bit for bit on every text it is given (sentences,
  their authorial and quoted parts, chunks of run-on text) for the first M
  articles of CORPUS (default: all of them), on all cores.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import math
import os
import platform
import pstats
import re
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "abp-articles.jsonl.gz"

#: textstat's seven formulas, as ``readability_<name>`` columns.
FORMULAS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)

# --- input ------------------------------------------------------------------


def head_lines(path: Path, n: int | None) -> Iterator[str]:
    """The first ``n`` non-empty lines of a (gzipped) JSONL file, streamed."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    count = 0
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            yield line if line.endswith("\n") else line + "\n"
            count += 1
            if n is not None and count >= n:
                return


def write_head(path: Path, n: int | None, out: Path) -> int:
    with out.open("w", encoding="utf-8") as f:
        count = 0
        for line in head_lines(path, n):
            f.write(line)
            count += 1
    return count


def load_articles(jsonl: Path) -> Any:
    from analytics.corpus import load_corpus

    result = load_corpus(jsonl)
    return result.articles


# --- the naive loop ---------------------------------------------------------


class NaiveScorer:
    """What a user writes first: three libraries, one article at a time."""

    SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

    def __init__(self) -> None:
        import textstat
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        from analytics.lexicons import default_lexicons

        textstat.set_lang("en_US")
        self.textstat = textstat
        self.formulas = [getattr(textstat, name) for name in FORMULAS]
        self.sia = SentimentIntensityAnalyzer()
        self.terms: list[tuple[str, re.Pattern[str]]] = []
        for lex in default_lexicons():
            for term in lex.terms:
                alternatives = []
                for form in term.forms:
                    words = [re.escape(w) for w in form.rstrip("*").split(" ")]
                    tail = r"\w*" if form.endswith("*") else ""
                    alternatives.append(r"\s+".join(words) + tail)
                pattern = r"(?:" + "|".join(alternatives) + r")\b"
                key = lex.family if lex.family != "framing" else f"framing_{term.category}"
                self.terms.append((key, re.compile(pattern)))

    def score(self, text: str) -> dict[str, Any]:
        sentences = [s for s in self.SENTENCE_END.split(text) if s.strip()]
        compounds = [self.sia.polarity_scores(s)["compound"] for s in sentences]
        row: dict[str, Any] = {
            "sentiment_mean": sum(compounds) / len(compounds) if compounds else None,
        }
        for name, formula in zip(FORMULAS, self.formulas, strict=True):
            row[f"readability_{name}"] = formula(text)
        counts: dict[str, int] = {}
        low = text.lower()
        for key, rx in self.terms:
            n = 0
            for m in rx.finditer(low):
                i = m.start()
                if i == 0 or not (low[i - 1].isalnum() or low[i - 1] == "_"):
                    n += 1  # a word starts here
            counts[key] = counts.get(key, 0) + n
        row.update(counts)
        return row


# --- timing -----------------------------------------------------------------


def time_naive(texts: Sequence[str]) -> tuple[float, list[dict[str, Any]]]:
    naive = NaiveScorer()
    start = time.perf_counter()
    rows = [naive.score(t) for t in texts]
    return time.perf_counter() - start, rows


def time_ours(articles: Any) -> tuple[float, Any]:
    from analytics.pipeline import score_corpus

    start = time.perf_counter()
    scored = score_corpus(articles)
    return time.perf_counter() - start, scored


def time_command(jsonl: Path, workdir: Path) -> tuple[float, int]:
    out = workdir / "scores.parquet"
    # A new, empty store: the user's store would answer from earlier runs.
    cmd = [sys.executable, "-m", "analytics.cli", "score", str(jsonl), "-o", str(out),
           "--store", str(workdir / "store.duckdb")]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
    return elapsed, proc.returncode


# --- checks -----------------------------------------------------------------


def check_against_libraries(articles: Any, scored: Any, naive_rows: list[dict[str, Any]]) -> int:
    """Our values against the libraries' outputs; returns the number of mismatches."""
    import pandas as pd
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analytics.features.sentiment import MAX_VADER_WORDS

    problems: list[str] = []
    scores = scored.scores.set_index("article_id")
    # Readability: textstat's value wherever ours is not nulled by a flag.
    for aid, naive in zip(articles["article_id"], naive_rows, strict=True):
        row = scores.loc[aid]
        for name in FORMULAS:
            ours = row[f"readability_{name}"]
            if pd.isna(ours):
                continue
            if not math.isclose(float(ours), naive[f"readability_{name}"],
                                rel_tol=1e-9, abs_tol=1e-9):
                problems.append(f"{aid} {name}: ours {ours!r}, textstat "
                                f"{naive[f'readability_{name}']!r}")
    # VADER: every sentence of ours, and the article means.
    sia = SentimentIntensityAnalyzer()
    sents = scored.sentences
    by_article: dict[str, list[float]] = {}
    for aid, text, comp in zip(sents["article_id"], sents["text"],
                               sents["sentiment_compound"], strict=True):
        if len(text.split()) > MAX_VADER_WORDS:
            continue  # scored in chunks, by design
        expected = sia.polarity_scores(text)["compound"]
        by_article.setdefault(aid, []).append(expected)
        if float(comp) != expected:
            problems.append(f"{aid} sentence {text[:60]!r}: ours {comp!r}, vader {expected!r}")
    for aid, values in by_article.items():
        mean = scores.loc[aid, "sentiment_mean"]
        if pd.isna(mean):
            continue  # non-English: nulled
        n_sents = int(scores.loc[aid, "text_sentences"])
        if len(values) == n_sents and not math.isclose(
            float(mean), math.fsum(values) / len(values), rel_tol=1e-12, abs_tol=1e-12
        ):
            problems.append(f"{aid} sentiment_mean: ours {mean!r}")
    for p in problems[:20]:
        print("  MISMATCH", p)
    print(f"check: readability of {len(naive_rows)} articles against textstat, "
          f"{sum(map(len, by_article.values()))} sentences against vaderSentiment: "
          f"{'OK' if not problems else f'{len(problems)} mismatches'}")
    return len(problems)


def _vader_inputs(text: str) -> list[str]:
    """Every text ``score_sentences`` hands to VADER for an article."""
    from analytics.features.sentiment import MAX_VADER_WORDS
    from analytics.text import quote_spans, quoted_share, sentences, split_voices

    quotes = quote_spans(text)
    out: list[str] = []
    for s in sentences(text):
        parts = [text[s.start : s.end]]
        if quoted_share(s.start, s.end, quotes) > 0:
            parts += [p for p in split_voices(text, s.start, s.end, quotes) if p]
        for p in parts:
            words = p.split()
            if len(words) <= MAX_VADER_WORDS:
                out.append(p)
            else:
                out += [" ".join(words[i : i + MAX_VADER_WORDS])
                        for i in range(0, len(words), MAX_VADER_WORDS)]
    return out


def _check_vader_batch(texts: list[str]) -> tuple[int, int, list[str]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analytics.features import sentiment

    library = SentimentIntensityAnalyzer()
    ours = sentiment.analyzer()  # our faster polarity_scores
    fast = sentiment._vader()
    n = 0
    bad: list[str] = []

    def bits(scores: dict[str, float]) -> list[tuple[str, bytes]]:
        return [(k, struct.pack("<d", v)) for k, v in scores.items()]

    for text in texts:
        for s in _vader_inputs(text):
            n += 1
            expected = library.polarity_scores(s)
            got = ours.polarity_scores(s)
            compound = fast.compound(s, s.split())
            if bits(got) != bits(expected) or bits({"c": compound}) != bits(
                {"c": expected["compound"]}
            ):
                bad.append(f"{s[:80]!r}: ours {got!r} / {compound!r}, "
                           f"vaderSentiment {expected!r}")
    return n, len(bad), bad[:5]


def check_vader(jsonl: Path, batch: int = 200) -> int:
    """Ours against vaderSentiment on every VADER input of the articles in ``jsonl``."""
    texts = list(load_articles(jsonl)["text"])
    batches = [texts[i : i + batch] for i in range(0, len(texts), batch)]
    total = mismatches = 0
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for n, bad, examples in pool.map(_check_vader_batch, batches):
            total += n
            mismatches += bad
            for e in examples:
                print("  MISMATCH", e)
    print(f"check-vader: {total} texts from {len(texts)} articles, {mismatches} mismatches "
          f"({time.perf_counter() - start:.0f} s)")
    return mismatches


def parts(articles: Any, warm: int = 1000) -> None:
    """CPU time of each part of ``ArticleScorer.score_all``, one process: the
    first ``warm`` articles fill the per-process caches (as in a worker), the
    rest are timed with every part's call wrapped in a CPU clock."""
    import analytics.pipeline as pipeline
    from analytics.lexicons import default_lexicons

    items = list(zip(articles["article_id"], articles["text"], strict=True))
    warm = min(warm, len(items) // 2)
    scorer = pipeline.ArticleScorer(default_lexicons())
    for aid, text in items[:warm]:
        scorer.score_all(aid, text)
    spent: dict[str, float] = {}
    saved: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, label: str) -> None:
        fn = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - t

        saved.append((owner, name, fn))
        setattr(owner, name, timed)

    for name, label in (("word_tokens", "word tokens"), ("sentences", "sentence split"),
                        ("quote_spans", "quote spans"), ("is_non_english", "language check"),
                        ("find_mentions", "actor mentions"),
                        ("mention_probabilities", "target model (actor sentiment)")):
        wrap(pipeline, name, label)
    wrap(pipeline.sentiment, "score_sentences", "VADER")
    wrap(pipeline.readability, "readability_scores", "readability")
    wrap(scorer.hedges, "hedged_in", "hedge detector")
    wrap(scorer.matcher, "match", "lexicon matching")
    rest = items[warm:]
    t0 = time.process_time()
    try:
        for aid, text in rest:
            scorer.score_all(aid, text)
    finally:
        for owner, name, fn in saved:
            setattr(owner, name, fn)
    total = time.process_time() - t0
    print(f"parts: ArticleScorer.score_all on articles {warm + 1}-{len(items)} "
          f"({1000 * total / max(len(rest), 1):.2f} ms of CPU per article, one process, "
          f"after {warm} to warm its caches)")
    for label, sec in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * sec / total:5.1f}%  {label}")
    print(f"  {100 * (total - sum(spent.values())) / total:5.1f}%  the rest (rates, "
          "aggregates, building the rows)")


def profile(articles: Any, n: int = 300, top: int = 25) -> None:
    from analytics.lexicons import default_lexicons
    from analytics.pipeline import ArticleScorer

    parts(articles)
    items = list(zip(articles["article_id"], articles["text"], strict=True))[:n]
    scorer = ArticleScorer(default_lexicons())
    scorer.score_all(*items[0])  # loads VADER's and textstat's data
    prof = cProfile.Profile()
    prof.enable()
    for aid, text in items:
        scorer.score_all(aid, text)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"profile: ArticleScorer.score_all on {len(items)} articles, one process, "
          f"{total:.2f} s under cProfile; top {top} by own time (% of total)")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    for (file, line, func), (_, ncalls, tottime, cumtime, _) in rows[:top]:
        where = f"{Path(file).name}:{line}({func})" if file != "~" else func
        print(f"  {100 * tottime / total:5.1f}%  own {tottime:6.3f} s  cum {cumtime:6.3f} s"
              f"  {ncalls:>8}  {where}")


# --- main -------------------------------------------------------------------


def machine() -> str:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return (f"{platform.machine()}, {cores} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-n", type=int, default=2000, help="articles (first N lines)")
    parser.add_argument("--command", action="store_true",
                        help="also time the whole `slantscope score` command")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile of ArticleScorer.score_all on 300 articles")
    parser.add_argument("--check-vader", nargs="?", type=int, const=-1, default=None,
                        metavar="M", help="bit-for-bit VADER check on the first M "
                        "articles (default: all)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip the check against the libraries")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        parser.error(f"{args.corpus}: no such file")

    with tempfile.TemporaryDirectory(prefix="bench_scoring_") as tmp:
        workdir = Path(tmp)
        if args.check_vader is not None:
            m = None if args.check_vader < 0 else args.check_vader
            jsonl = workdir / "check.jsonl"
            write_head(args.corpus, m, jsonl)
            return 1 if check_vader(jsonl) else 0

        jsonl = workdir / "head.jsonl"
        n_lines = write_head(args.corpus, args.n, jsonl)
        articles = load_articles(jsonl)
        texts = list(articles["text"])
        print(f"bench_scoring: {date.today().isoformat()}, {machine()}")
        print(f"input: first {n_lines} lines of {args.corpus} -> {len(texts)} articles, "
              f"{sum(len(t.split()) for t in texts) / max(1, len(texts)):.0f} words on average")

        if args.profile:
            profile(articles)

        naive_s, naive_rows = time_naive(texts)
        ours_s, scored = time_ours(articles)
        naive_rate = len(texts) / naive_s
        ours_rate = len(texts) / ours_s
        print(f"naive loop (1 process):             {naive_s:7.2f} s  {naive_rate:7.1f} articles/s")
        print(f"score_corpus (default engine):      {ours_s:7.2f} s  {ours_rate:7.1f} articles/s")
        print(f"ratio: {ours_rate / naive_rate:.1f}x")
        result: dict[str, Any] = {
            "date": date.today().isoformat(), "machine": machine(), "articles": len(texts),
            "naive_s": round(naive_s, 3), "naive_rate": round(naive_rate, 1),
            "ours_s": round(ours_s, 3), "ours_rate": round(ours_rate, 1),
            "ratio": round(ours_rate / naive_rate, 2),
        }
        if args.command:
            cmd_s, code = time_command(jsonl, workdir)
            print("whole command `slantscope score FILE -o OUT.parquet --store NEW`: "
                  f"{cmd_s:.2f} s ({n_lines / cmd_s:.1f} articles/s, exit code {code})")
            result.update(command_s=round(cmd_s, 3), command_exit=code)
        failed = 0
        if not args.no_check:
            failed = check_against_libraries(articles, scored, naive_rows)
        print(json.dumps(result))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
