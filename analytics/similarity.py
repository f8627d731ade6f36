"""Similar articles, the passages they share, and near-duplicates.

* :func:`similar_articles`: pairs of articles whose TF-IDF vectors have a
  cosine of at least ``threshold`` (scikit-learn's
  :class:`~sklearn.feature_extraction.text.TfidfVectorizer` with sublinear
  term frequency and English stop words; rows L2-normalised, so the cosine is
  a dot product).  The upper triangle of the cosine matrix is computed in
  blocks of rows (a block of rows times the transpose of the rows from the
  block on, about ``_BLOCK_CELLS`` cells at a time), each block kept sparse
  and filtered at once, so memory stays bounded by the block size and the
  pairs kept, never by the square of the corpus size.  IDF weights come from
  the articles passed in, so a pair's cosine depends a little on the rest of
  the corpus.
* :func:`shared_passages`: the runs of words two texts share, by word
  shingling: exact matches of ``k``-word shingles (``k = min(4, min_words)``)
  along the same alignment are merged into runs, and runs separated by one
  differing word (a substitution, or one word inserted on either side) are
  merged into one passage, so a lightly edited copy stays one passage.
  Passages are then taken longest first so that each word of either text is
  in at most one passage (a one-to-one alignment: a paragraph repeated in one
  text is matched once).  A shingle found more than ``_MAX_REPEATS`` (20)
  times in either text is page furniture (a caption under every photo of a
  gallery) and is not matched.  Offsets slice both original texts exactly.
* :func:`passages_table`: the shared passages of every pair, as a table.
* :func:`near_duplicates`: which articles to leave out so that each group of
  near-copies counts once.
* :func:`outlet_similarity`: outlet x outlet mean cosine.

Words are :func:`analytics.text.word_tokens` (case-insensitive, curly and
straight apostrophes alike); punctuation and whitespace between words are
ignored when matching passages.
"""

from __future__ import annotations

import bisect
import sys
from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from analytics import schema
from analytics.compare import outlet_names
from analytics.text import word_tokens

__all__ = [
    "PAIR_COLUMNS",
    "PASSAGE_COLUMNS",
    "Passage",
    "near_duplicates",
    "outlet_similarity",
    "passages_table",
    "shared_passages",
    "similar_articles",
    "tfidf_matrix",
]

#: Columns of :func:`similar_articles`.
PAIR_COLUMNS: tuple[str, ...] = (
    "article_id_a", "source_ref_a", "outlet_a", "title_a",
    "article_id_b", "source_ref_b", "outlet_b", "title_b",
    "cosine", "shared_words", "shared_share",
)

#: Columns of :func:`passages_table`.
PASSAGE_COLUMNS: tuple[str, ...] = (
    "article_id_a", "source_ref_a", "outlet_a", "title_a",
    "article_id_b", "source_ref_b", "outlet_b", "title_b",
    "passage", "start_a", "end_a", "start_b", "end_b", "words", "text",
)

#: Cells of the cosine matrix computed at once (rows x columns of a block).
_BLOCK_CELLS = 4_000_000

#: A word shingle found more often than this in either text is not matched.
_MAX_REPEATS = 20


# --- passages ------------------------------------------------------------------


class Passage(NamedTuple):
    """A passage shared by two texts.

    ``text_a[start_a:end_a]`` and ``text_b[start_b:end_b]`` are the passage in
    each text (from its first word to its last); ``text_a`` is the former;
    ``words`` is its number of words in the first text.
    """

    start_a: int
    end_a: int
    start_b: int
    end_b: int
    text_a: str
    words: int


# A run of shingle matches: words [a0, a1) of the first text equal words
# [b0, b1) of the second.
_Run = tuple[int, int, int, int]


