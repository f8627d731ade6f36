"""Plotly figures of the dashboard: ``fig_*(data, ...) -> plotly Figure``.

Pure functions over the tables of :mod:`analytics.compare`; no streamlit.
:func:`dashboard_figures` builds every chart for a :class:`~analytics.compare.Selection`
and is what both the dashboard and the batch export call, so the two never
diverge.

Conventions every figure follows:

* a title, axis titles with units (:func:`analytics.compare.metric_label`),
  outlets named by tick labels or a legend;
* hover text with the value and the number of articles behind it;
* one colour per outlet, the same in every figure (:func:`outlet_colors`);
* article-derived text (outlet names, titles, sentences, lexicon categories)
  is data, never markup: it goes through :func:`html.escape` before Plotly,
  which renders a subset of HTML in titles, labels, hovers and annotations;
* a ``plotly_white`` template and a default size that exports readably.

Examples
--------
>>> from analytics.corpus import load_corpus
>>> from analytics.pipeline import score_corpus
>>> from analytics.compare import Selection
>>> loaded = load_corpus("seeds")
>>> scored = score_corpus(loaded.articles, engine="serial")
>>> figs = dashboard_figures(scored.scores, scored.sentences, scored.hits, loaded.articles,
...                          Selection(voice="authorial"))
>>> sorted(figs)  # doctest: +NORMALIZE_WHITESPACE
['framing_heatmap', 'lexicon_rates', 'overview', 'readability', 'sentiment_arc',
 'sentiment_distribution', 'sentiment_voices']
"""

from __future__ import annotations

import copy
import html
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from analytics import schema
from analytics.compare import (
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    UNKNOWN_OUTLET,
    Selection,
    Voice,
    check_voice,
    framing_categories,
    framing_matrix,
    lexicon_families,
    metric_label,
    outlet_names,
    outlet_summary,
    select_outlets,
    sentence_frame,
    sentence_stats,
    time_series,
    voice_scores,
)
from analytics.uncertainty import FEW_ARTICLES, outlet_intervals

#: Keys of :func:`dashboard_figures`, in dashboard order.
FIGURE_NAMES: tuple[str, ...] = (
    "overview",
    "sentiment_distribution",
    "sentiment_voices",
    "sentiment_arc",
    "readability",
    "lexicon_rates",
    "framing_heatmap",
)

#: The key metrics of the overview chart.
OVERVIEW_METRICS: tuple[str, ...] = (
    "sentiment_mean",
    "sentiment_neg_share",
    "readability_flesch_reading_ease",
    "hedge_per_1k",
    "booster_per_1k",
    "text_words",
)

TEMPLATE = "plotly_white"
WIDTH = 900
MIN_HEIGHT = 420
MAX_HEIGHT = 4000
EMPTY_MESSAGE = "No articles in this selection"

#: Above this many sentences the distribution chart draws boxes only.
MAX_POINTS = 3000


def _palette() -> list[str]:
    """Tableau 10 first (the most distinct), then Dark24 and Light24, no repeats."""
    out: list[str] = []
    for c in [*qualitative.T10, *qualitative.Dark24, *qualitative.Light24]:
        if c.upper() not in {x.upper() for x in out}:
            out.append(c)
    return out


PALETTE: tuple[str, ...] = tuple(_palette())
_BOTTOM_LEGEND = {"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom",
                  "x": 0, "xanchor": "left"}
_GREY = "#7f7f7f"


# --- small helpers --------------------------------------------------------------


