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


def test_hedged_in_scores_are_the_sentences_decisions(det, monkeypatch):
    """Not only the decisions: the article-level path (including its shortcut
    for sentences without cue or trigger words) gives every sentence exactly the
    score of :meth:`decision`, to the last bit."""
    from analytics.text import sentences, word_tokens

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [
        "The president signed the bill. It rained. Prices rose 3% in May 2022. "
        "Theresa May may resign, it is believed.",
        "",
        "No words here: !!! ... Then one. And the the the the.",
    ]
    seen: list[np.ndarray] = []
    sigmoid = hedging._sigmoid
    monkeypatch.setattr(hedging, "_sigmoid", lambda z: seen.append(np.array(z)) or sigmoid(z))
    for text in texts:
        tokens = word_tokens(text)
        spans = [(s.start, s.end) for s in sentences(text)]
        spans += [(a + 1, b - 1) for a, b in spans if b - a > 3]
        if not spans:
            continue
        for floor in (False, True):
            seen.clear()
            det.hedged_in(text, spans, tokens, floor=floor)
            want = [det.decision(text[a:b]) for a, b in spans]
            assert seen[0].tolist() == want


def _scan_matches(index, norms):
    """The cue matching without the neighbour look-ups: every form filed under
    each word is compared with the words at its place."""
    found = []
    for k, word in enumerate(norms):
        for offset, words, length, term, category in index.index.get(word, ()):
            start = k - offset
            if start >= 0 and start + length <= len(norms) and tuple(
                norms[start : start + length]
            ) == words:
                found.append((start, -length, start + length, term, category))
    found.sort()
    out, busy = [], 0
    for start, _, end, term, category in found:
        if start >= busy:
            out.append((start, end, term, category))
            busy = end
    return out


