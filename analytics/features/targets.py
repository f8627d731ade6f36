"""Sentiment toward a target: how a sentence speaks of one named mention in it.

Sentence-level sentiment says whether a sentence is friendly; it cannot say
*toward whom*.  In "Critics accused Smith of corruption" the sentence is
negative, but negative toward Smith, not toward the critics.  This module
scores the sentiment a sentence expresses toward one target span, as a
three-way classification (negative, neutral, positive) trained on NewsMTSC
(Hamborg & Donnay 2021, EACL; sentences from English political news, each
target labelled by five coders).

The model is a multinomial logistic regression over hand-built features of
the target's context.  The target span (and any further mentions of it, such
as pronouns) is replaced by a placeholder token, so the model reads what is
said *around* the target, never who the target is:

* word unigrams of the masked sentence;
* the words at fixed positions left and right of the target (so "accused _t_"
  and "_t_ accused" are different features), the pair of its two neighbours,
  word bags of a window on each side, and the word opening its clause;
* the nearest VADER-lexicon word on each side within the clause, with a flag
  when a negation precedes it;
* reported speech and quotation: target as the speaker of a speech verb,
  after "according to", inside or outside quotation marks;
* the words next to each further mention;
* dense valence features from the VADER lexicon (looked up word by word,
  with VADER's negation list flipping the sign): positive and negative sums
  over the sentence, left window, right window and clause, a sum weighted by
  closeness to the target, and the sentence's VADER compound.

Sparse features are tf-idf weighted and L2-normalised per target (the same
arithmetic as scikit-learn's ``TfidfTransformer``); dense features are
appended as they are.  The shipped model is plain data: an ``.npz`` of
arrays (coefficients, intercepts, idf; loaded with ``allow_pickle=False``)
and a ``.json`` with the vocabulary and training metadata.  Prediction is
reimplemented here with numpy and equals scikit-learn's ``predict_proba`` of
the trained model to 1e-9 (``scripts/train_targets.py`` checks this).

Examples
--------
>>> model = default_model()
>>> text = "Critics accused Smith of corruption."
>>> model.predict([text], [(16, 21)])
['negative']
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from pathlib import Path
from typing import Any

import numpy as np

from analytics.features.sentiment import analyzer, compound

CLASSES = ("negative", "neutral", "positive")

#: NewsMTSC's polarity codes.
POLARITY_CODES = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}

#: The shipped model: ``targets.npz`` (arrays) and ``targets.json`` (vocabulary, metadata).
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "models" / "targets"

#: Format version of the model files; bump when the featurisation changes.
FORMAT_VERSION = 1

POSITIVE = 0.05
NEGATIVE = -0.05

#: Placeholder for the target and its further mentions in the masked context.
MASK = "_t_"

WINDOW = 5  # tokens on each side for the window bags and valence sums
POSITIONS = 3  # L1..L3, R1..R3 positional features
_LEFT = tuple(f"L{d}:" for d in range(POSITIONS + 1))  # _LEFT[d]: prefix of Ld
_RIGHT = tuple(f"R{d}:" for d in range(POSITIONS + 1))

_TOKEN_RE = re.compile(r"\w+(?:[-'’‘]\w+)*|[^\w\s]")
_TOKEN_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
# The same split for ASCII text, where the regex engine's ASCII classes are
# cheaper: ASCII ``\w`` is Unicode ``\w`` on ASCII characters, and Unicode
# ``\s`` also holds the separators \x1c-\x1f, added explicitly.  Nothing
# follows the word alternative, so its greedy match is final and possessive
# quantifiers (no backtracking records) find the same tokens.
_ASCII_TOKEN_SPLIT_RE = re.compile(r"(\w++(?:[-']\w++)*+|[^\w\s\x1c-\x1f])", re.ASCII)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_QUOTE_CHARS = frozenset('"“”«»')
_CLAUSE_PUNCT = frozenset([*",;:()[]—–\"“”«»", "-", "--"])
_CLAUSE_WORDS = frozenset(
    """but while although though whereas because however yet unless since who
    which whom whose when where""".split()
)
_CLAUSE_MARKS = _CLAUSE_PUNCT | _CLAUSE_WORDS
_SPEECH_VERBS = frozenset(
    """said says say saying told tells tell claimed claims claim argued argues
    stated states added adds wrote writes tweeted tweets insisted insists
    warned warns asked asks alleged alleges accused accuses denied denies
    suggested suggests noted notes explained explains declared declares
    announced announces charged charges called calls""".split()
)
_PRONOUNS = frozenset(
    """he she it they him her them his hers its their theirs we us our i me my
    you your who whom whose himself herself themselves itself""".split()
)

#: Names of the dense features, in column order after the sparse vocabulary.
DENSE_NAMES = (
    "val_sent_pos",
    "val_sent_neg",
    "val_left_pos",
    "val_left_neg",
    "val_right_pos",
    "val_right_neg",
    "val_clause_pos",
    "val_clause_neg",
    "val_near",
    "val_lex_left",
    "val_lex_right",
    "vader_compound",
    "log_tokens",
    "rel_position",
)

FEATURE_DESCRIPTION = (
    "target-masked context (target and further mentions -> '_t_'); sparse, tf-idf + L2: "
    "word unigrams of the sentence, words at L1-L3/R1-R3, L1|R1 pair, "
    f"{WINDOW}-token left/right window bags, clause-opening word, nearest VADER-lexicon word "
    "left/right in the clause (negation-marked), reported speech / quotation / pronoun / "
    "sentence-start flags, words next to further mentions; dense: VADER-lexicon valence "
    "sums (negation-flipped, /4) over sentence, windows and clause, closeness-weighted "
    "valence, nearest lexicon valences, sentence VADER compound, log token count, "
    "relative position; multinomial logistic regression"
)


# --- featurisation -----------------------------------------------------------


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, float]:
    return dict(analyzer().lexicon)


@lru_cache(maxsize=1)
def _negations() -> frozenset[str]:
    from vaderSentiment.vaderSentiment import NEGATE

    return frozenset(NEGATE) | frozenset({"never", "without", "no", "not", "nor", "neither"})


def _norm(word: str) -> str:
    word = word.lower()
    if "’" in word or "‘" in word:
        word = word.replace("’", "'").replace("‘", "'")
    return word


class _Sentence:
    """Tokens of one sentence, shared by all its targets."""

    __slots__ = ("clause_id", "compound", "ends", "has_quote", "lexical", "n", "norms",
                 "quote_depth", "starts", "valence")

    def __init__(self, text: str, vader_compound: float | None = None) -> None:
        lex = _lexicon()
        neg = _negations()
        # One regex pass: ``split`` with a group alternates the text between
        # what lies between tokens and the tokens, so running sums of the
        # pieces' lengths are the offsets (the tokens of ``_TOKEN_RE.finditer``).
        if text.isascii() or _lower_in_place(text):
            # Lower-casing the whole sentence (and straightening its curly
            # apostrophes) changes only ASCII letters and apostrophes, one
            # character for one of the same class: the result splits into
            # the same tokens, and its tokens are the norms.
            low = text.lower()
            if "’" in low or "‘" in low:
                low = low.replace("’", "'").replace("‘", "'")
            split = _ASCII_TOKEN_SPLIT_RE.split if low.isascii() else _TOKEN_SPLIT_RE.split
            pieces = split(low)
            norms = pieces[1::2]
        else:
            pieces = _TOKEN_SPLIT_RE.split(text)
            norms = list(map(str.lower, pieces[1::2]))
            if "’" in text or "‘" in text:
                norms = list(map(_norm, norms))
        bounds = list(accumulate(map(len, pieces)))
        self.starts = bounds[0:-1:2]
        self.ends = bounds[1::2]
        self.norms = norms
        self.n = n = len(norms)
        # valence per token, sign flipped when one of the three preceding words negates
        valence = [0.0] * n
        lexical = list(compress(count(), map(lex.__contains__, norms)))
        for i in lexical:
            v = lex[norms[i]]
            valence[i] = -0.74 * v if _negated_before(norms, i, neg) else v  # VADER's N_SCALAR
        self.valence = valence
        #: indices of the lexicon words with a valence, in order
        self.lexical = [i for i in lexical if valence[i] != 0.0]
        # clause ids: a new clause after clause punctuation or a clause word
        self.clause_id = list(accumulate(map(_CLAUSE_MARKS.__contains__, norms), initial=0))[1:]
        # quotation depth of each token (0 on the quote characters themselves)
        self.has_quote = not _QUOTE_CHARS.isdisjoint(norms)
        if self.has_quote:
            depth = 0
            quote_depth = [0] * n
            for i, w in enumerate(norms):
                if w in _QUOTE_CHARS:
                    if w == "“" or w == "«":
                        depth = 1
                    elif w == "”" or w == "»":
                        depth = 0
                    else:
                        depth = 1 - depth
                    quote_depth[i] = 0
                else:
                    quote_depth[i] = depth
            self.quote_depth = quote_depth
        else:
            self.quote_depth = [0] * n
        # VADER's compound (identical to polarity_scores for real sentences;
        # run-on text without punctuation is scored in chunks, VADER being
        # quadratic in sentence length).
        self.compound = float(compound(text) if vader_compound is None else vader_compound)


def _lower_in_place(text: str) -> bool:
    """Whether ``text.lower()`` leaves every non-ASCII character as it is."""
    return all(c.lower() == c for c in set(_NON_ASCII_RE.findall(text)))


def _negated_before(norms: Sequence[str], q: int, neg: frozenset[str]) -> bool:
    """Whether one of the three words before ``norms[q]`` negates it."""
    before = norms[max(0, q - 3) : q]
    # No token holds whitespace, so a token ending in "n't" is "n't\n" in
    # the tokens joined and ended by newlines.
    return not neg.isdisjoint(before) or "n't\n" in "\n".join(before) + "\n"


def _span_tokens(sent: _Sentence, start: int, end: int) -> tuple[int, int]:
    """Token range [i, j) overlapping the character span (empty -> insertion point)."""
    # Token ends and starts are increasing: bisect instead of a linear walk
    # (the same indices; a run-on "sentence" can have 100,000 tokens).
    i = bisect.bisect_right(sent.ends, start)
    j = max(i, bisect.bisect_left(sent.starts, end, lo=i))
    return i, j


def _features(
    sent: _Sentence, span: tuple[int, int], further: Sequence[tuple[int, int]]
) -> tuple[list[str], list[str], list[float]]:
    """Features of one target: the masked sequence (whose words are the
    unigram features), the other sparse feature names (a name once per
    count, in order) and the dense features.

    The sparse features are the counts of ``"u:" + word`` over the sequence,
    then of the names, in order of first occurrence (:func:`_counts`).
    """
    n = sent.n
    norms = sent.norms
    ti, tj = _span_tokens(sent, int(span[0]), int(span[1]))
    mention = norms[ti:tj]
    # flags: 1 main target, 2 further mention
    flag = [0] * n
    flag[ti:tj] = [1] * (tj - ti)
    for fs, fe in further:
        fi, fj = _span_tokens(sent, int(fs), int(fe))
        for k in range(fi, fj):
            if flag[k] == 0:
                flag[k] = 2
    # masked sequence: runs of flagged tokens collapse into one MASK
    pos = -1  # index in seq of the main target
    further_pos: list[int] = []
    if not further and ti < tj:  # one run: the same sequence, built by slicing
        seq = [*norms[:ti], MASK, *norms[tj:]]
        pos = ti
    else:
        seq = []
        src: list[int] = []  # original token index of each seq item (first of a run)
        k = 0
        while k < n:
            f = flag[k]
            if f:
                if f == 1 and pos < 0:
                    pos = len(seq)
                elif f == 2:
                    further_pos.append(len(seq))
                seq.append(MASK)
                src.append(k)
                k += 1
                while k < n and flag[k] == f:
                    k += 1
            else:
                seq.append(norms[k])
                src.append(k)
                k += 1
        if pos < 0:  # span covers no token: insert the placeholder at its position
            pos = 0
            while pos < len(src) and src[pos] < ti:
                pos += 1
            seq.insert(pos, MASK)
            further_pos = [p + 1 if p >= pos else p for p in further_pos]
    m = len(seq)

    # The sentence's bag of words is ``seq`` itself (sentence-wide bigrams
    # overfit in cross-validation).  Positional words, the L1|R1 pair and
    # window bags:
    names: list[str] = []
    for d in range(1, POSITIONS + 1):
        names.append(_LEFT[d] + (seq[pos - d] if pos >= d else "<s>"))
        names.append(_RIGHT[d] + (seq[pos + d] if pos + d < m else "</s>"))
    left1 = seq[pos - 1] if pos >= 1 else "<s>"
    right1 = seq[pos + 1] if pos + 1 < m else "</s>"
    names.append("L1R1:" + left1 + "|" + right1)
    names += map("lw:".__add__, seq[max(0, pos - WINDOW) : pos])
    names += map("rw:".__add__, seq[pos + 1 : pos + 1 + WINDOW])
    # clause of the target (in original token indices; clause ids never
    # decrease, so a clause is the run of its id)
    clause_id = sent.clause_id
    anchor = min(ti, n - 1) if n else 0
    cid = clause_id[anchor] if n else 0
    clause_lo = bisect.bisect_left(clause_id, cid)
    clause_hi = bisect.bisect_right(clause_id, cid) - 1
    # the word or punctuation that opens the clause (a clause bag did not help)
    names.append("c0:" + (norms[clause_lo] if n and flag[clause_lo] == 0 else MASK))
    # nearest lexicon words in the clause: the tokens with a valence, found
    # by bisection in their list rather than by a walk over the clause
    valence = sent.valence
    lexical = sent.lexical
    neg = _negations()
    lex_left = 0.0
    i = bisect.bisect_left(lexical, min(ti, n)) - 1
    while i >= 0 and (q := lexical[i]) >= clause_lo:
        if flag[q] == 0:
            lex_left = valence[q]
            negated = _negated_before(norms, q, neg)
            names.append("lexL:" + ("not_" if negated else "") + norms[q])
            break
        i -= 1
    lex_right = 0.0
    i = bisect.bisect_left(lexical, tj)
    while i < len(lexical) and (q := lexical[i]) <= clause_hi:
        if flag[q] == 0:
            lex_right = valence[q]
            negated = _negated_before(norms, q, neg)
            names.append("lexR:" + ("not_" if negated else "") + norms[q])
            break
        i += 1
    # structure: sentence start, pronoun, possessive, quotation, reported speech
    first_word = 0
    while first_word < m and not seq[first_word][0].isalnum() and seq[first_word] != MASK:
        first_word += 1
    if first_word == pos:
        names.append("s:first")
    if mention and _PRONOUNS.issuperset(mention):
        names.append("s:pronoun")
    if right1 in ("'s", "s", "'") or (mention and mention[-1].endswith("'s")):
        names.append("s:possessive")
    if sent.has_quote:
        inside = n > 0 and sent.quote_depth[anchor] == 1
        names.append("s:in_quote" if inside else "s:out_quote")
    for d in range(1, 4):
        if pos + d < m and seq[pos + d] in _SPEECH_VERBS:
            names.append("s:speaker")
            names.append("spk:" + seq[pos + d])
            break
    for d in range(1, 3):
        if pos - d >= 0 and seq[pos - d] in _SPEECH_VERBS and seq[pos - d] not in ("said", "says"):
            names.append("spkobj:" + seq[pos - d])
            break
    if pos >= 2 and seq[pos - 2] == "according" and seq[pos - 1] == "to":
        names.append("s:according")
    if further_pos:
        names.append("s:further")
        for p in further_pos:
            names.append("fL1:" + (seq[p - 1] if p >= 1 else "<s>"))
            names.append("fR1:" + (seq[p + 1] if p + 1 < m else "</s>"))

    # dense valence features
    sent_pos = sent_neg = 0.0
    left_pos = left_neg = right_pos = right_neg = 0.0
    clause_pos = clause_neg = 0.0
    near = 0.0
    for q in sent.lexical:  # the tokens with a valence, in order
        if flag[q]:
            continue
        v = valence[q]
        if v > 0:
            sent_pos += v
        else:
            sent_neg -= v
        if ti - WINDOW <= q < ti:
            if v > 0:
                left_pos += v
            else:
                left_neg -= v
        elif tj <= q < tj + WINDOW:
            if v > 0:
                right_pos += v
            else:
                right_neg -= v
        if clause_lo <= q <= clause_hi:
            if v > 0:
                clause_pos += v
            else:
                clause_neg -= v
        dist = ti - q if q < ti else q - tj + 1
        near += v / (1.0 + dist)
    dense = [
        sent_pos / 4.0,
        sent_neg / 4.0,
        left_pos / 4.0,
        left_neg / 4.0,
        right_pos / 4.0,
        right_neg / 4.0,
        clause_pos / 4.0,
        clause_neg / 4.0,
        near / 4.0,
        lex_left / 4.0,
        lex_right / 4.0,
        sent.compound,
        math.log1p(n) / 3.0,
        pos / max(1, m - 1),
    ]
    return seq, names, dense


def _counts(seq: Sequence[str], names: Sequence[str]) -> dict[str, float]:
    """Sparse features (name -> count) from :func:`_features`."""
    # In order of first occurrence (the order the model's sums run in),
    # updated inline: a function call per feature costs as much as the update.
    sp: dict[str, float] = {}
    get = sp.get
    for name in map("u:".__add__, seq):
        sp[name] = get(name, 0.0) + 1.0
    for name in names:
        sp[name] = get(name, 0.0) + 1.0
    return sp


def _target_features(
    texts: Sequence[str],
    spans: Sequence[tuple[int, int]],
    further: Sequence[Sequence[tuple[int, int]]] | None,
    compounds: Sequence[float] | None,
) -> Iterator[tuple[list[str], list[str], list[float]]]:
    """:func:`_features` of each target, each sentence tokenised once."""
    if len(texts) != len(spans):
        raise ValueError(f"texts and spans differ in length: {len(texts)} != {len(spans)}")
    if further is not None and len(further) != len(texts):
        raise ValueError(f"further has {len(further)} entries for {len(texts)} texts")
    cache: dict[str, _Sentence] = {}
    for i, text in enumerate(texts):
        sent = cache.get(text)
        if sent is None:
            sent = cache[text] = _Sentence(text, compounds[i] if compounds is not None else None)
        yield _features(sent, spans[i], further[i] if further is not None else ())


def _dense_matrix(rows: list[list[float]]) -> np.ndarray:
    # one conversion for all rows (the same doubles as a row at a time)
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(DENSE_NAMES))


def featurize(
    texts: Sequence[str],
    spans: Sequence[tuple[int, int]],
    further: Sequence[Sequence[tuple[int, int]]] | None = None,
    compounds: Sequence[float] | None = None,
) -> tuple[list[dict[str, float]], np.ndarray]:
    """Features of each target: sparse name -> count dicts and a dense matrix.

    Parameters
    ----------
    texts : the sentences; ``texts[i]`` holds target ``i``.
    spans : ``(start, end)`` character offsets of each target in its sentence.
    further : optional further mentions of each target (e.g. pronouns), as spans.
    compounds : the VADER compound of each sentence when the caller has it
        already (``analytics.features.sentiment.compound`` of ``texts[i]``).

    Returns
    -------
    (sparse, dense): ``sparse[i]`` maps feature names to counts; ``dense`` has
    shape ``(n, len(DENSE_NAMES))``.
    """
    sparse: list[dict[str, float]] = []
    rows: list[list[float]] = []
    for seq, names, dense in _target_features(texts, spans, further, compounds):
        sparse.append(_counts(seq, names))
        rows.append(dense)
    return sparse, _dense_matrix(rows)


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, computed stably."""
    z = scores - scores.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


