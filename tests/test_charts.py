"""analytics.charts on the five seed articles: every dashboard figure builds,
names its outlets, escapes article-derived text and keeps outlet colours."""

from __future__ import annotations

import html
import json
from typing import Any

import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from analytics import charts
from analytics.charts import (
    FIGURE_NAMES,
    PALETTE,
    chart_config,
    dashboard_figures,
    fig_sentiment_arc,
    fig_sentiment_distribution,
    outlet_colors,
)
from analytics.compare import VOICES, Selection, sentence_frame

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def outlets(scored) -> list[str]:
    return sorted(scored.scores["outlet"].unique())


def _figs(scored, loaded, selection: Selection) -> dict[str, go.Figure]:
    return dashboard_figures(scored.scores, scored.sentences, scored.hits, loaded.articles,
                             selection)


def _json(fig: go.Figure) -> str:
    return json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder)


def _data_json(fig: go.Figure) -> str:
    """Traces, titles and annotations (the template left out)."""
    d = fig.to_plotly_json()
    layout = {k: v for k, v in d["layout"].items() if k != "template"}
    return json.dumps({"data": d["data"], "layout": layout}, cls=PlotlyJSONEncoder)


def _axis_titles(fig: go.Figure) -> tuple[list[str], list[str]]:
    layout = fig.to_plotly_json()["layout"]
    xs, ys = [], []
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            text = (axis.get("title") or {}).get("text")
            if text:
                (xs if key.startswith("x") else ys).append(text)
    return xs, ys


def _annotations(fig: go.Figure) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


@pytest.mark.parametrize("voice", VOICES)
def test_every_figure_builds_for_every_voice(scored, loaded, outlets, voice):
    figs = _figs(scored, loaded, Selection(voice=voice))
    assert list(figs) == list(FIGURE_NAMES)
    for name, fig in figs.items():
        assert isinstance(fig, go.Figure), name
        assert fig.layout.title.text, name
        xs, ys = _axis_titles(fig)
        assert xs and ys, f"{name} lacks axis titles"
        assert fig.layout.width >= 600 and fig.layout.height >= 300, name
        assert fig.layout.template.layout.paper_bgcolor == "white", name
        data = _data_json(fig)
        if name == "sentiment_arc":  # one article: named in the title / subtitle
            assert scored.scores["outlet"].iloc[0] in data
            continue
        for outlet in outlets:
            assert html.escape(outlet) in data, (name, outlet)


def test_outlet_subset(scored, loaded, outlets):
    chosen = tuple(outlets[:2])
    figs = _figs(scored, loaded, Selection(outlets=chosen, voice="quoted"))
    for name, fig in figs.items():
        data = _data_json(fig)
        if name != "sentiment_arc":
            for outlet in chosen:
                assert outlet in data, (name, outlet)
        for outlet in outlets[2:]:
            assert outlet not in data, (name, outlet)
    # the arc defaults to the first article of the selection
    first = scored.scores[scored.scores["outlet"].isin(chosen)].iloc[0]
    assert html.escape(first["title"]) in figs["sentiment_arc"].layout.title.text


def test_hover_shows_value_and_article_count(scored, loaded):
    figs = _figs(scored, loaded, Selection())
    for name in ("overview", "sentiment_voices", "readability", "lexicon_rates",
                 "framing_heatmap", "sentiment_distribution"):
        data = _data_json(figs[name])
        assert "1 article" in data, name
        assert "hovertemplate" in data, name


def _collect_strings(obj: Any, out: list[str]) -> list[str]:
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            _collect_strings(v, out)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _collect_strings(v, out)
    elif hasattr(obj, "tolist"):
        _collect_strings(obj.tolist(), out)
    return out