def esc(value: Any) -> str:
    """Text for Plotly: HTML-escaped (``<`` -> ``&lt;``); null -> ``""``.

    Quotes become numeric entities, the form Plotly decodes (it does not
    know ``&quot;``).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value)).replace("&quot;", "&#34;")


def _truncate(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _wrap(text: str, width: int = 34) -> str:
    """Escape ``text`` and break it into ``<br>``-joined lines."""
    return "<br>".join(esc(line) for line in textwrap.wrap(str(text), width) or [""])


def _articles(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n:,} articles"


def _voice_note(voice: str) -> str:
    return {"all": "", "authorial": " (authorial voice)", "quoted": " (quoted voice)"}[voice]


def _height(n_rows: int, *, per_row: int = 26, base: int = 200) -> int:
    return int(min(MAX_HEIGHT, max(MIN_HEIGHT, base + per_row * n_rows)))


def _title_spec(title: str, subtitle: str | None) -> dict[str, Any]:
    spec: dict[str, Any] = {"text": title, "x": 0.01, "xanchor": "left"}
    if subtitle:
        spec["subtitle"] = {"text": subtitle}
    return spec


def _set_template(fig: go.Figure) -> go.Figure:
    """Give ``fig`` the :data:`TEMPLATE` template.

    The template is a registered plotly template, validated when plotly made
    it; it is attached as its JSON (a copy) without being validated again, as
    plotly attaches its default template, which costs a fraction of
    ``update_layout(template=...)`` and gives the same figure.
    """
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout.template = pio.templates[TEMPLATE].to_plotly_json()
    finally:
        layout._validate = validate
    return fig


def _layout(fig: go.Figure, title: str, *, height: int, width: int = WIDTH,
            subtitle: str | None = None) -> go.Figure:
    """Title (already escaped), template, size and hover style."""
    margin = {"t": 100 if subtitle else 80, "l": 20, "r": 30}
    margin.update({k: v for k, v in (fig.layout.margin.to_plotly_json() or {}).items()
                   if v is not None})
    fig.update_layout(
        title=_title_spec(title, subtitle), width=width, height=height,
        hoverlabel={"align": "left"}, margin=margin,
    )
    fig.update_yaxes(ticksuffix="  ")
    return _set_template(fig)


_YAXIS = re.compile(r"yaxis\d*")


def _merge(target: dict[str, Any], update: Mapping[str, Any]) -> dict[str, Any]:
    """``update`` merged into ``target`` key by key, nested dicts too (as
    ``update_layout`` does); returns ``target``."""
    for k, v in update.items():
        if isinstance(v, Mapping) and isinstance(target.get(k), dict):
            _merge(target[k], v)
        else:
            target[k] = v
    return target


def _figure(data: list[dict[str, Any]], layout: dict[str, Any], title: str, *, height: int,
            width: int = WIDTH, subtitle: str | None = None) -> go.Figure:
    """A figure from its traces (dicts with a ``type``) and layout, finished as
    :func:`_layout` finishes one, in a single validated construction.

    Same figure as adding the traces and updating the layout one call at a
    time, at a fraction of the cost (each such call re-validates and
    dispatches).  ``layout`` is used up.
    """
    margin = {"t": 100 if subtitle else 80, "l": 20, "r": 30}
    margin.update(layout.get("margin") or {})
    layout.update(title=_title_spec(title, subtitle), width=width, height=height,
                  hoverlabel={"align": "left"}, margin=margin)
    layout.setdefault("yaxis", {})
    for key in [k for k in layout if _YAXIS.fullmatch(k)]:
        layout[key]["ticksuffix"] = "  "
    return _set_template(go.Figure(data=data, layout=layout))


@cache
def _grid(rows: int, cols: int, horizontal_spacing: float, vertical_spacing: float
          ) -> dict[str, Any]:
    """The layout (axes and their domains) of ``make_subplots`` with shared y axes."""
    fig = make_subplots(rows=rows, cols=cols, shared_yaxes=True,
                        horizontal_spacing=horizontal_spacing,
                        vertical_spacing=vertical_spacing)
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)
    return dict(layout)


def _axis_ref(k: int) -> str:
    """Axis suffix of the ``k``-th subplot (0-based, row by row): ``""``, ``"2"``, ..."""
    return "" if k == 0 else str(k + 1)


def _empty(title: str, message: str = EMPTY_MESSAGE) -> go.Figure:
    """A figure that says why it is empty (``title`` and ``message`` are escaped here)."""
    fig = go.Figure()
    fig.add_annotation(text=esc(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 18, "color": "#555"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, esc(title), height=MIN_HEIGHT)


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """One colour per outlet: sorted names -> :data:`PALETTE`, cycling past its end.

    Deterministic: the same outlets always get the same colours, whatever order
    they are given in.  Pass the same mapping to every figure.
    """
    names = sorted({str(o) for o in outlets})
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def frame_colors(df: pd.DataFrame) -> dict[str, str]:
    """``outlet_colors(outlet_names(df))``, read from the distinct values of the
    outlet column (cheap however many rows ``df`` has)."""
    if schema.OUTLET not in df.columns:
        return outlet_colors([UNKNOWN_OUTLET] if len(df) else [])
    return outlet_colors(UNKNOWN_OUTLET if pd.isna(o) else str(o)
                         for o in df[schema.OUTLET].unique())


def _color(colors: Mapping[str, str], outlet: str) -> str:
    return colors.get(outlet, _GREY)


def chart_config(name: str) -> dict[str, Any]:
    """Plotly config for ``st.plotly_chart(config=...)``: a named 2x PNG download."""
    return {
        "toImageButtonOptions": {"format": "png", "filename": f"slantscope_{name}", "scale": 2},
        "displaylogo": False,
    }


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None or pd.isna(value):
        return "no value"
    v = float(value)
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.{digits}f}"


# --- small multiples: one panel per metric, one marker per outlet ------------


def _dot_panels(
    summary: pd.DataFrame,
    metrics: Sequence[str],
    colors: Mapping[str, str],
    *,
    title: str,
    cols: int,
    subtitle: str | None = None,
    voice: str = "all",
    note: str | None = None,
) -> go.Figure:
    """``note`` (already escaped) is written under the panels."""
    outlets = summary["outlet"].astype(str).tolist()
    ylabels = [esc(o) for o in outlets]
    n_art = summary["n_articles"].astype(int).tolist()
    words = _words(summary)
    marker_colors = [_color(colors, o) for o in outlets]
    cols = max(1, min(cols, len(metrics)))
    rows = math.ceil(len(metrics) / cols)
    panel = max(200, 24 * len(outlets) + 60)
    gap = 150  # px between rows, for the wrapped axis titles
    height = min(MAX_HEIGHT, 170 + rows * panel + (rows - 1) * gap)
    layout = copy.deepcopy(_grid(rows, cols, 0.04 if cols > 1 else 0.0,
                                 min(0.3, gap / height) if rows > 1 else 0.0))
    data: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for k, m in enumerate(metrics):
        ax = _axis_ref(k)
        values = pd.to_numeric(summary[m], errors="coerce").astype(float)
        ns = summary[f"{m}_n"].astype(int) if f"{m}_n" in summary.columns else summary[
            "n_articles"].astype(int)
        note_m = _voice_note(voice) if _voice_dependent(m) else (
            " (whole text)" if voice != "all" else "")
        label = metric_label(m) + note_m
        value_list = values.tolist()
        n_list = ns.tolist()
        custom = [[ylabels[i], _articles(n_list[i]), _fmt(value_list[i]),
                   _articles(n_art[i]) + words[i]] for i in range(len(outlets))]
        data.append({
            "type": "scatter", "x": value_list, "y": ylabels, "mode": "markers",
            "showlegend": False, "name": esc(metric_label(m)),
            "marker": {"size": 11, "color": marker_colors,
                       "symbol": ["circle-open" if n == 1 else "circle" for n in n_list],
                       "line": {"width": 2, "color": marker_colors}},
            "customdata": custom,
            "hovertemplate": ("<b>%{customdata[0]}</b><br>" + esc(metric_label(m))
                              + ": %{customdata[2]}<br>mean of %{customdata[1]}"
                              + " (outlet: %{customdata[3]})<extra></extra>"),
            "xaxis": f"x{ax}", "yaxis": f"y{ax}",
        })
        if values.notna().sum() == 0:
            annotations.append({"text": esc(_no_values(voice, m)), "x": 0.5, "y": 0.5,
                                "xref": f"x{ax} domain", "yref": f"y{ax} domain",
                                "showarrow": False, "font": {"color": "#777"}})
        # Mean over every article of the selection, for reference.
        w = ns.where(values.notna(), 0)
        if w.sum() > 0:
            overall = float((values.fillna(0) * w).sum() / w.sum())
            shapes.append({"type": "line", "x0": overall, "x1": overall, "y0": 0, "y1": 1,
                           "xref": f"x{ax}", "yref": f"y{ax} domain",
                           "line": {"dash": "dot", "color": "#999", "width": 1}})
        _merge(layout.setdefault(f"xaxis{ax}", {}),
               {"title": {"text": _wrap(label, 34), "font": {"size": 12}},
                "rangemode": "tozero" if _non_negative(m) else "normal"})
    for k in range(rows * cols):
        ax = _axis_ref(k)
        _merge(layout.setdefault(f"yaxis{ax}", {}),
               {"categoryorder": "array", "categoryarray": ylabels,
                "autorange": "reversed", "type": "category",
                **({"title": {"text": "Outlet"}} if k % cols == 0 else {})})
    if note:
        annotations.append({"text": note, "x": 0, "y": -0.02, "xref": "paper", "yref": "paper",
                            "yshift": -70, "xanchor": "left", "yanchor": "top",
                            "showarrow": False, "align": "left",
                            "font": {"size": 12, "color": "#555"}})
        layout["margin"] = {"b": 140}
        height += 60
    if annotations:
        layout["annotations"] = annotations
    layout["shapes"] = shapes
    return _figure(data, layout, title, height=height, width=max(WIDTH, 330 + 230 * cols),
                   subtitle=subtitle)


def _no_values(voice: str, column: str = "") -> str:
    if voice != "all" and _voice_dependent(column):
        return f"No {voice} text in this selection"
    return "No values in this selection"


def _words(summary: pd.DataFrame) -> list[str]:
    """``", 1,234 words"`` per outlet (empty when the summary has no word totals)."""
    if "words" not in summary.columns:
        return [""] * len(summary)
    return [f", {int(w):,} words" for w in summary["words"]]


def _non_negative(column: str) -> bool:
    return column.endswith(("_per_1k", "_share")) or column.startswith("text_")


def _voice_dependent(column: str) -> bool:
    return column.startswith("sentiment_") or column.endswith("_per_1k") or column == "text_words"


def _single_article_note(summary: pd.DataFrame, limit: int = 8) -> str | None:
    single = summary.loc[summary["n_articles"].astype(int) == 1, "outlet"].astype(str).tolist()
    if not single:
        return None
    if len(single) == len(summary):
        lead = (f"Every outlet here stands on a single article ({len(single)} outlets): "
                "differences may be one article's, not the outlet's.")
        return esc(lead) + "<br>Open markers: outlets with one article."
    shown = ", ".join(esc(_truncate(o, 40)) for o in single[:limit])
    more = f" and {len(single) - limit} more" if len(single) > limit else ""
    return (f"Open markers stand on a single article: {shown}{esc(more)}."
            "<br>Dotted line: mean over every article in the selection.")


def fig_overview(summary: pd.DataFrame, metrics: Sequence[str] | None = None, *,
                 colors: Mapping[str, str] | None = None, voice: Voice = "all") -> go.Figure:
    """Where each outlet stands on every key metric: one panel per metric.

    One marker per outlet (open when the outlet has a single article), a
    dotted line at the mean over all the selection's articles, the number of
    articles behind each value in the hover, and a note naming outlets that
    stand on one article.
    """
    check_voice(voice)
    title = "Outlets at a glance" + _voice_note(voice)
    if summary.empty:
        return _empty(title)
    wanted = list(OVERVIEW_METRICS if metrics is None else metrics)
    metrics = [m for m in wanted if m in summary.columns]
    if not metrics:
        return _empty(title, "None of the overview metrics is in this table")
    if colors is None:
        colors = outlet_colors(summary["outlet"].astype(str))
    return _dot_panels(summary, metrics, colors, title=esc(title), cols=3, voice=voice,
                       subtitle="Mean per outlet over its articles (each article weighs the same)",
                       note=_single_article_note(summary))


# --- sentiment -----------------------------------------------------------------


def fig_sentiment_distribution(sentence_frame_df: pd.DataFrame | None, colors: Mapping[str, str],
                               *, voice: Voice = "all", max_points: int = MAX_POINTS,
                               stats: pd.DataFrame | None = None) -> go.Figure:
    """Per-outlet distribution of sentence sentiment: a box per outlet.

    With up to ``max_points`` sentences every sentence is also drawn as a
    jittered point whose hover shows the sentence; above that, each box is
    drawn from its summary (:func:`analytics.compare.sentence_stats`) so the
    figure stays small however many sentences stand behind it.  Expects
    :func:`analytics.compare.sentence_frame` output (its ``compound``), or
    ``stats`` already computed (boxes only).
    """
    check_voice(voice)
    title = "Sentence sentiment by outlet" + _voice_note(voice)
    df = sentence_frame_df
    if stats is None:
        if df is None or df.empty:
            msg = EMPTY_MESSAGE if voice == "all" else f"No {voice} sentences in this selection"
            return _empty(title, msg)
        df = df.assign(outlet=outlet_names(df).astype(str))
        points = len(df) <= max_points
        stats = sentence_stats(df)
    else:
        points = False
        if stats.empty:
            msg = EMPTY_MESSAGE if voice == "all" else f"No {voice} sentences in this selection"
            return _empty(title, msg)
    order = stats["outlet"].astype(str).tolist()
    pos = {o: i for i, o in enumerate(order)}
    data: list[dict[str, Any]] = []
    for row in stats.itertuples(index=False):
        color = _color(colors, row.outlet)
        name = (f"{esc(row.outlet)} ({_articles(int(row.n_art))}, "
                f"{int(row.n_sent):,} sentences)")
        data.append({
            "type": "box", "y": [pos[row.outlet]], "q1": [row.q1], "median": [row.median],
            "q3": [row.q3], "mean": [row.mean], "lowerfence": [row.lowerfence],
            "upperfence": [row.upperfence], "orientation": "h", "name": name,
            "marker": {"color": color}, "line": {"color": color},
            "fillcolor": _alpha(color, 0.25), "boxpoints": False, "boxmean": True,
            "width": 0.55, "showlegend": False, "hoveron": "boxes", "hoverinfo": "x+name",
        })
    if points and df is not None:
        rng = np.random.default_rng(0)
        y = np.array([pos[o] for o in df["outlet"]], dtype=float)
        y = y + rng.uniform(-0.22, 0.22, size=len(y))
        text = df["text"] if "text" in df.columns else pd.Series([""] * len(df), index=df.index)
        title_col = df[schema.TITLE] if schema.TITLE in df.columns else text.map(lambda _: "")
        n_by = dict(zip(stats["outlet"], stats["n_art"], strict=True))
        custom = [
            [esc(o), esc(_truncate(t, 90)) or "(untitled)", int(si) + 1,
             _wrap(_truncate(s, 200), 70), _articles(int(n_by[o])),
             _fmt(q * 100 if pd.notna(q) else None, 0)]
            for o, t, si, s, q in zip(
                df["outlet"], title_col, df["sentence_index"], text,
                df["quoted"] if "quoted" in df.columns else [None] * len(df), strict=True)
        ]
        data.append({
            "type": "scatter", "x": df["compound"].astype(float).tolist(), "y": y.tolist(),
            "mode": "markers", "showlegend": False, "name": "sentences",
            "marker": {"size": 6, "opacity": 0.55,
                       "color": [_color(colors, o) for o in df["outlet"]], "line": {"width": 0}},
            "customdata": custom,
            "hovertemplate": ("<b>%{customdata[0]}</b> (%{customdata[4]})<br>"
                              "%{customdata[1]}, sentence %{customdata[2]}<br>"
                              "compound %{x:.3f}; %{customdata[5]}% in quotes<br>"
                              "<i>%{customdata[3]}</i><extra></extra>"),
        })
    layout = {
        "shapes": [{"type": "rect", "x0": NEGATIVE_THRESHOLD, "x1": POSITIVE_THRESHOLD,
                    "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "fillcolor": "#eeeeee",
                    "line": {"width": 0}, "layer": "below"}],
        "xaxis": {"title": {"text": esc(metric_label("compound") + _voice_note(voice))},
                  "range": [-1.05, 1.05], "zeroline": True, "zerolinecolor": "#999"},
        "yaxis": {"title": {"text": "Outlet"}, "tickvals": list(range(len(order))),
                  "ticktext": [esc(o) for o in order], "range": [len(order) - 0.5, -0.5]},
    }
    subtitle = ("Box: quartiles, median (line) and mean (dashed) of the sentences, whiskers "
                "to the farthest sentence within 1.5 IQR; grey band: neutral (|compound| < 0.05)"
                + ("; dots: sentences" if points else ""))
    return _figure(data, layout, esc(title), height=_height(len(order), per_row=60, base=220),
                   subtitle=esc(subtitle))


def _alpha(color: str, a: float) -> str:
    """``#rrggbb`` or ``rgb(r,g,b)`` -> ``rgba(r,g,b,a)``."""
    c = color.strip()
    if c.startswith("#") and len(c) == 7:
        r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
    elif c.startswith("rgb(") and c.endswith(")"):
        r, g, b = (int(float(x)) for x in c[4:-1].split(",")[:3])
    else:
        return c
    return f"rgba({r},{g},{b},{a})"


