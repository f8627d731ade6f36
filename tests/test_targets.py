"""Sentiment toward a target: the shipped model, its reimplementation, NewsMTSC I/O."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score

from analytics.features import targets as tm
from analytics.features.targets import CLASSES, TargetModel, default_model, vader_baseline
from analytics.targets import TABLE_COLUMNS, read_newsmtsc, target_table

REPO = Path(__file__).resolve().parent.parent
MODELS = REPO / "analytics" / "models"
DEVTEST = REPO.parent / "shared" / "validation" / "newsmtsc" / "devtest_mt.jsonl"

# Invented sentences in the style of political news (not from NewsMTSC).
SENTENCES = [
    ("The president praised Smith as a hero.", "Smith"),
    ("Critics accused Smith of corruption.", "Smith"),
    ("Critics accused Smith of corruption.", "Critics"),
    ("Smith met Jones in Geneva on Monday.", "Jones"),
    ("“He is a liar,” Jones said of Smith, who denied the claims.", "Smith"),
    ("She did not condemn the attack.", "She"),
    ("", ""),
]


def _span(text: str, mention: str) -> tuple[int, int]:
    i = text.index(mention)
    return i, i + len(mention)


@pytest.fixture(scope="module")
def model() -> TargetModel:
    return default_model()


@pytest.fixture(scope="module")
def train_script():
    spec = importlib.util.spec_from_file_location(
        "train_targets", REPO / "scripts" / "train_targets.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the shipped files ----------------------------------------------------------


def test_model_files_are_plain_data_of_modest_size():
    assert not [p for p in MODELS.rglob("*") if p.suffix in {".pkl", ".pickle", ".joblib"}]
    npz, js = MODELS / "targets.npz", MODELS / "targets.json"
    assert npz.stat().st_size < 3_000_000
    assert js.stat().st_size < 3_000_000
    with np.load(npz, allow_pickle=False) as arrays:
        assert sorted(arrays.files) == ["coef", "idf", "intercept"]
        assert all(arrays[k].dtype == np.float64 for k in arrays.files)
    spec = json.loads(js.read_text(encoding="utf-8"))
    assert spec["classes"] == list(CLASSES)
    assert len(spec["vocabulary"]) == len(set(spec["vocabulary"]))


def test_meta_records_provenance(model):
    meta = model.meta
    assert len(meta["training_sha256"]) == 64
    for key in ("seed", "n_examples", "cv_f1_macro_mean", "cv_f1_macro_sd", "sklearn_version",
                "features"):
        assert key in meta
    assert meta["n_examples"] > 8000
    assert 50 < meta["cv_f1_macro_mean"] < 100


def test_load_accepts_either_file_or_stem():
    a = TargetModel.load(MODELS / "targets.npz")
    b = TargetModel.load(MODELS / "targets")
    assert np.array_equal(a.coef, b.coef)
    with pytest.raises(FileNotFoundError):
        TargetModel.load(MODELS / "nonexistent")


# --- predictions -----------------------------------------------------------------


def test_probabilities_sum_to_one_and_predict_is_argmax(model):
    texts = [t for t, _ in SENTENCES]
    spans = [_span(t, m) for t, m in SENTENCES]
    proba = model.predict_proba(texts, spans)
    assert proba.shape == (len(texts), 3)
    assert np.all(proba >= 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-12)
    assert model.predict(texts, spans) == [CLASSES[k] for k in proba.argmax(axis=1)]


def test_empty_batch(model):
    assert model.predict_proba([], []).shape == (0, 3)
    assert model.predict([], []) == []


def test_mismatched_lengths_are_refused(model):
    with pytest.raises(ValueError, match="differ in length"):
        model.predict_proba(["a b"], [])


def test_reimplementation_equals_scikit_learn(model, train_script):
    texts = [t for t, _ in SENTENCES]
    spans = [_span(t, m) for t, m in SENTENCES]
    further = [[] for _ in texts]
    further[4] = [_span(texts[4], "who")]
    ours = model.predict_proba(texts, spans, further)
    theirs = train_script.reference_predict_proba(model, texts, spans, further)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_featurisation_is_deterministic():
    texts = [t for t, _ in SENTENCES]
    spans = [_span(t, m) for t, m in SENTENCES]
    a_sparse, a_dense = tm.featurize(texts, spans)
    b_sparse, b_dense = tm.featurize(list(reversed(texts)), list(reversed(spans)))
    assert a_sparse == list(reversed(b_sparse))
    assert np.array_equal(a_dense, b_dense[::-1])


def test_predict_proba_is_softmax_of_the_featurised_scores_bit_for_bit(model):
    # predict_proba counts feature columns without building the unigram
    # names; the numbers are those of featurize + decision_function.
    texts = [t for t, _ in SENTENCES] * 2 + [DEVTEST_LIKE]
    spans = [_span(t, m) for t, m in SENTENCES] * 2 + [_span(DEVTEST_LIKE, "Kremlin")]
    further: list[list[tuple[int, int]]] = [[] for _ in texts]
    further[4] = [_span(texts[4], "who")]
    further[-1] = [_span(DEVTEST_LIKE, "its"), (0, 0), (len(DEVTEST_LIKE), len(DEVTEST_LIKE))]
    spans[-2] = (3, 3)  # a span between tokens
    for fu in (further, None):
        sparse, dense = tm.featurize(texts, spans, fu)
        expected = tm.softmax(model.decision_function(sparse, dense))
        got = model.predict_proba(texts, spans, fu)
        assert got.tobytes() == expected.tobytes()


DEVTEST_LIKE = ("The Kremlin’s envoy said its “red lines” weren't new, but NATO—and "
                "the Kremlin—didn't listen; ΟΔΟΣ.Α İstanbul K\u212a \x1c x.")


@pytest.mark.parametrize("text", [
    DEVTEST_LIKE, "café’s ‘x’ naïve", "Plain ASCII, with don't and 'quotes' -- and a\x1fb\x1cc.",
    "ΣΑΣ Σ. σς", "İİ x", "Straße ǅemal Ⅻ ﬁne", "‘single’ and “double” — dash", "", "   ", "a", "’",
])
def test_sentence_tokens_equal_the_regex_definition(text):
    # Whole-sentence lower-casing and the ASCII regex are shortcuts: the
    # tokens, offsets and norms are those of _TOKEN_RE token by token.
    sent = tm._Sentence(text, 0.0)
    found = list(tm._TOKEN_RE.finditer(text))
    assert sent.starts == [m.start() for m in found]
    assert sent.ends == [m.end() for m in found]
    assert sent.norms == [tm._norm(m.group()) for m in found]


def test_ascii_split_equals_the_unicode_split_on_every_ascii_character():
    chars = "".join(map(chr, range(128)))
    texts = [chars, chars[::-1], *(f"a{c}b {c}{c}x{c}" for c in chars)]
    for text in texts:
        assert tm._ASCII_TOKEN_SPLIT_RE.split(text) == tm._TOKEN_SPLIT_RE.split(text)


def test_target_masking_hides_the_mention():
    sparse, _ = tm.featurize(["Critics accused Smith of corruption."], [(16, 21)])
    assert "u:smith" not in sparse[0]
    assert sparse[0]["L1:accused"] == 1.0
    assert sparse[0]["R1:of"] == 1.0


def test_obvious_cases(model):
    text = "The president praised Smith as a hero."
    assert model.predict([text], [_span(text, "Smith")]) == ["positive"]
    text = "Critics accused Smith of corruption."
    assert model.predict([text], [_span(text, "Smith")]) == ["negative"]


def test_the_accused_is_more_negative_than_the_accuser(model):
    text = "Critics accused Smith of corruption."
    proba = model.predict_proba([text, text], [_span(text, "Critics"), _span(text, "Smith")])
    assert proba[1, 0] > proba[0, 0]


def test_vader_baseline_thresholds():
    assert vader_baseline(["This is a wonderful, great success.", "A terrible disaster.",
                           "The meeting is on Monday."]) == ["positive", "negative", "neutral"]


# --- NewsMTSC files -----------------------------------------------------------------


def _line(text: str, targets: list[dict]) -> str:
    return json.dumps({"primary_gid": "g", "sentence_normalized": text, "targets": targets})


def test_read_newsmtsc_reports_bad_lines_and_keeps_good_ones(tmp_path):
    good = "Critics accused Smith of corruption."
    lines = [
        _line(good, [{"Input.gid": "t1", "from": 16, "to": 21, "mention": "Smith",
                      "polarity": 2.0}]),
        "{not json",
        json.dumps({"primary_gid": "g", "targets": []}),
        _line(good, [{"Input.gid": "t2", "from": 30, "to": 90, "mention": "x"}]),
        "",
        _line(good, [{"Input.gid": "t3", "from": 0, "to": 7, "mention": "Critics",
                      "further_mentions": [{"from": 0, "to": 200}]}]),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, problems = read_newsmtsc(path)
    assert [r["targets"][0]["Input.gid"] for r in records] == ["t1", "t3"]
    assert records[0]["targets"][0]["label"] == "negative"
    assert records[1]["targets"][0]["label"] is None
    assert records[1]["targets"][0]["further_mentions"] == []
    assert len(problems) == 4
    assert problems[0].startswith(f"{path}:2: bad JSON")
    assert problems[1].startswith(f"{path}:3:") and "sentence_normalized" in problems[1]
    assert problems[2].startswith(f"{path}:4:") and "out of range" in problems[2]
    assert problems[3].startswith(f"{path}:6:") and "further mention" in problems[3]


def test_read_newsmtsc_reads_gzip(tmp_path):
    path = tmp_path / "one.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(_line("Smith met Jones.", [{"Input.gid": "a", "from": 0, "to": 5,
                                             "polarity": 4.0}]) + "\n")
    records, problems = read_newsmtsc(path)
    assert problems == []
    assert records[0]["targets"][0]["mention"] == "Smith"


def test_read_newsmtsc_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_newsmtsc(tmp_path / "absent.jsonl")


def test_target_table_rows_and_columns(tmp_path, model):
    text = "Critics accused Smith of corruption, Jones said."
    path = tmp_path / "t.jsonl"
    path.write_text(
        _line(text, [
            {"Input.gid": "b", "from": 16, "to": 21, "mention": "Smith", "polarity": 2.0},
            {"Input.gid": "a", "from": 37, "to": 42, "mention": "Jones"},
        ]) + "\n" + _line("Smith praised Jones.", [
            {"Input.gid": "c", "from": 14, "to": 19, "mention": "Jones", "polarity": 6.0},
        ]) + "\n",
        encoding="utf-8",
    )
    records, problems = read_newsmtsc(path)
    assert problems == []
    table = target_table(records, model)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table["gid"].tolist() == ["b", "a", "c"]  # input order, not sorted
    assert table["label"].tolist()[0] == "negative"
    assert table["label"].isna().tolist() == [False, True, False]
    probs = table[["p_negative", "p_neutral", "p_positive"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-12)
    assert table["polarity"].tolist() == [CLASSES[k] for k in probs.argmax(axis=1)]
    assert target_table([], model).columns.tolist() == list(TABLE_COLUMNS)


# --- validity on the shared devtest split ----------------------------------------------


@pytest.mark.skipif(not DEVTEST.is_file(), reason="shared NewsMTSC devtest file not present")
def test_model_beats_sentence_vader_on_devtest(model):
    records, problems = read_newsmtsc(DEVTEST)
    assert problems == []
    table = target_table(records, model)
    texts = [r["sentence_normalized"] for r in records for _ in r["targets"]]
    gold = table["label"].tolist()
    ours = f1_score(gold, table["polarity"].tolist(), average="macro")
    vader = f1_score(gold, vader_baseline(texts), average="macro")
    assert ours >= vader + 0.10, (ours, vader)