def _runs(norm_a: Sequence[str], norm_b: Sequence[str], k: int) -> list[_Run]:
    """Maximal runs of consecutive ``k``-shingle matches along one alignment."""
    if len(norm_a) < k or len(norm_b) < k:
        return []
    where: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j in range(len(norm_b) - k + 1):
        where[tuple(norm_b[j : j + k])].append(j)
    in_a: dict[tuple[str, ...], int] = defaultdict(int)
    shingles_a = [tuple(norm_a[i : i + k]) for i in range(len(norm_a) - k + 1)]
    for sh in shingles_a:
        in_a[sh] += 1
    by_diag: dict[int, list[int]] = defaultdict(list)
    for i, sh in enumerate(shingles_a):
        js = where.get(sh)
        # A shingle repeated many times in either text is page furniture
        # ("Photos: Crisis in Ukraine" under every picture of a gallery).
        if js and len(js) <= _MAX_REPEATS and in_a[sh] <= _MAX_REPEATS:
            for j in js:
                by_diag[j - i].append(i)
    runs: list[_Run] = []
    for d, starts in by_diag.items():  # starts are increasing
        first = prev = starts[0]
        for i in starts[1:]:
            if i != prev + 1:
                runs.append((first, prev + k, first + d, prev + k + d))
                first = i
            prev = i
        runs.append((first, prev + k, first + d, prev + k + d))
    runs.sort()
    return runs


def _chain(runs: list[_Run]) -> list[_Run]:
    """Merge runs separated by one differing word into maximal passages."""
    start_at = {(r[0], r[2]): n for n, r in enumerate(runs)}
    nxt: dict[int, int] = {}
    has_prev: set[int] = set()
    for n, (_, a1, _, b1) in enumerate(runs):
        # One word replaced, one extra word in the first text, one in the second.
        for da, db in ((1, 1), (1, 0), (0, 1)):
            m = start_at.get((a1 + da, b1 + db))
            if m is not None:
                nxt[n] = m
                has_prev.add(m)
                break
    out: list[_Run] = []
    for n, r in enumerate(runs):
        if n in has_prev:
            continue
        a0, _, b0, _ = r
        last = r
        seen = {n}
        while n in nxt and nxt[n] not in seen:
            n = nxt[n]
            seen.add(n)
            last = runs[n]
        out.append((a0, last[1], b0, last[3]))
    return sorted(set(out))


