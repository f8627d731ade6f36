"""analytics.compare on the five seed articles (see seeds/manifest.csv)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analytics import compare
from analytics.compare import (
    VOICES,
    Selection,
    framing_categories,
    framing_matrix,
    kwic,
    metric_label,
    outlet_summary,
    sentence_frame,
    top_outlets,
    voice_scores,
)


def _hand_rate(hits: pd.DataFrame, aid: str, words: int, *, in_quote: bool, family: str,
               category: str | None = None) -> float:
    h = hits[(hits["article_id"] == aid) & (hits["family"] == family)]
    if category is not None:
        h = h[h["category"] == category]
    n = sum(1 for q in h["in_quote"] if bool(q) is in_quote)
    return 1000.0 * n / words


# --- voices --------------------------------------------------------------------


def test_voices_and_invalid_voice():
    assert VOICES == ("all", "authorial", "quoted")
    with pytest.raises(ValueError, match="all, authorial, quoted"):
        compare.check_voice("narrator")
    with pytest.raises(ValueError, match="authorial"):
        Selection(voice="narrator")  # type: ignore[arg-type]


def test_voice_all_returns_scores_unchanged(scored):
    out = voice_scores(scored.scores, scored.hits, "all")
    pd.testing.assert_frame_equal(out, scored.scores)


@pytest.mark.parametrize("voice", ["authorial", "quoted"])
def test_voice_rates_equal_hits_counted_by_hand(scored, voice):
    scores, hits = scored.scores, scored.hits
    out = voice_scores(scores, hits, voice)
    in_quote = voice == "quoted"
    cats = framing_categories(scores.columns)
    assert cats  # the default conflict set
    for _, row in out.iterrows():
        aid = row["article_id"]
        words = int(scores.loc[scores["article_id"] == aid, f"text_words_{voice}"].iloc[0])
        assert words > 0
        assert row["text_words"] == words
        for fam in ("hedge", "booster"):
            want = _hand_rate(hits, aid, words, in_quote=in_quote, family=fam)
            assert row[f"{fam}_per_1k"] == pytest.approx(want)
            # and the pipeline's own per-voice column agrees
            assert row[f"{fam}_per_1k"] == pytest.approx(row[f"{fam}_{voice}_per_1k"])
        for cat in cats:
            want = _hand_rate(hits, aid, words, in_quote=in_quote, family="framing", category=cat)
            assert row[f"framing_{cat}_per_1k"] == pytest.approx(want)
    # sentiment_mean is the voice's mean; readability stays whole-text
    pd.testing.assert_series_equal(out["sentiment_mean"], scores[f"sentiment_{voice}_mean"],
                                   check_names=False)
    pd.testing.assert_series_equal(out["readability_flesch_reading_ease"],
                                   scores["readability_flesch_reading_ease"])
    # the input is not modified
    assert not scores["hedge_per_1k"].equals(out["hedge_per_1k"])


def test_voice_rates_null_without_words(scored):
    scores = scored.scores.copy()
    scores.loc[0, "text_words_quoted"] = 0
    out = voice_scores(scores, scored.hits, "quoted")
    assert pd.isna(out.loc[0, "hedge_per_1k"])
    assert pd.isna(out.loc[0, "framing_legality_per_1k"])
    assert out.loc[1:, "hedge_per_1k"].notna().all()


def test_voice_sentence_stats_from_sentences(scored):
    sents = scored.sentences
    out = voice_scores(scored.scores, scored.hits, "authorial", sentences=sents)
    for _, row in out.iterrows():
        vals = sents.loc[sents["article_id"] == row["article_id"], "sentiment_authorial"]
        vals = [float(v) for v in vals if pd.notna(v)]
        assert row["sentiment_min"] == pytest.approx(min(vals))
        assert row["sentiment_max"] == pytest.approx(max(vals))
        assert row["sentiment_neg_share"] == pytest.approx(
            sum(v <= -0.05 for v in vals) / len(vals))
        assert row["sentiment_pos_share"] == pytest.approx(
            sum(v >= 0.05 for v in vals) / len(vals))
        assert row["sentiment_mean"] == pytest.approx(np.mean(vals))
    # without sentences the whole-text shares would be mislabelled: null
    bare = voice_scores(scored.scores, scored.hits, "authorial")
    assert bare["sentiment_neg_share"].isna().all()


# --- outlet summary --------------------------------------------------------------


def test_outlet_summary_against_hand_computation(scored):
    scores = scored.scores.copy()
    ids = scores["article_id"].tolist()
    scores.loc[scores["article_id"].isin(ids[:3]), "outlet"] = "Shared Outlet"
    scores.loc[scores["article_id"] == ids[1], "hedge_per_1k"] = np.nan  # skipped
    metrics = ["sentiment_mean", "hedge_per_1k"]
    out = outlet_summary(scores, metrics=metrics)
    assert list(out.columns) == ["outlet", "n_articles", "words", "sentiment_mean",
                                 "sentiment_mean_n", "hedge_per_1k", "hedge_per_1k_n"]
    assert out["outlet"].iloc[0] == "Shared Outlet"  # most articles first
    assert out["n_articles"].tolist() == [3, 1, 1]
    assert out["outlet"].iloc[1:].tolist() == sorted(out["outlet"].iloc[1:])  # then by name
    shared = out.iloc[0]
    three = scores[scores["article_id"].isin(ids[:3])]
    assert shared["words"] == int(three["text_words"].sum())
    assert shared["sentiment_mean"] == pytest.approx(three["sentiment_mean"].sum() / 3)
    h = scores.loc[scores["article_id"].isin([ids[0], ids[2]]), "hedge_per_1k"]
    assert shared["hedge_per_1k"] == pytest.approx(h.sum() / 2)
    assert shared["sentiment_mean_n"] == 3
    assert shared["hedge_per_1k_n"] == 2
    for _, row in out.iloc[1:].iterrows():
        src = scores[scores["outlet"] == row["outlet"]].iloc[0]
        assert row["sentiment_mean"] == pytest.approx(src["sentiment_mean"])


def test_outlet_summary_deterministic_and_default_metrics(scored):
    a = outlet_summary(scored.scores)
    b = outlet_summary(scored.scores.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(a, b)
    for col in ("sentiment_mean", "readability_gunning_fog", "hedge_per_1k",
                "framing_legality_per_1k", "framing_legality_per_1k_n"):
        assert col in a.columns
    assert "readability_flag" not in a.columns
    with pytest.raises(ValueError, match="no_such_metric"):
        outlet_summary(scored.scores, metrics=["no_such_metric"])


def test_framing_matrix(scored):
    summary = outlet_summary(scored.scores)
    cats = framing_categories(scored.scores.columns)
    m = framing_matrix(summary, cats)
    assert m.shape == (len(summary), len(cats))
    assert list(m.index) == summary["outlet"].tolist()
    assert m.loc[summary["outlet"].iloc[0], "legality"] == pytest.approx(
        summary["framing_legality_per_1k"].iloc[0])
    with pytest.raises(ValueError, match="nonsense"):
        framing_matrix(summary, ["nonsense"])


def test_top_outlets(scored):
    scores = scored.scores.copy()
    scores.loc[[3, 4], "outlet"] = "Zeta"
    assert top_outlets(scores, 2) == ["Zeta", sorted(scores["outlet"].iloc[:3])[0]]
    assert len(top_outlets(scores)) == 4


# --- evidence ----------------------------------------------------------------------


@pytest.mark.parametrize("voice", VOICES)
def test_sentence_frame(scored, voice):
    sents, scores = scored.sentences, scored.scores
    out = sentence_frame(sents, scores, voice)
    src = {"all": "sentiment_compound", "authorial": "sentiment_authorial",
           "quoted": "sentiment_quoted"}[voice]
    assert len(out) == int(sents[src].notna().sum())
    assert out["compound"].notna().all()
    assert {"outlet", "title", "source_ref", "article_id", "text"} <= set(out.columns)
    by_id = scores.set_index("article_id")
    for _, row in out.head(20).iterrows():
        assert row["outlet"] == by_id.loc[row["article_id"], "outlet"]
    # restricting the scores restricts the sentences
    one = sentence_frame(sents, scores.iloc[:1], voice)
    assert set(one["article_id"]) <= {scores["article_id"].iloc[0]}


def _collapse(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def test_kwic_context_comes_from_the_text(scored, loaded):
    articles = loaded.articles
    texts = dict(zip(articles["article_id"], articles["text"], strict=True))
    out = kwic(scored.hits, articles, width=40)
    assert list(out.columns) == list(compare.KWIC_COLUMNS)
    assert len(out) == len(scored.hits)
    for _, row in out.iterrows():
        text = texts[row["article_id"]]
        assert row["match"] == text[int(row["start"]) : int(row["end"])]
        assert len(row["left"]) <= 40 and len(row["right"]) <= 40
        assert _collapse(row["left"] + row["match"] + row["right"]) in _collapse(text)
        if int(row["start"]) >= 200:  # enough text before: the full width
            assert len(row["left"]) == 40
    keys = list(zip(out["outlet"], out["article_id"], out["start"], strict=True))
    assert keys == sorted(keys)


def test_kwic_filters(scored, loaded):
    outlet = loaded.articles["outlet"].iloc[0]
    q = kwic(scored.hits, loaded.articles, outlet=outlet, family="framing",
             category="legality", voice="quoted")
    assert set(q["outlet"]) <= {outlet}
    assert set(q["family"]) <= {"framing"} and set(q["category"]) <= {"legality"}
    assert q["in_quote"].all()
    a = kwic(scored.hits, loaded.articles, family="hedge", voice="authorial")
    assert len(a) and not a["in_quote"].any()
    assert len(kwic(scored.hits, loaded.articles, outlet="Nobody")) == 0


# --- labels ----------------------------------------------------------------------------


def test_metric_labels():
    assert metric_label("hedge_per_1k") == "Hedges per 1,000 words"
    assert metric_label("booster_per_1k") == "Boosters per 1,000 words"
    assert metric_label("readability_flesch_reading_ease") == (
        "Flesch reading ease (higher = easier)")
    assert metric_label("sentiment_mean") == "Mean sentence sentiment (VADER compound, -1..1)"
    assert metric_label("framing_legality_per_1k") == "Legality framing terms per 1,000 words"
    assert metric_label("hedge_quoted_per_1k") == "Hedges per 1,000 quoted words"
    assert "higher = harder" in metric_label("readability_gunning_fog")
    assert metric_label("some_new_column")  # never empty
    assert metric_label("hedge_per_1k_n") == "Articles with a value: Hedges per 1,000 words"