def test_cue_matching_agrees_with_a_plain_scan():
    import random

    from analytics.lexicons import load_lexicon

    index = hedging._cue_index(load_lexicon("hedges"))
    forms = [words for entries in index.index.values() for _, words, *_ in entries]
    vocabulary = sorted({w for words in forms for w in words} | {"x", "the", "said"})
    rng = random.Random(7)
    cases = [list(words) for words in forms]
    cases += [["x", *words] for words in forms] + [[*words, "x"] for words in forms]
    for _ in range(5000):
        norms = [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
        if rng.random() < 0.5:  # a whole form somewhere
            k = rng.randint(0, len(norms))
            norms[k:k] = rng.choice(forms)
        cases.append(norms)
    for norms in cases:
        assert [tuple(h) for h in index.match(norms)] == _scan_matches(index, norms), norms


def test_lower_case_patterns_read_every_character_alike():
    """Why _LOWER_PATTERNS on ``s.lower()`` find what _PATTERNS find in ``s``:
    outside _CASE_SPECIAL every character lower-cases to one character, and
    each building block of the patterns accepts it exactly when it accepts
    the original ignoring case; the patterns have no other building blocks."""
    import re

    chars = "".join(map(chr, range(0x110000)))
    chars = hedging._CASE_SPECIAL.sub("", chars)
    lowered = "".join(map(str.lower, chars))
    assert len(lowered) == len(chars)
    blocks = [*"abcdefghijklmnopqrstuvwxyz", "'", "-", " ", r"\w", r"\s",
              "[a-z-]", r"[\w-]", "[- ]"]
    for block in blocks:
        ignoring_case = [m.start() for m in re.finditer(block, chars, re.IGNORECASE)]
        assert ignoring_case == [m.start() for m in re.finditer(block, lowered)], block
        # lower() in context turns a final capital sigma into "ς" instead of "σ"
        assert bool(re.fullmatch(block, "ς")) == bool(re.fullmatch(block, "σ"))
    # the three exceptions really are
    for c, letter in (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s")):
        assert re.fullmatch(letter, c, re.IGNORECASE) and c.lower() != letter
    syntax = r"\[a-z-\]|\[\\w-\]|\[- \]|\\[wsb]|\(\?(?:<?!|<=|:)|[()|?+*]"
    for name, head, lower_head, rest in hedging._PATTERN_PARTS:
        for pattern in (head + rest, lower_head + rest):
            assert re.fullmatch(r"[a-z' -]*", re.sub(syntax, "", pattern)), name


_PATTERN_PHRASES = [
    "it is said", "it has been widely reported", "it could be argued", "It was thought",
    "is said to", "are thought to be", "were described as", "was seen by some",
    "being held by many",
    "is considered", "are widely regarded", "been deemed", "being seen",
    "some critics", "many people", "a few experts", "a number of well-known scholars",
    "most of the analysts", "other sources",
    "critics say", "people have said", "experts widely believe", "sources claimed",
    "according to some", "according to rumours", "according to legend",
    "the most important", "best known", "greatest acclaimed", "the leading widely",
    "the most beautiful", "his most-cited", "Russia's most recent", "workers' most of",
    "its most and", "their most",
    "best-known", "well known", "widely-known", "little known",
    "one of the most", "one of the first",
    "the vast majority of", "the majority of", "vast majority of", "majority of",
    "little evidence", "no clear evidence", "mixed evidence", "some evidence",
    "whether", "whether-or-not",
]


def _random_sentences(n: int, seed: int) -> list[str]:
    """Attribution phrases and their near misses: in mixed case (with "İ", "ı",
    "ſ" and the Kelvin sign "K" among the capitals), words dropped, repeated or
    glued to others, and other joints than spaces (hyphens, apostrophes,
    punctuation, other word characters)."""
    import random

    rng = random.Random(seed)
    joints = [" ", " ", " ", " ", " ", "  ", "\n", "\t", "-", "'", "’", ", ", ". ", "x", "é",
              "_", "\u00a0", "1", "s' ", "'s ", ""]

    def cased(word: str) -> str:
        out = []
        for c in word:
            r = rng.random()
            if r < 0.2:
                c = c.upper()
            elif r < 0.23:
                c = {"i": rng.choice("İı"), "s": "ſ", "k": "\u212a"}.get(c, c)
            out.append(c)
        return "".join(out)

    sentences = []
    for _ in range(n):
        words = rng.choice(_PATTERN_PHRASES).split(" ")
        if rng.random() < 0.3:
            words = rng.choice(_PATTERN_PHRASES).split(" ") + words
        if rng.random() < 0.3:
            del words[rng.randrange(len(words))]
        if rng.random() < 0.2:
            words.insert(rng.randint(0, len(words)), rng.choice(["quickly", "x", "the", "said"]))
        parts = [cased(w) + (" " if rng.random() < 0.7 else rng.choice(joints)) for w in words]
        s = rng.choice(joints) + "".join(parts) + rng.choice(["", ".", "x", "-", "'s"])
        sentences.append(s)
    return sentences


def test_lower_case_patterns_and_gates_find_the_same_matches():
    """The same spans as the case-insensitive patterns, wherever the sentence
    has none of _CASE_SPECIAL; and a gate finds a match wherever one of the
    patterns it guards does."""
    sentences = [
        *_random_sentences(6000, seed=3),
        "It is widely believed that the ship sank.",
        "IT HAS BEEN SAID TO BE TRUE; critics Say so.",
        "Some-critics argue, the vast majority of whom is thought to be right.",
        "Her most-cited paper is one of the best-known works, according to some.",
        "The Most important thing: little evidence, whether or not.",
        "Tiny fans (people believed) — it is known.",
        "Kelvin: \u212aNOWN \u212anown; ſome ſcholars ſay, İt was ſaid.",
    ]
    matched: set[str] = set()
    for s in sentences:
        low = s.lower()
        safe = not hedging._CASE_SPECIAL.search(s)
        for k, ((name, rx), (_, lower_rx)) in enumerate(
            zip(hedging._PATTERNS, hedging._LOWER_PATTERNS, strict=True)
        ):
            m = rx.search(s)
            if safe:
                lm = lower_rx.search(low)
                assert (m and m.span()) == (lm and lm.span()), (name, s)
                if m and k in hedging._GATES:
                    assert hedging._GATE_REGEXES[hedging._GATES[k]][0].search(low), (name, s)
            if m:
                matched.add(name)
    assert matched == {name for name, _ in hedging._PATTERNS}  # all of them exercised


def test_quote_regex_finds_the_quotation_marks():
    import random
    import re

    rng = random.Random(5)
    plain = re.compile("[\"“”„«»]|``|''")
    for _ in range(3000):
        s = "".join(rng.choice("ab '`\"“”„«»’") for _ in range(rng.randint(0, 8)))
        a, b = plain.search(s), hedging._QUOTE_RE.search(s)
        assert (a and a.span()) == (b and b.span()), s
