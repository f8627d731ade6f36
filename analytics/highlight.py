"""The article reader's markup: cleaned text with every piece of evidence marked.

``highlight_html`` turns an article's text, its sentences (with sentiment),
quote spans and lexicon hits into one HTML fragment.  The text is data, never
markup: every character of it is escaped, and only the tags built here reach
the page.  Spans are flat (the text is cut at every boundary of a sentence,
quote or hit), so overlapping evidence never produces broken nesting.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

#: Colours per hit family; framing categories get their own from FRAMING_COLORS.
FAMILY_COLORS = {"hedge": "#1f77b4", "booster": "#d62728"}
FRAMING_COLORS = (
    "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#7f7f7f", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
)


@dataclass(frozen=True)
class Legend:
    """What a highlight colour means."""

    label: str
    color: str


def hit_colors(hits: pd.DataFrame, framing_categories: Sequence[str]) -> dict[str, str]:
    """Colour per ``family`` (hedge, booster) and per framing ``category``."""
    colors = dict(FAMILY_COLORS)
    for i, cat in enumerate(framing_categories):
        colors[f"framing:{cat}"] = FRAMING_COLORS[i % len(FRAMING_COLORS)]
    return colors


def _hit_key(family: str, category: str) -> str:
    return f"framing:{category}" if family == "framing" else family


def _tint(compound: float | None) -> str:
    """Background for a sentence: red for negative, green for positive."""
    if compound is None or pd.isna(compound) or abs(compound) < 0.05:
        return "transparent"
    alpha = min(0.35, 0.08 + 0.27 * abs(float(compound)))
    rgb = "46,160,67" if compound > 0 else "214,39,40"
    return f"rgba({rgb},{alpha:.2f})"


def highlight_html(
    text: str,
    sentences: pd.DataFrame,
    hits: pd.DataFrame,
    quotes: Sequence[tuple[int, int]],
    colors: dict[str, str],
) -> str:
    """HTML for the reader: sentences tinted by sentiment, quotes marked,
    hits underlined in their category's colour with a tooltip.

    ``sentences`` and ``hits`` are the rows of one article (the sentence and
    hit tables); ``quotes`` are ``(start, end)`` spans.
    """
    cuts = {0, len(text)}
    sent_spans = [
        (int(r.start), int(r.end), r.sentiment_compound, int(r.sentence_index))
        for r in sentences.itertuples()
    ]
    hit_spans = [
        (int(r.start), int(r.end), _hit_key(r.family, r.category), r.family, r.category, r.term)
        for r in hits.itertuples()
    ]
    for a, b, *_ in sent_spans:
        cuts.update((a, b))
    for a, b in quotes:
        cuts.update((a, b))
    for a, b, *_ in hit_spans:
        cuts.update((a, b))
    points = sorted(c for c in cuts if 0 <= c <= len(text))

    out: list[str] = []
    for a, b in itertools.pairwise(points):
        if a == b:
            continue
        segment = html.escape(text[a:b]).replace("\n", "<br>")
        sent = next((s for s in sent_spans if s[0] <= a < s[1]), None)
        quoted = any(q0 <= a < q1 for q0, q1 in quotes)
        hit = [h for h in hit_spans if h[0] <= a < h[1]]
        styles = []
        titles = []
        if sent is not None:
            styles.append(f"background:{_tint(sent[2])}")
            c = sent[2]
            titles.append(
                f"sentence {sent[3]}: sentiment "
                + ("n/a" if c is None or pd.isna(c) else f"{float(c):+.2f}")
            )
        if quoted:
            styles.append("font-style:italic;color:#5a3e00")
            titles.append("quoted")
        if hit:
            key = hit[0][2]
            color = colors.get(key, "#444")
            styles.append(
                f"border-bottom:3px solid {color};font-weight:600"
            )
            titles.extend(f"{h[3]}: {h[4]} ({h[5]})" for h in hit)
        if not styles:
            out.append(segment)
            continue
        title = html.escape(" | ".join(titles), quote=True)
        out.append(f'<span style="{";".join(styles)}" title="{title}">{segment}</span>')
    return (
        '<div class="slantscope-reader" style="line-height:1.7;font-size:1rem">'
        + "".join(out)
        + "</div>"
    )


def legend_html(colors: dict[str, str], labels: dict[str, str] | None = None) -> str:
    """A one-line legend for the reader's colours (labels escaped)."""
    labels = labels or {}
    items = []
    for key, color in colors.items():
        label = labels.get(key, key.replace("framing:", "framing: ").replace("_", " "))
        items.append(
            f'<span style="border-bottom:3px solid {color};font-weight:600;'
            f'margin-right:0.9em">{html.escape(label)}</span>'
        )
    items.append('<span style="font-style:italic;color:#5a3e00;margin-right:0.9em">quoted</span>')
    items.append(
        '<span style="background:rgba(46,160,67,0.3);margin-right:0.4em">positive</span>'
        '<span style="background:rgba(214,39,40,0.3)">negative sentence</span>'
    )
    return '<div style="font-size:0.85rem;line-height:2">' + "".join(items) + "</div>"


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&\"'=^@")


def escape_markdown(value: object) -> str:
    """Text that renders literally in Markdown (and Streamlit's directives).

    Every ASCII punctuation character that Markdown, GitHub-flavoured Markdown
    or Streamlit (``:red[...]``, ``:material/...:``, ``$...$``) gives a meaning
    is backslash-escaped, so a title like ``![x](http://evil)`` or
    ``<img src=x onerror=...>`` shows as typed and loads nothing.
    """
    text = "" if value is None else str(value)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text).replace("\n", " ")
