"""Score a corpus: every article through every extractor, in one pass.

``score_corpus(articles)`` returns the scores (one row per article), the
sentence table and the lexicon hits.  The work per article is pure and the
same for every engine, so ``serial`` and ``processes`` give identical output:

* ``serial``: one process, in order;
* ``processes`` (default): all cores, articles sent in batches so a worker
  pays its start-up (VADER's lexicon, the lexicon matcher) once and no
  per-article process overhead.  A corpus that fits in one batch is scored
  in-process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any, Literal, get_args

import pandas as pd

from analytics import schema
from analytics.features import readability, sentiment
from analytics.features.language import is_non_english
from analytics.features.lexicon import LexiconMatcher
from analytics.lexicons import Lexicon, default_lexicons
from analytics.text import in_quotes, quote_spans, sentences, word_tokens

Engine = Literal["serial", "processes"]
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


class ArticleScorer:
    """Scores one article at a time; build once per process and reuse."""

    def __init__(self, lexicons: Sequence[Lexicon]) -> None:
        self.lexicons = list(lexicons)
        self.matcher = LexiconMatcher(self.lexicons)
        self.families = sorted({lx.family for lx in self.lexicons if lx.family != "framing"})
        self.framing_categories = [
            cat for lx in self.lexicons if lx.family == "framing" for cat in lx.categories
        ]

    def score(
        self, article_id: str, text: str
    ) -> tuple[dict[str, Any], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """One article -> (score row, sentence rows, hit rows)."""
        tokens = word_tokens(text)
        sents = sentences(text)
        quotes = quote_spans(text)
        non_english = is_non_english(text, [t.norm for t in tokens])

        sent_scores = sentiment.score_sentences(text, sents, quotes)
        sentence_rows = [
            (article_id, s.index, s.start, s.end, text[s.start : s.end],
             ss.quoted_share, ss.compound, ss.authorial, ss.quoted)
            for s, ss in zip(sents, sent_scores, strict=True)
        ]

        starts = [s.start for s in sents]
        quoted_tokens = sum(in_quotes([t.start for t in tokens], quotes)) if quotes else 0
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
        row.update(readability.readability_scores(text, non_english=non_english))

        def rate(key: str, voice: str) -> float | None:
            n = words_by_voice[voice]
            if non_english or n == 0:
                return None
            return 1000.0 * counts.get((key, voice), 0) / n

        for family in self.families:
            row[f"{family}_per_1k"] = rate(family, "all")
            row[f"{family}_authorial_per_1k"] = rate(family, "authorial")
            row[f"{family}_quoted_per_1k"] = rate(family, "quoted")
        for cat in self.framing_categories:
            row[schema.framing_column(cat)] = rate(cat, "all")
        return row, sentence_rows, hit_rows


# --- engines ----------------------------------------------------------------

_WORKER: ArticleScorer | None = None


def _init_worker(lexicons: Sequence[Lexicon]) -> None:
    global _WORKER
    _WORKER = ArticleScorer(lexicons)


def _score_batch(
    batch: Sequence[tuple[str, str]],
) -> list[tuple[dict[str, Any], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    assert _WORKER is not None
    return [_WORKER.score(aid, text) for aid, text in batch]


def _batches(items: Sequence[tuple[str, str]], size: int) -> Iterator[Sequence[tuple[str, str]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def score_corpus(
    articles: pd.DataFrame,
    *,
    engine: Engine = "processes",
    workers: int | None = None,
    lexicons: Sequence[Lexicon] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: ProgressCallback | None = None,
) -> Scored:
    """Score every article of ``articles`` (the corpus contract's columns).

    Parameters
    ----------
    articles : DataFrame with at least ``article_id`` and ``text``; the other
        article columns (outlet, title, source_ref, metadata) are carried into
        the scores so every row names its article.
    engine : ``"serial"`` or ``"processes"`` (default, all cores).
    workers : number of worker processes (default: all cores).
    lexicons : hedge, booster and framing lexicons (default: the built-in set).
    progress : called with the number of articles just finished.

    Examples
    --------
    >>> from analytics.corpus import load_corpus
    >>> scored = score_corpus(load_corpus("seeds").articles, engine="serial")
    >>> len(scored.scores)
    5
    """
    _check_engine(engine)
    lexicons = list(lexicons) if lexicons is not None else default_lexicons()
    items = list(zip(articles[schema.ARTICLE_ID].astype(str), articles[schema.TEXT].astype(str),
                     strict=True))
    workers = workers or default_workers()
    results: list[Any] = []
    if engine == "serial" or workers == 1 or len(items) <= batch_size:
        scorer = ArticleScorer(lexicons)
        for batch in _batches(items, batch_size):
            results.extend(scorer.score(aid, text) for aid, text in batch)
            if progress:
                progress(len(batch))
    else:
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("spawn"),
            initializer=_init_worker, initargs=(lexicons,),
        ) as pool:
            batches = list(_batches(items, batch_size))
            for batch, out in zip(batches, pool.map(_score_batch, batches), strict=True):
                results.extend(out)
                if progress:
                    progress(len(batch))
    return _assemble(articles, results, lexicons, engine)


def _assemble(
    articles: pd.DataFrame, results: list[Any], lexicons: Sequence[Lexicon], engine: str
) -> Scored:
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
    hits_df["in_quote"] = hits_df["in_quote"].astype("boolean")
    return Scored(scores, sentences_df, hits_df, provenance(lexicons, engine=engine))


def provenance(lexicons: Sequence[Lexicon], *, engine: str | None = None) -> dict[str, Any]:
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
    if engine:
        meta["engine"] = engine
    return meta
