"""Compare outlets: per-voice scores, outlet aggregates, keyword in context.

Everything here is pure: DataFrames in, DataFrames out, no I/O.  The tables
are the ones :func:`analytics.pipeline.score_corpus` returns (scores,
sentences, hits) and the articles table of :func:`analytics.corpus.load_corpus`.

* :func:`voice_scores`: per-article scores for the whole text, the authorial
  voice (outside quotation marks) or the quoted voice;
* :func:`outlet_summary`: one row per outlet, the mean of every metric over
  its articles with the number of articles behind each mean;
* :func:`sentence_frame`, :func:`kwic`: the sentences and the lexicon matches
  behind every figure, named by outlet, title and ``source_ref``;
* :func:`framing_matrix`, :func:`metric_label`, :func:`top_outlets`: helpers
  for charts and for a default selection on large corpora.

Examples
--------
>>> from analytics.corpus import load_corpus
>>> from analytics.pipeline import score_corpus
>>> scored = score_corpus(load_corpus("seeds").articles, engine="serial")
>>> authorial = voice_scores(scored.scores, scored.hits, "authorial")
>>> summary = outlet_summary(authorial, metrics=["sentiment_mean", "hedge_per_1k"])
>>> list(summary.columns)  # doctest: +NORMALIZE_WHITESPACE
['outlet', 'n_articles', 'words', 'sentiment_mean', 'sentiment_mean_n',
 'hedge_per_1k', 'hedge_per_1k_n']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from analytics import schema

Voice = Literal["all", "authorial", "quoted"]
VOICES: tuple[str, ...] = get_args(Voice)

#: Name given to articles whose outlet is unknown (null), in every table.
UNKNOWN_OUTLET = "(unknown outlet)"

#: VADER's recommended thresholds for a positive / negative compound.
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

_FRAMING_RE = re.compile(r"^framing_(?P<cat>.+)_per_1k$")
_FAMILY_RE = re.compile(r"^(?P<family>[a-z][a-z0-9]*)_per_1k$")
_VOICE_RATE_RE = re.compile(r"^(?P<family>[a-z][a-z0-9]*)_(?P<voice>authorial|quoted)_per_1k$")
_WS_RE = re.compile(r"\s+")

#: Sentiment columns that depend on the sentence set of a voice.
_SENTENCE_SENTIMENT = ("sentiment_min", "sentiment_max", "sentiment_pos_share",
                       "sentiment_neg_share")


@dataclass(frozen=True)
class Selection:
    """What a reader is looking at: which outlets, which voice, which article.

    ``outlets=None`` means every outlet; an empty tuple selects nothing.
    ``article_id`` picks the article of the sentence-by-sentence chart and
    ``framing_category`` the framing category a reader drills into.
    """

    outlets: tuple[str, ...] | None = None
    voice: Voice = "all"
    article_id: str | None = None
    framing_category: str | None = None

    def __post_init__(self) -> None:
        check_voice(self.voice)


def check_voice(voice: str) -> Voice:
    """Return ``voice`` if valid; otherwise raise ValueError listing the valid ones."""
    if voice not in VOICES:
        raise ValueError(f"unknown voice {voice!r}; use one of {', '.join(VOICES)}")
    return voice  # type: ignore[return-value]


# --- column discovery ------------------------------------------------------


def framing_categories(columns: Iterable[str]) -> list[str]:
    """Framing categories present as ``framing_<category>_per_1k`` columns, in order."""
    out = []
    for c in columns:
        m = _FRAMING_RE.match(str(c))
        if m:
            out.append(m.group("cat"))
    return out


def lexicon_families(columns: Iterable[str]) -> list[str]:
    """Non-framing lexicon families with a ``<family>_per_1k`` column (hedge, booster...)."""
    out = []
    for c in columns:
        m = _FAMILY_RE.match(str(c))
        if m and m.group("family") != "framing":
            out.append(m.group("family"))
    return out


def default_metrics(scores: pd.DataFrame) -> list[str]:
    """The metric columns of a scores table, in display order.

    Text length, every ``sentiment_*`` column, the seven readability indices,
    then every per-1,000-words rate.
    """
    cols = list(scores.columns)
    text = [c for c in ("text_words", "text_words_per_sentence") if c in cols]
    sentiment = [c for c in schema.SENTIMENT_COLUMNS if c in cols]
    readability = [c for c in schema.READABILITY_INDICES if c in cols]
    rates = [c for c in cols if str(c).endswith("_per_1k")]
    return text + sentiment + readability + rates


# --- selection ---------------------------------------------------------------


def outlet_names(df: pd.DataFrame) -> pd.Series:
    """The ``outlet`` column as strings, null outlets named :data:`UNKNOWN_OUTLET`."""
    if schema.OUTLET not in df.columns:
        return pd.Series(UNKNOWN_OUTLET, index=df.index, dtype=object)
    return df[schema.OUTLET].astype(object).where(df[schema.OUTLET].notna(), UNKNOWN_OUTLET)


def select_outlets(df: pd.DataFrame, outlets: Iterable[str] | None) -> pd.DataFrame:
    """Rows of ``df`` whose outlet is in ``outlets`` (``None``: every row)."""
    if outlets is None:
        return df
    wanted = {str(o) for o in outlets}
    return df[outlet_names(df).isin(wanted).to_numpy()]


def top_outlets(scores: pd.DataFrame, n: int = 12) -> list[str]:
    """The ``n`` outlets with the most articles (ties by name): a default selection."""
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    counts = outlet_names(scores).value_counts()
    order = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
    return [str(name) for name, _ in order[:n]]


# --- voices --------------------------------------------------------------------


def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {', '.join(missing)}")


def voice_scores(
    scores: pd.DataFrame,
    hits: pd.DataFrame,
    voice: Voice,
    *,
    sentences: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per-article scores restricted to one voice.

    Parameters
    ----------
    scores : the scores table (one row per article).
    hits : the lexicon hits table (``in_quote`` tells the voice of each match),
        or hit counts with an ``n`` column (one row per article, family,
        category and ``in_quote``, as ``Store.hit_counts`` gives).
    voice : ``"all"`` (whole text: ``scores`` is returned unchanged),
        ``"authorial"`` (outside quotation marks) or ``"quoted"`` (inside).
    sentences : optional sentence table; when given, ``sentiment_min``,
        ``sentiment_max`` and the positive / negative sentence shares are
        recomputed from the voice's per-sentence compounds.

    Returns
    -------
    A copy of ``scores`` where, for ``"authorial"`` / ``"quoted"``:

    * ``sentiment_mean`` is ``sentiment_authorial_mean`` / ``sentiment_quoted_mean``;
    * ``sentiment_min``, ``sentiment_max``, ``sentiment_pos_share`` and
      ``sentiment_neg_share`` are recomputed from ``sentences`` over the
      sentences that have that voice, or null when ``sentences`` is not given
      (the whole-text values would be mislabelled);
    * every ``<family>_per_1k`` and ``framing_<category>_per_1k`` rate is the
      number of hits with ``in_quote`` False / True per 1,000 words of
      ``text_words_authorial`` / ``text_words_quoted``; null where the voice
      has no words or the article is not English (as the pipeline does);
    * ``text_words`` is the voice's word count.

    Readability stays whole-text: textstat's formulas need whole sentences,
    and a voice is made of fragments of them.  The ``*_authorial_per_1k`` /
    ``*_quoted_per_1k`` columns are left as they are.
    """
    check_voice(voice)
    if voice == "all":
        return scores
    words_col = f"text_words_{voice}"
    _require(scores, [schema.ARTICLE_ID, words_col], "scores")
    out = scores.copy()
    words = pd.to_numeric(out[words_col], errors="coerce").astype(float)
    valid = words.gt(0)
    if "text_non_english" in out.columns:
        valid &= ~out["text_non_english"].astype("boolean").fillna(False).astype(bool)

    # Hits of this voice, counted per article and rate column.
    rate_cols = {f"{fam}_per_1k": fam for fam in lexicon_families(out.columns)}
    frame_cols = {schema.framing_column(cat): cat for cat in framing_categories(out.columns)}
    counts = _voice_hit_counts(hits, voice)
    ids = out[schema.ARTICLE_ID].astype(str)
    for col in [*rate_cols, *frame_cols]:
        n = counts.get(col)
        per_article = ids.map(n).fillna(0).astype(float) if n is not None else 0.0
        rate = 1000.0 * per_article / words.where(valid)
        out[col] = rate.where(valid).astype(float)

    mean_col = f"sentiment_{voice}_mean"
    if mean_col in out.columns and "sentiment_mean" in out.columns:
        out["sentiment_mean"] = out[mean_col]
    present = [c for c in _SENTENCE_SENTIMENT if c in out.columns]
    if present:
        recomputed = _voice_sentence_stats(sentences, ids, voice) if sentences is not None else None
        for c in present:
            out[c] = recomputed[c].to_numpy() if recomputed is not None else np.nan
    out["text_words"] = out[words_col]
    return out


