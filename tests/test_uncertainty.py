"""analytics.uncertainty: bootstrap intervals per outlet, two-outlet differences,
plain-language notes, and the interval charts of analytics.charts.

Synthetic samples (seeded numpy draws) check the statistics; the five seed
articles (one per outlet) check the single-article path on real scores."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from analytics.charts import fig_outlet_intervals, interval_figures, outlet_colors
from analytics.compare import Selection
from analytics.uncertainty import (
    comparison_note,
    difference,
    interval_metrics,
    outlet_intervals,
)

EVIL = "<img src=x onerror=alert(1)>"


def _frame(sizes: dict[str, int], *, shift: dict[str, float] | None = None,
           seed: int = 1) -> pd.DataFrame:
    """Articles of outlets of the given sizes, metric ``x`` ~ N(shift, 1)."""
    rng = np.random.default_rng(seed)
    shift = shift or {}
    rows = []
    for outlet, n in sizes.items():
        for i in range(n):
            rows.append({"article_id": f"{outlet}-{i}", "outlet": outlet,
                         "x": rng.normal(shift.get(outlet, 0.0), 1.0)})
    return pd.DataFrame(rows)


def _json(fig: go.Figure) -> str:
    d = fig.to_plotly_json()
    layout = {k: v for k, v in d["layout"].items() if k != "template"}
    return json.dumps({"data": d["data"], "layout": layout}, cls=PlotlyJSONEncoder)


# --- outlet_intervals ------------------------------------------------------------


def test_reproducible_with_a_fixed_seed():
    df = _frame({"A": 40, "B": 12, "C": 3})
    first = outlet_intervals(df, metrics=["x"], seed=7)
    again = outlet_intervals(df, metrics=["x"], seed=7)
    pd.testing.assert_frame_equal(first, again)
    other = outlet_intervals(df, metrics=["x"], seed=8)
    pd.testing.assert_series_equal(first["x_mean"], other["x_mean"])  # the mean is no draw
    assert not np.allclose(first["x_low"], other["x_low"])
    assert not np.allclose(first["x_high"], other["x_high"])


def test_an_outlets_interval_does_not_depend_on_the_other_outlets():
    df = _frame({"A": 40, "B": 12, "C": 3})
    alone = outlet_intervals(df[df["outlet"] == "A"], metrics=["x"]).iloc[0]
    together = outlet_intervals(df, metrics=["x"]).set_index("outlet").loc["A"]
    assert alone["x_low"] == together["x_low"] and alone["x_high"] == together["x_high"]


def test_coverage_on_a_normal_sample():
    """The 95% interval holds the true mean for most of 200 outlets of 30 articles."""
    rng = np.random.default_rng(2024)
    true_mean = 3.0
    df = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(200 * 30)],
        "outlet": np.repeat([f"outlet {k:03d}" for k in range(200)], 30),
        "x": rng.normal(true_mean, 2.0, size=200 * 30),
    })
    iv = outlet_intervals(df, metrics=["x"], n_boot=2000, seed=0)
    assert len(iv) == 200 and (iv["x_n"] == 30).all()
    assert (iv["x_low"] <= iv["x_mean"]).all() and (iv["x_mean"] <= iv["x_high"]).all()
    covered = ((iv["x_low"] <= true_mean) & (true_mean <= iv["x_high"])).mean()
    assert covered > 0.85
    # Width near the normal theory's 2 * 1.96 * sigma / sqrt(n).
    width = (iv["x_high"] - iv["x_low"]).median()
    assert 0.8 * 3.92 * 2.0 / np.sqrt(30) < width < 1.2 * 3.92 * 2.0 / np.sqrt(30)


def test_single_and_few_article_outlets_are_flagged():
    df = _frame({"Big": 9, "Pair": 2, "Four": 4, "Five": 5, "Lone": 1})
    iv = outlet_intervals(df, metrics=["x"]).set_index("outlet")
    lone = iv.loc["Lone"]
    assert lone["x_mean"] == pytest.approx(df.loc[df["outlet"] == "Lone", "x"].iloc[0])
    assert pd.isna(lone["x_low"]) and pd.isna(lone["x_high"])
    assert lone["single_article"] and not lone["few_articles"] and lone["x_n"] == 1
    for name in ("Pair", "Four"):
        assert iv.loc[name, "few_articles"] and not iv.loc[name, "single_article"]
        assert iv.loc[name, "x_low"] <= iv.loc[name, "x_high"]
    for name in ("Five", "Big"):
        assert not iv.loc[name, "few_articles"] and not iv.loc[name, "single_article"]
    assert list(iv.index) == ["Big", "Five", "Four", "Pair", "Lone"]  # most articles first


def test_nulls_are_skipped_and_counted():
    df = _frame({"A": 6})
    df["y"] = [1.0, np.nan, 3.0, np.nan, np.nan, np.nan]
    df["z"] = [np.nan, np.nan, 5.0, np.nan, np.nan, np.nan]
    row = outlet_intervals(df, metrics=["x", "y", "z"]).iloc[0]
    assert row["n_articles"] == 6 and row["x_n"] == 6
    assert row["y_n"] == 2 and row["y_mean"] == pytest.approx(2.0)
    assert 1.0 <= row["y_low"] <= row["y_high"] <= 3.0
    assert row["z_n"] == 1 and row["z_mean"] == 5.0 and pd.isna(row["z_low"])
    assert "a single article: no interval" in comparison_note(row, metric="z")


def test_columns_for_every_default_metric_on_the_seeds(scored_seeds):
    scores = scored_seeds.scores
    metrics = interval_metrics(scores)
    for wanted in ("text_words", "sentiment_mean", "readability_flesch_reading_ease",
                   "hedge_per_1k", "booster_per_1k"):
        assert wanted in metrics
    assert any(m.startswith("framing_") for m in metrics)
    for left_out in ("article_id", "text_non_english", "readability_flag", "source_ref"):
        assert left_out not in metrics
    iv = outlet_intervals(scores)
    for m in metrics:
        for suffix in ("_mean", "_low", "_high", "_n"):
            assert f"{m}{suffix}" in iv.columns
    assert len(iv) == scores["outlet"].nunique() == 5
    assert iv["single_article"].all() and (iv["n_articles"] == 1).all()
    assert iv[[f"{m}_low" for m in metrics]].isna().all().all()
    assert iv.attrs["level"] == 0.95 and iv.attrs["n_boot"] == 2000


def test_actor_sentiment_columns_are_default_metrics():
    df = _frame({"A": 3})
    df["actor_nato_sentiment_mean"] = [0.1, 0.2, 0.3]
    df["text_non_english"] = False
    assert interval_metrics(df) == ["actor_nato_sentiment_mean"]


def test_exclusion_of_ids_changes_n():
    df = _frame({"A": 10, "B": 3})
    full = outlet_intervals(df, metrics=["x"]).set_index("outlet")
    dropped = outlet_intervals(df, metrics=["x"], exclude={"A-0", "A-1", "B-0", "B-1"})
    dropped = dropped.set_index("outlet")
    assert full.loc["A", "n_articles"] == 10 and dropped.loc["A", "n_articles"] == 8
    assert dropped.loc["A", "x_n"] == 8
    assert dropped.loc["B", "single_article"] and pd.isna(dropped.loc["B", "x_low"])
    kept = df[~df["article_id"].isin(["A-0", "A-1"])]
    assert dropped.loc["A", "x_mean"] == pytest.approx(kept.loc[kept["outlet"] == "A", "x"].mean())


def test_invalid_options_raise():
    df = _frame({"A": 5})
    with pytest.raises(ValueError, match="lack metric"):
        outlet_intervals(df, metrics=["nope"])
    with pytest.raises(ValueError, match="level"):
        outlet_intervals(df, metrics=["x"], level=95)
    with pytest.raises(ValueError, match="n_boot"):
        outlet_intervals(df, metrics=["x"], n_boot=0)
    with pytest.raises(ValueError, match="not numeric"):
        outlet_intervals(df, metrics=["outlet"])


def test_null_outlet_and_other_grouping():
    df = _frame({"A": 4})
    df["outlet"] = [None, None, "A", "A"]
    df["topic"] = ["t1", "t1", "t1", "t2"]
    by_outlet = outlet_intervals(df, metrics=["x"])
    assert set(by_outlet["outlet"]) == {"A", "(unknown outlet)"}
    by_topic = outlet_intervals(df, metrics=["x"], by="topic")
    assert list(by_topic.columns[:2]) == ["topic", "n_articles"]
    assert by_topic.set_index("topic")["n_articles"].to_dict() == {"t1": 3, "t2": 1}


def test_empty_scores_give_an_empty_table():
    iv = outlet_intervals(_frame({"A": 3}).iloc[:0], metrics=["x"])
    assert iv.empty and "x_low" in iv.columns


# --- difference --------------------------------------------------------------------


def test_difference_unsupported_when_one_side_has_one_article():
    df = _frame({"A": 10, "Lone": 1})
    d = difference(df, "A", "Lone", "x")
    assert d["supported"] is False
    assert "Lone" in d["reason"] and "single article" in d["reason"]
    assert d["low"] is None and d["high"] is None
    assert d["n_a"] == 10 and d["n_b"] == 1
    assert d["diff"] == pytest.approx(d["mean_a"] - d["mean_b"])
    missing = difference(df, "A", "Nowhere", "x")
    assert missing["supported"] is False and "no articles" in missing["reason"]


def test_difference_finds_a_real_gap_and_not_a_fake_one():
    df = _frame({"A": 40, "B": 40, "C": 40}, shift={"B": 1.5})
    gap = difference(df, "B", "A", "x")
    assert gap["supported"] and gap["low"] > 0 and "excludes zero" in gap["reason"]
    assert gap["low"] < gap["diff"] < gap["high"]
    same = difference(df, "A", "C", "x")
    assert same["supported"] and same["low"] < 0 < same["high"]
    assert "cannot tell" in same["reason"]
    iv = outlet_intervals(df, metrics=["x"]).set_index("outlet")
    assert gap["mean_a"] == pytest.approx(iv.loc["B", "x_mean"])
    assert difference(df, "B", "A", "x") == gap  # reproducible
    assert difference(df, "B", "A", "x", seed=1)["low"] != gap["low"]


def test_difference_warns_about_few_articles():
    df = _frame({"A": 30, "Few": 3})
    d = difference(df, "A", "Few", "x")
    assert d["supported"] and "too narrow" in d["reason"]


# --- comparison_note ------------------------------------------------------------------


def test_comparison_notes():
    df = _frame({"A": 30, "B": 30, "Lone": 1}, shift={"B": 0.05})
    iv = outlet_intervals(df, metrics=["x"])
    lone = iv[iv["outlet"] == "Lone"].iloc[0]
    assert comparison_note(lone) == "Lone stands on a single article: no interval."
    note = comparison_note(iv)
    assert "Lone stands on a single article: no interval." in note
    assert "Intervals overlap: the data cannot tell these outlets apart on this metric." in note
    apart = outlet_intervals(_frame({"A": 30, "B": 30}, shift={"B": 3.0}), metrics=["x"])
    assert "do not overlap" in comparison_note(apart)
    two = outlet_intervals(df.assign(y=df["x"]), metrics=["x", "y"])
    assert comparison_note(two, metric="x") == note
    with pytest.raises(ValueError, match="metric="):
        comparison_note(two)
    assert comparison_note(iv.iloc[:0]) == "No outlets in this selection."


def test_note_on_the_seeds(scored_seeds):
    iv = outlet_intervals(scored_seeds.scores, metrics=["sentiment_mean"])
    assert "single article" in comparison_note(iv)


# --- charts ---------------------------------------------------------------------------


def test_interval_chart_builds_escapes_and_shows_n():
    df = _frame({EVIL: 12, "The Indian Express": 1, "Few": 3})
    iv = outlet_intervals(df, metrics=["x"])
    fig = fig_outlet_intervals(iv, "x", outlet_colors(iv["outlet"]))
    assert isinstance(fig, go.Figure)
    text = _json(fig)
    assert EVIL not in text and "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; (n=12)" in text
    labels = [y for trace in fig.data for y in trace.y]
    assert "The Indian Express (n=1)" in labels and "Few (n=3)" in labels
    by_name = {trace.name: trace for trace in fig.data}
    single = by_name["1 article: no interval"]
    assert single.marker.symbol == "circle-open" and single.error_x.array is None
    assert list(single.y) == ["The Indian Express (n=1)"]
    full = by_name["95% interval"]
    assert full.error_x.array is not None and full.error_x.array[0] > 0
    assert "12 articles" in str(full.customdata[0]) and "interval" in full.hovertemplate
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "no interval" in notes


def test_interval_chart_rejects_a_missing_metric():
    iv = outlet_intervals(_frame({"A": 3}), metrics=["x"])
    with pytest.raises(ValueError, match="lacks"):
        fig_outlet_intervals(iv, "y", {})


def test_interval_figures_on_the_seeds(scored_seeds):
    scores = scored_seeds.scores
    figs = interval_figures(scores, Selection(), ["sentiment_mean", "hedge_per_1k"])
    assert list(figs) == ["sentiment_mean", "hedge_per_1k"]
    fig = figs["sentiment_mean"]
    labels = [y for trace in fig.data for y in trace.y]
    assert "The Indian Express (n=1)" in labels
    assert all(trace.error_x.array is None for trace in fig.data)
    assert sum("no interval" in (a.text or "") for a in fig.layout.annotations) == 5
    default = interval_figures(scores, Selection(outlets=("The Indian Express",)))
    assert "sentiment_mean" in default and "hedge_per_1k" in default
    with pytest.raises(ValueError, match="hits"):
        interval_figures(scores, Selection(voice="authorial"), ["hedge_per_1k"])
    voiced = interval_figures(scores, Selection(voice="authorial"), ["hedge_per_1k"],
                              hits=scored_seeds.hits, sentences=scored_seeds.sentences)
    assert "authorial voice" in voiced["hedge_per_1k"].layout.title.text
    empty = interval_figures(scores, Selection(outlets=()), ["sentiment_mean"])
    assert "No articles" in " ".join(a.text for a in empty["sentiment_mean"].layout.annotations)
