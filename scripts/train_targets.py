"""Train slantscope's target-sentiment model on NewsMTSC's training split.

Reproducible: fixed seeds, deterministic solver, sorted vocabulary; running it
twice writes byte-identical model files.  Everything (regularisation, class
weights, vocabulary cut-off) is chosen by grouped cross-validation on the
training file (all targets of one sentence stay in one fold).  The devtest
file, if present, is scored once at the end for the honest figure and never
used for a choice.

Writes ``analytics/models/targets.npz`` (coef, intercept, idf) and
``analytics/models/targets.json`` (vocabulary, metadata), then checks that
:class:`analytics.features.targets.TargetModel` loaded from those files gives
the fitted scikit-learn model's ``predict_proba`` to 1e-9.

Usage::

    python scripts/train_targets.py                 # default paths
    python scripts/train_targets.py --train PATH --devtest PATH --out STEM
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import StratifiedGroupKFold
from threadpoolctl import threadpool_limits

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analytics.features import targets as tm  # noqa: E402
from analytics.targets import read_newsmtsc  # noqa: E402

DEFAULT_TRAIN = REPO.parent / "shared" / "validation" / "newsmtsc" / "train.jsonl"
DEFAULT_DEVTEST = REPO.parent / "shared" / "validation" / "newsmtsc" / "devtest_mt.jsonl"
DEFAULT_OUT = REPO / "analytics" / "models" / "targets"

SEED = 20210419  # fixed: fold assignment; the lbfgs solver itself is deterministic
FOLDS = 5
GRID_C = (1.0, 3.0)
GRID_CLASS_WEIGHT = (None, "balanced")
GRID_MIN_DF = (2,)


# --- data ----------------------------------------------------------------------


def examples(path: Path) -> dict[str, Any]:
    """Targets of a NewsMTSC file as parallel lists (texts, spans, further, y, groups)."""
    records, problems = read_newsmtsc(path)
    for p in problems:
        print("warning:", p, file=sys.stderr)
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    further: list[list[tuple[int, int]]] = []
    labels: list[str] = []
    for rec in records:
        for t in rec["targets"]:
            if t["label"] is None:
                continue
            texts.append(rec["sentence_normalized"])
            spans.append((t["from"], t["to"]))
            further.append([(f["from"], f["to"]) for f in t["further_mentions"]])
            labels.append(t["label"])
    y = np.array([tm.CLASSES.index(lab) for lab in labels])
    groups = np.unique(np.array(texts, dtype=object), return_inverse=True)[1]
    return {"texts": texts, "spans": spans, "further": further, "y": y, "groups": groups}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the scikit-learn reference --------------------------------------------------


def fit_reference(
    sparse: Sequence[dict[str, float]],
    dense: np.ndarray,
    y: np.ndarray,
    *,
    C: float,
    class_weight: str | None,
    min_df: int,
) -> tuple[DictVectorizer, TfidfTransformer, LogisticRegression]:
    """Fit vectoriser, tf-idf and multinomial logistic regression (the reference pipeline)."""
    dv = DictVectorizer(sort=True)
    counts = dv.fit_transform(sparse)
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    dv.restrict(df >= min_df)
    counts = dv.transform(sparse)
    tfidf = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=False)
    X = sp.hstack([tfidf.fit_transform(counts), sp.csr_matrix(dense)], format="csr")
    lr = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000, tol=1e-4)
    lr.fit(X, y)
    return dv, tfidf, lr


def reference_proba(
    dv: DictVectorizer,
    tfidf: TfidfTransformer,
    lr: LogisticRegression,
    sparse: Sequence[dict[str, float]],
    dense: np.ndarray,
) -> np.ndarray:
    """scikit-learn's ``predict_proba`` through the reference pipeline."""
    X = sp.hstack([tfidf.transform(dv.transform(sparse)), sp.csr_matrix(dense)], format="csr")
    return np.asarray(lr.predict_proba(X))


