"""Distinctive vocabulary: which words and phrases set one outlet apart.

Each group (by default each outlet) is compared with all the other groups
together by the log-odds ratio with an informative Dirichlet prior of Monroe,
Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", *Political
Analysis* 16(4): 372-403.

For a term ``w``, a group ``i`` and the rest of the corpus ``j``, with counts
``y_w^i``, ``y_w^j`` and totals ``n^i``, ``n^j`` (all terms), and prior
pseudo-counts ``alpha_w`` summing to ``alpha_0``::

    delta_w = log((y_w^i + alpha_w) / (n^i + alpha_0 - y_w^i - alpha_w))
            - log((y_w^j + alpha_w) / (n^j + alpha_0 - y_w^j - alpha_w))
    var_w   = 1 / (y_w^i + alpha_w) + 1 / (y_w^j + alpha_w)
    z_w     = delta_w / sqrt(var_w)

``log_odds`` is ``delta_w`` and ``z`` is ``z_w``: positive when the group uses
the term more than the rest of the corpus does.  Terms are ranked by ``z``,
which, unlike the raw log-odds, does not favour rare words.

The prior is informative: ``alpha_w = prior_scale * f_w`` where ``f_w`` is the
relative frequency of ``w`` in the whole corpus (all groups, the counted
vocabulary only), so ``alpha_0 = prior_scale``.  The default
(``prior_scale=None``) is the corpus's own token total, which makes
``alpha_w`` simply the count of ``w`` in the whole corpus: the prior adds as
much evidence as the corpus holds (the corpus serves as its own background
corpus when no separate one is at hand).  A smaller ``prior_scale`` shrinks
less (rare terms rise); a larger one shrinks more.

Counting (scikit-learn's :class:`~sklearn.feature_extraction.text.CountVectorizer`
with the analyzer :func:`analyze`, sparse, so it scales to tens of thousands
of articles):

* words are runs of letters and digits with inner hyphens or apostrophes
  (``de-escalation``, ``russia's``) as in :mod:`analytics.text`, plus dotted
  acronyms kept whole (``u.s.``, ``u.k.``); lower-cased, curly apostrophes
  straightened;
* tokens without a letter (``2022``, ``12``) and one-character tokens are
  not terms, and no n-gram runs through them;
* n-grams join only words separated by spaces: never across punctuation or a
  line break (``"Brussels. The"`` is not a bigram);
* stop words (scikit-learn's English list for ``stop_words="english"``, plus
  English contractions of stop words such as ``it's``, ``don't``) are not
  unigram terms, and an n-gram made only of stop words is dropped; an
  n-gram with one content word (``"the kremlin"``) is kept;
* ``min_count`` is the least number of times a term must occur in the whole
  corpus.

Examples
--------
>>> import pandas as pd
>>> arts = pd.DataFrame({
...     "article_id": ["1", "2", "3", "4"],
...     "outlet": ["A", "A", "B", "B"],
...     "text": ["Russian tanks crossed the border. Tanks fired.",
...              "Tanks rolled on. Officials met.",
...              "Diplomats held talks. Officials met.",
...              "Talks resumed; diplomats held talks."],
... })
>>> distinctive_terms(arts, top=2, min_count=1)[["outlet", "term", "n_group", "n_rest", "rank"]]
  outlet       term  n_group  n_rest  rank
0      A      tanks        3       0     1
1      A     border        1       0     2
2      B      talks        3       0     1
3      B  diplomats        2       0     2
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from analytics import schema
from analytics.compare import outlet_names

__all__ = [
    "CONTEXT_COLUMNS",
    "TERM_COLUMNS",
    "analyze",
    "distinctive_terms",
    "log_odds_dirichlet",
    "stop_word_set",
    "term_contexts",
    "tokenize",
]

#: Columns of :func:`distinctive_terms` after the group column (``by``).
TERM_COLUMNS: tuple[str, ...] = (
    "term", "n_group", "n_rest", "log_odds", "z", "rank", "articles_group",
)

#: Columns of :func:`term_contexts` after the group column (``by``).
CONTEXT_COLUMNS: tuple[str, ...] = (
    schema.TITLE, schema.SOURCE_REF, schema.ARTICLE_ID, "term", "left", "match", "right",
    "start", "end",
)

StopWords = Literal["english"] | Iterable[str] | None

# A dotted acronym ("U.S.", "U.K.", "e.g.") or a word with inner hyphens or
# apostrophes (the word pattern of analytics.text).
_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’‘]\w+)*")
# A run of tokens separated by spaces only (no punctuation, no line break).
_RUN_RE = re.compile(
    r"(?:(?:[^\W\d_]\.){2,}|\w+(?:[-'’‘]\w+)*)"
    r"(?:[ \t\xa0]*(?:(?:[^\W\d_]\.){2,}|\w+(?:[-'’‘]\w+)*))*"
)
_WS_RE = re.compile(r"\s+")

#: English contractions treated as stop words with ``stop_words="english"``
#: (besides any token whose part before the apostrophe is a stop word:
#: "it's", "we're", "they'll").
_CONTRACTIONS = frozenset(
    """don't doesn't didn't isn't aren't wasn't weren't won't wouldn't couldn't
    shouldn't haven't hasn't hadn't can't cannot mustn't needn't let's ain't
    shan't mightn't""".split()
)


# --- tokens and n-grams -------------------------------------------------------


def _prepare(text: str) -> str:
    """Lower-case ``text`` and straighten apostrophes, keeping every offset."""
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if "’" in low or "‘" in low:
        low = low.replace("’", "'").replace("‘", "'")
    return low


def tokenize(text: str) -> list[tuple[int, int, str, bool]]:
    """Tokens of ``text`` as ``(start, end, norm, joined)``.

    ``text[start:end]`` is the token as written; ``norm`` is its lower-cased
    form with straight apostrophes; ``joined`` tells whether only spaces
    separate it from the previous token (so an n-gram may span the two).

    >>> [(t[2], t[3]) for t in tokenize("The U.S. envoy. NATO’s talks")]
    [('the', False), ('u.s.', True), ('envoy', True), ("nato's", False), ('talks', True)]
    """
    prep = _prepare(text)
    out: list[tuple[int, int, str, bool]] = []
    prev_end = -1
    for m in _TOKEN_RE.finditer(prep):
        s, e = m.span()
        joined = prev_end >= 0 and not prep[prev_end:s].strip(" \t\xa0")
        out.append((s, e, m.group(), joined))
        prev_end = e
    return out


def stop_word_set(stop_words: StopWords) -> tuple[frozenset[str], bool]:
    """The stop words as normalised strings, and whether contractions count too."""
    if stop_words is None:
        return frozenset(), False
    if isinstance(stop_words, str):
        if stop_words != "english":
            raise ValueError(
                f"unknown stop_words {stop_words!r}; use 'english', None or a list of words"
            )
        return frozenset(ENGLISH_STOP_WORDS) | _CONTRACTIONS, True
    return frozenset(_prepare(str(w)).strip() for w in stop_words), False


def _is_stop(norm: str, stops: frozenset[str], contractions: bool) -> bool:
    if norm in stops:
        return True
    if contractions and "'" in norm:
        return norm.split("'", 1)[0] in stops
    return False


class _Kinds(dict[str, int]):
    """Token -> 0 (not a term: no letter, or one character), 1 (stop word), 2 (content)."""

    def __init__(self, stops: frozenset[str], contractions: bool) -> None:
        super().__init__()
        self.stops = stops
        self.contractions = contractions

    def __missing__(self, token: str) -> int:
        if len(token) < 2 or not any(c.isalpha() for c in token):
            kind = 0
        elif _is_stop(token, self.stops, self.contractions):
            kind = 1
        else:
            kind = 2
        self[token] = kind
        return kind


def analyze(
    ngram_range: tuple[int, int] = (1, 2), stop_words: StopWords = "english"
) -> Callable[[str], list[str]]:
    """The analyzer used for counting: text -> its terms.

    The same terms as n-grams over :func:`tokenize` (words joined by spaces
    only, no n-gram through a number or a one-character token, stop-word
    rules as in the module docstring), listed n-gram length by length within
    each run of space-separated words.

    >>> analyze()("Talks in Brussels ended. The 2022 talks ended")
    ['talks', 'brussels', 'ended', 'talks in', 'in brussels', 'brussels ended', 'talks', \
'ended', 'talks ended']
    """
    min_n, max_n = _check_ngram_range(ngram_range)
    stops, contractions = stop_word_set(stop_words)
    kinds = _Kinds(stops, contractions)
    kind_of = kinds.__getitem__
    find_runs = _RUN_RE.findall
    find_tokens = _TOKEN_RE.findall

    def _analyze(text: str) -> list[str]:
        if not isinstance(text, str):
            return []
        out: list[str] = []
        for run in find_runs(_prepare(text)):
            toks = find_tokens(run)
            ks = list(map(kind_of, toks))
            if min_n == 1:
                out.extend([t for t, k in zip(toks, ks, strict=True) if k == 2])
            if max_n >= 2 and min_n <= 2 and len(toks) > 1:
                # Both usable and not both stop words: kinds sum to 3 or 4.
                out.extend([f"{a} {b}" for a, b, ka, kb in
                            zip(toks[:-1], toks[1:], ks[:-1], ks[1:], strict=True)
                            if ka + kb > 2])
            for n in range(max(3, min_n), max_n + 1):
                for i in range(len(toks) - n + 1):
                    w = ks[i : i + n]
                    if min(w) > 0 and max(w) == 2:
                        out.append(" ".join(toks[i : i + n]))
        return out

    return _analyze


def _check_ngram_range(ngram_range: tuple[int, int]) -> tuple[int, int]:
    try:
        min_n, max_n = (int(v) for v in ngram_range)
    except (TypeError, ValueError):
        raise ValueError(f"ngram_range must be two integers, got {ngram_range!r}") from None
    if not 1 <= min_n <= max_n:
        raise ValueError(f"ngram_range must satisfy 1 <= min <= max, got {ngram_range!r}")
    return min_n, max_n


# --- the statistic --------------------------------------------------------------


def log_odds_dirichlet(
    y_i: np.ndarray,
    y_j: np.ndarray,
    n_i: float,
    n_j: float,
    alpha: np.ndarray,
    alpha_0: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds ratio ``delta`` and its z-score for each term (arrays aligned).

    ``y_i`` / ``y_j``: counts of each term in the group / the rest;
    ``n_i`` / ``n_j``: the token totals of the group / the rest;
    ``alpha``: the prior pseudo-count of each term; ``alpha_0``: their sum.
    """
    y_i = np.asarray(y_i, dtype=np.float64)
    y_j = np.asarray(y_j, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    a_i = y_i + alpha
    a_j = y_j + alpha
    delta = np.log(a_i) - np.log(n_i + alpha_0 - a_i) - np.log(a_j) + np.log(n_j + alpha_0 - a_j)
    var = 1.0 / a_i + 1.0 / a_j
    return delta, delta / np.sqrt(var)


# --- groups ---------------------------------------------------------------------


def _group_labels(articles: pd.DataFrame, by: str) -> np.ndarray:
    if by == schema.OUTLET:
        return outlet_names(articles).astype(str).to_numpy(dtype=object)
    col = articles[by].astype(object)
    return col.where(col.notna(), f"(no {by})").astype(str).to_numpy(dtype=object)


def _check_by(articles: pd.DataFrame, by: str) -> None:
    if by not in articles.columns:
        cols = ", ".join(str(c) for c in articles.columns if c != schema.TEXT)
        raise ValueError(f"unknown column by={by!r}; the articles have: {cols}")


def _texts(articles: pd.DataFrame) -> list[str]:
    if schema.TEXT not in articles.columns:
        raise ValueError("articles lack column 'text'")
    return [t if isinstance(t, str) else "" for t in articles[schema.TEXT].tolist()]


def _empty_terms(by: str) -> pd.DataFrame:
    out = pd.DataFrame({by: pd.Series(dtype=object)})
    for c in TERM_COLUMNS:
        out[c] = pd.Series(dtype=object if c == "term" else
                           np.float64 if c in ("log_odds", "z") else np.int64)
    return out


def _sorted_csr(m: sparse.spmatrix) -> sparse.csr_matrix:
    out = sparse.csr_matrix(m)
    out.sum_duplicates()
    out.sort_indices()
    return out


def _row_values(m: sparse.csr_matrix, k: int, cols: np.ndarray) -> np.ndarray:
    """``m[k, cols]`` as a dense int64 array (``m`` has sorted indices)."""
    lo, hi = m.indptr[k], m.indptr[k + 1]
    if hi == lo:
        return np.zeros(len(cols), dtype=np.int64)
    ind, data = m.indices[lo:hi], m.data[lo:hi]
    pos = np.searchsorted(ind, cols).clip(max=len(ind) - 1)
    return np.where(ind[pos] == cols, data[pos], 0).astype(np.int64)


def distinctive_terms(
    articles: pd.DataFrame,
    *,
    by: str = schema.OUTLET,
    ngram_range: tuple[int, int] = (1, 2),
    min_count: int = 2,
    top: int = 30,
    prior_scale: float | None = None,
    stop_words: StopWords = "english",
) -> pd.DataFrame:
    """The terms that most distinguish each group from all the others.

    Parameters
    ----------
    articles : the articles table (``text`` and the ``by`` column).
    by : the column that defines the groups (default ``outlet``; a null
        outlet is named ``"(unknown outlet)"``, a null value of another
        column ``"(no <column>)"``).  At least two groups are needed.
    ngram_range : the n-gram lengths counted, ``(1, 2)`` = words and bigrams.
    min_count : least number of occurrences in the whole corpus for a term.
    top : terms kept per group.
    prior_scale : ``alpha_0``, the total pseudo-count of the informative
        Dirichlet prior, spread over terms by their corpus frequency.
        ``None`` (default): the corpus's token total, i.e. each term's prior
        pseudo-count is its count in the whole corpus.
    stop_words : ``"english"`` (scikit-learn's list plus contractions),
        ``None`` or your own list of words.

    Returns
    -------
    One row per (group, term): the ``by`` column, then :data:`TERM_COLUMNS`:
    ``n_group`` / ``n_rest`` (occurrences in the group / in all other
    groups), ``log_odds`` (``delta``), ``z``, ``rank`` (1 = most distinctive)
    and ``articles_group`` (how many of the group's articles use the term,
    to tell a group-wide habit from one article's repetition).  For each
    group, its ``top`` terms by ``z``, highest first (ties by term); groups
    in sorted order.  ``z`` is positive when the group uses the term more
    often than the rest; a group with fewer than ``top`` such terms also
    lists terms with ``z <= 0``.
    """
    _check_by(articles, by)
    if min_count < 1:
        raise ValueError(f"min_count must be 1 or more, got {min_count}")
    if top < 1:
        raise ValueError(f"top must be 1 or more, got {top}")
    if prior_scale is not None and not prior_scale > 0:
        raise ValueError(f"prior_scale must be positive, got {prior_scale}")
    analyzer = analyze(ngram_range, stop_words)
    labels = _group_labels(articles, by)
    groups = sorted(set(labels.tolist()))
    if len(groups) < 2:
        raise ValueError(
            f"distinctive terms compare groups with each other: column {by!r} has "
            f"{len(groups)} group(s), at least 2 are needed"
        )
    texts = _texts(articles)
    vec = CountVectorizer(analyzer=analyzer, dtype=np.int64)
    try:
        counts = vec.fit_transform(texts).tocsc()
    except ValueError:  # empty vocabulary: no text has a term
        return _empty_terms(by)
    terms = vec.get_feature_names_out()
    del vec  # the vocabulary dict of every n-gram is no longer needed
    total = np.asarray(counts.sum(axis=0)).ravel()
    keep = np.flatnonzero(total >= min_count)
    if keep.size < 2:
        return _empty_terms(by)
    counts = counts[:, keep].tocsr()
    terms = terms[keep]
    total = total[keep]

    # groups x articles indicator -> groups x terms counts (sparse).
    code = {g: k for k, g in enumerate(groups)}
    rows = np.fromiter((code[g] for g in labels), dtype=np.int64, count=len(labels))
    indicator = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, np.arange(len(rows)))),
        shape=(len(groups), len(rows)),
    )
    group_counts = _sorted_csr(indicator @ counts)
    present = counts.copy()
    present.data = np.ones_like(present.data)
    group_docs = _sorted_csr(indicator @ present)
    del counts, present

    big_n = float(total.sum())
    alpha_0 = big_n if prior_scale is None else float(prior_scale)
    alpha = alpha_0 * total / big_n
    n_vocab = len(terms)

    frames = []
    for k, group in enumerate(groups):
        lo, hi = group_counts.indptr[k], group_counts.indptr[k + 1]
        cand = group_counts.indices[lo:hi].astype(np.int64)
        y_i = group_counts.data[lo:hi].astype(np.float64)
        n_i = float(y_i.sum())
        n_j = big_n - n_i
        delta, z = log_odds_dirichlet(y_i, total[cand] - y_i, n_i, n_j, alpha[cand], alpha_0)
        if np.count_nonzero(z > 0) < top and len(cand) < n_vocab:
            # A term the group never uses has z < 0 under this prior, so only
            # a group with fewer than `top` over-used terms needs them all.
            dense = np.zeros(n_vocab, dtype=np.float64)
            dense[cand] = y_i
            cand, y_i = np.arange(n_vocab), dense
            delta, z = log_odds_dirichlet(y_i, total - y_i, n_i, n_j, alpha, alpha_0)
        if len(cand) > top:
            cut = np.partition(z, len(z) - top)[len(z) - top]
            sel = np.flatnonzero(z >= cut)
        else:
            sel = np.arange(len(cand))
        # Highest z first; ties by term (column order is alphabetical).
        order = sel[np.lexsort((cand[sel], -z[sel]))][:top]
        idx = cand[order]
        frames.append(
            pd.DataFrame(
                {
                    by: group,
                    "term": terms[idx].astype(object),
                    "n_group": y_i[order].astype(np.int64),
                    "n_rest": (total[idx] - y_i[order]).astype(np.int64),
                    "log_odds": delta[order],
                    "z": z[order],
                    "rank": np.arange(1, len(idx) + 1, dtype=np.int64),
                    "articles_group": _row_values(group_docs, k, idx),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out[by] = out[by].astype(object)
    return out


# --- terms in context -------------------------------------------------------------


def _collapse(s: str) -> str:
    return _WS_RE.sub(" ", s)


def term_contexts(
    articles: pd.DataFrame,
    term: str,
    *,
    by: str = schema.OUTLET,
    by_value: str | None = None,
    width: int = 60,
    limit: int | None = None,
) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` with the text around it.

    ``term`` is matched as :func:`distinctive_terms` counts it: whole words,
    case-insensitive, curly and straight apostrophes alike, the words of an
    n-gram separated only by spaces.

    Parameters
    ----------
    articles : the articles table.
    term : a word or n-gram, e.g. ``"security guarantees"``.
    by, by_value : keep only articles whose ``by`` column equals ``by_value``
        (default: every article).
    width : characters of context on each side (whitespace runs collapsed).
    limit : at most this many rows (the first in the sort order).

    Returns
    -------
    The ``by`` column then :data:`CONTEXT_COLUMNS`; ``match`` is
    ``text[start:end]`` as written.  Sorted by group, ``article_id``, start.
    """
    _check_by(articles, by)
    if width < 0:
        raise ValueError(f"width must be 0 or more, got {width}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be 0 or more, got {limit}")
    want = [t[2] for t in tokenize(str(term))]
    if not want:
        raise ValueError(f"term {term!r} has no word in it")
    labels = _group_labels(articles, by)
    texts = _texts(articles)
    mask = np.ones(len(articles), dtype=bool) if by_value is None else labels == str(by_value)
    ids = articles[schema.ARTICLE_ID].astype(str).to_numpy(dtype=object) \
        if schema.ARTICLE_ID in articles.columns else np.arange(len(articles)).astype(str)
    titles = articles[schema.TITLE].tolist() if schema.TITLE in articles.columns \
        else [None] * len(articles)
    refs = articles[schema.SOURCE_REF].tolist() if schema.SOURCE_REF in articles.columns \
        else [None] * len(articles)
    first = want[0]
    n = len(want)
    span = 4 * width + 16  # raw characters read to fill `width` after collapsing
    rows = []
    for pos in np.flatnonzero(mask):
        text = texts[pos]
        if first not in _prepare(text):
            continue
        toks = tokenize(text)
        for i in range(len(toks) - n + 1):
            if toks[i][2] != first:
                continue
            if all(toks[i + k][2] == want[k] and toks[i + k][3] for k in range(1, n)):
                s, e = toks[i][0], toks[i + n - 1][1]
                left = _collapse(text[max(0, s - span) : s])
                right = _collapse(text[e : e + span])
                rows.append((labels[pos], titles[pos], refs[pos], ids[pos], " ".join(want),
                             left[len(left) - width :] if width else "", text[s:e],
                             right[:width], s, e))
    out = pd.DataFrame(rows, columns=[by, *CONTEXT_COLUMNS])
    out["start"] = out["start"].astype(np.int64)
    out["end"] = out["end"].astype(np.int64)
    out = out.sort_values([by, schema.ARTICLE_ID, "start"], kind="mergesort")
    if limit is not None:
        out = out.head(limit)
    return out.reset_index(drop=True)