def _voice_hit_counts(hits: pd.DataFrame, voice: str) -> dict[str, pd.Series]:
    """``{rate column: Series(article_id -> hits)}`` for one voice."""
    if hits is None or hits.empty:
        return {}
    _require(hits, [schema.ARTICLE_ID, "family", "category", "in_quote"], "hits")
    in_quote = hits["in_quote"].astype("boolean")
    mask = in_quote.eq(voice == "quoted").fillna(False).astype(bool)
    sub = hits.loc[mask.to_numpy(), [schema.ARTICLE_ID, "family", "category"]]
    if sub.empty:
        return {}
    family = sub["family"].astype(str)
    key = np.where(family.eq("framing"),
                   "framing_" + sub["category"].astype(str) + "_per_1k",
                   family + "_per_1k")
    frame = pd.DataFrame({"article_id": sub[schema.ARTICLE_ID].astype(str).to_numpy(),
                          "key": key})
    if "n" in hits.columns:  # hits already counted per article (a store's hit counts)
        frame["n"] = pd.to_numeric(hits.loc[mask.to_numpy(), "n"]).to_numpy()
        grouped = frame.groupby(["key", "article_id"])["n"].sum()
    else:
        grouped = frame.groupby(["key", "article_id"]).size()
    return {str(k): grouped.loc[k] for k in grouped.index.get_level_values(0).unique()}