# --- the model ----------------------------------------------------------------


class TargetModel:
    """Sentiment toward a target span: a linear model over context features.

    Use :meth:`load` (or :func:`default_model`) rather than the constructor.

    Attributes
    ----------
    vocabulary : sparse feature name -> column.
    idf : idf weight of each sparse column.
    coef : ``(3, n_sparse + n_dense)`` coefficients, rows in ``CLASSES`` order.
    intercept : ``(3,)`` intercepts.
    meta : training metadata (data sha256, seed, examples, cross-validated F1,
        scikit-learn version, feature description).
    """

    def __init__(
        self,
        vocabulary: dict[str, int],
        idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        meta: dict[str, Any],
    ) -> None:
        n_sparse = len(vocabulary)
        if idf.shape != (n_sparse,):
            raise ValueError(f"idf has shape {idf.shape}, expected ({n_sparse},)")
        if coef.shape != (len(CLASSES), n_sparse + len(DENSE_NAMES)):
            expected = (len(CLASSES), n_sparse + len(DENSE_NAMES))
            raise ValueError(f"coef has shape {coef.shape}, expected {expected}")
        if intercept.shape != (len(CLASSES),):
            raise ValueError(f"intercept has shape {intercept.shape}, expected (3,)")
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self._sparse_coef = np.ascontiguousarray(self.coef[:, :n_sparse].T)  # (n_sparse, 3)
        self._dense_coef = np.ascontiguousarray(self.coef[:, n_sparse:].T)  # (n_dense, 3)
        # word -> column of its unigram feature "u:" + word: the column of a
        # word of the masked sequence without building the name
        self._unigram_columns = {
            name[2:]: j for name, j in vocabulary.items() if name.startswith("u:")
        }
        self.meta = meta

    @classmethod
    def load(cls, path: str | Path | None = None) -> TargetModel:
        """Load a model from ``PATH.npz`` and ``PATH.json`` (default: the shipped model).

        ``path`` may name either file or their common stem.  Arrays are read
        with ``allow_pickle=False``.
        """
        stem = Path(path) if path is not None else DEFAULT_PATH
        if stem.suffix in (".npz", ".json"):
            stem = stem.with_suffix("")
        npz_path, json_path = stem.with_suffix(".npz"), stem.with_suffix(".json")
        for p in (npz_path, json_path):
            if not p.is_file():
                raise FileNotFoundError(f"target model file not found: {p}")
        with json_path.open(encoding="utf-8") as fh:
            spec = json.load(fh)
        if spec.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"{json_path}: format_version {spec.get('format_version')!r}, "
                f"this slantscope reads {FORMAT_VERSION}"
            )
        if tuple(spec.get("classes", ())) != CLASSES:
            raise ValueError(f"{json_path}: classes {spec.get('classes')!r}, expected {CLASSES}")
        if tuple(spec.get("dense_features", ())) != DENSE_NAMES:
            raise ValueError(f"{json_path}: dense features differ from this slantscope's")
        vocabulary = {name: i for i, name in enumerate(spec["vocabulary"])}
        with np.load(npz_path, allow_pickle=False) as arrays:
            idf = arrays["idf"]
            coef = arrays["coef"]
            intercept = arrays["intercept"]
        return cls(vocabulary, idf, coef, intercept, spec.get("meta", {}))

    def transform(
        self, sparse: Sequence[dict[str, float]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse features -> (rows, cols, values) of the tf-idf, L2-normalised matrix.

        Unknown feature names are dropped (as scikit-learn's ``DictVectorizer``
        does); rows are ``0..len(sparse)-1``.
        """
        # Columns and counts of all targets in one list each, an unknown name
        # as column -1, dropped by one numpy mask: the same kept entries in
        # the same order as a filter per target, without Python-level work
        # per entry (most targets have some unknown feature).
        lookup = self.vocabulary.get
        cols: list[int] = []
        vals: list[float] = []
        for feats in sparse:
            cols += map(lookup, feats, repeat(-1, len(feats)))
            vals += feats.values()
        c = np.array(cols, dtype=np.intp)
        r = np.repeat(np.arange(len(sparse), dtype=np.intp), list(map(len, sparse)))
        v = np.array(vals, dtype=np.float64)
        known = c >= 0
        if not known.all():
            c, r, v = c[known], r[known], v[known]
        return self._tfidf(r, c, v, len(sparse))

    def _tfidf(
        self, r: np.ndarray, c: np.ndarray, v: np.ndarray, n: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`transform` of the known features' rows, columns and counts
        (``v``, weighted and normalised in place) of ``n`` targets."""
        v *= self.idf[c]
        norms = np.sqrt(np.bincount(r, weights=v * v, minlength=n))
        norms[norms == 0.0] = 1.0
        v /= norms[r]
        return r, c, v

    def decision_function(
        self, sparse: Sequence[dict[str, float]], dense: np.ndarray
    ) -> np.ndarray:
        """Linear scores ``(n, 3)`` of featurised targets."""
        return self._scores(*self.transform(sparse), dense)

    def _scores(self, r: np.ndarray, c: np.ndarray, v: np.ndarray,
                dense: np.ndarray) -> np.ndarray:
        """:meth:`decision_function` of :meth:`transform`'s output and the dense rows."""
        n = len(dense)
        scores = dense @ self._dense_coef + self.intercept
        if len(v):
            contrib = self._sparse_coef[c] * v[:, None]
            for k in range(len(CLASSES)):
                scores[:, k] += np.bincount(r, weights=contrib[:, k], minlength=n)
        return scores

    def predict_proba(
        self,
        texts: Sequence[str],
        spans: Sequence[tuple[int, int]],
        further: Sequence[Sequence[tuple[int, int]]] | None = None,
        compounds: Sequence[float] | None = None,
    ) -> np.ndarray:
        """Probabilities ``(n, 3)`` of negative, neutral and positive toward each target.

        Parameters
        ----------
        texts : the sentences; ``texts[i]`` contains target ``i``.
        spans : ``(start, end)`` character offsets of the target in ``texts[i]``.
        further : optional further mentions of each target in the same sentence
            (e.g. ``[(40, 43)]`` for a later "her"), or None.
        compounds : each sentence's VADER compound, when already computed.
        """
        if len(texts) == 0:
            return np.zeros((0, len(CLASSES)), dtype=np.float64)
        # ``softmax(decision_function(*featurize(...)))`` without the names of
        # the unigram features: a word of the masked sequence goes straight
        # to its column.  Columns are counted in order of first occurrence
        # like the names (distinct names have distinct columns; -1 collects
        # the unknown ones), so ``_tfidf`` gets the entries ``transform``
        # keeps, in its order.
        unigram = self._unigram_columns.get
        lookup = self.vocabulary.get
        cols: list[int] = []
        counts: list[float] = []
        lengths: list[int] = []
        rows: list[list[float]] = []
        for seq, names, dense in _target_features(texts, spans, further, compounds):
            cnt: dict[int, float] = {}
            get = cnt.get
            for j in map(unigram, seq, repeat(-1, len(seq))):
                cnt[j] = get(j, 0.0) + 1.0
            for j in map(lookup, names, repeat(-1, len(names))):
                cnt[j] = get(j, 0.0) + 1.0
            cnt.pop(-1, None)
            cols += cnt
            counts += cnt.values()
            lengths.append(len(cnt))
            rows.append(dense)
        r = np.repeat(np.arange(len(lengths), dtype=np.intp), lengths)
        c = np.array(cols, dtype=np.intp)
        v = np.array(counts, dtype=np.float64)
        return softmax(self._scores(*self._tfidf(r, c, v, len(lengths)), _dense_matrix(rows)))

    def predict(
        self,
        texts: Sequence[str],
        spans: Sequence[tuple[int, int]],
        further: Sequence[Sequence[tuple[int, int]]] | None = None,
    ) -> list[str]:
        """The most probable class toward each target (``CLASSES`` names)."""
        proba = self.predict_proba(texts, spans, further)
        return [CLASSES[k] for k in proba.argmax(axis=1)]


@lru_cache(maxsize=1)
def default_model() -> TargetModel:
    """The shipped model, loaded once per process."""
    return TargetModel.load()


def vader_baseline(texts: Iterable[str]) -> list[str]:
    """Sentence-level VADER as a target-blind baseline.

    Every target in a sentence gets the sentence's class: compound >= 0.05
    positive, <= -0.05 negative, else neutral (the VADER authors' thresholds).
    """
    sia = analyzer()
    out: list[str] = []
    for text in texts:
        c = sia.polarity_scores(text)["compound"]
        out.append("positive" if c >= POSITIVE else "negative" if c <= NEGATIVE else "neutral")
    return out