def _one_to_one(passages: list[_Run]) -> list[_Run]:
    """Longest passages first, each word of either text in at most one passage."""
    taken_a: list[tuple[int, int]] = []  # accepted (start, end) spans, sorted
    taken_b: list[tuple[int, int]] = []
    kept: list[_Run] = []
    for r in sorted(passages, key=lambda r: (-(r[1] - r[0]), r[0], r[2], r[3])):
        if _overlaps(taken_a, r[0], r[1]) or _overlaps(taken_b, r[2], r[3]):
            continue
        bisect.insort(taken_a, (r[0], r[1]))
        bisect.insort(taken_b, (r[2], r[3]))
        kept.append(r)
    return sorted(kept)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``spans``."""
    i = bisect.bisect_left(spans, (start, start))
    if i > 0 and spans[i - 1][1] > start:
        return True
    return i < len(spans) and spans[i][0] < end


class _Words(NamedTuple):
    """The words of a text, compactly: normalised forms (interned) and offsets."""

    norms: list[str]
    starts: np.ndarray
    ends: np.ndarray


def _words(text: str) -> _Words:
    toks = word_tokens(text)
    return _Words(
        [sys.intern(t.norm) for t in toks],
        np.fromiter((t.start for t in toks), dtype=np.int64, count=len(toks)),
        np.fromiter((t.end for t in toks), dtype=np.int64, count=len(toks)),
    )


def _passages(text_a: str, wa: _Words, wb: _Words, min_words: int) -> list[Passage]:
    k = max(1, min(4, min_words))
    out = []
    runs = _chain(_runs(wa.norms, wb.norms, k))
    for a0, a1, b0, b1 in _one_to_one([r for r in runs if r[1] - r[0] >= min_words]):
        s, e = int(wa.starts[a0]), int(wa.ends[a1 - 1])
        out.append(Passage(s, e, int(wb.starts[b0]), int(wb.ends[b1 - 1]), text_a[s:e],
                           a1 - a0))
    return out


def shared_passages(text_a: str, text_b: str, *, min_words: int = 8) -> list[Passage]:
    """Passages of at least ``min_words`` words that two texts share.

    Exact runs of words, and near-exact ones: a run may carry on past one
    differing word (replaced, or present in one text only) as long as the
    words on both sides of it match.  Matching ignores case, punctuation and
    whitespace.  Each word of either text is in at most one passage (longest
    passages chosen first; a passage repeated in one text is matched once).
    Sorted by position in ``text_a``.

    >>> a = "Talks ended in Brussels on Wednesday without any agreement at all."
    >>> b = "BREAKING: Talks ended in Brussels on Tuesday without any agreement at all!"
    >>> [(p.text_a, p.words) for p in shared_passages(a, b)]
    [('Talks ended in Brussels on Wednesday without any agreement at all', 11)]
    """
    if min_words < 1:
        raise ValueError(f"min_words must be 1 or more, got {min_words}")
    return _passages(text_a, _words(text_a), _words(text_b), min_words)


def _covered(passages: list[Passage], words: _Words, side: str) -> int:
    """Words of one text inside the union of the passages."""
    if not passages:
        return 0
    starts = words.starts
    inside = np.zeros(len(starts), dtype=bool)
    for p in passages:
        s, e = (p.start_a, p.end_a) if side == "a" else (p.start_b, p.end_b)
        inside[np.searchsorted(starts, s) : np.searchsorted(starts, e)] = True
    return int(inside.sum())


# --- the articles ----------------------------------------------------------------


def _require(articles: pd.DataFrame) -> None:
    missing = [c for c in (schema.ARTICLE_ID, schema.TEXT) if c not in articles.columns]
    if missing:
        raise ValueError(f"articles lack column(s) {', '.join(missing)}")


def _ordered(articles: pd.DataFrame) -> pd.DataFrame:
    """Unique articles, earliest first: by ``published`` (missing last), then input order."""
    _require(articles)
    art = articles.drop_duplicates(schema.ARTICLE_ID).reset_index(drop=True)
    if schema.PUBLISHED in art.columns:
        when = pd.to_datetime(art[schema.PUBLISHED], errors="coerce")
        key = pd.DataFrame({"missing": when.isna().to_numpy(), "when": when.to_numpy(),
                            "row": np.arange(len(art))})
        order = key.sort_values(["missing", "when", "row"], kind="mergesort").index
        art = art.iloc[order].reset_index(drop=True)
    return art


def _label_arrays(art: pd.DataFrame) -> dict[str, np.ndarray]:
    def col(name: str) -> np.ndarray:
        if name not in art.columns:
            return np.full(len(art), None, dtype=object)
        c = art[name].astype(object)
        return c.where(c.notna(), None).to_numpy(dtype=object)

    return {
        schema.ARTICLE_ID: art[schema.ARTICLE_ID].astype(str).to_numpy(dtype=object),
        schema.SOURCE_REF: col(schema.SOURCE_REF),
        schema.OUTLET: outlet_names(art).astype(str).to_numpy(dtype=object),
        schema.TITLE: col(schema.TITLE),
    }


def tfidf_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, English stop words); zero rows
    for texts without a counted word.  An all-zero matrix if no text has one."""
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", dtype=np.float64)
    clean = [t if isinstance(t, str) else "" for t in texts]
    try:
        return vec.fit_transform(clean).tocsr()
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((len(clean), 1), dtype=np.float64)