def _voice_sentence_stats(sentences: pd.DataFrame, ids: pd.Series, voice: str) -> pd.DataFrame:
    """Min, max and positive / negative shares of each article's voice sentences."""
    col = f"sentiment_{voice}"
    _require(sentences, [schema.ARTICLE_ID, col], "sentences")
    vals = pd.DataFrame({
        "article_id": sentences[schema.ARTICLE_ID].astype(str).to_numpy(),
        "v": pd.to_numeric(sentences[col], errors="coerce").astype(float).to_numpy(),
    }).dropna(subset=["v"])
    vals["pos"] = (vals["v"] >= POSITIVE_THRESHOLD).astype(float)
    vals["neg"] = (vals["v"] <= NEGATIVE_THRESHOLD).astype(float)
    g = vals.groupby("article_id").agg(
        sentiment_min=("v", "min"), sentiment_max=("v", "max"),
        sentiment_pos_share=("pos", "mean"), sentiment_neg_share=("neg", "mean"),
    )
    return g.reindex(ids.to_numpy())


# --- outlet aggregates --------------------------------------------------------


def _as_float(col: pd.Series) -> np.ndarray:
    """A metric column as floats (nulls and non-numbers as NaN), cheaply for
    columns that are already numeric."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(col.astype(object), errors="coerce").astype(float).to_numpy()


def outlet_summary(
    scores: pd.DataFrame, *, metrics: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per outlet: article count, words and the mean of every metric.

    Parameters
    ----------
    scores : per-article scores (as returned by :func:`voice_scores` for a voice).
    metrics : metric columns to average (default :func:`default_metrics`).

    Returns
    -------
    Columns ``outlet, n_articles, words`` (total ``text_words``), then for each
    metric ``<metric>`` (the mean over the outlet's articles, each article
    weighing the same, nulls skipped) and ``<metric>_n`` (articles with a value).
    Rows are sorted by ``n_articles`` (most first), then outlet name.
    """
    metrics = list(default_metrics(scores) if metrics is None else metrics)
    _require(scores, metrics, "scores")
    outlets = outlet_names(scores).astype(str).to_numpy()
    data: dict[str, object] = {"outlet": outlets}
    data["words"] = (pd.to_numeric(scores["text_words"], errors="coerce").fillna(0).to_numpy()
                     if "text_words" in scores.columns else np.zeros(len(scores)))
    for m in metrics:
        data[m] = _as_float(scores[m])
    frame = pd.DataFrame(data)
    g = frame.groupby("outlet", sort=True)
    out = pd.DataFrame({"n_articles": g.size(), "words": g["words"].sum()})
    for m in metrics:
        out[m] = g[m].mean()
        out[f"{m}_n"] = g[m].count()
    out = out.reset_index()
    out["n_articles"] = out["n_articles"].astype("int64")
    out["words"] = out["words"].round().astype("int64")
    for m in metrics:
        out[f"{m}_n"] = out[f"{m}_n"].astype("int64")
    out = out.sort_values(["n_articles", "outlet"], ascending=[False, True], kind="mergesort")
    return out.reset_index(drop=True)