@pytest.mark.parametrize("voice", ["all", "quoted"])
def test_article_text_is_escaped(scored, loaded, voice):
    scores = scored.scores.copy()
    articles = loaded.articles.copy()
    sentences = scored.sentences.copy()
    hits = scored.hits.copy()
    aid = scores["article_id"].iloc[0]
    evil_outlet = f"Evil {EVIL} News & Co"
    for df in (scores, articles):
        df.loc[df["article_id"] == aid, "outlet"] = evil_outlet
        df.loc[df["article_id"] == aid, "title"] = f"{EVIL} headline"
    sentences.loc[sentences["article_id"] == aid, "text"] = f"He said {EVIL} today."
    # a user lexicon's category name is data too
    scores = scores.rename(columns={"framing_labels_per_1k": f"framing_{EVIL}_per_1k"})
    hits.loc[hits["category"] == "labels", "category"] = EVIL
    figs = dashboard_figures(scores, sentences, hits, articles,
                             Selection(voice=voice, article_id=aid))
    for name, fig in figs.items():
        strings = _collect_strings(fig.to_plotly_json(), [])
        assert not any("<img" in s.lower() for s in strings), name
        assert "&lt;img" in _json(fig), name
    assert "&lt;img src=x onerror=alert(1)&gt; headline" in figs["sentiment_arc"].layout.title.text
    assert "Evil &lt;img" in _data_json(figs["overview"])


def _outlet_color_pairs(fig: go.Figure) -> list[tuple[str, str]]:
    """(outlet label, colour) for every trace that colours outlets."""
    pairs = []
    for tr in fig.data:
        marker = getattr(tr, "marker", None)
        color = getattr(marker, "color", None) if marker is not None else None
        if tr.type == "box":
            pairs.append((tr.name.rsplit(" (", 1)[0], color))
        elif tr.type in ("bar", "scatter") and tr.y is not None and isinstance(
                color, tuple | list) and len(color) == len(tr.y):
            pairs.extend(zip(tr.y, color, strict=True))
    return [(str(o), str(c)) for o, c in pairs if isinstance(o, str)]


def test_outlet_colours_identical_across_figures(scored, loaded, outlets):
    figs = _figs(scored, loaded, Selection(voice="authorial"))
    expected = {html.escape(o): c for o, c in outlet_colors(outlets).items()}
    seen: dict[str, set[str]] = {}
    covered = set()
    for name, fig in figs.items():
        for outlet, color in _outlet_color_pairs(fig):
            seen.setdefault(outlet, set()).add(color)
            if outlet in expected:
                covered.add(name)
                assert color == expected[outlet], (name, outlet)
    assert {"overview", "sentiment_distribution", "sentiment_voices", "readability",
            "lexicon_rates"} <= covered
    assert all(len(c) == 1 for c in seen.values())


def test_outlet_colors_deterministic():
    a = outlet_colors(["b", "a", "c"])
    assert a == outlet_colors(["c", "b", "a", "a"])
    assert a["a"] == PALETTE[0] and a["b"] == PALETTE[1]
    many = [f"outlet {i:03d}" for i in range(len(PALETTE) + 5)]
    cols = outlet_colors(many)
    assert len(cols) == len(many)
    assert cols[many[len(PALETTE)]] == PALETTE[0]  # cycles
    assert len(set(list(cols.values())[: len(PALETTE)])) == len(PALETTE)


def test_empty_selection_gives_annotated_figures(scored, loaded):
    figs = _figs(scored, loaded, Selection(outlets=()))
    assert list(figs) == list(FIGURE_NAMES)
    for name, fig in figs.items():
        assert "No articles in this selection" in _annotations(fig), name
        assert fig.layout.title.text, name
    figs = _figs(scored, loaded, Selection(outlets=("Nobody",)))
    assert "No articles" in _annotations(figs["overview"])


def test_overview_notes_single_article_outlets(scored, loaded):
    fig = _figs(scored, loaded, Selection())["overview"]
    assert "single article" in _annotations(fig)


def test_arc_for_chosen_article(scored, loaded):
    row = scored.scores.iloc[2]
    figs = _figs(scored, loaded, Selection(article_id=row["article_id"]))
    arc = figs["sentiment_arc"]
    assert html.escape(row["title"]) in arc.layout.title.text
    sents = scored.sentences[scored.sentences["article_id"] == row["article_id"]]
    n_points = sum(len(t.x) for t in arc.data if t.mode == "markers")
    assert n_points == len(sents)
    hovers = [c[0] for t in arc.data if t.mode == "markers" for c in t.customdata]
    assert all(len(h.replace("<br>", " ")) <= 260 for h in hovers)
    names = {t.name for t in arc.data if t.mode == "markers"}
    assert "Authorial sentence" in names and len(names) >= 2  # quoted ones marked apart
    missing = _figs(scored, loaded, Selection(article_id="0000"))["sentiment_arc"]
    assert "not in this corpus" in _annotations(missing)


