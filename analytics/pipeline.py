"""Score a corpus: every article through every extractor, in one pass.

``score_corpus(articles)`` returns the scores (one row per article), the
sentence table and the lexicon hits.  The work per article is pure and the
same for every engine, so ``serial`` and ``processes`` give identical output:

* ``serial``: one process, in order;
* ``processes`` (default): all cores, articles sent in batches so a worker
  pays its start-up (VADER's lexicon, the lexicon matcher) once and no
  per-article process overhead.  A corpus that fits in one batch is scored
  in-process, where starting workers would cost more than it saves.

Actors (``analytics.actors``): every score row also has, per actor group,
``actor_<group>_mentions`` and ``actor_<group>_sentiment_mean``, and
``Scored.mentions`` lists every mention with its offsets.
"""

from __future__ import annotations

import bisect
import functools
import gc
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from analytics import schema
from analytics.actors import MENTION_COLUMNS, ActorSet, default_actors, find_mentions
from analytics.features import readability, sentiment
from analytics.features.actor_sentiment import actor_columns, mention_probabilities
from analytics.features.hedging import default_detector
from analytics.features.language import is_non_english
from analytics.features.lexicon import LexiconMatcher
from analytics.features.rates import lexicon_rates
from analytics.features.targets import CLASSES, default_model
from analytics.lexicons import Lexicon, default_lexicons
from analytics.text import (
    count_in_quotes,
    in_quotes,
    quote_spans,
    sentences,
    token_norms,
    token_starts,
    word_tokens,
)

if TYPE_CHECKING:  # pandas is imported where frames are built: worker processes never need it
    import pandas as pd


def _pd() -> Any:
    import pandas

    return pandas

Engine = Literal["serial", "processes", "dask"]
ENGINES: tuple[str, ...] = get_args(Engine)
BATCH_SIZE = 64

ProgressCallback = Callable[[int], None]


@dataclass
class Scored:
    """What scoring a corpus produces (see ``analytics.schema``)."""

    scores: pd.DataFrame
    sentences: pd.DataFrame
    hits: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    mentions: pd.DataFrame = field(
        default_factory=lambda: _pd().DataFrame(columns=list(MENTION_COLUMNS))
    )