def fig_sentiment_voices(scores_df: pd.DataFrame, colors: Mapping[str, str]) -> go.Figure:
    """Authorial vs quoted mean sentence sentiment per outlet (grouped bars).

    Solid bars: the authorial voice (outside quotation marks); hatched bars:
    the quoted voice.  Each outlet's mean is over its articles that have that
    voice, and the hover says how many.
    """
    title = "Authorial vs quoted voice: mean sentence sentiment"
    cols = ["sentiment_authorial_mean", "sentiment_quoted_mean"]
    if scores_df.empty:
        return _empty(title)
    if any(c not in scores_df.columns for c in cols):
        return _empty(title, "The scores have no authorial / quoted sentiment")
    summary = outlet_summary(scores_df, metrics=cols)
    if summary[cols].notna().sum().sum() == 0:
        return _empty(title, "No sentiment values in this selection")
    outlets = summary["outlet"].astype(str).tolist()
    labels = [esc(o) for o in outlets]
    fig = go.Figure()
    for col, voice_name, pattern in (
        ("sentiment_authorial_mean", "Authorial voice (outside quotes)", ""),
        ("sentiment_quoted_mean", "Quoted voice (inside quotes)", "/"),
    ):
        vals = summary[col].astype(float)
        ns = summary[f"{col}_n"].astype(int)
        custom = [[labels[i], _articles(int(ns.iloc[i])), _fmt(vals.iloc[i]),
                   _articles(int(summary["n_articles"].iloc[i]))] for i in range(len(outlets))]
        fig.add_trace(go.Bar(
            x=vals.tolist(), y=labels, orientation="h", name=voice_name,
            marker={"color": [_color(colors, o) for o in outlets],
                    "pattern": {"shape": pattern, "fillmode": "overlay", "solidity": 0.5}},
            customdata=custom,
            hovertemplate=("<b>%{customdata[0]}</b><br>" + voice_name
                           + ": mean %{customdata[2]}<br>over %{customdata[1]} with this voice"
                           + " (of %{customdata[3]})<extra></extra>"),
        ))
    fig.update_layout(barmode="group", legend=_BOTTOM_LEGEND, margin={"b": 110})
    fig.update_xaxes(title={"text": esc(metric_label("sentiment_mean"))},
                     zeroline=True, zerolinecolor="#999")
    fig.update_yaxes(title={"text": "Outlet"}, categoryorder="array", categoryarray=labels,
                     autorange="reversed", type="category")
    return _layout(fig, esc(title), height=_height(len(outlets), per_row=44),
                   subtitle="Solid: the outlet's own words; hatched: text inside quotation marks")


def _quote_class(share: Any) -> str:
    if share is None or pd.isna(share) or float(share) <= 0:
        return "Authorial sentence"
    if float(share) >= 0.5:
        return "Mostly quoted (half or more in quotes)"
    return "Partly quoted"


