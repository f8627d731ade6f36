"""The validity report (benchmarks/validity.py) on small, hand-made inputs.

Parts that need the shared validation data or the shipped target model are
skipped when those are absent.  Not a timed test.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "validation"


def _load_report_module():
    spec = importlib.util.spec_from_file_location(
        "slantscope_validity", ROOT / "benchmarks" / "validity.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


V = _load_report_module()
ANCHORS = (
    "sentiment-toward-a-target",
    "hedging",
    "sentiment-vader",
    "readability",
    "framing-and-lexicon-rates",
)


def _target_model_available() -> bool:
    try:
        from analytics.features.targets import TargetModel

        TargetModel.load()
    except (ImportError, FileNotFoundError, ValueError):
        return False
    return True


def _headings(md: str) -> list[str]:
    return re.findall(r"^## (.+)$", md, flags=re.MULTILINE)


def test_anchors_are_stable():
    assert tuple(V.anchor(h) for h in V.SECTIONS.values()) == ANCHORS
    assert V.anchor("Sentiment (VADER)") == "sentiment-vader"


def test_scores_and_confusion_by_hand():
    y = ["negative", "neutral", "neutral", "positive", "positive", "negative"]
    p = ["negative", "neutral", "positive", "positive", "neutral", "neutral"]
    r = V.scores(y, p, ("negative", "neutral", "positive"))
    assert r["confusion"].tolist() == [[1, 1, 0], [0, 1, 1], [0, 1, 1]]
    assert r["per_class"]["negative"] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    )
    assert r["per_class"]["neutral"]["precision"] == pytest.approx(1 / 3)
    assert r["accuracy"] == pytest.approx(0.5)
    f1s = [r["per_class"][c]["f1"] for c in ("negative", "neutral", "positive")]
    assert r["f1_macro"] == pytest.approx(np.mean(f1s))


def test_brier_and_reliability():
    labels = ("negative", "neutral", "positive")
    proba = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.25, 0.25]])
    y = ["negative", "neutral", "positive"]
    assert V.brier(y[:2], proba[:2], labels) == 0.0
    assert V.brier(y, proba, labels) == pytest.approx((0.25 + 0.0625 + 0.5625) / 3)
    bins = V.reliability(y, proba, labels, bins=4)
    assert sum(b["n"] for b in bins) == 3
    assert all(0 <= b["accuracy"] <= 1 and b["low"] <= b["confidence"] <= b["high"] for b in bins)


def test_hedging_section_has_a_confusion_matrix():
    y = [1, 0, 1, 0, 0]
    md = V.hedging_section(
        y,
        {"detector": [True, False, False, False, True], "flat list": [True] * 5},
        meta={"cv_f1": 0.5, "threshold": 0.3, "training_data_sha256": "ab" * 32},
    )
    assert md.startswith("## Hedging")
    assert "| detector: human \\ predicted | certain | uncertain | total |" in md
    assert "| **uncertain** | 1 | 1 | 2 |" in md  # one found, one missed
    assert "| flat list | " in md and "0.500 / 0.500 / 0.500" in md
    assert "Cross-validated F1" in md


def test_targets_section_with_a_few_rows():
    y = ["negative", "neutral", "positive", "neutral"]
    proba = np.array(
        [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6], [0.5, 0.4, 0.1]]
    )
    md = V.targets_section(y, proba, ["negative", "negative", "neutral", "neutral"])
    assert md.startswith("## Sentiment toward a target")
    assert "| target model: human \\ predicted | negative | neutral | positive | total |" in md
    assert "| VADER (sentence) | " in md
    assert "Brier score" in md and "| confidence bin |" in md
    missing = V.targets_section([], None, None, note="Target model not available: test")
    assert "Not scored in this run" in missing


def test_full_report_has_every_section_without_data(tmp_path):
    md = V.render(
        V.targets_section([], None, None), V.hedging_section([], {}), None, None
    )
    assert _headings(md) == list(V.SECTIONS.values())
    for a in ANCHORS:
        assert f"(#{a})" in md  # table of contents links
    for source in ("Hutto & Gilbert 2014", "Flesch 1948", "McLaughlin 1969", "Grimmer & Stewart"):
        assert source in md
    empty = V.build_report(tmp_path / "nowhere")
    assert _headings(empty) == list(V.SECTIONS.values())
    assert "not found" in empty


@pytest.mark.skipif(
    not (SHARED / "uncertainty" / "wikipedia_train.csv").exists(),
    reason="shared hedge data not present",
)
def test_hedging_on_the_shared_data():
    md, flat = V.run_hedging(SHARED / "uncertainty" / "wikipedia_train.csv")
    assert flat is not None and 0.5 < flat["per_class"]["uncertain"]["f1"] < 0.65
    assert "| detector | " in md and "| flat hedge list | " in md
    assert "SHA-256 of the data" in md


@pytest.mark.skipif(
    not (SHARED / "newsmtsc" / "devtest_mt.jsonl").exists() or not _target_model_available(),
    reason="NewsMTSC data or the target model not present",
)
def test_targets_on_the_shared_data():
    md, vader = V.run_targets(SHARED / "newsmtsc" / "devtest_mt.jsonl")
    assert vader is not None and 0.3 < vader["f1_macro"] < 0.7
    assert "| target model: human \\ predicted |" in md
    assert "Brier score" in md