class ArticleScorer:
    """Scores one article at a time; build once per process and reuse."""

    def __init__(self, lexicons: Sequence[Lexicon], actors: ActorSet | None = None) -> None:
        self.lexicons = list(lexicons)
        self.actors = actors if actors is not None else default_actors()
        self.matcher = LexiconMatcher(self.lexicons)
        self.families = sorted({lx.family for lx in self.lexicons if lx.family != "framing"})
        self.framing_categories = [
            cat for lx in self.lexicons if lx.family == "framing" for cat in lx.categories
        ]
        self.hedges = default_detector()
        self.targets = default_model()

    def score(
        self, article_id: str, text: str
    ) -> tuple[dict[str, Any], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """One article -> (score row, sentence rows, hit rows)."""
        row, sentence_rows, hit_rows, _ = self.score_all(article_id, text)
        return row, sentence_rows, hit_rows

    def score_all(self, article_id: str, text: str) -> tuple[
        dict[str, Any], list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]
    ]:
        """One article -> (score row, sentence rows, hit rows, actor mention rows)."""
        tokens = word_tokens(text)
        sents = sentences(text)
        quotes = quote_spans(text)
        non_english = is_non_english(text, token_norms(tokens))

        sent_scores = sentiment.score_sentences(text, sents, quotes)
        sent_texts = [text[s.start : s.end] for s in sents]
        hedged = self.hedges.hedged_in(text, [(s.start, s.end) for s in sents], tokens)
        sentence_rows = [
            (article_id, s.index, s.start, s.end, st,
             ss.quoted_share, ss.compound, ss.authorial, ss.quoted, h)
            for s, st, ss, h in zip(sents, sent_texts, sent_scores, hedged, strict=True)
        ]

        starts = [s.start for s in sents]
        quoted_tokens = count_in_quotes(token_starts(tokens), quotes) if quotes else 0
        words = len(tokens)
        words_by_voice = {"all": words, "authorial": words - quoted_tokens, "quoted": quoted_tokens}

        hit_rows = []
        counts: dict[tuple[str, str], int] = {}
        matches = self.matcher.match(tokens)
        hit_quoted = in_quotes([m.start for m in matches], quotes)
        for m, quoted in zip(matches, hit_quoted, strict=True):
            sentence_index = max(0, bisect.bisect_right(starts, m.start) - 1) if starts else None
            hit_rows.append(
                (article_id, m.family, m.category, m.term, text[m.start : m.end],
                 m.start, m.end, sentence_index, quoted)
            )
            for voice in ("all", "quoted" if quoted else "authorial"):
                key = (m.family if m.family != "framing" else m.category, voice)
                counts[key] = counts.get(key, 0) + 1

        row: dict[str, Any] = {
            "text_words": words,
            "text_sentences": len(sents),
            "text_words_per_sentence": words / len(sents) if sents else None,
            "text_words_authorial": words_by_voice["authorial"],
            "text_words_quoted": words_by_voice["quoted"],
            "text_non_english": non_english,
        }
        sent_agg = sentiment.aggregate(sent_scores)
        if non_english:
            sent_agg = dict.fromkeys(sent_agg)
        row.update(sent_agg)
        row["hedged_share"] = sum(hedged) / len(sents) if sents and not non_english else None
        row.update(readability.readability_scores(text, non_english=non_english))
        row.update(lexicon_rates(counts, words_by_voice, non_english=non_english,
                                 families=self.families, categories=self.framing_categories))

        # Actors: mentions anywhere; sentiment toward each group from the
        # target model, per (group, sentence) outside quotation marks
        # (analytics.features.actor_sentiment).
        mentions = find_mentions(text, tokens, self.actors, sentences=sents)
        m_quoted = (in_quotes([a.start for a in mentions], quotes) if quotes
                    else [False] * len(mentions))
        probs, keys = mention_probabilities(text, [(s.start, s.end) for s in sents], mentions,
                                            m_quoted, self.targets,
                                            [ss.compound for ss in sent_scores])
        n_mentions: dict[str, int] = {}
        mention_rows = []
        for a, quoted, p in zip(mentions, m_quoted, probs, strict=True):
            n_mentions[a.group] = n_mentions.get(a.group, 0) + 1
            known = not np.isnan(p[0])
            mention_rows.append(
                (article_id, a.group, a.start, a.end, a.surface, a.sentence_index, quoted,
                 CLASSES[int(p.argmax())] if known else None,
                 *(float(x) if known else None for x in p))
            )
        polarity = actor_columns(self.actors.group_ids, probs, keys, non_english=non_english)
        for group in self.actors.group_ids:
            row[f"actor_{group}_mentions"] = n_mentions.get(group, 0)
            for c in ("sentiment_mean", "neg_share", "pos_share"):
                row[f"actor_{group}_{c}"] = polarity[f"actor_{group}_{c}"]
        return row, sentence_rows, hit_rows, mention_rows


# --- engines ----------------------------------------------------------------

_WORKER: ArticleScorer | None = None


def _init_worker(lexicons: Sequence[Lexicon], actors: ActorSet | None = None) -> None:
    global _WORKER
    _WORKER = ArticleScorer(lexicons, actors)
    # Load VADER's lexicon and textstat's dictionaries now, then exempt these
    # long-lived objects (millions, mostly the CMU dictionary) from the
    # garbage collector's full passes.
    _WORKER.score_all("", "Warm up.")
    gc.collect()
    gc.freeze()


def _score_batch(batch: Sequence[tuple[str, str]]) -> list[Any]:
    assert _WORKER is not None
    # Scoring makes hardly any reference cycles, and the rows of a batch live
    # until it is sent: the cyclic collector would only re-scan them over and
    # over.  It runs again between batches.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return [_WORKER.score_all(aid, text) for aid, text in batch]
    finally:
        if enabled:
            gc.enable()


