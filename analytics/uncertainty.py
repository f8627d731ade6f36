"""Uncertainty of outlet comparisons: bootstrap intervals and two-outlet differences.

An outlet's mean over a handful of articles says little about the outlet:
another week's articles would give another mean.  Everything here puts a
number on that, and says so in plain words when the data cannot.

* :func:`outlet_intervals`: one row per outlet, for every metric the mean over
  its articles and a percentile-bootstrap interval (articles resampled within
  the outlet), with flags for outlets that stand on one or a few articles;
* :func:`difference`: the difference of two outlets' means with its bootstrap
  interval (each outlet's articles resampled independently);
* :func:`comparison_note`: a plain-language sentence about a row or a table
  of intervals, for a dashboard caption;
* :func:`interval_metrics`: the default metrics (per-article measures).

Pure: DataFrames in, DataFrames and dicts out, no I/O.  Results are
reproducible: the resamples of an outlet are drawn from a generator seeded
with ``seed`` and the outlet's name, so an outlet gets the same interval
whatever other outlets are in the table.

Notes
-----
The percentile bootstrap undercovers at small n: with 2-4 articles a nominal
95% interval contains the outlet's true mean far less often than 95% of the
time (the resamples can only recombine the few values there are).  Such
outlets get an interval but ``few_articles=True``; a single article gets no
interval at all.  Intervals describe sampling variation between articles of
an outlet, not measurement error of the lexicons or formulas, and assume the
articles are a fair sample of the outlet's coverage (near-duplicates are not:
drop them with ``exclude``).

Examples
--------
>>> from analytics.corpus import load_corpus
>>> from analytics.pipeline import score_corpus
>>> scored = score_corpus(load_corpus("seeds").articles, engine="serial")
>>> iv = outlet_intervals(scored.scores, metrics=["sentiment_mean"])
>>> list(iv.columns)  # doctest: +NORMALIZE_WHITESPACE
['outlet', 'n_articles', 'single_article', 'few_articles', 'sentiment_mean_mean',
 'sentiment_mean_low', 'sentiment_mean_high', 'sentiment_mean_n']
>>> bool(iv["single_article"].all())  # five outlets, one article each
True
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from analytics import schema
from analytics.compare import outlet_names

#: Outlets with at most this many articles get ``few_articles=True``.
FEW_ARTICLES = 4

#: Suffixes of the per-metric columns of :func:`outlet_intervals`, in order.
INTERVAL_SUFFIXES: tuple[str, ...] = ("_mean", "_low", "_high", "_n")

#: Bootstrap matrices are drawn in chunks of at most this many cells
#: (replicates x articles), which bounds memory for very large outlets.
_MAX_CELLS = 2_000_000

_ACTOR_RE = re.compile(r"^actor_.+_sentiment_mean$")


# --- metrics ---------------------------------------------------------------------


def _is_measure(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)


def interval_metrics(scores: pd.DataFrame) -> list[str]:
    """The per-article measures of a scores table, in display order.

    ``text_words``, every numeric ``sentiment_*`` column, the readability
    indices, every ``*_per_1k`` rate (hedges, boosters, framing, and their
    authorial / quoted variants) and ``actor_*_sentiment_mean`` where present.
    Identifiers, flags (``text_non_english``, ``readability_flag``) and
    metadata columns are left out.
    """
    cols = [str(c) for c in scores.columns]

    def numeric(names: Iterable[str]) -> list[str]:
        return [c for c in names if c in cols and _is_measure(scores[c])]

    sentiment = [c for c in schema.SENTIMENT_COLUMNS if c in cols]
    sentiment += [c for c in cols if c.startswith("sentiment_") and c not in sentiment]
    out = numeric(["text_words"])
    out += numeric(sentiment)
    out += numeric(schema.READABILITY_INDICES)
    out += numeric(c for c in cols if c.endswith("_per_1k"))
    out += numeric(c for c in cols if _ACTOR_RE.match(c))
    return out


# --- checks --------------------------------------------------------------------------


def _check_options(n_boot: int, level: float) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise ValueError(f"n_boot must be a positive integer, got {n_boot!r}")
    if not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level!r}")


def _check_metrics(scores: pd.DataFrame, metrics: Sequence[str]) -> None:
    missing = [m for m in metrics if m not in scores.columns]
    if missing:
        have = interval_metrics(scores)
        raise ValueError(f"scores lack metric column(s) {', '.join(missing)}; "
                         f"available: {', '.join(have) if have else '(none)'}")
    bad = [m for m in metrics if pd.api.types.is_bool_dtype(scores[m].dtype)
           or not (pd.api.types.is_numeric_dtype(scores[m].dtype)
                   or pd.api.types.is_object_dtype(scores[m].dtype))]
    if bad:
        raise ValueError(f"metric column(s) {', '.join(bad)} are not numeric measures")


def _groups(scores: pd.DataFrame, by: str) -> pd.Series:
    """Group names as strings; null outlets (or null ``by`` values) get a name."""
    if by == schema.OUTLET:
        return outlet_names(scores).astype(str)
    if by not in scores.columns:
        raise ValueError(f"scores have no column {by!r} to group by")
    col = scores[by].astype(object)
    return col.where(col.notna(), f"(unknown {by})").astype(str)


def _drop_excluded(scores: pd.DataFrame, exclude: Collection[str] | None) -> pd.DataFrame:
    if not exclude:
        return scores
    if schema.ARTICLE_ID not in scores.columns:
        raise ValueError("exclude needs an article_id column in the scores")
    drop = {str(a) for a in exclude}
    keep = ~scores[schema.ARTICLE_ID].astype(str).isin(drop)
    return scores[keep.to_numpy()]


def _values(scores: pd.DataFrame, metrics: Sequence[str]) -> np.ndarray:
    """Articles x metrics float matrix (nulls as NaN)."""
    if not metrics:
        return np.empty((len(scores), 0))
    return np.column_stack([
        pd.to_numeric(scores[m].astype(object), errors="coerce").astype(float).to_numpy()
        for m in metrics
    ])


# --- the bootstrap ------------------------------------------------------------------


def _rng(seed: int, group: str) -> np.random.Generator:
    """A generator for one group: the same ``seed`` and name give the same draws."""
    digest = hashlib.blake2b(group.encode("utf-8"), digest_size=8).digest()
    return np.random.default_rng(np.random.SeedSequence([int(seed), int.from_bytes(digest)]))


def _one_blas_thread() -> contextlib.AbstractContextManager[Any]:
    """Run BLAS on one thread: the products here are thin (replicates x a few
    articles), and on them a thread pool costs more than it saves (about 3x
    slower on two cores)."""
    try:
        from threadpoolctl import threadpool_limits  # installed with scikit-learn
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _boot_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap replicates of the column means of ``values`` (n articles x k metrics).

    Each replicate draws n article indices with replacement (an index matrix,
    turned into per-article counts), and takes, per metric, the mean over the
    drawn articles that have a value.  A replicate that drew no article with a
    value for a metric is NaN for that metric.  Returns ``n_boot x k``.
    """
    n, k = values.shape
    has = ~np.isnan(values)
    # Sums and counts of values in one product: [values with 0 for null | has a value].
    both = np.concatenate([np.where(has, values, 0.0), has.astype(float)], axis=1)
    out = np.empty((n_boot, k))
    chunk = max(1, min(n_boot, _MAX_CELLS // max(n, 1)))
    for start in range(0, n_boot, chunk):
        b = min(chunk, n_boot - start)
        idx = rng.integers(0, n, size=(b, n))
        flat = (idx + (np.arange(b) * n)[:, None]).ravel()
        counts = np.bincount(flat, minlength=b * n).reshape(b, n).astype(float)
        sums = counts @ both
        total, seen = sums[:, :k], sums[:, k:]
        out[start:start + b] = np.where(seen > 0, total / np.where(seen > 0, seen, 1.0), np.nan)
    return out


def _quantiles(reps: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile interval of ``reps`` (replicates x metrics), NaNs skipped.

    Linear interpolation between order statistics, as ``np.nanquantile``'s
    default method; vectorised over columns (NaNs sort last).
    """
    alpha = (1.0 - float(level)) / 2.0
    s = np.sort(reps, axis=0)
    valid = (~np.isnan(s)).sum(axis=0)
    out = []
    for q in (alpha, 1.0 - alpha):
        pos = q * np.maximum(valid - 1, 0)
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        frac = pos - below
        lo_v = np.take_along_axis(s, below[None, :], axis=0)[0] if len(s) else np.zeros(0)
        hi_v = np.take_along_axis(s, above[None, :], axis=0)[0] if len(s) else np.zeros(0)
        val = lo_v + frac * (hi_v - lo_v)
        out.append(np.where(valid > 0, val, np.nan))
    return out[0], out[1]


def _per_group(groups: np.ndarray, values: np.ndarray, n_boot: int, level: float,
               seed: int) -> tuple[np.ndarray, ...]:
    """Means, interval bounds and counts per group (sorted by name) and metric."""
    order = np.argsort(groups, kind="stable")
    names, starts, counts = np.unique(groups[order], return_index=True, return_counts=True)
    k = values.shape[1]
    means = np.full((len(names), k), np.nan)
    lows = np.full((len(names), k), np.nan)
    highs = np.full((len(names), k), np.nan)
    ns = np.zeros((len(names), k), dtype=np.int64)
    for g, (name, start, count) in enumerate(zip(names, starts, counts, strict=True)):
        vals = values[order[start:start + count]]
        has = ~np.isnan(vals)
        ns[g] = has.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            means[g] = np.where(ns[g] > 0, np.where(has, vals, 0.0).sum(axis=0)
                                / np.maximum(ns[g], 1), np.nan)
        boot = ns[g] >= 2
        if boot.any():
            reps = _boot_means(vals[:, boot], n_boot, _rng(seed, str(name)))
            lows[g, boot], highs[g, boot] = _quantiles(reps, level)
    return means, lows, highs, ns, names, counts


def outlet_intervals(
    scores: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    by: str = schema.OUTLET,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    exclude: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per outlet: each metric's mean with a percentile-bootstrap interval.

    Parameters
    ----------
    scores : per-article scores (one row each; e.g. ``score_corpus(...).scores``
        or :func:`analytics.compare.voice_scores` for a voice).
    metrics : metric columns (default :func:`interval_metrics`).
    by : column naming the groups (default ``"outlet"``; null outlets are
        named :data:`analytics.compare.UNKNOWN_OUTLET`).
    n_boot : bootstrap replicates per outlet.
    level : coverage of the interval (0.95: the 2.5th and 97.5th percentiles
        of the replicate means).
    seed : seeds the resampling; the same seed gives the same numbers.
    exclude : ``article_id`` values to drop before aggregating (e.g. the
        near-duplicates of other articles, which would otherwise count twice).

    Returns
    -------
    Columns ``<by>, n_articles, single_article, few_articles``, then for each
    metric ``<metric>_mean`` (mean over the outlet's articles with a value,
    each article weighing the same), ``<metric>_low`` / ``<metric>_high``
    (the interval) and ``<metric>_n`` (articles with a value).  Rows are
    sorted by ``n_articles`` (most first), then name.

    ``single_article`` is True for an outlet with one article: its value is the
    mean, low and high are null.  ``few_articles`` is True for 2-4 articles:
    the interval is given but is likely too narrow (the percentile bootstrap
    undercovers at small n).  A metric with a value in fewer than two of an
    outlet's articles also has a null interval.

    The interval resamples the outlet's articles with replacement ``n_boot``
    times (vectorised: an index matrix per outlet, all metrics at once) and
    takes percentiles of the replicate means; a replicate that drew no article
    with a value for a metric is left out for that metric.  The attributes
    ``attrs["level"]``, ``attrs["n_boot"]``, ``attrs["seed"]`` and
    ``attrs["by"]`` record how the table was made.
    """
    _check_options(n_boot, level)
    scores = _drop_excluded(scores, exclude)
    metrics = list(interval_metrics(scores) if metrics is None else metrics)
    _check_metrics(scores, metrics)
    groups = _groups(scores, by).to_numpy()
    values = _values(scores, metrics)

    with _one_blas_thread():
        means, lows, highs, ns, names, counts = _per_group(groups, values, n_boot, level, seed)
    n_articles = counts.astype(np.int64)
    data: dict[str, Any] = {
        by: names.astype(object),
        "n_articles": n_articles,
        "single_article": n_articles == 1,
        "few_articles": (n_articles >= 2) & (n_articles <= FEW_ARTICLES),
    }
    for j, m in enumerate(metrics):
        data[f"{m}_mean"] = means[:, j]
        data[f"{m}_low"] = lows[:, j]
        data[f"{m}_high"] = highs[:, j]
        data[f"{m}_n"] = ns[:, j]
    out = pd.DataFrame(data)
    if len(out):
        out = out.sort_values(["n_articles", by], ascending=[False, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out[by] = out[by].astype(str)
    out.attrs.update({"level": float(level), "n_boot": int(n_boot), "seed": int(seed),
                      "by": by, "method": "percentile bootstrap"})
    return out


# --- two outlets -----------------------------------------------------------------------


def difference(
    scores: pd.DataFrame,
    a: str,
    b: str,
    metric: str,
    *,
    n_boot: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    by: str = schema.OUTLET,
    exclude: Collection[str] | None = None,
) -> dict[str, Any]:
    """Outlet ``a``'s mean minus outlet ``b``'s on ``metric``, with a bootstrap interval.

    Each outlet's articles are resampled independently (with the same
    per-outlet draws as :func:`outlet_intervals` for the same ``seed``), and
    the interval is the percentile interval of the replicate differences.

    Returns
    -------
    ``dict(mean_a, mean_b, diff, low, high, n_a, n_b, supported, reason)``:
    ``n_a`` / ``n_b`` count the articles with a value; ``supported`` is False
    when either side has fewer than two (``low`` / ``high`` are then None and
    ``reason`` says why); otherwise ``reason`` says in plain words whether the
    interval excludes zero.  Means are None where a side has no value.

    Raises ValueError for an unknown metric column, ``n_boot`` or ``level``.
    """
    _check_options(n_boot, level)
    scores = _drop_excluded(scores, exclude)
    _check_metrics(scores, [metric])
    groups = _groups(scores, by)
    values = _values(scores, [metric])[:, 0]
    side = {name: values[(groups == str(name)).to_numpy()] for name in (a, b)}
    total = {name: len(v) for name, v in side.items()}
    va, vb = side[a], side[b]
    n_a, n_b = int((~np.isnan(va)).sum()), int((~np.isnan(vb)).sum())
    mean_a = float(np.nanmean(va)) if n_a else None
    mean_b = float(np.nanmean(vb)) if n_b else None
    diff = mean_a - mean_b if mean_a is not None and mean_b is not None else None
    result: dict[str, Any] = {"mean_a": mean_a, "mean_b": mean_b, "diff": diff, "low": None,
                              "high": None, "n_a": n_a, "n_b": n_b, "supported": False,
                              "reason": ""}
    short = [(name, n) for name, n in ((a, n_a), (b, n_b)) if n < 2]
    if str(a) == str(b):
        result["reason"] = f"{a} is compared with itself: there is no difference to estimate."
        return result
    if short:
        result["reason"] = " ".join(_short_reason(name, n, total[name])
                                    for name, n in short) + (
            " A difference needs at least two articles on each side.")
        return result
    with _one_blas_thread():
        rep_a = _boot_means(va[:, None], n_boot, _rng(seed, str(a)))[:, 0]
        rep_b = _boot_means(vb[:, None], n_boot, _rng(seed, str(b)))[:, 0]
    lo, hi = _quantiles((rep_a - rep_b)[:, None], level)
    low, high = float(lo[0]), float(hi[0])
    result.update(low=low, high=high, supported=True)
    pct = f"{round(100 * float(level), 1):g}%"
    if low > 0 or high < 0:
        more = a if low > 0 else b
        less = b if low > 0 else a
        reason = (f"The {pct} interval of the difference ({_num(low)} to {_num(high)}) "
                  f"excludes zero: {more} scores higher than {less} on this metric.")
    else:
        reason = (f"The {pct} interval of the difference ({_num(low)} to {_num(high)}) "
                  "includes zero: the data cannot tell these outlets apart on this metric.")
    few = [f"{name} has only {n} articles" for name, n in ((a, n_a), (b, n_b))
           if n <= FEW_ARTICLES]
    if few:
        reason += f" {_join(few)} with a value: the interval is likely too narrow."
    result["reason"] = reason
    return result


def _short_reason(name: str, n: int, n_articles: int) -> str:
    if n_articles == 0:
        return f"{name} has no articles in these scores."
    if n == 0:
        return f"{name} has no value for this metric."
    if n_articles > 1:
        return f"{name} has a value for this metric in a single article: no interval."
    return f"{name} stands on a single article: no interval."


# --- plain-language notes ---------------------------------------------------------------


def _num(value: float) -> str:
    v = float(value)
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}" if abs(v) < 1 else f"{v:.2f}"


def _join(names: Sequence[str], limit: int = 5) -> str:
    names = [str(n) for n in names]
    if len(names) > limit:
        return f"{', '.join(names[:limit])} and {len(names) - limit} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _metrics_of(columns: Iterable[str]) -> list[str]:
    cols = {str(c) for c in columns}
    return [c[: -len("_low")] for c in map(str, columns)
            if c.endswith("_low") and all(c[: -len("_low")] + s in cols
                                          for s in INTERVAL_SUFFIXES)]


def _pick_metric(columns: Iterable[str], metric: str | None, *, required: bool) -> str | None:
    found = _metrics_of(columns)
    if metric is not None:
        if metric not in found:
            raise ValueError(f"no interval columns for {metric!r}; "
                             f"the table has {', '.join(found) if found else '(none)'}")
        return metric
    if len(found) == 1:
        return found[0]
    if required and found:
        raise ValueError("the table has intervals for several metrics; pass metric= one of "
                         + ", ".join(found))
    return None


def _row_note(row: pd.Series, name_col: str, metric: str | None, level: float) -> str:
    name = str(row[name_col])
    n_art = int(row["n_articles"])
    if n_art == 1:
        return f"{name} stands on a single article: no interval."
    pct = f"{round(100 * level, 1):g}%"
    if metric is None:
        if n_art <= FEW_ARTICLES:
            return (f"{name} has only {n_art} articles: its intervals are rough and "
                    "likely too narrow.")
        return f"{name}: {n_art:,} articles."
    n = int(row[f"{metric}_n"])
    if n == 0:
        return f"{name} has no value for this metric."
    if n == 1:
        return f"{name} has a value for this metric in a single article: no interval."
    mean, low, high = (float(row[f"{metric}{s}"]) for s in ("_mean", "_low", "_high"))
    if n <= FEW_ARTICLES:
        return (f"{name} has only {n} articles: the {pct} interval ({_num(low)} to "
                f"{_num(high)}) is rough and likely too narrow.")
    return (f"{name}: mean {_num(mean)}, {pct} interval {_num(low)} to {_num(high)} "
            f"({n:,} articles).")


def comparison_note(intervals: pd.DataFrame | pd.Series, *, metric: str | None = None) -> str:
    """A plain-language sentence about outlets' intervals, for a dashboard caption.

    Parameters
    ----------
    intervals : the table of :func:`outlet_intervals` (or some of its rows),
        or one of its rows.
    metric : which metric to talk about; default the only metric in the
        input.  A table with several metrics needs it; a row without it gets a
        note on its article count only.

    Returns
    -------
    Plain text (not HTML-escaped: escape it where markup is rendered), e.g.
    "X stands on a single article: no interval." or "Intervals overlap: the
    data cannot tell these outlets apart on this metric."  Overlap is judged
    between outlets that have an interval; overlapping intervals are a
    conservative check (two outlets can differ even when their intervals
    touch): :func:`difference` tests a pair directly.
    """
    level = float(intervals.attrs.get("level", 0.95))
    if isinstance(intervals, pd.Series):
        name_col = str(intervals.index[0])
        m = _pick_metric(intervals.index, metric, required=False)
        return _row_note(intervals, name_col, m, level)
    if intervals.empty:
        return "No outlets in this selection."
    name_col = str(intervals.attrs.get("by", intervals.columns[0]))
    if name_col not in intervals.columns:
        name_col = str(intervals.columns[0])
    m = _pick_metric(intervals.columns, metric, required=True)
    if len(intervals) == 1:
        return _row_note(intervals.iloc[0], name_col, m, level)
    names = intervals[name_col].astype(str)
    n_art = intervals["n_articles"].astype(int)
    notes: list[str] = []
    single = names[n_art == 1].tolist()
    if single:
        if len(single) == len(intervals):
            return (f"Every outlet here stands on a single article ({len(single)} outlets): "
                    "no intervals, and differences may be one article's, not the outlet's.")
        verb = "stands on a single article" if len(single) == 1 else (
            "stand on a single article each")
        notes.append(f"{_join(single)} {verb}: no interval.")
    if m is None:
        few = names[(n_art >= 2) & (n_art <= FEW_ARTICLES)].tolist()
        if few:
            notes.append(f"{_join(few)} {'has' if len(few) == 1 else 'have'} only 2-4 "
                         "articles: intervals are rough and likely too narrow.")
        return " ".join(notes) if notes else "Every outlet has five articles or more."
    n_m = intervals[f"{m}_n"].astype(int)
    rest = n_art > 1
    none = names[rest & (n_m == 0)].tolist()
    if none:
        notes.append(f"{_join(none)} {'has' if len(none) == 1 else 'have'} no value "
                     "for this metric.")
    one = names[rest & (n_m == 1)].tolist()
    if one:
        notes.append(f"{_join(one)} {'has' if len(one) == 1 else 'have'} a value for this "
                     "metric in a single article: no interval.")
    low = pd.to_numeric(intervals[f"{m}_low"], errors="coerce").astype(float)
    high = pd.to_numeric(intervals[f"{m}_high"], errors="coerce").astype(float)
    has = (low.notna() & high.notna() & (n_m >= 2)).to_numpy()
    few = names[has & (n_m <= FEW_ARTICLES).to_numpy()].tolist()
    if few:
        notes.append(f"{_join(few)} {'has' if len(few) == 1 else 'have'} only 2-4 articles "
                     "with a value: intervals are rough and likely too narrow.")
    nm, lo, hi = names[has].tolist(), low[has].to_numpy(), high[has].to_numpy()
    if len(nm) == 1:
        notes.append(f"Only {nm[0]} has an interval: nothing to compare it with.")
    elif len(nm) >= 2:
        sure = (n_m[has] > FEW_ARTICLES).to_numpy()
        apart: list[tuple[bool, float, str, str]] = []
        for i in range(len(nm)):
            for j in range(i + 1, len(nm)):
                gap = max(lo[i] - hi[j], lo[j] - hi[i])
                if gap > 0:
                    first, second = (i, j) if lo[i] > hi[j] else (j, i)
                    apart.append((bool(sure[i] and sure[j]), gap, nm[first], nm[second]))
        pairs = len(nm) * (len(nm) - 1) // 2
        if not apart:
            notes.append("Intervals overlap: the data cannot tell these outlets apart on "
                         "this metric.")
        else:
            # Pairs of outlets with five articles or more first, widest gaps first.
            apart.sort(key=lambda t: (not t[0], -t[1]))
            shown = "; ".join(f"{up} above {down}" for _, _, up, down in apart[:3])
            if len(apart) == pairs:
                head = "No two intervals overlap" if pairs > 1 else "The intervals do not overlap"
                notes.append(f"{head} ({shown}{'; ...' if len(apart) > 3 else ''}): "
                             "the outlets differ by more than resampling their articles "
                             "explains.")
            else:
                eg = "e.g. " if len(apart) > 3 else ""
                notes.append(f"{len(apart):,} of {pairs:,} pairs of intervals do not overlap "
                             f"({eg}{shown}); the other pairs overlap: the data cannot tell "
                             "those outlets apart on this metric.")
    return " ".join(notes)


__all__ = [
    "FEW_ARTICLES",
    "INTERVAL_SUFFIXES",
    "comparison_note",
    "difference",
    "interval_metrics",
    "outlet_intervals",
]
