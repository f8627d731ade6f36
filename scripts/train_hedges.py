"""Train the sentence-level hedge detector shipped as ``analytics/models/hedges.json``.

Usage (from the repository root)::

    python scripts/train_hedges.py [--data PATH] [--out PATH] [--seed 0]

Data: a CSV with columns ``text,label`` (1 = the sentence is uncertain), by
default ``../shared/validation/uncertainty/wikipedia_train.csv`` resolved from
the repository root (the Wikipedia part of the CoNLL-2010 hedge/weasel data).

Procedure, fixed and reproducible (running it twice writes identical files):

1. Split: a sentence is *held aside* when ``sha256(text) mod 5 == 0`` (text
   stripped of surrounding whitespace, UTF-8); about 20%.  The held-aside part
   is never used for fitting or tuning; it is only scored at the end.
2. On the other 80%: for every setting of a small grid (regularisation ``C``,
   weight of the bag of words, class weighting), 5-fold stratified
   cross-validation (seeded) gives out-of-fold probabilities; the setting and
   the threshold with the best pooled out-of-fold F1 are chosen.
3. The chosen setting is refitted on the whole 80% and written as JSON with
   the data's SHA-256, the seed, the threshold and the CV F1.
4. Printed: CV F1, and precision/recall/F1 on the held-aside part for the
   detector and for the flat-list baseline.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from analytics.features.hedging import (
    EXTRA_CUES,
    FLOOR_FEATURES,
    FORMAT,
    HedgeDetector,
    flat_list_baseline,
    is_held_aside,
    sentence_features,
)
from analytics.lexicons import load_lexicon

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "validation" / "uncertainty" / "wikipedia_train.csv"
DEFAULT_OUT = ROOT / "analytics" / "models" / "hedges.json"

GRID_C = (0.1, 0.2, 0.4)
GRID_WORD_SCALE = (0.0, 0.35, 0.7)
GRID_BALANCED = (True, False)
MIN_WORD_DF = 3  # a word must occur in this many training sentences to get a weight
THRESHOLDS = np.round(np.arange(0.20, 0.80001, 0.01), 2)


def read_data(path: Path) -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    labels: list[int] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["text"].strip())
            labels.append(int(row["label"]))
    return texts, np.asarray(labels, dtype=np.int64)


def held_aside(texts: Sequence[str]) -> np.ndarray:
    """True for the held-aside 20%: ``sha256(text) mod 5 == 0``."""
    return np.array([is_held_aside(t) for t in texts], dtype=bool)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prf(y: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = int(np.sum(pred & (y == 1)))
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int((y == 1).sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Design:
    """Sparse design matrices from extracted features, with a fixed vocabulary."""

    def __init__(self, extracted: list[tuple[list[str], set[str]]], min_df: int) -> None:
        names = sorted({f for feats, _ in extracted for f in feats})
        df: dict[str, int] = {}
        for _, words in extracted:
            for w in words:
                df[w] = df.get(w, 0) + 1
        self.names = names
        self.words = sorted(w for w, n in df.items() if n >= min_df)
        self.index = {f: i for i, f in enumerate(names)}
        self.word_index = {w: len(names) + i for i, w in enumerate(self.words)}

    def matrix(
        self, extracted: list[tuple[list[str], set[str]]], word_scale: float
    ) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, (feats, words) in enumerate(extracted):
            seen = {self.index[f] for f in feats if f in self.index}
            for c in sorted(seen):
                rows.append(r)
                cols.append(c)
                vals.append(1.0)
            if word_scale:
                for c in sorted({self.word_index[w] for w in words if w in self.word_index}):
                    rows.append(r)
                    cols.append(c)
                    vals.append(word_scale)
        shape = (len(extracted), len(self.names) + len(self.words))
        return sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)


def fit(x: sparse.csr_matrix, y: np.ndarray, c: float, balanced: bool) -> LogisticRegression:
    model = LogisticRegression(
        C=c,
        class_weight="balanced" if balanced else None,
        max_iter=5000,
        tol=1e-7,
        solver="lbfgs",
    )
    model.fit(x, y)
    return model


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--floor-default",
        action="store_true",
        help="make the epistemic floor (FLOOR_FEATURES) the model's default in hedged()",
    )
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: no such file", file=sys.stderr)
        return 2

    texts, y = read_data(args.data)
    aside = held_aside(texts)
    train_idx = np.flatnonzero(~aside)
    test_idx = np.flatnonzero(aside)
    lexicon = load_lexicon("hedges")
    extracted = [sentence_features(t, lexicon) for t in texts]
    tr = [extracted[i] for i in train_idx]
    y_tr = y[train_idx]
    print(
        f"{len(texts)} sentences ({int(y.sum())} uncertain); fitting on {len(train_idx)}, "
        f"held aside {len(test_idx)} (sha256 mod 5 == 0)"
    )

    folds = list(StratifiedKFold(5, shuffle=True, random_state=args.seed).split(train_idx, y_tr))
    best: tuple[float, float, float, float, bool] | None = None  # f1, thr, C, scale, bal
    for c, scale, balanced in itertools.product(GRID_C, GRID_WORD_SCALE, GRID_BALANCED):
        oof = np.zeros(len(train_idx))
        for a, b in folds:
            design = Design([tr[i] for i in a], MIN_WORD_DF)
            model = fit(design.matrix([tr[i] for i in a], scale), y_tr[a], c, balanced)
            oof[b] = model.predict_proba(design.matrix([tr[i] for i in b], scale))[:, 1]
        f1s = [prf(y_tr, oof >= t)[2] for t in THRESHOLDS]
        k = int(np.argmax(f1s))
        print(
            f"  C={c:<4} words x{scale:<4} balanced={balanced!s:<5} "
            f"CV F1 {f1s[k]:.4f} at threshold {THRESHOLDS[k]:.2f}"
        )
        if best is None or f1s[k] > best[0] + 1e-12:
            best = (f1s[k], float(THRESHOLDS[k]), c, scale, balanced)
    assert best is not None
    cv_f1, threshold, c, scale, balanced = best

    # The floor: out-of-fold probabilities of the chosen setting, OR a floor cue.
    oof = np.zeros(len(train_idx))
    for a, b in folds:
        design = Design([tr[i] for i in a], MIN_WORD_DF)
        model = fit(design.matrix([tr[i] for i in a], scale), y_tr[a], c, balanced)
        oof[b] = model.predict_proba(design.matrix([tr[i] for i in b], scale))[:, 1]
    forced = np.array([not FLOOR_FEATURES.isdisjoint(feats) for feats, _ in tr])
    f1s = [prf(y_tr, (oof >= t) | forced)[2] for t in THRESHOLDS]
    k = int(np.argmax(f1s))
    cv_f1_floor, floor_threshold = f1s[k], float(THRESHOLDS[k])
    print(
        f"  with the floor ({int(forced.sum())} sentences forced): CV F1 {cv_f1_floor:.4f} "
        f"at threshold {floor_threshold:.2f}"
    )

    design = Design(tr, MIN_WORD_DF)
    model = fit(design.matrix(tr, scale), y_tr, c, balanced)
    coef = model.coef_[0]
    n_named = len(design.names)

    def keep(v: float) -> bool:
        return abs(v) >= 1e-6

    weights = {f: round(float(coef[i]), 6) for i, f in enumerate(design.names) if keep(coef[i])}
    word_weights = {
        w: round(float(coef[n_named + i] * scale), 6)
        for i, w in enumerate(design.words)
        if scale and keep(coef[n_named + i] * scale)
    }
    data_hash = file_sha256(args.data)
    meta = {
        "description": (
            "Sentence-level hedge detector: logistic regression over hedge-lexicon cues "
            "(with disambiguation of 'may', 'could', 'might', 'suggest' and quoted cues), "
            "the words next to each cue, extra weasel cues, attribution patterns, a length "
            "bucket and a down-weighted bag of words."
        ),
        "features": (
            "c:<term> lexicon cue; c:<term><<prev> / c:<term>><next> cue context; "
            "k:<category>; q:<term> cue inside quotes; s:<term>:<sense> cue read in a "
            "non-hedge sense; x:<word> extra weasel cue (and x:<word><<prev>); "
            "p:<pattern> attribution pattern; n:<cues>; len:<bucket>; word_weights: "
            f"bag of words (words in >= {MIN_WORD_DF} training sentences), scale {scale}"
        ),
        "format": FORMAT,
        "training_data": "CoNLL-2010 Wikipedia hedge/weasel sentences (wikipedia_train.csv)",
        "training_data_sha256": data_hash,
        "split": "held aside: sha256(text.strip()) mod 5 == 0; fitted on the rest",
        "n_train": len(train_idx),
        "n_train_uncertain": int(y_tr.sum()),
        "seed": args.seed,
        "cv": "5-fold stratified, shuffled with the seed; pooled out-of-fold F1",
        "cv_f1": round(cv_f1, 4),
        "threshold": threshold,
        "floor_features": sorted(FLOOR_FEATURES),
        "floor_default": bool(args.floor_default),
        "cv_f1_floor": round(cv_f1_floor, 4),
        "floor_threshold": floor_threshold,
        "C": c,
        "class_weight": "balanced" if balanced else None,
        "word_scale": scale,
        "lexicon": lexicon.name,
        "lexicon_version": lexicon.version,
        "lexicon_hash": lexicon.hash,
        "extra_cues": sorted(EXTRA_CUES),
    }
    det = HedgeDetector(
        weights, word_weights, round(float(model.intercept_[0]), 6), threshold,
        lexicon=lexicon, meta=meta, floor=args.floor_default, floor_threshold=floor_threshold,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    det.save(args.out)

    reloaded = HedgeDetector.load(args.out)
    test_texts = [texts[i] for i in test_idx]
    y_te = y[test_idx]
    pred = np.array(reloaded.hedged(test_texts, floor=False))
    pred_floor = np.array(reloaded.hedged(test_texts, floor=True))
    flat = np.array(flat_list_baseline(test_texts))
    flat_tr = np.array(flat_list_baseline([texts[i] for i in train_idx]))
    print(
        f"chosen: C={c} words x{scale} balanced={balanced} threshold={threshold:.2f} "
        f"CV F1 {cv_f1:.4f} (flat list on the same 80%: F1 {prf(y_tr, flat_tr)[2]:.4f})"
    )
    print(f"held aside ({len(test_idx)} sentences, {int(y_te.sum())} uncertain):")
    for name, p in (("detector", pred), ("+ floor", pred_floor), ("flat list", flat)):
        pp, rr, ff = prf(y_te, p)
        print(f"  {name:<10} P {pp:.4f}  R {rr:.4f}  F1 {ff:.4f}")
    print(f"wrote {args.out} ({len(weights)} features, {len(word_weights)} words)")
    return 0


if __name__ == "__main__":
    # One BLAS thread: faster on this small problem and the same bits every run.
    with threadpool_limits(1):
        raise SystemExit(main())