def reference_from_model(
    model: tm.TargetModel,
) -> tuple[DictVectorizer, TfidfTransformer, LogisticRegression]:
    """Rebuild the scikit-learn pipeline from a shipped model's arrays (for tests)."""
    names = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    dv = DictVectorizer(sort=True)
    dv.feature_names_ = names
    dv.vocabulary_ = dict(model.vocabulary)
    tfidf = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True)
    tfidf.idf_ = model.idf.copy()
    tfidf.n_features_in_ = len(names)
    lr = LogisticRegression()
    lr.classes_ = np.arange(len(tm.CLASSES))
    lr.coef_ = model.coef.copy()
    lr.intercept_ = model.intercept.copy()
    lr.n_features_in_ = model.coef.shape[1]
    return dv, tfidf, lr


def reference_predict_proba(
    model: tm.TargetModel,
    texts: Sequence[str],
    spans: Sequence[tuple[int, int]],
    further: Sequence[Sequence[tuple[int, int]]] | None = None,
) -> np.ndarray:
    """``predict_proba`` of the scikit-learn pipeline rebuilt from ``model``."""
    sparse, dense = tm.featurize(texts, spans, further)
    return reference_proba(*reference_from_model(model), sparse, dense)


# --- evaluation -------------------------------------------------------------------


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    return float(f1_score(y, pred, average="macro", labels=[0, 1, 2]))


def cross_validate(
    sparse: list[dict[str, float]],
    dense: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    *,
    C: float,
    class_weight: str | None,
    min_df: int,
) -> list[float]:
    cv = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    scores = []
    for train_idx, val_idx in cv.split(dense, y, groups):
        ref = fit_reference(
            [sparse[i] for i in train_idx],
            dense[train_idx],
            y[train_idx],
            C=C,
            class_weight=class_weight,
            min_df=min_df,
        )
        proba = reference_proba(*ref, [sparse[i] for i in val_idx], dense[val_idx])
        scores.append(macro_f1(y[val_idx], proba.argmax(axis=1)))
    return scores