def fig_sentiment_arc(sentences_of_one_article: pd.DataFrame, title: str, *,
                      outlet: str | None = None) -> go.Figure:
    """Sentence-by-sentence sentiment of one article, quoted sentences marked.

    The y value is the whole sentence's VADER compound; marker shape and fill
    say how much of the sentence is inside quotation marks; the hover shows the
    sentence (escaped, truncated to ~200 characters) and its authorial and
    quoted parts' scores.  ``title`` (the article's) is escaped here.
    """
    head = "Sentence-by-sentence sentiment"
    fig_title = f"{head}: {esc(_truncate(title, 90))}" if title else esc(head)
    df = sentences_of_one_article
    if df is None or df.empty:
        return _empty(f"{head}: {_truncate(title, 90)}" if title else head,
                      "No sentences for this article")
    df = df.sort_values("sentence_index", kind="mergesort")
    ycol = "sentiment_compound" if "sentiment_compound" in df.columns else "compound"
    x = (df["sentence_index"].astype(int) + 1).tolist()
    y = df[ycol].astype(float).tolist()
    quoted = df["quoted"] if "quoted" in df.columns else pd.Series([0.0] * len(df), index=df.index)
    fig = go.Figure()
    fig.add_hrect(y0=NEGATIVE_THRESHOLD, y1=POSITIVE_THRESHOLD, fillcolor="#eeeeee",
                  line_width=0, layer="below")
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines", line={"color": "#bbbbbb", "width": 1.5},
                             hoverinfo="skip", showlegend=False, name="arc"))
    classes = [_quote_class(q) for q in quoted]
    styles = {
        "Authorial sentence": {"symbol": "circle", "color": "#1f77b4", "size": 9},
        "Partly quoted": {"symbol": "diamond-open", "color": "#d62728", "size": 10,
                          "line": {"width": 2, "color": "#d62728"}},
        "Mostly quoted (half or more in quotes)": {"symbol": "diamond", "color": "#d62728",
                                                   "size": 11},
    }
    source = esc(df[schema.SOURCE_REF].iloc[0]) if schema.SOURCE_REF in df.columns else ""
    texts = df["text"] if "text" in df.columns else pd.Series([""] * len(df), index=df.index)
    auth = df["sentiment_authorial"] if "sentiment_authorial" in df.columns else [None] * len(df)
    quot = df["sentiment_quoted"] if "sentiment_quoted" in df.columns else [None] * len(df)
    rows = list(zip(x, y, classes, texts, quoted, auth, quot, strict=True))
    for cls, style in styles.items():
        sel = [r for r in rows if r[2] == cls]
        if not sel:
            continue
        custom = [[_wrap(_truncate(t, 200), 70), _fmt(q * 100 if pd.notna(q) else 0, 0),
                   _fmt(a), _fmt(qq), source or "1 article"] for _, _, _, t, q, a, qq in sel]
        fig.add_trace(go.Scatter(
            x=[r[0] for r in sel], y=[r[1] for r in sel], mode="markers", name=cls,
            marker=style, customdata=custom,
            hovertemplate=("Sentence %{x}: compound %{y:.3f}<br>"
                           "%{customdata[1]}% in quotes; authorial part %{customdata[2]}, "
                           "quoted part %{customdata[3]}<br><i>%{customdata[0]}</i><br>"
                           "(1 article: %{customdata[4]})<extra></extra>"),
        ))
    fig.update_xaxes(title={"text": "Sentence number (1 = first)"}, rangemode="tozero")
    fig.update_yaxes(title={"text": esc(metric_label("compound"))}, range=[-1.05, 1.05],
                     zeroline=True, zerolinecolor="#999")
    fig.update_layout(legend=_BOTTOM_LEGEND, margin={"b": 110})
    subtitle = esc(outlet) if outlet else None
    return _layout(fig, fig_title, height=500, subtitle=subtitle)


# --- readability, lexicons, framing -------------------------------------------


def fig_readability(summary: pd.DataFrame, colors: Mapping[str, str]) -> go.Figure:
    """The seven readability indices per outlet: one panel each, own scale.

    Readability is always computed on the whole text (a voice is made of
    sentence fragments), so this chart does not change with the voice.
    """
    title = "Readability by outlet (whole text)"
    if summary.empty:
        return _empty(title)
    metrics = [m for m in schema.READABILITY_INDICES if m in summary.columns]
    if not metrics:
        return _empty(title, "The scores have no readability indices")
    fig = _dot_panels(summary, metrics, colors, title=esc(title), cols=4,
                      subtitle=("Mean per outlet; open markers: one article; dotted line: mean "
                                "over all articles. textstat formulas for English school texts: "
                                "compare outlets, do not read as exact grade levels"))
    return fig


def fig_lexicon_rates(summary: pd.DataFrame, colors: Mapping[str, str], *,
                      voice: Voice = "all") -> go.Figure:
    """Hedges and boosters per 1,000 words per outlet: one panel per family."""
    check_voice(voice)
    title = "Hedging and boosting per 1,000 words" + _voice_note(voice)
    if summary.empty:
        return _empty(title)
    fams = lexicon_families(summary.columns)
    fams = sorted(fams, key=lambda f: (f != "hedge", f != "booster", f))
    if not fams:
        return _empty(title, "The scores have no hedge or booster rates")
    if summary[[f"{f}_per_1k" for f in fams]].notna().sum().sum() == 0:
        return _empty(title, _no_values(voice, "hedge_per_1k"))
    outlets = summary["outlet"].astype(str).tolist()
    labels = [esc(o) for o in outlets]
    words = _words(summary)
    layout = copy.deepcopy(_grid(1, len(fams), 0.05, 0.0))
    data: list[dict[str, Any]] = []
    marker_colors = [_color(colors, o) for o in outlets]
    for k, fam in enumerate(fams):
        ax = _axis_ref(k)
        col = f"{fam}_per_1k"
        vals = summary[col].astype(float).tolist()
        ns = (summary[f"{col}_n"] if f"{col}_n" in summary.columns
              else summary["n_articles"]).astype(int).tolist()
        label = metric_label(col)
        custom = [[labels[i], _articles(ns[i]) + words[i], _fmt(vals[i], 2)]
                  for i in range(len(outlets))]
        data.append({
            "type": "bar", "x": vals, "y": labels, "orientation": "h", "name": esc(label),
            "showlegend": False, "marker": {"color": marker_colors}, "customdata": custom,
            "texttemplate": "%{x:.1f}", "textposition": "outside", "cliponaxis": False,
            "hovertemplate": ("<b>%{customdata[0]}</b><br>" + esc(label)
                              + ": %{customdata[2]}<br>mean of %{customdata[1]}<extra></extra>"),
            "xaxis": f"x{ax}", "yaxis": f"y{ax}",
        })
        _merge(layout.setdefault(f"xaxis{ax}", {}),
               {"title": {"text": _wrap(label + _voice_note(voice), 40)}, "rangemode": "tozero"})
        _merge(layout.setdefault(f"yaxis{ax}", {}),
               {"categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
                "type": "category", **({"title": {"text": "Outlet"}} if k == 0 else {})})
    return _figure(data, layout, esc(title), height=_height(len(outlets), per_row=30, base=230),
                   subtitle="Mean per outlet over its articles; every match is in the hits table")