def test_arc_and_distribution_direct_calls(scored):
    empty = fig_sentiment_arc(scored.sentences.iloc[:0], "x")
    assert "No sentences" in _annotations(empty)
    frame = sentence_frame(scored.sentences, scored.scores, "all")
    colors = outlet_colors(frame["outlet"])
    with_points = fig_sentiment_distribution(frame, colors)
    assert any(t.type == "scatter" for t in with_points.data)
    boxes_only = fig_sentiment_distribution(frame, colors, max_points=10)
    assert {t.type for t in boxes_only.data} == {"box"}
    assert len(boxes_only.data) == frame["outlet"].nunique()  # one box per outlet


def test_framing_category_highlight_and_validation(scored, loaded):
    figs = _figs(scored, loaded, Selection(framing_category="legality"))
    assert len(figs["framing_heatmap"].layout.shapes) == 1
    with pytest.raises(ValueError, match="legality"):
        _figs(scored, loaded, Selection(framing_category="nonsense"))


def test_chart_config():
    assert chart_config("overview") == {
        "toImageButtonOptions": {"format": "png", "filename": "slantscope_overview", "scale": 2},
        "displaylogo": False,
    }


def test_charts_never_import_streamlit():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(charts))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(n.split(".")[0] == "streamlit" for n in names)


def test_voice_without_text_says_so(scored, loaded):
    scores = scored.scores.assign(text_words_quoted=0, sentiment_quoted_mean=float("nan"))
    sentences = scored.sentences.assign(sentiment_quoted=None)
    hits = scored.hits.assign(in_quote=False)
    figs = dashboard_figures(scores, sentences, hits, loaded.articles, Selection(voice="quoted"))
    for name in ("overview", "sentiment_distribution", "lexicon_rates", "framing_heatmap"):
        assert "No quoted" in _annotations(figs[name]), name


def _spec(fig: go.Figure) -> Any:
    return json.loads(_json(fig))


@pytest.mark.parametrize("voice", VOICES)
def test_figures_are_what_plotly_makes_of_them(scored, loaded, outlets, voice):
    """Figures built in one step (traces and layout as dicts, the template
    attached as its JSON) hold only valid properties, in the form plotly's
    validating constructor gives them, and the plotly_white template."""
    import plotly.io as pio

    from analytics.compare import outlet_summary
    from analytics.uncertainty import outlet_intervals

    figs = dict(_figs(scored, loaded, Selection(outlets=tuple(outlets[:3]), voice=voice,
                                                framing_category="legality")))
    figs["empty"] = _figs(scored, loaded, Selection(outlets=("nobody",), voice=voice))[
        "overview"]
    ivals = outlet_intervals(scored.scores, metrics=["sentiment_mean", "hedge_per_1k"])
    colors = charts.outlet_colors(outlets)
    for metric in ("sentiment_mean", "hedge_per_1k"):
        figs[metric] = charts.fig_outlet_intervals(ivals, metric, colors, voice=voice)
    summary = outlet_summary(scored.scores)
    figs["boxes"] = charts.fig_sentiment_distribution(
        None, colors, voice=voice, stats=charts.sentence_stats(sentence_frame(
            scored.sentences, scored.scores, voice).assign(
                outlet=lambda d: d["outlet"].astype(str))))
    figs["panels"] = charts.fig_overview(summary.head(1), colors=colors, voice=voice)
    template = _spec(go.Figure(layout={"template": charts.TEMPLATE}))["layout"]["template"]
    for name, fig in figs.items():
        spec = _spec(fig)
        assert _spec(go.Figure(fig.to_dict())) == spec, name
        assert spec["layout"]["template"] == template, name
        assert fig.layout.template == pio.templates[charts.TEMPLATE], name


def test_frame_colors_are_outlet_colors_of_the_outlet_names():
    import pandas as pd

    from analytics.compare import outlet_names

    df = pd.DataFrame({"outlet": pd.array(["b", None, "a", "b", "c"], dtype="string")})
    for frame in (df, df.dropna(), df.iloc[:0], df.drop(columns="outlet"),
                  df.astype({"outlet": object}), df.astype({"outlet": "category"})):
        assert charts.frame_colors(frame) == charts.outlet_colors(outlet_names(frame))