def report(name: str, y: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    per_class = f1_score(y, pred, average=None, labels=[0, 1, 2])
    cm = confusion_matrix(y, pred, labels=[0, 1, 2])
    print(f"{name}: F1 macro {100 * macro_f1(y, pred):.1f}  per class " + ", ".join(
        f"{c} {100 * f:.1f}" for c, f in zip(tm.CLASSES, per_class, strict=True)
    ))
    print("  confusion (rows true, columns predicted: negative, neutral, positive)")
    for c, row in zip(tm.CLASSES, cm, strict=True):
        print(f"  {c:>9} " + " ".join(f"{v:6d}" for v in row))
    return {
        "f1_macro": round(100 * macro_f1(y, pred), 2),
        "f1_per_class": {
            c: round(100 * float(f), 2) for c, f in zip(tm.CLASSES, per_class, strict=True)
        },
        "confusion": cm.tolist(),
    }


# --- writing ----------------------------------------------------------------------


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An uncompressed-deterministic npz: fixed member order and timestamps."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN, help="NewsMTSC train.jsonl")
    ap.add_argument("--devtest", type=Path, default=DEFAULT_DEVTEST,
                    help="held-aside file scored once at the end (skipped if missing)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output stem (.npz, .json)")
    ap.add_argument("--quick", action="store_true",
                    help="skip the grid search; use the first grid point (for smoke runs)")
    args = ap.parse_args(argv)
    train_path = args.train if args.train.is_absolute() else (Path.cwd() / args.train)
    if not train_path.is_file():
        print(f"error: training file not found: {train_path}", file=sys.stderr)
        return 2

    t0 = time.perf_counter()
    data = examples(train_path)
    sparse, dense = tm.featurize(data["texts"], data["spans"], data["further"])
    y, groups = data["y"], data["groups"]
    print(f"{len(y)} targets in {len(set(groups.tolist()))} sentences; "
          f"featurised in {time.perf_counter() - t0:.1f} s")

    grid = [(c, w, m) for m in GRID_MIN_DF for w in GRID_CLASS_WEIGHT for c in GRID_C]
    if args.quick:
        grid = grid[:1]
    results = []
    for C, cw, min_df in grid:
        scores = cross_validate(sparse, dense, y, groups, C=C, class_weight=cw, min_df=min_df)
        mean, sd = statistics.mean(scores), statistics.stdev(scores)
        results.append({"C": C, "class_weight": cw, "min_df": min_df,
                        "cv_f1_macro_mean": round(100 * mean, 2),
                        "cv_f1_macro_sd": round(100 * sd, 2)})
        print(f"CV C={C:<5} class_weight={cw!s:<8} min_df={min_df}: "
              f"F1 macro {100 * mean:.1f} ± {100 * sd:.1f}")
    best = max(results, key=lambda r: (r["cv_f1_macro_mean"], -r["C"]))
    print(f"chosen by CV: C={best['C']} class_weight={best['class_weight']} "
          f"min_df={best['min_df']}: F1 macro {best['cv_f1_macro_mean']:.1f} ± "
          f"{best['cv_f1_macro_sd']:.1f}")

    dv, tfidf, lr = fit_reference(sparse, dense, y, C=best["C"],
                                  class_weight=best["class_weight"], min_df=best["min_df"])
    vocabulary = list(dv.feature_names_)
    meta = {
        "training_data": str(train_path.name),
        "training_sha256": sha256(train_path),
        "seed": SEED,
        "n_examples": len(y),
        "n_sentences": len(set(groups.tolist())),
        "class_counts": {c: int((y == k).sum()) for k, c in enumerate(tm.CLASSES)},
        "cv": {"folds": FOLDS, "grouped_by": "sentence", "grid": results, "chosen": best},
        "cv_f1_macro_mean": best["cv_f1_macro_mean"],
        "cv_f1_macro_sd": best["cv_f1_macro_sd"],
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "features": tm.FEATURE_DESCRIPTION,
        "n_sparse_features": len(vocabulary),
        "n_dense_features": len(tm.DENSE_NAMES),
        "model": f"LogisticRegression(C={best['C']}, class_weight={best['class_weight']}, "
                 "solver='lbfgs', multinomial)",
    }
    spec = {
        "format_version": tm.FORMAT_VERSION,
        "classes": list(tm.CLASSES),
        "dense_features": list(tm.DENSE_NAMES),
        "meta": meta,
        "vocabulary": vocabulary,
    }
    out = args.out.with_suffix("") if args.out.suffix in (".npz", ".json") else args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    write_npz(out.with_suffix(".npz"), {
        "coef": lr.coef_.astype(np.float64),
        "intercept": lr.intercept_.astype(np.float64),
        "idf": tfidf.idf_.astype(np.float64),
    })
    out.with_suffix(".json").write_text(
        json.dumps(spec, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {out.with_suffix('.npz')} ({out.with_suffix('.npz').stat().st_size:,} B) and "
          f"{out.with_suffix('.json')} ({out.with_suffix('.json').stat().st_size:,} B)")

    # the shipped arrays reproduce scikit-learn to 1e-9
    t1 = time.perf_counter()
    model = tm.TargetModel.load(out)
    print(f"model loads in {1000 * (time.perf_counter() - t1):.0f} ms")
    ours = model.predict_proba(data["texts"], data["spans"], data["further"])
    theirs = reference_proba(dv, tfidf, lr, sparse, dense)
    diff = float(np.abs(ours - theirs).max())
    print(f"numpy vs scikit-learn predict_proba on the training targets: max |diff| {diff:.1e}")
    if diff > 1e-9:
        print("error: reimplementation differs from scikit-learn", file=sys.stderr)
        return 1

    if args.devtest.is_file():
        dev = examples(args.devtest)
        t2 = time.perf_counter()
        proba = model.predict_proba(dev["texts"], dev["spans"], dev["further"])
        elapsed = time.perf_counter() - t2
        dev_sparse, dev_dense = tm.featurize(dev["texts"], dev["spans"], dev["further"])
        ref = reference_proba(dv, tfidf, lr, dev_sparse, dev_dense)
        print(f"devtest: max |diff| numpy vs scikit-learn {float(np.abs(proba - ref).max()):.1e}; "
              f"{len(dev['y'])} targets in {elapsed:.2f} s")
        report("devtest model", dev["y"], proba.argmax(axis=1))
        vader = np.array([tm.CLASSES.index(c) for c in tm.vader_baseline(dev["texts"])])
        report("devtest VADER baseline", dev["y"], vader)
    else:
        print(f"devtest file not found ({args.devtest}); skipped")
    return 0


if __name__ == "__main__":
    # one BLAS thread: faster for these small fits and the same arithmetic everywhere
    with threadpool_limits(limits=1):
        raise SystemExit(main())