def fig_framing_heatmap(matrix: pd.DataFrame, n_articles: Mapping[str, int] | pd.Series, *,
                        voice: Voice = "all", highlight: str | None = None,
                        words: Mapping[str, int] | pd.Series | None = None) -> go.Figure:
    """Outlets x framing categories, matches per 1,000 words, values written in.

    ``matrix`` comes from :func:`analytics.compare.framing_matrix`;
    ``n_articles`` maps outlet -> number of articles (shown in the hover);
    ``highlight`` outlines one category's column; ``words`` (outlet -> total
    words of the voice) adds the word count behind each rate to the hover.
    """
    check_voice(voice)
    title = "Framing vocabulary per 1,000 words" + _voice_note(voice)
    if matrix.empty or matrix.shape[1] == 0:
        return _empty(title, EMPTY_MESSAGE if matrix.empty else "No framing categories")
    if matrix.notna().sum().sum() == 0:
        return _empty(title, _no_values(voice, "framing_per_1k"))
    outlets = [str(o) for o in matrix.index]
    cats = [str(c) for c in matrix.columns]
    ylabels = [esc(o) for o in outlets]
    xlabels = [esc(c.replace("_", " ")) for c in cats]
    n_map = dict(n_articles.items()) if isinstance(n_articles, pd.Series) else dict(n_articles)
    z = matrix.astype(float).to_numpy()
    zs: list[list[float | None]] = [[None if np.isnan(v) else float(v) for v in row] for row in z]
    w_map = {} if words is None else (
        dict(words.items()) if isinstance(words, pd.Series) else dict(words))
    custom = [[_articles(int(n_map.get(o, 0)))
               + (f", {int(w_map[o]):,} words" if o in w_map else "")] * len(cats)
              for o in outlets]
    data = [{
        "type": "heatmap", "z": zs, "x": xlabels, "y": ylabels, "colorscale": "Blues",
        "zmin": 0, "customdata": custom, "texttemplate": "%{z:.1f}", "textfont": {"size": 11},
        "colorbar": {"title": {"text": "per 1,000<br>words"}},
        "hovertemplate": ("<b>%{y}</b><br>%{x}: %{z:.2f} per 1,000 words<br>"
                          "mean of %{customdata}<extra></extra>"),
        "xgap": 1, "ygap": 1,
    }]
    layout: dict[str, Any] = {
        "xaxis": {"title": {"text": "Framing category"}, "side": "bottom", "type": "category"},
        "yaxis": {"title": {"text": "Outlet"}, "autorange": "reversed", "type": "category"},
    }
    if highlight is not None and highlight in cats:
        i = cats.index(highlight)
        layout["shapes"] = [{"type": "rect", "x0": i - 0.5, "x1": i + 0.5, "y0": -0.5,
                             "y1": len(outlets) - 0.5, "line": {"color": "#d62728", "width": 3},
                             "xref": "x", "yref": "y"}]
    return _figure(data, layout, esc(title), height=_height(len(outlets), per_row=30, base=230),
                   subtitle="Mean per outlet over its articles")


# --- uncertainty ---------------------------------------------------------------------

#: Marker and error-bar style of each kind of outlet in :func:`fig_outlet_intervals`.
_INTERVAL_KINDS: dict[str, dict[str, Any]] = {
    "interval": {"name": "{pct} interval", "symbol": "circle", "bar": "#444444"},
    "few": {"name": "{pct} interval, 2-4 articles (likely too narrow)", "symbol": "diamond",
            "bar": "#aaaaaa"},
    "single": {"name": "1 article: no interval", "symbol": "circle-open", "bar": None},
}


def _pct(level: float) -> str:
    return f"{round(100 * float(level), 1):g}%"


def _interval_note(kind: str, n: int) -> str:
    if kind == "single":
        return "a single article: no interval"
    if kind == "few":
        return f"only {n} articles: the interval is likely too narrow"
    return ""


def fig_outlet_intervals(intervals: pd.DataFrame, metric: str, colors: Mapping[str, str], *,
                         voice: Voice = "all") -> go.Figure:
    """Each outlet's mean of ``metric`` with its bootstrap interval: a dot and a bar.

    ``intervals`` comes from :func:`analytics.uncertainty.outlet_intervals`
    (its first column names the outlets).  Tick labels and hovers give the
    number of articles with a value (``"The Indian Express (n=1)"``); an outlet
    whose mean stands on a single article is an open marker with no bar and a
    note saying there is no interval; outlets with 2-4 articles are diamonds
    with a light bar (the percentile bootstrap is too narrow at that size).
    A dotted line marks the mean over every article.  Outlet names and the
    metric's label are escaped.

    Raises ValueError when the table has no interval columns for ``metric``.
    """
    check_voice(voice)
    level = float(intervals.attrs.get("level", 0.95))
    n_boot = intervals.attrs.get("n_boot")
    pct = _pct(level)
    label = metric_label(metric)
    title = f"{label}: outlet means with {pct} intervals" + (
        _voice_note(voice) if _voice_dependent(metric) else "")
    needed = [f"{metric}{s}" for s in ("_mean", "_low", "_high", "_n")]
    missing = [c for c in needed if c not in intervals.columns]
    if missing:
        raise ValueError(f"the intervals table lacks {', '.join(missing)}; "
                         f"compute it with outlet_intervals(..., metrics=[{metric!r}])")
    if intervals.empty:
        return _empty(title)
    name_col = str(intervals.attrs.get("by", intervals.columns[0]))
    if name_col not in intervals.columns:
        name_col = str(intervals.columns[0])
    outlets = intervals[name_col].astype(str).tolist()
    ns = intervals[f"{metric}_n"].astype(int).tolist()
    n_art = (intervals["n_articles"].astype(int).tolist() if "n_articles" in intervals.columns
             else ns)
    mean, low, high = (pd.to_numeric(intervals[c], errors="coerce").astype(float).tolist()
                       for c in needed[:3])
    labels = [f"{esc(o)} (n={n:,})" for o, n in zip(outlets, ns, strict=True)]

    def kind(i: int) -> str | None:
        if ns[i] == 0 or math.isnan(mean[i]):
            return None
        if ns[i] == 1 or math.isnan(low[i]) or math.isnan(high[i]):
            return "single"
        return "few" if ns[i] <= FEW_ARTICLES else "interval"

    kinds = [kind(i) for i in range(len(outlets))]
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    for key, style in _INTERVAL_KINDS.items():
        idx = [i for i, k in enumerate(kinds) if k == key]
        if not idx:
            continue
        custom = [[esc(outlets[i]), _articles(ns[i]), _fmt(mean[i]),
                   _fmt(low[i]) if key != "single" else "none",
                   _fmt(high[i]) if key != "single" else "none",
                   _interval_note(key, ns[i]), _articles(n_art[i])] for i in idx]
        color = [_color(colors, outlets[i]) for i in idx]
        trace: dict[str, Any] = {
            "type": "scatter", "x": [mean[i] for i in idx], "y": [labels[i] for i in idx],
            "mode": "markers",
            "name": esc(style["name"].format(pct=pct)), "customdata": custom,
            "marker": {"size": 11, "symbol": style["symbol"], "color": color,
                       "line": {"width": 2, "color": color}},
            "hovertemplate": ("<b>%{customdata[0]}</b><br>" + esc(label)
                              + ": %{customdata[2]}<br>" + pct
                              + " interval: %{customdata[3]} to %{customdata[4]}"
                              "<br>mean of %{customdata[1]} (outlet: %{customdata[6]})"
                              "<br><i>%{customdata[5]}</i><extra></extra>"),
        }
        if style["bar"] is not None:
            trace["error_x"] = {
                "type": "data", "symmetric": False,
                "array": [high[i] - mean[i] for i in idx],
                "arrayminus": [mean[i] - low[i] for i in idx],
                "color": style["bar"], "thickness": 1.5, "width": 5,
            }
        data.append(trace)
    ends = [v for v in (*mean, *low, *high) if not math.isnan(v)]
    middle = (min(ends) + max(ends)) / 2 if ends else 0.0
    for i, k in enumerate(kinds):
        if k == "single":
            text = ("1 article: no interval" if n_art[i] == 1
                    else "value in 1 article: no interval")
            right = mean[i] > middle  # write the note on the side with room
            annotations.append({"x": mean[i], "y": labels[i], "xref": "x", "yref": "y",
                                "text": esc(text), "showarrow": False,
                                "xanchor": "right" if right else "left",
                                "xshift": -10 if right else 10,
                                "font": {"size": 11, "color": "#777"}})
        elif k is None:
            annotations.append({"x": 0, "y": labels[i], "xref": "paper", "yref": "y",
                                "xanchor": "left", "text": esc(_no_values(voice, metric)),
                                "showarrow": False, "font": {"size": 11, "color": "#777"}})
    weights = [n for n, m in zip(ns, mean, strict=True) if n > 0 and not math.isnan(m)]
    if weights:
        overall = sum(n * m for n, m in zip(ns, mean, strict=True)
                      if n > 0 and not math.isnan(m)) / sum(weights)
        shapes.append({"type": "line", "x0": overall, "x1": overall, "xref": "x", "y0": 0,
                       "y1": 1, "yref": "y domain",
                       "line": {"dash": "dot", "color": "#999", "width": 1}})
    else:
        annotations.append({"text": esc(_no_values(voice, metric)), "x": 0.5, "y": 0.5,
                            "xref": "paper", "yref": "paper", "showarrow": False,
                            "font": {"size": 16, "color": "#777"}})
    layout: dict[str, Any] = {
        "xaxis": {"title": {"text": _wrap(label + (_voice_note(voice) if _voice_dependent(
            metric) else ""), 70)}, "rangemode": "tozero" if _non_negative(metric) else "normal"},
        "yaxis": {"title": {"text": "Outlet (n = articles with a value)"}, "type": "category",
                  "categoryorder": "array", "categoryarray": labels, "autorange": "reversed"},
        "legend": dict(_BOTTOM_LEGEND), "margin": {"b": 110, "t": 120},
    }
    if annotations:
        layout["annotations"] = annotations
    if shapes:
        layout["shapes"] = shapes
    resamples = f"{int(n_boot):,} resamples of its articles" if n_boot else "resampled articles"
    subtitle = "<br>".join(esc(line) for line in (
        f"Dot: mean over the outlet's articles; bar: {pct} percentile-bootstrap interval "
        f"({resamples})",
        "Open marker: one article, no interval; diamond: 2-4 articles, interval likely too "
        "narrow; dotted line: mean over every article"))
    return _figure(data, layout, esc(title), height=_height(len(outlets), per_row=30, base=280),
                   subtitle=subtitle)