def _batches(items: Sequence[tuple[str, str]], size: int) -> Iterator[Sequence[tuple[str, str]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _tapered_batches(items: Sequence[tuple[str, str]], size: int,
                     workers: int) -> Iterator[Sequence[tuple[str, str]]]:
    """Batches of ``size``, the last ``workers * size`` items in quarter
    batches: workers finishing at different times wait less for each other."""
    tail = min(len(items), workers * size)
    head = len(items) - tail
    yield from _batches(items[:head], size)
    yield from _batches(items[head:], max(1, size // 4))


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class EngineSession:
    """Scores batches of ``(article_id, text)`` with one engine, keeping its
    workers (processes or a Dask cluster) alive between calls, so a corpus
    streamed in chunks pays their start-up once.  Workers start on the first
    call that needs them: a run with nothing to score starts none.

    Use as a context manager; ``session(items, progress)`` returns one
    ``ArticleScorer.score_all`` result per item, in order.
    """

    def __init__(self, engine: str, *, workers: int | None, lexicons: Sequence[Lexicon],
                 actors: ActorSet, batch_size: int = BATCH_SIZE,
                 scheduler: str | None = None) -> None:
        _check_engine(engine)
        if scheduler and engine != "dask":
            raise ValueError("a scheduler address needs engine='dask'")
        self.engine = engine
        self.workers = workers or default_workers()
        self.lexicons = list(lexicons)
        self.actors = actors
        self.batch_size = batch_size
        self.scheduler = scheduler
        self._local: ArticleScorer | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> EngineSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __call__(self, items: Sequence[tuple[str, str]],
                 progress: ProgressCallback | None = None) -> list[Any]:
        return [r for batch in self.stream(items, progress) for r in batch]

    def stream(self, items: Sequence[tuple[str, str]],
               progress: ProgressCallback | None = None) -> Iterator[list[Any]]:
        """The results batch by batch, in order, as they arrive.

        With worker processes or Dask, every batch is handed to the workers
        by this call, before anything is read from the returned iterator: the
        workers keep scoring while the caller writes what has arrived, or
        hands them the next chunk.  In this process (``serial``, or a single
        batch) scoring happens as the iterator is read.
        """
        if not items:
            return iter(())
        batches = list(_tapered_batches(items, self.batch_size, self.workers))
        in_process = (self.engine == "serial"
                      or (self.engine == "processes"
                          and (self.workers == 1 or len(items) <= self.batch_size)))
        if in_process:
            return self._stream_here(batches, progress)
        outputs = self._pool_map(batches) if self.engine == "processes" else self._dask_map(batches)
        return _counted(batches, outputs, progress)

    def _stream_here(self, batches: list[Sequence[tuple[str, str]]],
                     progress: ProgressCallback | None) -> Iterator[list[Any]]:
        if self._local is None:
            self._local = ArticleScorer(self.lexicons, self.actors)
        for batch in batches:
            out = [self._local.score_all(aid, text) for aid, text in batch]
            if progress:
                progress(len(batch))
            yield out

    def warm(self) -> None:
        """Start the worker processes now (they load their models while the
        caller reads the input); only for the process engine."""
        if self.engine == "processes" and self.workers > 1:
            pool = self._get_pool()
            for _ in range(self.workers):
                pool.submit(_noop)

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=get_context("spawn"),
                initializer=_init_worker, initargs=(self.lexicons, self.actors),
            )
        return self._pool

    def _pool_map(self, batches: list[Sequence[tuple[str, str]]]) -> Iterator[list[Any]]:
        return self._get_pool().map(_score_batch, batches)

    def _dask_map(self, batches: list[Sequence[tuple[str, str]]]) -> Iterator[list[Any]]:
        if self._client is None:
            from distributed import Client, LocalCluster

            if self.scheduler:
                self._client = Client(self.scheduler)
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address=None,
                )
                self._client = Client(self._cluster)
            self._setup = self._client.scatter((self.lexicons, self.actors), broadcast=True)
        futures = self._client.map(_score_batch_with, batches, setup=self._setup, pure=False)
        return (f.result() for f in futures)


def _counted(batches: Sequence[Sequence[Any]], outputs: Iterable[list[Any]],
             progress: ProgressCallback | None) -> Iterator[list[Any]]:
    for batch, out in zip(batches, outputs, strict=True):
        if progress:
            progress(len(batch))
        yield out


def _noop() -> None:
    """A task that only makes a worker start (and run its initializer)."""


def _score_batch_with(batch: Sequence[tuple[str, str]],
                      setup: tuple[Sequence[Lexicon], ActorSet]) -> list[Any]:
    """A Dask task: score a batch with a scorer built once per worker process."""
    global _WORKER, _WORKER_KEY
    lexicons, actors = setup
    key = (tuple(lx.hash for lx in lexicons), actors.hash)
    if _WORKER is None or key != _WORKER_KEY:
        _WORKER = ArticleScorer(lexicons, actors)
        _WORKER_KEY = key
    return [_WORKER.score_all(aid, text) for aid, text in batch]


_WORKER_KEY: tuple[Any, ...] | None = None


def score_corpus(
    articles: pd.DataFrame,
    *,
    engine: Engine = "processes",
    workers: int | None = None,
    lexicons: Sequence[Lexicon] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: ProgressCallback | None = None,
    actors: ActorSet | None = None,
    scheduler: str | None = None,
) -> Scored:
    """Score every article of ``articles`` (the corpus contract's columns).

    Parameters
    ----------
    articles : DataFrame with at least ``article_id`` and ``text``; the other
        article columns (outlet, title, source_ref, metadata) are carried into
        the scores so every row names its article.
    engine : ``"processes"`` (default, all cores), ``"serial"`` (one process)
        or ``"dask"`` (a ``distributed.LocalCluster`` of ``workers``
        processes, or the cluster at ``scheduler``).  All three give
        identical values.
    workers : number of worker processes (default: all cores).
    lexicons : hedge, booster and framing lexicons (default: the built-in set).
    progress : called with the number of articles just finished.
    actors : actor groups for the ``actor_<group>_*`` columns and
        ``Scored.mentions`` (default: ``analytics.actors.default_actors()``).
    scheduler : address of a running Dask scheduler (``engine="dask"`` only).

    Examples
    --------
    >>> from analytics.corpus import load_corpus
    >>> scored = score_corpus(load_corpus("seeds").articles, engine="serial")
    >>> len(scored.scores)
    5
    """
    lexicons = list(lexicons) if lexicons is not None else default_lexicons()
    actors = actors if actors is not None else default_actors()
    items = list(zip(articles[schema.ARTICLE_ID].astype(str), articles[schema.TEXT].astype(str),
                     strict=True))
    with EngineSession(engine, workers=workers, lexicons=lexicons, actors=actors,
                       batch_size=batch_size, scheduler=scheduler) as session:
        results = session(items, progress)
    return _assemble(articles, results, lexicons, engine, actors)


def _assemble(
    articles: pd.DataFrame, results: list[Any], lexicons: Sequence[Lexicon], engine: str,
    actors: ActorSet | None = None,
) -> Scored:
    import pandas as pd

    label_cols = [c for c in articles.columns if c not in (schema.TEXT, schema.REMOVED)]
    metrics = pd.DataFrame([r[0] for r in results], index=articles.index)
    scores = pd.concat([articles[label_cols], metrics], axis=1).reset_index(drop=True)
    sent_rows = [row for r in results for row in r[1]]
    hit_rows = [row for r in results for row in r[2]]
    sentences_df = pd.DataFrame(sent_rows, columns=list(schema.SENTENCE_COLUMNS))
    hits_df = pd.DataFrame(hit_rows, columns=list(schema.HIT_COLUMNS))
    for df, ints in ((sentences_df, ("sentence_index", "start", "end")),
                     (hits_df, ("start", "end", "sentence_index"))):
        for c in ints:
            df[c] = df[c].astype("Int64")
    for c in ("sentiment_compound", "sentiment_authorial", "sentiment_quoted", "quoted"):
        sentences_df[c] = sentences_df[c].astype("Float64")
    sentences_df["hedged"] = sentences_df["hedged"].astype("boolean")
    hits_df["in_quote"] = hits_df["in_quote"].astype("boolean")
    mentions_df = pd.DataFrame([row for r in results for row in r[3]],
                               columns=list(MENTION_COLUMNS))
    for c in ("start", "end", "sentence_index"):
        mentions_df[c] = mentions_df[c].astype("Int64")
    mentions_df["in_quote"] = mentions_df["in_quote"].astype("boolean")
    for c in ("p_negative", "p_neutral", "p_positive"):
        mentions_df[c] = mentions_df[c].astype("Float64")
    meta = provenance(lexicons, engine=engine, actors=actors)
    return Scored(scores, sentences_df, hits_df, meta, mentions_df)


def provenance(
    lexicons: Sequence[Lexicon], *, engine: str | None = None, actors: ActorSet | None = None
) -> dict[str, Any]:
    """The versions that made a result: travels with every output."""
    from importlib.metadata import PackageNotFoundError, version

    def v(dist: str) -> str:
        try:
            return version(dist)
        except PackageNotFoundError:
            return "unknown"

    meta: dict[str, Any] = {
        "slantscope": v("slantscope"),
        "vaderSentiment": v("vaderSentiment"),
        "textstat": v("textstat"),
        "textstat_lang": readability.LANG,
        "lexicons": {lx.name: {"version": lx.version, "hash": lx.hash} for lx in lexicons},
    }
    if actors is not None:
        meta["actors"] = {"name": actors.name, "version": actors.version, "hash": actors.hash}
    if engine:
        meta["engine"] = engine
    return meta


# --- the store: incremental, streamed scoring ------------------------------------

#: Bump when an extractor's output changes: stored results of another
#: version are then not reused.
SCORER_VERSION = "2"


def core_key(actors: ActorSet | None = None) -> str:
    """Key of everything but the lexicon columns: the extractor versions.

    Stored scores, sentences and mentions are reused only under the same key.
    """
    import hashlib
    import json

    actors = actors if actors is not None else default_actors()
    meta = provenance([], actors=actors)
    parts = {"scorer": SCORER_VERSION, "vaderSentiment": meta["vaderSentiment"],
             "textstat": meta["textstat"], "lang": meta["textstat_lang"], "actors": actors.hash,
             "models": _model_hashes()}
    blob = json.dumps(parts, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def _model_hashes() -> dict[str, str]:
    """SHA-256 (12 hex digits) of each shipped model file: a retrained model
    gives a new core key, so stored results of the old one are not reused."""
    import hashlib
    from importlib import resources

    folder = resources.files("analytics").joinpath("models")
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:12]
            for f in sorted(folder.iterdir(), key=lambda f: f.name)
            if f.name.endswith((".json", ".npz"))}


_MATCHERS: dict[tuple[str, ...], LexiconMatcher] = {}


def lexicon_hits(lexicons: Sequence[Lexicon], article_id: str, text: str) -> list[tuple[Any, ...]]:
    """Hit rows (``schema.HIT_COLUMNS``) of ``lexicons`` in one text, as the
    scorer writes them."""
    key = tuple(lx.hash for lx in lexicons)
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _MATCHERS[key] = LexiconMatcher(lexicons)
    sents = sentences(text)
    quotes = quote_spans(text)
    starts = [s.start for s in sents]
    matches = matcher.match(word_tokens(text))
    quoted = in_quotes([m.start for m in matches], quotes) if quotes else [False] * len(matches)
    return [
        (article_id, m.family, m.category, m.term, text[m.start : m.end], m.start, m.end,
         max(0, bisect.bisect_right(starts, m.start) - 1) if starts else None, q)
        for m, q in zip(matches, quoted, strict=True)
    ]


@dataclass
class StoreRun:
    """What :func:`score_to_store` did."""

    article_ids: list[str] = field(default_factory=list)
    label_columns: list[str] = field(default_factory=list)
    scored: int = 0
    reused: int = 0
    relexed: int = 0
    problems: list[Any] = field(default_factory=list)
    warnings: list[Any] = field(default_factory=list)
    duplicates: int = 0


def score_to_store(
    chunks: Iterable[Any],
    store: Any,
    *,
    engine: Engine = "processes",
    workers: int | None = None,
    lexicons: Sequence[Lexicon] | None = None,
    actors: ActorSet | None = None,
    scheduler: str | None = None,
    progress: ProgressCallback | None = None,
    on_chunk: Callable[[Any], None] | None = None,
    batch_size: int = BATCH_SIZE,
    session: EngineSession | None = None,
) -> StoreRun:
    """Score a corpus streamed in chunks into ``store``, reusing what it holds.

    ``chunks`` are ``analytics.corpus.LoadResult`` objects (e.g. from
    ``iter_corpus_chunks``).  Per chunk: texts already scored under
    :func:`core_key` are not scored again; texts scored before but not yet
    matched with these lexicons only have their lexicons matched
    (``Store.ensure_lexicons``); the rest are scored by the engine and written
    batch by batch, each batch in one transaction.  ``on_chunk`` is called
    with each chunk after it was read (for reporting problems as they come).
    ``batch_size`` articles go to a worker at a time; results are written
    eight batches at a time.  ``session``: an engine session already started
    by the caller (for these lexicons and actors), used and left open.

    The work is pipelined so the workers never wait: the next chunk is read
    in a background thread while this one is scored, and it is handed to the
    workers before this one's last results are written.  Writes stay in
    input order, one transaction per group of results, as before.  The
    store's DuckDB runs on one thread meanwhile (``Store.one_thread``).
    """
    from analytics.store import text_hash

    lexicons = list(lexicons) if lexicons is not None else default_lexicons()
    actors = actors if actors is not None else default_actors()
    core = core_key(actors)
    run = StoreRun()
    in_flight: deque[_Flight] = deque()
    busy: set[str] = set()  # text hashes handed to the workers and not yet written
    own = session is None
    if session is None:
        session = EngineSession(engine, workers=workers, lexicons=lexicons, actors=actors,
                                scheduler=scheduler, batch_size=batch_size)
    with _few_collections(), store.one_thread(), (
            session if own else nullcontext(session)) as session:
        if core not in store.core_keys():
            session.warm()  # nothing stored for this version: there will be scoring
        for chunk in _read_ahead(chunks):
            if on_chunk is not None:
                on_chunk(chunk)
            run.problems.extend(chunk.problems)
            run.warnings.extend(chunk.warnings)
            run.duplicates += len(chunk.duplicates)
            articles = chunk.articles
            if articles.empty:
                continue
            for c in articles.columns:
                if c not in (schema.TEXT, schema.REMOVED) and c not in run.label_columns:
                    run.label_columns.append(c)
            run.article_ids.extend(articles[schema.ARTICLE_ID].astype(str))
            texts = dict(zip((text_hash(t) for t in articles[schema.TEXT].astype(str)),
                             articles[schema.TEXT].astype(str), strict=True))
            have = store.scored_hashes(list(texts), core)
            # A text of an earlier chunk still being scored is not scored twice.
            todo = [(h, t) for h, t in texts.items() if h not in have and h not in busy]
            results = session.stream(todo, progress)  # the workers start on it now
            busy.update(h for h, _ in todo)
            store.write_articles(articles)
            n_reused = len(articles) - len(todo)
            run.reused += n_reused
            if progress and n_reused:
                progress(n_reused)
            in_flight.append(_Flight(todo, results, [h for h in texts if h in have]))
            while len(in_flight) > 1:
                _finish(in_flight.popleft(), store, run, busy, core=core, lexicons=lexicons,
                        group=8 * batch_size)
        while in_flight:
            flight = in_flight.popleft()
            _finish(flight, store, run, busy, core=core, lexicons=lexicons,
                    group=8 * batch_size, last=not in_flight)
    return run


@dataclass
class _Flight:
    """A chunk handed to the workers: its texts to score, their results (an
    iterator, in order) and the texts it found already scored."""

    todo: list[tuple[str, str]]
    results: Iterator[list[Any]]
    stored: list[str]


def _finish(flight: _Flight, store: Any, run: StoreRun, busy: set[str], *, core: str,
            lexicons: Sequence[Lexicon], group: int, last: bool = False) -> None:
    """Write a chunk's results as they arrive, ``group`` at a time, each group
    in one transaction; then match the lexicons on its stored texts that lack
    them.  For the ``last`` chunk of a run the final ``group`` results are
    written in quarters, so little is left to write once the workers stop."""
    todo = flight.todo
    pending: list[Any] = []
    written = 0
    for out in flight.results:
        pending.extend(out)
        size = group
        if last and len(todo) - written - len(pending) < group:
            size = max(1, group // 4)
        if len(pending) >= size:
            hashes = [h for h, _ in todo[written : written + len(pending)]]
            store.write_results(hashes, pending, core=core, lexicons=lexicons)
            written += len(pending)
            pending = []
    if pending:
        hashes = [h for h, _ in todo[written : written + len(pending)]]
        store.write_results(hashes, pending, core=core, lexicons=lexicons)
        written += len(pending)
    run.scored += written
    busy.difference_update(h for h, _ in todo)
    stale = store.missing_lexicon(flight.stored, lexicons)
    if stale:
        store.ensure_lexicons(lexicons, core=core, hashes=sorted(stale))
        run.relexed += len(stale)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Fewer garbage-collector passes while results stream in: the results
    (tuples of numbers and strings, hardly any cycles) would make it scan
    every object of the process, the libraries' included, hundreds of times.
    What exists beforehand is frozen out of its scans."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 50_000), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


_DONE = object()


def _read_ahead(items: Iterable[Any]) -> Iterator[Any]:
    """``items``, produced one ahead in a background thread (reading and
    cleaning the next chunk while this one is scored).  An exception of the
    producer is raised here, in order; closing this generator stops it."""
    box: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def put(item: Any, exc: BaseException | None = None) -> None:
        while not stop.is_set():
            try:
                box.put((item, exc), timeout=0.1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                put(item)
        except BaseException as exc:  # forwarded to the consumer
            put(None, exc)
            return
        put(_DONE)

    thread = threading.Thread(target=produce, name="slantscope-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, exc = box.get()
            if exc is not None:
                raise exc
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)
