"""The ``slantscope`` command.

Each sub-command is a few lines over the Python API; every error a user can
cause ends in one line naming the file and the problem, never a traceback.
Exit codes: 0 success, 1 some input could not be used (the rest was still
scored and written), 2 usage error or nothing could be done.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PROG = "slantscope"


def _err(kind: str, message: object) -> None:
    print(f"{PROG}: {kind}: {message}", file=sys.stderr)


class UsageError(Exception):
    """A problem with the command line or an input as a whole."""


# --- shared options -----------------------------------------------------------

def _add_mapping_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("column mapping (tabular inputs; common names are recognised)")
    g.add_argument("--text-col", metavar="C", help="column holding the article text")
    g.add_argument("--outlet-col", metavar="C", help="column naming the outlet")
    g.add_argument("--title-col", metavar="C", help="column holding the title")
    g.add_argument("--date-col", metavar="C", help="column holding the publication date")
    g.add_argument("--id-col", metavar="C", help="column whose values become article_id")


def _mapping(args: argparse.Namespace) -> Any:
    from analytics.corpus import ColumnMapping

    return ColumnMapping(
        text=args.text_col, outlet=args.outlet_col, title=args.title_col,
        date=args.date_col, id=args.id_col,
    )


def _lexicons(specs: Sequence[str] | None) -> list[Any]:
    """Built-in defaults, with each given lexicon replacing its family's default.

    A spec is a built-in name (``framing_policy``), a .toml file or a folder
    of .toml files.
    """
    from analytics.lexicons import LexiconError, default_lexicons, load_lexicon

    chosen = {lx.family: lx for lx in default_lexicons()}
    for spec in specs or []:
        path = Path(spec)
        # A folder may hold an actor file (actors.toml) beside the lexicons.
        files = (sorted(f for f in path.glob("*.toml") if f.stem != "actors")
                 if path.is_dir() else [spec])
        if path.is_dir() and not files:
            raise UsageError(f"{spec}: no .toml lexicon files in this folder")
        for f in files:
            try:
                lx = load_lexicon(f)
            except (LexiconError, OSError) as exc:
                raise UsageError(str(exc)) from exc
            chosen[lx.family] = lx
    return list(chosen.values())


class _Opened:
    """A store opened for one command: the user's, or a temporary one (--no-store)."""

    def __init__(self, args: argparse.Namespace, path: str | None = None, *,
                 read_only: bool = False) -> None:
        import tempfile

        from analytics.store import StoreError, default_store_path, open_store

        self._tmp: Any = None
        if path is None and getattr(args, "no_store", False):
            self._tmp = tempfile.TemporaryDirectory(prefix="slantscope-")
            path = str(Path(self._tmp.name) / "run.duckdb")
        elif path is None:
            path = getattr(args, "store", None) or str(default_store_path())
        try:
            self.store = open_store(path, read_only=read_only)
        except StoreError as exc:
            self.cleanup()
            raise UsageError(str(exc)) from exc

    def cleanup(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Any:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()
        self.cleanup()


@contextlib.contextmanager
def _early_workers(args: argparse.Namespace, lexicons: list[Any]) -> Iterator[Any]:
    """The scoring engine, its workers started now (they load their models
    while this process opens the store and reads the input) when the store is
    new, so there will be scoring; else None (the store decides)."""
    store = getattr(args, "store", None)
    if not (args.no_store or (store is not None and not Path(store).exists())):
        yield None
        return
    from analytics.actors import default_actors
    from analytics.pipeline import EngineSession

    with EngineSession(args.engine, workers=args.workers, lexicons=lexicons,
                       actors=default_actors(), scheduler=args.scheduler) as session:
        session.warm()
        yield session


def _stream_into(store: Any, inputs: Sequence[str], args: argparse.Namespace,
                 lexicons: list[Any], session: Any = None) -> Any:
    """Score ``inputs`` into ``store`` chunk by chunk, reporting input problems
    as they are found; a progress bar on stderr."""
    from analytics.corpus import CorpusError, iter_corpus_chunks
    from analytics.pipeline import score_to_store

    def report(chunk: Any) -> None:
        for w in chunk.warnings:
            _err("warning", w)
        for p in chunk.problems:
            _err("error", p)

    from tqdm import tqdm

    bar = tqdm(unit="article", desc="scoring", file=sys.stderr, mininterval=1.0,
               dynamic_ncols=True, delay=2.0)
    try:
        run = score_to_store(
            iter_corpus_chunks(list(inputs), mapping=_mapping(args), chunk_size=CHUNK_SIZE,
                               first_chunk_size=FIRST_CHUNK_SIZE if session else None),
            store, engine=args.engine, workers=args.workers, lexicons=lexicons,
            scheduler=getattr(args, "scheduler", None), progress=bar.update, on_chunk=report,
            session=session,
        )
    except CorpusError as exc:
        raise UsageError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        if "scheduler" in str(exc).lower() or "connect" in str(exc).lower():
            raise UsageError(f"--scheduler {args.scheduler}: {exc}") from exc
        raise
    finally:
        bar.close()
    return run


#: Articles read, scored and written per step of a streamed run.
CHUNK_SIZE = 2000
#: On a new store the first chunk is small, so the workers (started first)
#: begin scoring while the rest is read.
FIRST_CHUNK_SIZE = 256


def _load_and_score(inputs: Sequence[str], args: argparse.Namespace,
                    lexicons: list[Any]) -> tuple[Any, Any]:
    """Load ``inputs`` and score them (through the store); ``(loaded, None)``
    when nothing could be scored.  A single store INPUT is read as it is.

    Warnings and input problems are reported on stderr as they are found.
    """
    from analytics.corpus import LoadResult
    from analytics.pipeline import Scored, core_key, provenance
    from analytics.store import is_store_path

    if len(inputs) == 1 and is_store_path(inputs[0]):
        return _read_store(inputs[0], args, lexicons)
    with _Opened(args) as store:
        run = _stream_into(store, inputs, args, lexicons)
        loaded = LoadResult(articles=store.articles(run.article_ids), problems=run.problems,
                            warnings=run.warnings)
        if not run.article_ids:
            _err("error", "no articles to score")
            return loaded, None
        core = core_key()
        scores = store.scores(core=core, lexicons=lexicons, article_ids=run.article_ids,
                              label_columns=run.label_columns)
        scores = _label_order(scores, run.label_columns)
        tables = {t: store.table(t, core=core, lexicons=lexicons, article_ids=run.article_ids)
                  for t in ("sentences", "hits", "mentions")}
    meta = provenance(lexicons, engine=args.engine)
    meta["inputs"] = [str(i) for i in inputs]
    return loaded, Scored(scores, _typed(tables["sentences"], "sentences"),
                          _typed(tables["hits"], "hits"), meta,
                          _typed(tables["mentions"], "mentions"))


def _read_store(path: str, args: argparse.Namespace, lexicons: list[Any]) -> tuple[Any, Any]:
    """A store as INPUT: every article it holds, scored with ``lexicons``
    (lexicon columns re-counted from stored hits when the lexicons changed)."""
    from analytics.corpus import LoadResult
    from analytics.pipeline import Scored, core_key, provenance

    if not Path(path).exists():
        raise UsageError(f"{path}: no such store")
    with _Opened(args, path) as store:
        core = core_key()
        if core not in store.core_keys():
            have = store.core_keys()
            raise UsageError(
                f"{path}: no articles scored by this version of slantscope in this store"
                + (" (re-run slantscope score on the corpus with --store)" if have else ""))
        store.ensure_lexicons(lexicons, core=core)
        articles = store.articles()
        scores = store.scores(core=core, lexicons=lexicons)
        tables = {t: store.table(t, core=core, lexicons=lexicons)
                  for t in ("sentences", "hits", "mentions")}
    meta = provenance(lexicons, engine="store")
    meta["inputs"] = [str(path)]
    return (LoadResult(articles=articles),
            Scored(scores, _typed(tables["sentences"], "sentences"), _typed(tables["hits"], "hits"),
                   meta, _typed(tables["mentions"], "mentions")))


def _typed(df: Any, table: str) -> Any:
    """An empty table read from a store still has its columns."""
    import pandas as pd

    from analytics import schema
    from analytics.actors import MENTION_COLUMNS

    if len(df.columns):
        return df
    cols = {"sentences": schema.SENTENCE_COLUMNS, "hits": schema.HIT_COLUMNS,
            "mentions": MENTION_COLUMNS}[table]
    return pd.DataFrame(columns=list(cols))


def _label_order(scores: Any, labels: Sequence[str]) -> Any:
    first = [c for c in labels if c in scores.columns]
    return scores[first + [c for c in scores.columns if c not in set(first)]]


# --- score ----------------------------------------------------------------------

def cmd_score(args: argparse.Namespace) -> int:
    from analytics.export import ExportError, TableWriter, check_table_path, sibling, write_meta
    from analytics.pipeline import core_key, provenance

    try:
        out = check_table_path(args.output) if args.output else None
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    lexicons = _lexicons(args.lexicons)
    t0 = time.perf_counter()
    with _early_workers(args, lexicons) as session, _Opened(args) as store:
        run = _stream_into(store, args.inputs, args, lexicons, session)
        if not run.article_ids:
            _err("error", "no articles to score")
            return 1 if run.problems else 2
        core = core_key()
        scores = _label_order(
            store.scores(core=core, lexicons=lexicons, article_ids=run.article_ids,
                         label_columns=run.label_columns), run.label_columns)
        meta = provenance(lexicons, engine=args.engine)
        meta["inputs"] = [str(i) for i in args.inputs]
        meta["store"] = None if args.no_store else str(store.path)
        meta["run"] = {"articles": len(run.article_ids), "scored": run.scored,
                       "reused_from_store": run.reused, "lexicons_rematched": run.relexed}
        written = []
        if out is not None:
            try:
                with TableWriter(out, meta=meta) as w:
                    w.write(scores)
                written.append(out)
                for table in ("sentences", "hits"):
                    path = sibling(out, table)
                    with TableWriter(path, meta=meta) as w:
                        for part in store.iter_table(table, core=core, lexicons=lexicons,
                                                     article_ids=run.article_ids):
                            w.write(part)
                    written.append(path)
                written.append(write_meta(meta, out))
            except (ExportError, OSError) as exc:
                raise UsageError(str(exc)) from exc
        else:
            _print_summary(scores)
    elapsed = time.perf_counter() - t0

    n = len(run.article_ids)
    rate = n / elapsed if elapsed > 0 else float("inf")
    where = f" -> {', '.join(str(w) for w in written)}" if written else ""
    reused = f"{run.reused} from the store, " if run.reused else ""
    print(
        f"scored {n} article{'s' if n != 1 else ''} "
        f"({reused}{run.duplicates} duplicate{'s' if run.duplicates != 1 else ''} skipped, "
        f"{len(run.problems)} input problem{'s' if len(run.problems) != 1 else ''}) "
        f"in {elapsed:.1f} s ({rate:.0f} articles/s){where}",
        file=sys.stderr,
    )
    return 1 if run.problems else 0


def _print_summary(scores: Any) -> None:
    cols = [c for c in ("outlet", "title", "text_words", "sentiment_mean",
                        "readability_flesch_reading_ease", "hedge_per_1k", "booster_per_1k")
            if c in scores.columns]
    cols += [c for c in scores.columns if c.startswith("framing_")]
    view = scores[cols].copy()
    if "title" in view:
        view["title"] = view["title"].astype("string").str.slice(0, 40)
    import pandas as pd

    with pd.option_context("display.max_columns", None, "display.width", 200,
                           "display.float_format", "{:.2f}".format):
        print(view.to_string(index=False))


# --- analyses over a scored corpus -------------------------------------------------

def _write_or_print(df: Any, output: str | None, meta: dict[str, Any], what: str,
                    view: Sequence[str] | None = None) -> None:
    """Write ``df`` to ``output`` (format by extension) or print it as text
    (only the ``view`` columns, when given, so it fits a terminal)."""
    from analytics.export import ExportError, write_meta, write_table

    if output:
        try:
            path = write_table(df, output, meta=meta)
            write_meta(meta, path)
        except (ExportError, OSError) as exc:
            raise UsageError(str(exc)) from exc
        print(f"{what}: {len(df)} row{'s' if len(df) != 1 else ''} -> {path}", file=sys.stderr)
        return
    import pandas as pd

    with pd.option_context("display.max_columns", None, "display.width", 200,
                           "display.max_colwidth", 60, "display.float_format", "{:.3f}".format):
        shown = df[[c for c in view if c in df.columns]] if view else df
        print(shown.to_string(index=False))


def _check_output(output: str | None) -> None:
    from analytics.export import ExportError, check_table_path

    if output:
        try:
            check_table_path(output)
        except ExportError as exc:
            raise UsageError(str(exc)) from exc


def cmd_compare(args: argparse.Namespace) -> int:
    from analytics.uncertainty import outlet_intervals

    _check_output(args.output)
    loaded, scored = _load_and_score(args.inputs, args, _lexicons(args.lexicons))
    if scored is None:
        return 1 if loaded.problems else 2
    scores = scored.scores
    if args.by not in scores.columns:
        groups = [c for c in scores.columns
                  if not c.startswith(("sentiment_", "readability_", "text_", "framing_",
                                       "hedge_", "booster_", "actor_"))]
        raise UsageError(f"--by {args.by}: no such column; choose one of {', '.join(groups)}")
    exclude = None
    if args.exclude_near_duplicates:
        from analytics.similarity import near_duplicates, similar_articles

        exclude = near_duplicates(similar_articles(loaded.articles))
    table = outlet_intervals(scores, by=args.by, n_boot=args.n_boot, seed=args.seed,
                             exclude=exclude)
    meta = {**scored.meta, "bootstrap": {"n_boot": args.n_boot, "seed": args.seed,
                                         "level": 0.95, "by": args.by,
                                         "excluded_near_duplicates": len(exclude or ())}}
    _write_or_print(table, args.output, meta, f"{args.by} comparison")
    return 1 if loaded.problems else 0


def _load_only(inputs: Sequence[str], args: argparse.Namespace) -> Any:
    """Load ``inputs`` (no scoring); problems and warnings go to stderr.
    A single store INPUT gives the articles it holds (texts included)."""
    from analytics.corpus import CorpusError, LoadResult, load_corpus
    from analytics.store import is_store_path

    if len(inputs) == 1 and is_store_path(inputs[0]):
        if not Path(inputs[0]).exists():
            raise UsageError(f"{inputs[0]}: no such store")
        with _Opened(args, inputs[0], read_only=True) as store:
            return LoadResult(articles=store.articles())
    try:
        loaded = load_corpus(list(inputs), mapping=_mapping(args))
    except CorpusError as exc:
        raise UsageError(str(exc)) from exc
    for w in loaded.warnings:
        _err("warning", w)
    for p in loaded.problems:
        _err("error", p)
    return loaded


def _provenance_meta(inputs: Sequence[str], **extra: Any) -> dict[str, Any]:
    from analytics.pipeline import provenance

    return {**provenance([]), "inputs": [str(i) for i in inputs], **extra}


def cmd_quotes(args: argparse.Namespace) -> int:
    from analytics.actors import ActorError, load_actors
    from analytics.quotes import quotes_table, sourcing_summary

    _check_output(args.output)
    try:
        actors = load_actors(args.actors) if args.actors else load_actors()
    except (ActorError, OSError) as exc:
        raise UsageError(str(exc)) from exc
    loaded = _load_only(args.inputs, args)
    if loaded.articles.empty:
        _err("error", "no articles to read")
        return 1 if loaded.problems else 2
    table = quotes_table(loaded.articles, actors=actors)
    if args.summary:
        table = sourcing_summary(table)
    meta = _provenance_meta(args.inputs, actors={"name": actors.name, "version": actors.version,
                                                 "hash": actors.hash})
    view = None if args.summary else ["outlet", "speaker", "verb", "side", "words",
                                      "attribution", "quote_text"]
    _write_or_print(table, args.output, meta, "sourcing summary" if args.summary else "quotes",
                    view)
    return 1 if loaded.problems else 0


def cmd_terms(args: argparse.Namespace) -> int:
    from analytics.terms import distinctive_terms

    _check_output(args.output)
    loaded = _load_only(args.inputs, args)
    articles = loaded.articles
    if articles.empty:
        _err("error", "no articles to read")
        return 1 if loaded.problems else 2
    if args.by not in articles.columns:
        have = [c for c in articles.columns if c not in ("text", "removed")]
        raise UsageError(f"--by {args.by}: no such column; the articles have {', '.join(have)}")
    try:
        table = distinctive_terms(articles, by=args.by, top=args.top, min_count=args.min_count)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    meta = _provenance_meta(args.inputs, method="log-odds ratio, informative Dirichlet prior "
                            "(Monroe, Colaresi & Quinn 2008)", by=args.by)
    _write_or_print(table, args.output, meta, "distinctive terms",
                    [args.by, "term", "n_group", "n_rest", "z", "rank"])
    return 1 if loaded.problems else 0


def cmd_similar(args: argparse.Namespace) -> int:
    from analytics.similarity import passages_table, similar_articles

    _check_output(args.output)
    loaded = _load_only(args.inputs, args)
    articles = loaded.articles
    if len(articles) < 2:
        _err("error", "need at least two articles to compare")
        return 1 if loaded.problems else 2
    pairs = similar_articles(articles, threshold=args.threshold)
    meta = _provenance_meta(args.inputs, threshold=args.threshold)
    _write_or_print(pairs, args.output, meta, "similar pairs",
                    ["cosine", "shared_share", "outlet_a", "source_ref_a", "outlet_b",
                     "source_ref_b"])
    if args.passages:
        from analytics.export import sibling

        passages = passages_table(articles, pairs)
        out = str(sibling(Path(args.output), "passages")) if args.output else None
        _write_or_print(passages, out, meta, "shared passages",
                        ["source_ref_a", "source_ref_b", "words", "text"])
    return 1 if loaded.problems else 0


# --- export ---------------------------------------------------------------------

def cmd_export(args: argparse.Namespace) -> int:
    from analytics.export import ExportError, chrome_available, export_figures

    out = Path(args.output)
    if not args.scale > 0:
        raise UsageError(f"--scale must be greater than 0, not {args.scale:g}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    if args.format != "html" and not chrome_available():
        raise UsageError(
            f"{args.format.upper()} export needs Chrome or Chromium: install it with "
            "`apt-get install chromium` (or set BROWSER_PATH to a Chrome executable); "
            "--format html needs no browser"
        )
    lexicons = _lexicons(args.lexicons)
    t0 = time.perf_counter()
    loaded, scored = _load_and_score([args.input], args, lexicons)
    if scored is None:
        return 1 if loaded.problems else 2

    from analytics.charts import analysis_figures, dashboard_figures, interval_figures
    from analytics.compare import Selection, top_outlets

    scores = scored.scores
    selection = Selection(outlets=None if args.all_outlets else tuple(top_outlets(scores, 12)))
    try:
        figs = dashboard_figures(scores, scored.sentences, scored.hits, loaded.articles,
                                 selection)
        figs.update(analysis_figures(scores, loaded.articles, selection))
        metrics = [m for m in ("sentiment_mean", "hedge_per_1k", "readability_flesch_reading_ease")
                   if m in scores.columns]
        figs.update({f"intervals_{m}": f for m, f in
                     interval_figures(scores, selection, metrics).items()})
    except ValueError as exc:
        raise UsageError(f"cannot draw the charts: {exc}") from exc
    t1 = time.perf_counter()
    try:
        written = export_figures(figs, out, fmt=args.format, scale=args.scale, meta=scored.meta,
                                 title=f"slantscope charts: {Path(args.input).name}")
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    for path in written:
        print(path)
    n = len(written) - 1
    print(
        f"exported {n} chart{'s' if n != 1 else ''} of {len(scored.scores)} "
        f"article{'s' if len(scored.scores) != 1 else ''} as {args.format.upper()} "
        f"to {out} (+ index.html) in {time.perf_counter() - t1:.1f} s "
        f"(scoring {t1 - t0:.1f} s)",
        file=sys.stderr,
    )
    return 1 if loaded.problems else 0


# --- dashboard --------------------------------------------------------------------

def cmd_targets(args: argparse.Namespace) -> int:
    from analytics.features.targets import default_model
    from analytics.targets import read_newsmtsc, target_table

    _check_output(args.output)
    path = Path(args.input)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a NewsMTSC-format .jsonl file")
    try:
        records, problems = read_newsmtsc(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read ({exc})") from exc
    for p in problems:
        _err("error", p)
    if not records:
        _err("error", f"{path}: no sentence with a usable target")
        return 1 if problems else 2
    model = default_model()
    table = target_table(records, model)
    meta = _provenance_meta([str(path)], target_model=model.meta)
    _write_or_print(table, args.output, meta, "targets",
                    view=("gid", "mention", "polarity", "p_negative", "p_neutral",
                          "p_positive"))
    return 1 if problems else 0


def find_dashboard() -> Path:
    """``dashboard.py`` at the repository root (the analytics package's parent folder)."""
    path = Path(__file__).resolve().parent.parent / "dashboard.py"
    if not path.is_file():
        raise UsageError(
            f"dashboard.py not found at {path}; the dashboard runs from a clone of the "
            "repository (pip install -e .)"
        )
    return path


def dashboard_command(input_path: str | None = None, streamlit_args: Sequence[str] = (), *,
                      script: Path | None = None) -> list[str]:
    """The command line ``slantscope dashboard`` runs:
    ``python -m streamlit run dashboard.py [STREAMLIT_FLAGS...] [-- INPUT]``."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(script or find_dashboard()),
           *streamlit_args]
    if input_path:
        cmd += ["--", str(Path(input_path).resolve())]
    return cmd


def cmd_dashboard(args: argparse.Namespace) -> int:
    import importlib.util
    import subprocess

    input_path, extra = args.input, list(args.streamlit_args)
    if input_path and input_path.startswith("-"):  # `dashboard -- --server.port 8502`
        input_path, extra = None, [input_path, *extra]
    if input_path and not Path(input_path).exists():
        raise UsageError(f"{input_path}: no such file or folder")
    if importlib.util.find_spec("streamlit") is None:
        raise UsageError("streamlit is not installed: pip install streamlit")
    return subprocess.run(dashboard_command(input_path, extra), check=False).returncode


# --- parser ---------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    from analytics.schema import EXPORT_FORMATS

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Compare how news outlets cover the same story.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "score", help="score every article for sentiment, readability, hedging and framing",
        description="Score every article. INPUT is a folder of .txt/.md/.html files "
        "(optional manifest.csv) or a .csv/.tsv/.jsonl(.gz)/.json/.parquet file.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="scores file (.parquet, .csv or .jsonl); the sentence table and the "
                   "hits are written beside it as OUT.sentences.* and OUT.hits.*, the "
                   "versions as OUT.meta.json. Without -o a summary is printed.")
    _add_scoring_flags(p)
    _add_mapping_flags(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "compare", help="one row per outlet: article count, means and 95%% bootstrap intervals",
        description="Score INPUT and write one row per outlet (or --by column) with "
        "n_articles and, for every metric, <metric>_mean, <metric>_low, <metric>_high "
        "(95%% percentile bootstrap over the outlet's articles, fixed seed). A single-article "
        "outlet gets its value and no interval (single_article=True).",
    )
    _add_table_io(p)
    p.add_argument("--by", default="outlet", metavar="COLUMN",
                   help="group by this article column (default: outlet)")
    p.add_argument("--n-boot", type=int, default=2000, metavar="N",
                   help="bootstrap resamples (default: 2000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--exclude-near-duplicates", action="store_true",
                   help="drop republished copies (TF-IDF cosine and shared passages) first")
    _add_scoring_flags(p)
    _add_mapping_flags(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "quotes", help="every direct quote with its speaker, reporting verb and side",
        description="Find every direct quote in INPUT with its speaker (unattributed quotes "
        "are kept with an empty speaker, never guessed), role, reporting verb, start/end "
        "offsets, article and outlet; sides come from the actor file. --summary gives one "
        "row per outlet: quotes and quoted words per side, distinct speakers, verb mix.",
    )
    _add_table_io(p)
    p.add_argument("--summary", action="store_true", help="one row per outlet instead")
    p.add_argument("--actors", metavar="TOML", help="actor file (default: the built-in one)")
    _add_mapping_flags(p)
    p.set_defaults(func=cmd_quotes)

    p = sub.add_parser(
        "terms", help="distinctive vocabulary per outlet (log-odds, informative prior)",
        description="For each outlet (or --by column), the words and bigrams it uses more "
        "than the others: log-odds ratio with an informative Dirichlet prior (Monroe, "
        "Colaresi & Quinn 2008), with z-scores and counts; stop words left out.",
    )
    _add_table_io(p)
    p.add_argument("--by", default="outlet", metavar="COLUMN", help="default: outlet")
    p.add_argument("--top", type=int, default=30, metavar="N", help="terms per group (30)")
    p.add_argument("--min-count", type=int, default=2, metavar="N",
                   help="least corpus count of a term (2)")
    _add_mapping_flags(p)
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser(
        "similar", help="similar article pairs (TF-IDF cosine) and their shared passages",
        description="Pairs of articles whose TF-IDF cosine reaches --threshold, each named "
        "by source_ref, title and outlet, with the share of words in shared passages "
        "(wire copy, republished articles). --passages also writes the passages "
        "(OUT.passages.*).",
    )
    _add_table_io(p)
    p.add_argument("--threshold", type=float, default=0.5, metavar="C",
                   help="least cosine, 0..1 (default: 0.5)")
    p.add_argument("--passages", action="store_true", help="also list the shared passages")
    _add_mapping_flags(p)
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser(
        "targets", help="sentiment toward each target span (NewsMTSC's JSONL format)",
        description="For every target of every sentence in INPUT (NewsMTSC's JSONL: "
        "sentence_normalized and targets with from/to offsets), the polarity the sentence "
        "expresses toward it (negative, neutral, positive) with the three probabilities of "
        "the shipped target model. One row per target, in input order: gid (Input.gid), "
        "primary_gid, mention, from, to, polarity, p_negative, p_neutral, p_positive, and "
        "label (the human polarity when the input has one).",
    )
    p.add_argument("input", metavar="INPUT")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="table file (.parquet, .csv or .jsonl); printed when omitted")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser(
        "export", help="write every dashboard chart as a PNG, SVG or HTML file",
        description="Score INPUT and write every chart of the dashboard (all outlets) to DIR "
        "as <chart>.<format>, with an index.html showing them all and the versions that "
        "made them. PNG and SVG need Chrome or Chromium (apt-get install chromium).",
    )
    p.add_argument("input", metavar="INPUT")
    p.add_argument("-o", "--output", metavar="DIR", required=True,
                   help="folder for the chart files (created if missing)")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="png",
                   help="png (default), svg, or html (interactive, self-contained)")
    p.add_argument("--scale", type=float, default=2, metavar="S",
                   help="image pixels per layout pixel for png (default: 2)")
    p.add_argument("--all-outlets", action="store_true",
                   help="chart every outlet (default: the 12 with most articles, as the "
                   "dashboard opens)")
    _add_scoring_flags(p)
    _add_mapping_flags(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "dashboard", help="open the dashboard on a corpus (streamlit run dashboard.py)",
        description="Run the Streamlit dashboard, optionally on INPUT. Flags for streamlit "
        "go after --, e.g. slantscope dashboard seeds -- --server.port 8502.",
    )
    p.add_argument("input", nargs="?", metavar="INPUT")
    p.add_argument("streamlit_args", nargs="*", metavar="STREAMLIT_FLAG",
                   help="passed to streamlit run (after --)")
    p.set_defaults(func=cmd_dashboard)
    return parser


def _add_table_io(p: argparse.ArgumentParser) -> None:
    """INPUT... and -o OUT, shared by the commands that write one table."""
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="a .csv, .parquet or .jsonl file (default: print a table)")


def _add_scoring_flags(p: argparse.ArgumentParser) -> None:
    from analytics.pipeline import ENGINES

    p.add_argument("--engine", choices=ENGINES, default="processes",
                   help="processes (default: all cores), serial, or dask (a local Dask "
                   "cluster, or the one at --scheduler)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes (default: all cores)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
                   "(with --engine dask)")
    p.add_argument("--lexicons", action="append", metavar="DIR",
                   help="a folder of .toml lexicons, a .toml file or a built-in name "
                   "(e.g. framing_policy); replaces the default of the same family; repeatable")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--store", metavar="PATH",
                   help="DuckDB store of scored articles: nothing stored is scored again "
                   "(default: $SLANTSCOPE_STORE or ~/.cache/slantscope/store.duckdb)")
    g.add_argument("--no-store", action="store_true",
                   help="score without a store (a temporary one is used and removed)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "workers", None) is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    if getattr(args, "scheduler", None) and args.engine != "dask":
        parser.error("--scheduler needs --engine dask")
    try:
        return int(args.func(args))
    except UsageError as exc:
        _err("error", exc)
        return 2
    except Exception as exc:
        # The store's database errors (disk full, a file of another program):
        # one line naming the store, never a traceback.
        if type(exc).__module__.split(".")[0] not in ("duckdb", "_duckdb"):
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        _err("error", f"store {getattr(args, 'store', None) or 'in use'}: {first}")
        return 2
    except KeyboardInterrupt:
        _err("error", "interrupted")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