def interval_figures(
    scores: pd.DataFrame,
    selection: Selection,
    metrics: Sequence[str] | None = None,
    *,
    hits: pd.DataFrame | None = None,
    sentences: pd.DataFrame | None = None,
    exclude: Iterable[str] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
    voiced: bool = False,
) -> dict[str, go.Figure]:
    """One :func:`fig_outlet_intervals` chart per metric for ``selection``, keyed by metric.

    ``voiced=True`` says ``scores`` are already for the selection's voice
    (:func:`analytics.compare.voice_scores`), so no hits are needed.

    ``metrics`` defaults to the :data:`OVERVIEW_METRICS` the scores have.
    Outlets keep the colours of :func:`dashboard_figures` (assigned over every
    outlet of ``scores``).  A voice other than ``"all"`` needs ``hits`` (and
    ``sentences`` for the sentence-based sentiment columns), as
    :func:`analytics.compare.voice_scores` does.  ``exclude`` lists
    ``article_id`` values to leave out (e.g. near-duplicates).

    Raises ValueError for an invalid voice, a voice without ``hits`` or a
    metric the scores do not have.
    """
    voice = check_voice(selection.voice)
    wanted = ([m for m in OVERVIEW_METRICS if m in scores.columns] if metrics is None
              else list(metrics))
    outlets = None if selection.outlets is None else tuple(selection.outlets)
    selected = select_outlets(scores, outlets)
    if voice != "all" and not voiced:
        if hits is None:
            raise ValueError(f"the {voice} voice needs the hits table (hits=...)")
        ids = set(selected[schema.ARTICLE_ID].astype(str))
        hits_sel = hits[hits[schema.ARTICLE_ID].astype(str).isin(ids).to_numpy()]
        sents = (None if sentences is None else
                 sentences[sentences[schema.ARTICLE_ID].astype(str).isin(ids).to_numpy()])
        selected = voice_scores(selected, hits_sel, voice, sentences=sents)
    intervals = outlet_intervals(selected, metrics=wanted, n_boot=n_boot, seed=seed,
                                 exclude=None if exclude is None else set(exclude))
    colors = outlet_colors(outlet_names(scores))
    return {m: fig_outlet_intervals(intervals, m, colors, voice=voice) for m in wanted}


def fig_time_series(scores: pd.DataFrame, metric: str, colors: Mapping[str, str], *,
                    period: str = "month", voice: Voice = "all") -> go.Figure:
    """Mean of ``metric`` per outlet and week or month, one line per outlet;
    each point's hover gives the number of articles behind it."""
    head = f"{metric_label(metric)} by {period}" + _voice_note(voice)
    if schema.PUBLISHED not in scores.columns or scores[schema.PUBLISHED].isna().all():
        return _empty(esc(head), "No publication dates in this selection")
    when = pd.to_datetime(scores[schema.PUBLISHED], errors="coerce")
    future = when > pd.Timestamp.now()
    if future.any():  # a date after today is an error in the data, not a point in time
        scores = scores[~future.to_numpy()]
    ts = time_series(scores, metric, period=period)  # type: ignore[arg-type]
    if ts.empty:
        return _empty(esc(head), "No dated articles with a value in this selection")
    fig = go.Figure()
    for outlet, g in ts.groupby(schema.OUTLET, sort=False):
        color = _color(colors, str(outlet))
        fig.add_trace(go.Scatter(
            x=g["period"], y=g["mean"], mode="lines+markers", name=esc(outlet),
            line={"color": color, "width": 1.5},
            marker={"size": np.clip(3 + np.sqrt(g["n"].to_numpy()), 4, 16), "color": color},
            customdata=np.stack([g["n"].to_numpy()], axis=-1),
            hovertemplate=(f"<b>{esc(outlet)}</b><br>%{{x|%Y-%m-%d}}: %{{y:.3f}}"
                           "<br>%{customdata[0]} article(s)<extra></extra>"),
        ))
    fig.update_yaxes(title={"text": esc(metric_label(metric))})
    fig.update_xaxes(title={"text": f"{period.capitalize()} starting"})
    left_out = (f"; {int(future.sum()):,} article(s) dated after today left out"
                if future.any() else "")
    return _layout(fig, esc(head), height=460,
                   subtitle=esc(f"Mean over the articles of each {period}; marker size grows "
                                f"with the number of articles (in the hover){left_out}"))


# --- every chart of the dashboard ---------------------------------------------


def dashboard_figures(
    scored_scores: pd.DataFrame,
    sentences: pd.DataFrame,
    hits: pd.DataFrame,
    articles: pd.DataFrame,
    selection: Selection,
    *,
    framing_categories: Sequence[str] | None = None,
    voice_frame: pd.DataFrame | None = None,
    sentence_summary: pd.DataFrame | None = None,
    names: Iterable[str] | None = None,
    selected: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None,
    colors: Mapping[str, str] | None = None,
) -> dict[str, go.Figure]:
    """Every chart of the dashboard for ``selection``, keyed by :data:`FIGURE_NAMES`
    (or only those in ``names``: a view builds what it shows).

    For a large corpus the two costly steps can be done once and passed in:
    ``voice_frame``, :func:`analytics.compare.voice_scores` of every article
    for the selection's voice, and ``sentence_summary``,
    :func:`analytics.compare.sentence_stats` of every outlet for that voice;
    ``sentences`` then only needs the sentences of the arc's article.  A
    caller that has already selected may pass ``selected=(scores of the
    selection, their voice_frame rows, outlet_summary of those)``, and
    ``colors``, :func:`frame_colors` of ``scored_scores``.

    The dashboard and the batch export both call this, so they show the same
    figures.  ``selection.outlets=None`` means every outlet (pick a default
    such as :func:`analytics.compare.top_outlets` for large corpora); outlets
    not in the corpus are ignored.  The arc is drawn for
    ``selection.article_id`` or the first article of the selection.  An empty
    selection gives figures that say so instead of raising.

    Raises ValueError for an invalid voice or a framing category the scores
    do not have.
    """
    voice = check_voice(selection.voice)
    cats = (list(framing_categories) if framing_categories is not None
            else _framing_categories_of(scored_scores))
    if selection.framing_category is not None and selection.framing_category not in cats:
        raise ValueError(f"unknown framing category {selection.framing_category!r}; "
                         f"use one of {', '.join(cats) if cats else '(none)'}")
    outlets = None if selection.outlets is None else tuple(selection.outlets)
    if selected is not None and voice_frame is not None and sentence_summary is not None:
        scores, vscores, given_summary = selected
    else:
        scores, given_summary = select_outlets(scored_scores, outlets), None
    if voice_frame is not None and sentence_summary is not None:
        if given_summary is None:
            vscores = select_outlets(voice_frame, outlets)
        kept = (set(given_summary["outlet"].astype(str)) if given_summary is not None
                else set(outlet_names(scores).astype(str)))
        stats = sentence_summary[sentence_summary["outlet"].astype(str).isin(kept)]
    else:
        ids = set(scores[schema.ARTICLE_ID].astype(str))
        sents = sentences[sentences[schema.ARTICLE_ID].astype(str).isin(ids).to_numpy()]
        hits_sel = hits[hits[schema.ARTICLE_ID].astype(str).isin(ids).to_numpy()]
        vscores = voice_scores(scores, hits_sel, voice, sentences=sents)
        stats = None
    summary = given_summary if given_summary is not None else outlet_summary(vscores)
    # Colours from every outlet of the corpus, so an outlet keeps its colour
    # whatever else is selected.
    if colors is None:
        colors = frame_colors(scored_scores)
    n_articles = dict(zip(summary["outlet"].astype(str), summary["n_articles"].astype(int),
                          strict=True))
    builders: dict[str, Any] = {
        "overview": lambda: fig_overview(summary, colors=colors, voice=voice),
        "sentiment_distribution": lambda: (
            fig_sentiment_distribution(None, colors, voice=voice, stats=stats)
            if stats is not None else
            fig_sentiment_distribution(sentence_frame(sents, scores, voice), colors, voice=voice)),
        "sentiment_voices": lambda: fig_sentiment_voices(scores, colors),
        "sentiment_arc": lambda: _arc_for(scored_scores, sentences, scores, selection.article_id),
        "readability": lambda: fig_readability(summary, colors),
        "lexicon_rates": lambda: fig_lexicon_rates(summary, colors, voice=voice),
        "framing_heatmap": lambda: (
            fig_framing_heatmap(framing_matrix(summary, cats), n_articles, voice=voice,
                                highlight=selection.framing_category,
                                words=dict(zip(summary["outlet"].astype(str),
                                               summary["words"].astype(int), strict=True)))
            if cats and not summary.empty
            else _empty("Framing vocabulary per 1,000 words" + _voice_note(voice),
                        EMPTY_MESSAGE if summary.empty else "No framing categories")
        ),
    }
    wanted = FIGURE_NAMES if names is None else [n for n in FIGURE_NAMES if n in set(names)]
    return {name: builders[name]() for name in wanted}