def _pairs_above(
    x: sparse.csr_matrix, threshold: float, top: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs ``i < j`` with ``x[i] . x[j] >= threshold``, by blocks of rows."""
    n = x.shape[0]
    rows_out: list[np.ndarray] = []
    cols_out: list[np.ndarray] = []
    vals_out: list[np.ndarray] = []
    kept = 0
    s = 0
    while s < n:
        block = max(1, _BLOCK_CELLS // max(1, n - s))
        e = min(n, s + block)
        prod = (x[s:e] @ x[s:].T).tocsr()  # rows s..e-1 against rows s..n-1
        hit = np.flatnonzero(prod.data >= threshold)
        if hit.size:
            r = np.searchsorted(prod.indptr, hit, side="right").astype(np.int64) - 1 + s
            c = prod.indices[hit].astype(np.int64) + s
            m = c > r
            rows_out.append(r[m])
            cols_out.append(c[m])
            vals_out.append(prod.data[hit][m])
            kept += int(m.sum())
        del prod
        if top is not None and kept > 2 * top + _BLOCK_CELLS // 8:
            rr, cc, vv = _top_pairs(np.concatenate(rows_out), np.concatenate(cols_out),
                                    np.concatenate(vals_out), top)
            rows_out, cols_out, vals_out, kept = [rr], [cc], [vv], len(rr)
        s = e
    if not rows_out:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float64)
    rr, cc, vv = np.concatenate(rows_out), np.concatenate(cols_out), np.concatenate(vals_out)
    if top is not None:
        rr, cc, vv = _top_pairs(rr, cc, vv, top)
    return rr, cc, np.clip(vv, 0.0, 1.0)


def _top_pairs(
    r: np.ndarray, c: np.ndarray, v: np.ndarray, top: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``top`` highest values (ties by row, then column)."""
    order = np.lexsort((c, r, -v))[:top]
    return r[order], c[order], v[order]


def similar_articles(
    articles: pd.DataFrame,
    *,
    threshold: float = 0.5,
    top: int | None = None,
    min_words: int = 8,
) -> pd.DataFrame:
    """Pairs of articles with a TF-IDF cosine of at least ``threshold``.

    Parameters
    ----------
    articles : the articles table (``article_id``, ``text``; ``outlet``,
        ``title``, ``source_ref``, ``published`` when present).  A repeated
        ``article_id`` is used once.
    threshold : least cosine (0..1] for a pair to be listed.
    top : keep only the ``top`` most similar pairs (default: all).
    min_words : least length of a shared passage counted in ``shared_words``.

    Returns
    -------
    :data:`PAIR_COLUMNS`, one row per pair.  Article ``a`` is the earlier
    of the two: earlier ``published`` date (missing dates last), then earlier
    in the input.  ``shared_words`` is the number of words inside the shared
    passages (:func:`shared_passages`), counted in whichever of the two
    articles has fewer of them; ``shared_share`` is ``shared_words`` over the
    word count of the shorter article (0..1; 1 = the shorter one is wholly
    contained in the other).  Sorted by cosine (highest first), then
    ``article_id_a``, ``article_id_b``.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if top is not None and top < 1:
        raise ValueError(f"top must be 1 or more (or None), got {top}")
    if min_words < 1:
        raise ValueError(f"min_words must be 1 or more, got {min_words}")
    art = _ordered(articles)
    texts = [t if isinstance(t, str) else "" for t in art[schema.TEXT].tolist()]
    rr, cc, vv = _pairs_above(tfidf_matrix(texts), threshold, top)
    labels = _label_arrays(art)
    words: dict[int, _Words] = {}

    def toks(i: int) -> _Words:
        if i not in words:
            words[i] = _words(texts[i])
        return words[i]

    shared = np.zeros(len(rr), dtype=np.int64)
    share = np.zeros(len(rr), dtype=np.float64)
    for n, (i, j) in enumerate(zip(rr.tolist(), cc.tolist(), strict=True)):
        ta, tb = toks(i), toks(j)
        ps = _passages(texts[i], ta, tb, min_words)
        covered = min(_covered(ps, ta, "a"), _covered(ps, tb, "b"))
        shorter = min(len(ta.norms), len(tb.norms))
        shared[n] = covered
        share[n] = covered / shorter if shorter else 0.0
    data: dict[str, object] = {}
    for side, idx in (("a", rr), ("b", cc)):
        for name in (schema.ARTICLE_ID, schema.SOURCE_REF, schema.OUTLET, schema.TITLE):
            data[f"{name}_{side}"] = labels[name][idx]
    data["cosine"] = vv.astype(np.float64)
    data["shared_words"] = shared
    data["shared_share"] = share
    out = pd.DataFrame(data, columns=list(PAIR_COLUMNS))
    for c in PAIR_COLUMNS[:8]:
        out[c] = out[c].astype(object)
    key = pd.DataFrame({"neg": -out["cosine"], "a": out["article_id_a"].astype(str),
                        "b": out["article_id_b"].astype(str)})
    order = key.sort_values(["neg", "a", "b"], kind="mergesort").index
    return out.loc[order].reset_index(drop=True)


def passages_table(
    articles: pd.DataFrame, pairs: pd.DataFrame, *, min_words: int = 8
) -> pd.DataFrame:
    """The shared passages of every pair in ``pairs`` (as from :func:`similar_articles`).

    Returns :data:`PASSAGE_COLUMNS`: the two articles' labels, ``passage``
    (0, 1, ... within the pair), the offsets into each article's ``text``,
    ``words`` and ``text`` (the passage as written in article ``a``).  Rows
    follow the order of ``pairs``, then the position in article ``a``.  Pairs
    whose articles are not in ``articles`` are skipped.
    """
    _require(articles)
    missing = [c for c in ("article_id_a", "article_id_b") if c not in pairs.columns]
    if missing:
        raise ValueError(f"pairs lack column(s) {', '.join(missing)}")
    art = articles.drop_duplicates(schema.ARTICLE_ID).reset_index(drop=True)
    labels = _label_arrays(art)
    pos = {aid: n for n, aid in enumerate(labels[schema.ARTICLE_ID].tolist())}
    texts = [t if isinstance(t, str) else "" for t in art[schema.TEXT].tolist()]
    tokens: dict[int, _Words] = {}
    rows: list[tuple[object, ...]] = []
    for aid_a, aid_b in zip(pairs["article_id_a"].astype(str), pairs["article_id_b"].astype(str),
                            strict=True):
        i, j = pos.get(aid_a), pos.get(aid_b)
        if i is None or j is None:
            continue
        for n in (i, j):
            if n not in tokens:
                tokens[n] = _words(texts[n])
        lab = tuple(labels[c][i] for c in (schema.ARTICLE_ID, schema.SOURCE_REF,
                                           schema.OUTLET, schema.TITLE)) + \
            tuple(labels[c][j] for c in (schema.ARTICLE_ID, schema.SOURCE_REF,
                                         schema.OUTLET, schema.TITLE))
        for k, p in enumerate(_passages(texts[i], tokens[i], tokens[j], min_words)):
            rows.append((*lab, k, p.start_a, p.end_a, p.start_b, p.end_b, p.words, p.text_a))
    out = pd.DataFrame(rows, columns=list(PASSAGE_COLUMNS))
    for c in ("passage", "start_a", "end_a", "start_b", "end_b", "words"):
        out[c] = out[c].astype(np.int64)
    return out


# --- near-duplicates -----------------------------------------------------------------


def near_duplicates(
    pairs: pd.DataFrame, *, cosine: float = 0.8, shared_share: float = 0.6
) -> set[str]:
    """Article ids to leave out so that each group of near-copies counts once.

    A pair is a near-copy when its ``cosine`` and its ``shared_share`` both
    reach the given values.  Articles are taken in time order (article ``a``
    of a pair is the earlier one, as :func:`similar_articles` orients it):
    an article is left out when it is a near-copy of an earlier article that
    is kept.  So the earliest article of every group is kept and its copies
    are left out; an article that is a near-copy only of articles already
    left out is kept (no two kept articles are near-copies of each other).
    """
    missing = [c for c in ("article_id_a", "article_id_b", "cosine", "shared_share")
               if c not in pairs.columns]
    if missing:
        raise ValueError(f"pairs lack column(s) {', '.join(missing)}")
    m = (pd.to_numeric(pairs["cosine"], errors="coerce").fillna(0.0).to_numpy() >= cosine) & (
        pd.to_numeric(pairs["shared_share"], errors="coerce").fillna(0.0).to_numpy()
        >= shared_share
    )
    edges = sorted(set(zip(pairs["article_id_a"].astype(str).to_numpy()[m],
                           pairs["article_id_b"].astype(str).to_numpy()[m], strict=True)))
    preds: dict[str, set[str]] = defaultdict(set)
    succs: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for a, b in edges:
        if a == b:
            continue
        preds[b].add(a)
        succs[a].add(b)
        nodes.update((a, b))
    # Topological order (ties by id); an inconsistent orientation (a cycle)
    # falls back to id order for what remains.
    indeg = {v: len(preds[v]) for v in nodes}
    ready = sorted(v for v in nodes if indeg[v] == 0)
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(nodes):
        if not ready:
            ready = [min(v for v in nodes if v not in done)]
        v = ready.pop(0)
        if v in done:
            continue
        done.add(v)
        order.append(v)
        for w in sorted(succs[v]):
            indeg[w] -= 1
            if indeg[w] == 0 and w not in done:
                ready.append(w)
        ready.sort()
    excluded: set[str] = set()
    kept: set[str] = set()
    for v in order:
        if any(p in kept for p in preds[v]):
            excluded.add(v)
        else:
            kept.add(v)
    return excluded


# --- outlets ------------------------------------------------------------------------


def outlet_similarity(pairs_or_articles: pd.DataFrame) -> pd.DataFrame:
    """Outlet x outlet mean cosine.

    Given the articles table (it has a ``text`` column): the mean TF-IDF
    cosine over every pair of articles from the two outlets (within an
    outlet, over its distinct pairs; null for an outlet with one article),
    computed from outlet sums of the normalised vectors, without the pairwise
    matrix.  Given a pairs table (from :func:`similar_articles`): the mean
    cosine of the listed pairs, which are only those above the threshold
    used (null where no pair is listed).

    Returns a square DataFrame, outlets sorted, index and columns named
    ``outlet``; symmetric.
    """
    if schema.TEXT in pairs_or_articles.columns:
        return _outlet_similarity_articles(pairs_or_articles)
    missing = [c for c in ("outlet_a", "outlet_b", "cosine") if c not in pairs_or_articles.columns]
    if missing:
        raise ValueError(
            "outlet_similarity takes the articles table (with 'text') or a pairs table; "
            f"this one lacks column(s) {', '.join(missing)}"
        )
    p = pairs_or_articles
    oa = p["outlet_a"].astype(object).where(p["outlet_a"].notna(), "(unknown outlet)").astype(str)
    ob = p["outlet_b"].astype(object).where(p["outlet_b"].notna(), "(unknown outlet)").astype(str)
    cos = pd.to_numeric(p["cosine"], errors="coerce").astype(float)
    both = pd.DataFrame({"x": pd.concat([oa, ob], ignore_index=True),
                         "y": pd.concat([ob, oa], ignore_index=True),
                         "cos": pd.concat([cos, cos], ignore_index=True)})
    # A same-outlet pair appears twice in `both`; the mean is unchanged.
    names = sorted(set(both["x"]))
    out = both.groupby(["x", "y"])["cos"].mean().unstack("y")
    out = out.reindex(index=names, columns=names).astype(float)
    out.index.name = schema.OUTLET
    out.columns.name = schema.OUTLET
    return out


def _outlet_similarity_articles(articles: pd.DataFrame) -> pd.DataFrame:
    art = _ordered(articles)
    x = tfidf_matrix(art[schema.TEXT].tolist())
    labels = outlet_names(art).astype(str).to_numpy(dtype=object)
    names = sorted(set(labels.tolist()))
    code = {g: k for k, g in enumerate(names)}
    rows = np.fromiter((code[g] for g in labels), dtype=np.int64, count=len(labels))
    ind = sparse.csr_matrix((np.ones(len(rows)), (rows, np.arange(len(rows)))),
                            shape=(len(names), len(rows)))
    sums = ind @ x  # outlets x vocabulary
    dots = np.asarray((sums @ sums.T).todense(), dtype=np.float64)
    n = np.bincount(rows, minlength=len(names)).astype(np.float64)
    self_dots = np.bincount(rows, weights=np.asarray(x.multiply(x).sum(axis=1)).ravel(),
                            minlength=len(names))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = dots / np.outer(n, n)
        within = (np.diag(dots) - self_dots) / (n * (n - 1))
    np.fill_diagonal(mean, np.where(n > 1, within, np.nan))
    out = pd.DataFrame(mean, index=pd.Index(names, name=schema.OUTLET),
                       columns=pd.Index(names, name=schema.OUTLET))
    return out