def framing_matrix(summary: pd.DataFrame, categories: Iterable[str]) -> pd.DataFrame:
    """Outlets x framing categories of per-1,000-words rates (from :func:`outlet_summary`).

    The index is the outlet (in the summary's order), the columns the categories.
    """
    cats = list(categories)
    cols = [schema.framing_column(c) for c in cats]
    missing = [c for c, col in zip(cats, cols, strict=True) if col not in summary.columns]
    if missing:
        have = framing_categories(summary.columns)
        raise ValueError(
            f"no framing rate for {', '.join(missing)}; "
            f"the summary has {', '.join(have) if have else 'no framing categories'}"
        )
    m = summary[cols].astype(float).copy()
    m.columns = pd.Index(cats, name="category")
    m.index = pd.Index(summary["outlet"].astype(str), name="outlet")
    return m


# --- evidence tables --------------------------------------------------------------


def _labels(scores: pd.DataFrame) -> pd.DataFrame:
    """``article_id -> outlet, title, source_ref`` (one row per article)."""
    lab = pd.DataFrame({schema.ARTICLE_ID: scores[schema.ARTICLE_ID].astype(str).to_numpy()})
    lab[schema.OUTLET] = outlet_names(scores).astype(str).to_numpy()
    for c in (schema.TITLE, schema.SOURCE_REF):
        lab[c] = scores[c].to_numpy() if c in scores.columns else None
    return lab.drop_duplicates(schema.ARTICLE_ID)


def sentence_frame(sentences: pd.DataFrame, scores: pd.DataFrame, voice: Voice) -> pd.DataFrame:
    """Sentences of the articles in ``scores``, named by outlet, title and source_ref.

    ``compound`` is the sentence's VADER compound for the voice: the whole
    sentence for ``"all"``, ``sentiment_authorial`` / ``sentiment_quoted``
    otherwise; sentences without that voice (or without a score) are dropped.
    Rows are sorted by outlet, article and sentence.
    """
    check_voice(voice)
    src = {"all": "sentiment_compound", "authorial": "sentiment_authorial",
           "quoted": "sentiment_quoted"}[voice]
    _require(sentences, [schema.ARTICLE_ID, "sentence_index", src], "sentences")
    sent = sentences.copy()
    sent[schema.ARTICLE_ID] = sent[schema.ARTICLE_ID].astype(str)
    sent = sent.drop(columns=[c for c in (schema.OUTLET, schema.TITLE, schema.SOURCE_REF)
                              if c in sent.columns])
    out = sent.merge(_labels(scores), on=schema.ARTICLE_ID, how="inner")
    out["compound"] = pd.to_numeric(out[src], errors="coerce").astype(float)
    out = out[out["compound"].notna()]
    front = [schema.OUTLET, schema.TITLE, schema.SOURCE_REF, schema.ARTICLE_ID,
             "sentence_index", "compound"]
    out = out[front + [c for c in out.columns if c not in front]]
    out = out.sort_values([schema.OUTLET, schema.ARTICLE_ID, "sentence_index"], kind="mergesort")
    return out.reset_index(drop=True)