def _framing_categories_of(scores: pd.DataFrame) -> list[str]:
    return framing_categories(scores.columns)


def _arc_for(all_scores: pd.DataFrame, sentences: pd.DataFrame, selected: pd.DataFrame,
             article_id: str | None) -> go.Figure:
    """The sentence arc of ``article_id`` (looked up in the whole corpus) or of
    the first selected article."""
    head = "Sentence-by-sentence sentiment"
    if article_id is None:
        if selected.empty:
            return _empty(head)
        row = selected.iloc[0]
    else:
        match = all_scores[all_scores[schema.ARTICLE_ID].astype(str) == str(article_id)]
        if match.empty:
            return _empty(head, f"Article {article_id} is not in this corpus")
        row = match.iloc[0]
    aid = str(row[schema.ARTICLE_ID])
    sents = sentences[sentences[schema.ARTICLE_ID].astype(str) == aid]
    if schema.SOURCE_REF in row.index:
        sents = sents.assign(**{schema.SOURCE_REF: row[schema.SOURCE_REF]})
    title = row.get(schema.TITLE)
    title_text = "" if title is None or pd.isna(title) else str(title)
    if not title_text:
        title_text = str(row.get(schema.SOURCE_REF) or aid)
    outlet = row.get(schema.OUTLET)
    outlet_text = UNKNOWN_OUTLET if outlet is None or pd.isna(outlet) else str(outlet)
    return fig_sentiment_arc(sents, title_text, outlet=outlet_text)


# --- sourcing and actors -------------------------------------------------------------

#: Fixed colours per side (actor group) so a side looks the same in every chart.
SIDE_COLORS: dict[str, str] = {
    "russia": "#b03a2e", "nato": "#1f4e79", "united_states": "#5dade2", "ukraine": "#d4ac0d",
    "eu": "#7d3c98", "other": "#7f8c8d", "unattributed": "#d5d8dc",
}


def _side_color(side: str, i: int) -> str:
    return SIDE_COLORS.get(side, PALETTE[i % len(PALETTE)])


def _side_label(side: str) -> str:
    return {"eu": "EU", "nato": "NATO", "united_states": "United States"}.get(
        side, side.replace("_", " ").capitalize())


def fig_sourcing(sourcing: pd.DataFrame) -> go.Figure:
    """Quoted words per side for each outlet (stacked bars), quotes and n in the hover.

    ``sourcing`` is :func:`analytics.quotes.sourcing_summary`'s table.
    """
    title = "Who gets to speak: quoted words by side"
    if sourcing.empty:
        return _empty(title, "No quotes in this selection")
    sides = [c.removeprefix("quoted_words_") for c in sourcing.columns
             if c.startswith("quoted_words_")]
    outlets = [str(o) for o in sourcing["outlet"]]
    fig = go.Figure()
    for i, side in enumerate(sides):
        words = sourcing[f"quoted_words_{side}"].fillna(0).astype(int)
        if not words.any():
            continue
        quotes = sourcing.get(f"quotes_{side}", pd.Series(0, index=sourcing.index))
        custom = [[int(q), int(n)] for q, n in zip(quotes.fillna(0),
                                                    sourcing["articles"].fillna(0), strict=True)]
        fig.add_bar(
            y=[esc(o) for o in outlets], x=words, orientation="h", name=esc(_side_label(side)),
            marker_color=_side_color(side, i), customdata=custom,
            hovertemplate=(f"<b>%{{y}}</b><br>{esc(_side_label(side))}: %{{x}} quoted words "
                           "in %{customdata[0]} quotes<br>over %{customdata[1]} article(s) "
                           "with quotes<extra></extra>"),
        )
    if not fig.data:
        return _empty(title, "No quotes in this selection")
    fig.update_layout(barmode="stack", legend={"title": {"text": "Side"}})
    fig.update_xaxes(title={"text": "Quoted words (sum over the outlet's articles)"})
    fig.update_yaxes(title={"text": "Outlet"}, autorange="reversed", type="category")
    return _layout(fig, esc(title), height=_height(len(outlets), per_row=34, base=230),
                   subtitle="Sides from the actor file; unattributed: quotes with no speaker "
                   "(scare quotes included)")


def fig_verb_mix(verbs: pd.DataFrame, *, top: int = 12) -> go.Figure:
    """Share of each reporting verb per outlet (heatmap), counts in the hover.

    ``verbs`` is :func:`analytics.quotes.verb_mix`'s long table.
    """
    title = "How quotes are introduced: reporting verbs"
    verbs = verbs.dropna(subset=["verb"]) if not verbs.empty else verbs
    if verbs.empty:
        return _empty(title, "No attributed quotes in this selection")
    order = (verbs.groupby("verb")["n"].sum().sort_values(ascending=False, kind="stable")
             .head(top).index.tolist())
    share = verbs.pivot_table(index="outlet", columns="verb", values="share", aggfunc="sum",
                              fill_value=0.0).reindex(columns=order, fill_value=0.0)
    counts = verbs.pivot_table(index="outlet", columns="verb", values="n", aggfunc="sum",
                               fill_value=0).reindex(index=share.index, columns=order,
                                                     fill_value=0)
    outlets = [str(o) for o in share.index]
    fig = go.Figure(go.Heatmap(
        z=share.to_numpy(), x=[esc(v) for v in order], y=[esc(o) for o in outlets],
        customdata=counts.to_numpy(), colorscale="Purples", zmin=0, zmax=1,
        texttemplate="%{z:.0%}", textfont={"size": 11}, xgap=1, ygap=1,
        colorbar={"title": {"text": "share of<br>the outlet's<br>quotes"}},
        hovertemplate="<b>%{y}</b><br>%{x}: %{customdata} quote(s), %{z:.0%}<extra></extra>",
    ))
    fig.update_xaxes(title={"text": "Reporting verb"}, type="category")
    fig.update_yaxes(title={"text": "Outlet"}, autorange="reversed", type="category")
    return _layout(fig, esc(title), height=_height(len(outlets), per_row=30, base=230),
                   subtitle="'said' is neutral; 'claimed', 'insisted', 'admitted' are not")


