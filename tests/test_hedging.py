"""Sentence-level hedge detection (analytics.features.hedging).

The held-aside comparison uses the CoNLL-2010 Wikipedia hedge/weasel
sentences at ``../shared/validation/uncertainty/wikipedia_train.csv`` and is
skipped when that file is absent.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analytics.features import hedging
from analytics.features.hedging import (
    HedgeDetector,
    default_detector,
    flat_list_baseline,
    is_held_aside,
)

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "analytics" / "models" / "hedges.json"
DATA = ROOT.parent / "shared" / "validation" / "uncertainty" / "wikipedia_train.csv"
SEEDS = ROOT / "seeds"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="shared hedge data not present")


@pytest.fixture(scope="module")
def det() -> HedgeDetector:
    return default_detector()


def _f1(y: list[int], pred: list[bool]) -> float:
    tp = sum(1 for a, b in zip(y, pred, strict=True) if a and b)
    p = tp / max(sum(pred), 1)
    r = tp / max(sum(y), 1)
    return 2 * p * r / (p + r) if p + r else 0.0


# --- the model file -----------------------------------------------------------


def test_model_is_plain_json_without_pickle():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert data["format"] == hedging.FORMAT
    assert all(isinstance(v, float) for v in data["weights"].values())
    assert not list(MODEL.parent.glob("*.pkl")) and not list(MODEL.parent.glob("*.joblib"))
    tree = ast.parse(Path(hedging.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"pickle", "joblib", "sklearn", "dill", "cloudpickle"}


def test_meta_records_provenance(det):
    meta = det.meta
    for key in ("training_data_sha256", "seed", "threshold", "cv_f1", "description", "features"):
        assert key in meta, key
    assert len(meta["training_data_sha256"]) == 64
    assert 0 < meta["threshold"] < 1
    assert meta["lexicon_hash"] == det.lexicon.hash


def test_load_is_fast_and_cached():
    import time

    t0 = time.perf_counter()
    HedgeDetector.load()
    assert time.perf_counter() - t0 < 1.0
    assert default_detector() is default_detector()


# --- behaviour on sentences ---------------------------------------------------------


def test_proba_in_unit_interval(det):
    sentences = [
        "",
        "   ",
        "Russia may invade.",
        "The talks will probably fail, some critics say, perhaps as soon as May.",
        "İstanbul’s mayor reportedly said ‘maybe’.",
        "may may may may may may may may may may",
        "x" * 5000,
    ]
    p = det.proba(sentences)
    assert isinstance(p, np.ndarray) and p.shape == (len(sentences),)
    assert np.all((p >= 0) & (p <= 1))
    assert det.hedged([]) == [] and det.hedged([], floor=True) == []
    assert len(det.proba([])) == 0


def test_may_the_month_is_not_a_hedge(det):
    month = ["The meeting is in May 2022.", "Talks began on 12 May.", "Theresa May met Macron."]
    assert det.hedged(month) == [False, False, False]
    assert det.hedged(month, floor=True) == [False, False, False]
    # the disambiguation: the month never scores above the modal
    p_month, p_modal = det.proba(["The meeting is in May 2022.", "Russia may invade."])
    assert p_modal > p_month


def test_modal_may_is_hedged_with_the_floor(det):
    # Without the floor, the Wikipedia-trained weights leave modal "may" below the
    # threshold (its labels rarely mark "may" alone as uncertain): documented.
    assert det.hedged(["Russia may invade."], floor=True) == [True]
    more = ["Ukraine might join NATO.", "The talks are likely to fail."]
    assert det.hedged(more, floor=True) == [True, True]


def test_weasel_attributions_are_hedged(det):
    sentences = [
        "Some critics say the plan failed.",
        "It is believed that the ship sank.",
        "It has been suggested that the war ended.",
        "Officials are thought to have left.",
        "Many experts doubt the figures.",
        "The talks will probably fail.",
    ]
    assert det.hedged(sentences) == [True] * len(sentences)


def test_plain_statements_are_not_hedged(det):
    sentences = [
        "He could swim as a child.",
        "He suggested holding talks in Geneva.",
        "NATO met Russia on 12 January.",
        "The president signed the bill on Tuesday.",
        "The military might of Russia is vast.",
    ]
    assert det.hedged(sentences) == [False] * len(sentences)
    # past ability and "might" the noun are not epistemic: the floor leaves them alone
    assert det.hedged(sentences, floor=True) == [False] * len(sentences)


def test_cues_are_character_spans_of_the_evidence(det):
    s = "Some critics say the plan failed."
    cues = det.cues(s)
    assert cues and cues[0][:2] == (0, 16)
    assert s[cues[0][0] : cues[0][1]] == "Some critics say"
    assert det.cues("The meeting is in May 2022.") == []
    s = "The talks will “probably” fail, it is believed."
    spans = [s[a:b] for a, b, _ in det.cues(s)]
    assert "probably" in spans and any(x.startswith("it is believed") for x in spans)
    for a, b, label in det.cues(s):
        assert 0 <= a < b <= len(s) and label


def test_quoted_cue_gets_its_own_feature():
    feats, _ = hedging.sentence_features('"It is likely to fail," he said.')
    assert "q:likely" in feats
    feats, _ = hedging.sentence_features("It is likely to fail, he said.")
    assert "q:likely" not in feats


def test_disambiguation_features():
    assert "s:may:month" in hedging.sentence_features("It opened in May 2022.")[0]
    assert "s:may:name" in hedging.sentence_features("Theresa May resigned.")[0]
    assert "c:may" in hedging.sentence_features("Russia may invade.")[0]
    assert "s:could:past" in hedging.sentence_features("He could swim as a child.")[0]
    assert "s:could:past" in hedging.sentence_features("She could not attend.")[0]
    assert "c:could" in hedging.sentence_features("Sanctions could follow.")[0]
    assert "s:suggest:propose" in hedging.sentence_features("He suggested holding talks.")[0]
    assert "c:suggest" in hedging.sentence_features("The data suggest a link.")[0]
    assert "s:might:noun" in hedging.sentence_features("Russia's military might grew.")[0]


def test_cue_matching_agrees_with_the_lexicon_matcher():
    from analytics.features.lexicon import LexiconMatcher
    from analytics.lexicons import load_lexicon
    from analytics.text import word_tokens

    lex = load_lexicon("hedges")
    matcher = LexiconMatcher([lex])
    index = hedging._cue_index(lex)
    sentences = [
        "Some critics say it is widely believed that Russia may well invade, reportedly.",
        "NATO’s chief said it is not clear whether talks could possibly resume.",
        "According to some estimates, approximately 100 people, more or less, died.",
        "The suspect's claims that he was in May's office are unconfirmed.",
    ]
    for s in sentences:
        tokens = word_tokens(s)
        want = [(m.token_start, m.token_end, m.term) for m in matcher.match(tokens)]
        got = [(h.start, h.end, h.term) for h in index.match(hedging._words(s)[1])]
        assert got == want, s


def test_flat_list_baseline():
    assert flat_list_baseline(["Russia may invade.", "NATO met Russia."]) == [True, False]
    assert flat_list_baseline(["It opened in May 2022."]) == [True]  # the flat list's misfire


# --- split and training ---------------------------------------------------------------


def test_split_is_deterministic():
    texts = [f"Sentence number {i}." for i in range(2000)]
    first = [is_held_aside(t) for t in texts]
    assert first == [is_held_aside(t) for t in reversed(texts)][::-1]
    assert 0.15 < sum(first) / len(first) < 0.25
    assert is_held_aside("  Sentence number 3.\n") == is_held_aside("Sentence number 3.")
    digest = hashlib.sha256(b"Sentence number 3.").hexdigest()
    assert is_held_aside("Sentence number 3.") == (int(digest, 16) % 5 == 0)


@needs_data
def test_model_was_trained_on_this_data(det):
    assert det.meta["training_data_sha256"] == hashlib.sha256(DATA.read_bytes()).hexdigest()


@needs_data
def test_detector_beats_flat_list_on_held_aside_part(det):
    with DATA.open(encoding="utf-8", newline="") as fh:
        rows = [(r["text"].strip(), int(r["label"])) for r in csv.DictReader(fh)]
    test = [(t, y) for t, y in rows if is_held_aside(t)]
    assert 1000 < len(test) < 2000
    texts = [t for t, _ in test]
    y = [lab for _, lab in test]
    f_det = _f1(y, det.hedged(texts))
    f_floor = _f1(y, det.hedged(texts, floor=True))
    f_flat = _f1(y, flat_list_baseline(texts))
    assert f_det > f_flat + 0.05
    assert f_floor > f_flat + 0.03
    assert f_det > 0.62


@pytest.mark.slow
@needs_data
def test_training_reproduces_the_shipped_model(tmp_path):
    out = tmp_path / "hedges.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_hedges.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert out.read_bytes() == MODEL.read_bytes()


def test_hedged_in_an_article_equals_hedged_on_each_sentence(det):
    """The article-level path (words from the article's tokens) gives exactly
    the per-sentence decisions, floor on and off, including sentences whose
    edges cut through a word (they find their words themselves)."""
    from analytics.text import sentences, word_tokens

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts.append(
        "Theresa May may resign, it is believed. Some critics say “it could be "
        "worse”. In May 2022 he could swim as a child. Russia’s might-be allies "
        "allegedly met.\nIt is said to be likely."
    )
    for text in texts:
        tokens = word_tokens(text)
        spans = [(s.start, s.end) for s in sentences(text)]
        # also spans that cut words and overlap each other
        spans += [(a + 1, b - 1) for a, b in spans if b - a > 3] + [(0, len(text) // 2)]
        sents = [text[a:b] for a, b in spans]
        for floor in (False, True):
            assert det.hedged_in(text, spans, tokens, floor=floor) == det.hedged(
                sents, floor=floor)