#: Columns of :func:`sentence_stats`.
SENTENCE_STATS_COLUMNS: tuple[str, ...] = (
    schema.OUTLET, "n_art", "n_sent", "mean", "q1", "median", "q3", "lowerfence", "upperfence",
)


def sentence_stats(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-outlet summary of sentence compounds (from :func:`sentence_frame`):
    articles, sentences, mean, quartiles (linear interpolation) and Tukey's
    fences (the most extreme values within 1.5 IQR of the quartiles), sorted
    by articles (most first), then outlet.  A box plot drawn from this shows
    a large selection without sending every sentence to the browser.
    """
    if frame.empty:
        return pd.DataFrame(columns=list(SENTENCE_STATS_COLUMNS))
    df = pd.DataFrame({"outlet": outlet_names(frame).astype(str).to_numpy(),
                       "article_id": frame[schema.ARTICLE_ID].astype(str).to_numpy(),
                       "v": pd.to_numeric(frame["compound"]).astype(float).to_numpy()})
    rows = []
    for outlet, g in df.groupby("outlet", sort=True):
        v = np.sort(g["v"].to_numpy())
        q1, med, q3 = np.quantile(v, [0.25, 0.5, 0.75])
        iqr = q3 - q1
        inside = v[(v >= q1 - 1.5 * iqr) & (v <= q3 + 1.5 * iqr)]
        rows.append((outlet, g["article_id"].nunique(), len(v), float(v.mean()), float(q1),
                     float(med), float(q3), float(inside.min()), float(inside.max())))
    out = pd.DataFrame(rows, columns=list(SENTENCE_STATS_COLUMNS))
    out = out.sort_values(["n_art", "outlet"], ascending=[False, True], kind="mergesort")
    return out.reset_index(drop=True)


Period = Literal["week", "month"]


def time_series(scores: pd.DataFrame, metric: str, *, period: Period = "month",
                by: str = schema.OUTLET) -> pd.DataFrame:
    """Mean of ``metric`` per outlet (or ``by``) and calendar week or month.

    Returns ``<by>, period (its first day), mean, n`` (articles with a value
    that period), sorted by group and period; articles without a date are
    left out.  Raises ValueError for an unknown period or column.
    """
    if period not in ("week", "month"):
        raise ValueError(f"unknown period {period!r}; choose week or month")
    _require(scores, [metric, schema.PUBLISHED, by], "scores")
    when = pd.to_datetime(scores[schema.PUBLISHED], errors="coerce")
    df = pd.DataFrame({
        by: (outlet_names(scores) if by == schema.OUTLET else scores[by]).astype(str).to_numpy(),
        "when": when.to_numpy(),
        "v": pd.to_numeric(scores[metric].astype(object), errors="coerce").astype(float).to_numpy(),
    }).dropna(subset=["when", "v"])
    if df.empty:
        return pd.DataFrame(columns=[by, "period", "mean", "n"])
    stamp = pd.DatetimeIndex(df["when"])
    df["period"] = (stamp.to_period("W-SUN").start_time if period == "week"
                    else stamp.to_period("M").start_time)
    out = df.groupby([by, "period"], sort=True)["v"].agg(["mean", "count"]).reset_index()
    return out.rename(columns={"count": "n"})


KWIC_COLUMNS: tuple[str, ...] = (
    schema.OUTLET, schema.TITLE, schema.SOURCE_REF, schema.ARTICLE_ID, "family", "category",
    "term", "left", "match", "right", "in_quote", "sentence_index", "start", "end",
)


def _collapse(s: str) -> str:
    return _WS_RE.sub(" ", s)


def kwic(
    hits: pd.DataFrame,
    articles: pd.DataFrame,
    *,
    outlet: str | Iterable[str] | None = None,
    family: str | None = None,
    category: str | None = None,
    voice: Voice = "all",
    width: int = 60,
) -> pd.DataFrame:
    """Keyword in context: every lexicon match with the text around it.

    Parameters
    ----------
    hits : the hits table; articles : the articles table (with ``text``).
    outlet : one outlet name or several (default: every outlet).
    family, category : keep only matches of this family / category.
    voice : ``"authorial"`` keeps matches outside quotation marks, ``"quoted"``
        those inside, ``"all"`` both.
    width : characters of context on each side.

    Returns
    -------
    :data:`KWIC_COLUMNS`; ``match`` is ``text[start:end]``; ``left`` / ``right``
    are the ``width`` characters of the article text before / after it, runs
    of whitespace collapsed to one space.  Sorted by outlet, article, start.
    """
    check_voice(voice)
    if width < 0:
        raise ValueError(f"width must be 0 or more, got {width}")
    _require(articles, [schema.ARTICLE_ID, schema.TEXT], "articles")
    h = hits
    if family is not None:
        h = h[h["family"].astype(str).eq(family).to_numpy()]
    if category is not None:
        h = h[h["category"].astype(str).eq(category).to_numpy()]
    if voice != "all":
        iq = h["in_quote"].astype("boolean").eq(voice == "quoted").fillna(False).astype(bool)
        h = h[iq.to_numpy()]
    art = articles.drop_duplicates(schema.ARTICLE_ID)
    lab = _labels(art)
    if outlet is not None:
        wanted = {outlet} if isinstance(outlet, str) else {str(o) for o in outlet}
        lab = lab[lab[schema.OUTLET].isin(wanted)]
    h = h.assign(**{schema.ARTICLE_ID: h[schema.ARTICLE_ID].astype(str)})
    out = h.merge(lab, on=schema.ARTICLE_ID, how="inner")
    texts = dict(zip(art[schema.ARTICLE_ID].astype(str), art[schema.TEXT].astype(str),
                     strict=True))
    span = 4 * width + 16  # raw characters read to fill `width` after collapsing
    lefts, matches, rights = [], [], []
    for aid, s, e in zip(out[schema.ARTICLE_ID], out["start"], out["end"], strict=True):
        text = texts.get(aid, "")
        s, e = int(s), int(e)
        left = _collapse(text[max(0, s - span) : s])
        right = _collapse(text[e : e + span])
        lefts.append(left[len(left) - width :] if width else "")
        matches.append(text[s:e])
        rights.append(right[:width])
    out["left"], out["match"], out["right"] = lefts, matches, rights
    out = out.sort_values([schema.OUTLET, schema.ARTICLE_ID, "start"], kind="mergesort")
    return out[list(KWIC_COLUMNS)].reset_index(drop=True)


# --- labels --------------------------------------------------------------------

_LABELS: dict[str, str] = {
    "text_words": "Words per article",
    "text_sentences": "Sentences per article",
    "text_words_per_sentence": "Words per sentence",
    "text_words_authorial": "Authorial words per article",
    "text_words_quoted": "Quoted words per article",
    "words": "Words (total)",
    "n_articles": "Articles",
    "sentiment_mean": "Mean sentence sentiment (VADER compound, -1..1)",
    "sentiment_min": "Most negative sentence (VADER compound, -1..1)",
    "sentiment_max": "Most positive sentence (VADER compound, -1..1)",
    "sentiment_pos_share": "Share of positive sentences (compound >= 0.05, 0..1)",
    "sentiment_neg_share": "Share of negative sentences (compound <= -0.05, 0..1)",
    "sentiment_authorial_mean": "Mean authorial sentiment (VADER compound, -1..1)",
    "sentiment_quoted_mean": "Mean quoted sentiment (VADER compound, -1..1)",
    "compound": "Sentence sentiment (VADER compound, -1..1)",
    "sentiment_compound": "Sentence sentiment (VADER compound, -1..1)",
    "readability_flesch_reading_ease": "Flesch reading ease (higher = easier)",
    "readability_flesch_kincaid_grade": "Flesch-Kincaid grade (US grade, higher = harder)",
    "readability_gunning_fog": "Gunning fog (years of schooling, higher = harder)",
    "readability_smog_index": "SMOG index (US grade, higher = harder)",
    "readability_coleman_liau_index": "Coleman-Liau index (US grade, higher = harder)",
    "readability_automated_readability_index":
        "Automated readability index (US grade, higher = harder)",
    "readability_dale_chall_readability_score":
        "Dale-Chall score (higher = harder; 4.9 or lower easy)",
}

_FAMILY_NAMES = {"hedge": "Hedges", "booster": "Boosters"}


def _family_name(family: str) -> str:
    return _FAMILY_NAMES.get(family, f"{family.replace('_', ' ').capitalize()} terms")


def metric_label(column: str) -> str:
    """A human label with units for a score or summary column (for axis titles).

    >>> metric_label("hedge_per_1k")
    'Hedges per 1,000 words'
    >>> metric_label("framing_legality_per_1k")
    'Legality framing terms per 1,000 words'
    """
    if column in _LABELS:
        return _LABELS[column]
    if column.endswith("_n") and column[:-2] and column != "_n":
        return f"Articles with a value: {metric_label(column[:-2])}"
    m = _FRAMING_RE.match(column)
    if m:
        cat = m.group("cat").replace("_", " ")
        return f"{cat[:1].upper()}{cat[1:]} framing terms per 1,000 words"
    m = _VOICE_RATE_RE.match(column)
    if m:
        return f"{_family_name(m.group('family'))} per 1,000 {m.group('voice')} words"
    m = _FAMILY_RE.match(column)
    if m:
        return f"{_family_name(m.group('family'))} per 1,000 words"
    text = column.replace("_", " ").strip()
    return f"{text[:1].upper()}{text[1:]}" if text else column


def actor_evidence(mentions: pd.DataFrame, sentences: pd.DataFrame, scores: pd.DataFrame, *,
                   outlet: str, group: str) -> pd.DataFrame:
    """The authorial sentences behind one cell of the actor-sentiment heatmap.

    One row per sentence of ``outlet``'s articles that mentions ``group``
    outside quotation marks: ``title, source_ref, article_id, sentence_index,
    mentions`` (the surfaces, ``; ``-joined), ``polarity`` and
    ``p_negative, p_neutral, p_positive`` (the target model's verdict toward
    the group in that sentence, which the actor columns average),
    ``sentiment_authorial`` (the sentence's VADER tone, for comparison) and
    ``text``.  Sorted by article and sentence.
    """
    columns = ["title", "source_ref", "article_id", "sentence_index", "mentions", "polarity",
               "p_negative", "p_neutral", "p_positive", "sentiment_authorial", "text"]
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=columns)
    ids = scores.loc[outlet_names(scores).astype(str) == outlet, schema.ARTICLE_ID].astype(str)
    m = mentions[(mentions["group"] == group) & ~mentions["in_quote"].astype(bool)
                 & mentions[schema.ARTICLE_ID].astype(str).isin(set(ids))]
    if m.empty:
        return pd.DataFrame(columns=columns)
    keys = [schema.ARTICLE_ID, "sentence_index"]
    per_sentence = (m.groupby(keys, sort=True)["surface"]
                    .agg(lambda s: "; ".join(dict.fromkeys(map(str, s)))).rename("mentions")
                    .reset_index())
    verdict = [c for c in ("polarity", "p_negative", "p_neutral", "p_positive") if c in m]
    if verdict:  # every mention of a (group, sentence) target carries its probabilities
        per_sentence = per_sentence.merge(m.groupby(keys, sort=True)[verdict].first()
                                          .reset_index(), on=keys, how="left")
    sent = sentences[[schema.ARTICLE_ID, "sentence_index", "sentiment_authorial", "text"]]
    out = per_sentence.merge(sent, on=keys, how="left")
    labels = scores[[schema.ARTICLE_ID, *[c for c in ("title", "source_ref")
                                          if c in scores.columns]]]
    out = out.merge(labels, on=schema.ARTICLE_ID, how="left")
    return out.reindex(columns=columns).reset_index(drop=True)