def actor_matrix(scores: pd.DataFrame, groups: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outlet x actor mean authorial sentiment, and the number of articles behind each cell."""
    outlets = outlet_names(scores)
    means, ns = {}, {}
    for g in groups:
        col = f"actor_{g}_sentiment_mean"
        if col not in scores.columns:
            continue
        values = pd.to_numeric(scores[col], errors="coerce")
        means[g] = values.groupby(outlets).mean()
        ns[g] = values.notna().groupby(outlets).sum()
    return pd.DataFrame(means), pd.DataFrame(ns).fillna(0).astype(int)


def fig_actor_heatmap(scores: pd.DataFrame, groups: Sequence[str]) -> go.Figure:
    """How each outlet writes about each actor in its own voice (the target
    model's p(positive) - p(negative) toward the actor in the authorial
    sentences mentioning it), with n articles per cell."""
    title = "Sentiment toward actors, in the outlet's own voice"
    means, ns = actor_matrix(scores, groups)
    if means.empty or means.notna().sum().sum() == 0:
        return _empty(title, "No actor mentions in this selection")
    outlets = [str(o) for o in means.index]
    cols = list(means.columns)
    z = [[None if pd.isna(v) else float(v) for v in row] for row in means.to_numpy()]
    n = ns.reindex(index=means.index, columns=cols, fill_value=0).to_numpy()
    fig = go.Figure(go.Heatmap(
        z=z, x=[esc(_side_label(c)) for c in cols], y=[esc(o) for o in outlets],
        customdata=n, colorscale="RdBu", zmid=0, zmin=-1, zmax=1,
        texttemplate="%{z:.2f}", textfont={"size": 11}, xgap=1, ygap=1,
        colorbar={"title": {"text": "p(pos) -<br>p(neg)"}},
        hovertemplate=("<b>%{y}</b> on %{x}<br>mean p(positive) - p(negative) %{z:.3f}<br>"
                       "over %{customdata} article(s) that mention it<extra></extra>"),
    ))
    fig.update_xaxes(title={"text": "Actor"}, type="category")
    fig.update_yaxes(title={"text": "Outlet"}, autorange="reversed", type="category")
    return _layout(fig, esc(title), height=_height(len(outlets), per_row=30, base=230),
                   subtitle="Sentiment toward the actor (-1..1): the target model's p(positive) "
                   "- p(negative) over the sentences naming it outside quotation marks, "
                   "averaged per article, then per outlet")


# --- vocabulary and similarity --------------------------------------------------------


def fig_distinctive_terms(terms: pd.DataFrame, *, by: str = "outlet", top: int = 10,
                          colors: Mapping[str, str] | None = None,
                          max_groups: int = 6) -> go.Figure:
    """Each group's most distinctive terms (log-odds z-score, Monroe et al. 2008).

    ``terms`` is :func:`analytics.terms.distinctive_terms`'s table; one panel
    per group (the first ``max_groups``), bars = z, counts in the hover.
    """
    title = f"Distinctive vocabulary by {by.replace('_', ' ')}"
    if terms.empty:
        return _empty(title, "Too few groups or words to compare")
    groups = list(dict.fromkeys(str(g) for g in terms[by]))[:max_groups]
    cols = min(3, len(groups))
    rows = math.ceil(len(groups) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[esc(_truncate(g, 32))
                                                              for g in groups],
                        horizontal_spacing=0.2, vertical_spacing=0.22 if rows > 1 else 0.1)
    for i, g in enumerate(groups):
        part = terms[terms[by].astype(str) == g].sort_values("z", ascending=False).head(top)
        part = part.iloc[::-1]
        r, c = divmod(i, cols)
        fig.add_bar(
            x=part["z"], y=[esc(t) for t in part["term"]], orientation="h", row=r + 1,
            col=c + 1, showlegend=False,
            marker_color=_color(colors or {}, g) if colors else PALETTE[i % len(PALETTE)],
            customdata=part[["n_group", "n_rest"]].to_numpy(),
            hovertemplate=("<b>%{y}</b><br>z = %{x:.2f}<br>%{customdata[0]} uses here, "
                           "%{customdata[1]} elsewhere<extra></extra>"),
        )
        if r == rows - 1:
            fig.update_xaxes(title={"text": "z (log-odds)"}, row=r + 1, col=c + 1)
        fig.update_yaxes(type="category", row=r + 1, col=c + 1)
    fig.update_annotations(font={"size": 13})
    return _layout(fig, esc(title), height=min(MAX_HEIGHT, 160 + rows * (90 + 22 * top)),
                   subtitle="Log-odds ratio with an informative Dirichlet prior (Monroe, "
                   "Colaresi & Quinn 2008), each group against all others; z > 1.96: "
                   "unlikely by chance")


def fig_outlet_similarity(matrix: pd.DataFrame) -> go.Figure:
    """Outlet x outlet mean TF-IDF cosine (shared wording, wire copy)."""
    title = "How similar outlets' wording is"
    if matrix.empty:
        return _empty(title, "Too few articles to compare")
    outlets = [str(o) for o in matrix.index]
    z = [[None if pd.isna(v) else float(v) for v in row] for row in matrix.to_numpy()]
    labels = [esc(o) for o in outlets]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, colorscale="Greens", zmin=0, zmax=1,
        texttemplate="%{z:.2f}", textfont={"size": 11}, xgap=1, ygap=1,
        colorbar={"title": {"text": "mean<br>cosine"}},
        hovertemplate="<b>%{y}</b> and <b>%{x}</b><br>mean cosine %{z:.3f}<extra></extra>",
    ))
    fig.update_xaxes(title={"text": "Outlet"}, type="category", tickangle=-30)
    fig.update_yaxes(title={"text": "Outlet"}, autorange="reversed", type="category")
    return _layout(fig, esc(title), height=_height(len(outlets), per_row=34, base=330),
                   subtitle="Mean TF-IDF cosine over all pairs of their articles (1 = the "
                   "same words); the diagonal compares an outlet's own articles")


#: Figures beyond :func:`dashboard_figures`, in the order the dashboard shows them.
ANALYSIS_FIGURE_NAMES: tuple[str, ...] = (
    "sourcing", "verb_mix", "actor_sentiment", "distinctive_terms", "outlet_similarity",
)


def analysis_figures(scores: pd.DataFrame, articles: pd.DataFrame, selection: Selection, *,
                     quotes: pd.DataFrame | None = None,
                     actor_groups: Sequence[str] | None = None,
                     terms: pd.DataFrame | None = None) -> dict[str, go.Figure]:
    """Sourcing, actor, vocabulary and similarity charts for ``selection``.

    Like :func:`dashboard_figures`, shared by the dashboard and the batch
    export.  ``quotes`` (:func:`analytics.quotes.quotes_table`) and ``terms``
    (:func:`analytics.terms.distinctive_terms`) are computed from the
    articles when not given.
    """
    from analytics.quotes import quotes_table, sourcing_summary, verb_mix
    from analytics.similarity import outlet_similarity
    from analytics.terms import distinctive_terms

    outlets = None if selection.outlets is None else tuple(selection.outlets)
    sel_scores = select_outlets(scores, outlets)
    sel_articles = select_outlets(articles, outlets)
    quotes = quotes_table(sel_articles) if quotes is None else select_outlets(quotes, outlets)
    groups = list(actor_groups) if actor_groups is not None else [
        c.removeprefix("actor_").removesuffix("_sentiment_mean") for c in scores.columns
        if c.startswith("actor_") and c.endswith("_sentiment_mean")]
    if terms is None:
        n_groups = outlet_names(sel_articles).nunique()
        terms = distinctive_terms(sel_articles) if n_groups >= 2 else pd.DataFrame()
    else:
        terms = select_outlets(terms, outlets)
    colors = outlet_colors(outlet_names(scores))
    return {
        "sourcing": fig_sourcing(sourcing_summary(quotes)) if not quotes.empty
        else _empty("Who gets to speak: quoted words by side", "No quotes in this selection"),
        "verb_mix": fig_verb_mix(verb_mix(quotes)) if not quotes.empty
        else _empty("How quotes are introduced: reporting verbs", "No quotes in this selection"),
        "actor_sentiment": fig_actor_heatmap(sel_scores, groups),
        "distinctive_terms": fig_distinctive_terms(terms, colors=colors),
        "outlet_similarity": fig_outlet_similarity(outlet_similarity(sel_articles))
        if len(sel_articles) >= 2 else _empty("How similar outlets' wording is",
                                              "Too few articles to compare"),
    }
