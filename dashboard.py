"""slantscope dashboard: widgets and layout only.

Every number comes from ``analytics`` and every chart from
``analytics.charts.dashboard_figures``; this file chooses the corpus, the
selection and the lexicons, caches the scoring, and lays the results out.
The whole view (tab, corpus, outlets, voice, framing set, metric, article,
category) lives in the URL query parameters, so a copied link reopens it.

Run: ``streamlit run dashboard.py`` (bundled seeds) or
``streamlit run dashboard.py -- PATH`` (a corpus on this machine).
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from analytics import charts, compare, export
from analytics.actors import ActorError, ActorSet, default_actors, propose_actors
from analytics.corpus import ColumnMapping, CorpusError, load_corpus
from analytics.highlight import escape_markdown as md
from analytics.highlight import highlight_html, hit_colors, legend_html
from analytics.lexicons import (
    Lexicon,
    LexiconError,
    builtin_lexicons,
    lexicon_from_table,
    lexicon_from_toml,
    lexicon_table,
    lexicon_to_toml,
)
from analytics.pipeline import Engine, Scored, core_key, provenance, score_corpus
from analytics.quotes import quotes_table, sourcing_summary
from analytics.similarity import near_duplicates, passages_table, similar_articles
from analytics.store import Store, StoreError, is_store_path
from analytics.terms import distinctive_terms, term_contexts
from analytics.text import quote_spans
from analytics.uncertainty import comparison_note, outlet_intervals

ROOT = Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
MAX_UPLOAD_FILES = 200

VIEWS = ["Overview", "Sentiment", "Readability", "Hedging & framing", "Over time", "Sourcing",
         "Actors", "Vocabulary", "Similarity", "Article reader", "Lexicons"]
PERIODS = {"Month": "month", "Week": "week"}
#: Columns never offered for grouping (identifiers, free text, dates).
NOT_GROUPS = {"article_id", "title", "url", "source_ref", "published", "id", "authors", "text",
              "removed"}
# Bound widgets carry their display label in the URL, so options are labels.
VOICES: dict[str, compare.Voice] = {
    "All text": "all", "Authorial only": "authorial", "Quoted only": "quoted"}
FRAMING_SETS = {"Conflict & diplomacy": "framing_conflict", "Policy frames": "framing_policy"}
SOURCES = {"Bundled seeds": "seeds", "Upload": "upload", "Command-line corpus": "path"}
KEY_METRICS = [
    "sentiment_mean",
    "sentiment_neg_share",
    "readability_flesch_reading_ease",
    "hedge_per_1k",
    "booster_per_1k",
]


# --- corpus -------------------------------------------------------------------


def cli_corpus_path() -> str | None:
    """A corpus path given as ``streamlit run dashboard.py -- PATH``."""
    if not sys.argv or Path(sys.argv[0]).name != Path(__file__).name:
        return None  # not started by ``streamlit run`` (e.g. under a test runner)
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return args[0] if args else None


Loaded = tuple[pd.DataFrame, list[str], list[str]]  # articles, problems, warnings


def _load(inputs: Any, mapping: ColumnMapping | None = None) -> Loaded:
    try:
        loaded = load_corpus(inputs, mapping=mapping)
    except CorpusError as exc:
        return pd.DataFrame(columns=["article_id", "outlet", "text"]), [str(exc)], []
    return loaded.articles, [str(p) for p in loaded.problems], [str(w) for w in loaded.warnings]


@st.cache_data(show_spinner="Loading the corpus…", max_entries=4)
def load_path(path: str) -> tuple[pd.DataFrame, list[str], list[str]]:
    return _load(path)


@st.cache_data(show_spinner="Reading your files…", max_entries=4)
def load_uploads(
    files: tuple[tuple[str, bytes], ...], mapping: tuple[str | None, ...]
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Load uploaded files from a private temporary folder (never the app's own)."""
    with tempfile.TemporaryDirectory(prefix="slantscope-") as tmp:
        folder = Path(tmp) / "uploaded files"
        folder.mkdir()
        paths = []
        for name, data in files:
            target = folder / export.safe_filename(name)
            target.write_bytes(data)
            paths.append(target)
        text_col, outlet_col, title_col, date_col = mapping
        articles, problems, warnings = _load(
            paths,
            ColumnMapping(text=text_col, outlet=outlet_col, title=title_col, date=date_col),
        )
        strip = str(folder) + "/"

        def shown(message: str) -> str:  # never show the server's temporary paths
            return message.replace(strip, "").replace(str(folder), "uploaded files")

        problems = [shown(p) for p in problems]
        warnings = [shown(w) for w in warnings]
    if "source_ref" in articles.columns:
        articles = articles.assign(source_ref=articles["source_ref"].astype(str).str.replace(
            strip, "", regex=False))
    return articles, problems, warnings


def corpus_key(articles: pd.DataFrame) -> str:
    h = hashlib.sha256()
    for aid in articles["article_id"].astype(str):
        h.update(aid.encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


@st.cache_data(show_spinner="Scoring…", max_entries=8)
def score(
    key: str, lexicon_hashes: tuple[str, ...], actors_hash: str, _articles: pd.DataFrame,
    _lexicons: list[Lexicon], _actors: ActorSet,
) -> Scored:
    """Scores for a corpus, a lexicon set and an actor set; cached on their hashes."""
    engine: Engine = "processes" if len(_articles) > 500 else "serial"
    return score_corpus(_articles, engine=engine, lexicons=_lexicons, actors=_actors)


@st.cache_data(show_spinner="Looking for named actors…", max_entries=4)
def proposals_for(key: str, actors_hash: str, _articles: pd.DataFrame,
                  _actors: ActorSet) -> pd.DataFrame:
    return propose_actors(_articles, n=20, existing=_actors)


def _add_actor_group() -> None:
    actors: ActorSet = st.session_state.get("actors") or default_actors()
    names = [n.strip() for n in st.session_state.get("new_actor_names", "").split(",")]
    names = [n for n in names if n]
    group = st.session_state.get("new_actor_id", "").strip().lower().replace(" ", "_")
    if not names or not group:
        return
    try:
        st.session_state["actors"] = actors.with_group(group, names)
        st.session_state["new_actor_names"] = ""
        st.session_state["new_actor_id"] = ""
    except ActorError as exc:
        st.session_state["actor_error"] = str(exc)


@st.cache_data(show_spinner="Finding quotes and speakers…", max_entries=4)
def quotes_for(key: str, _articles: pd.DataFrame) -> pd.DataFrame:
    return quotes_table(_articles)


@st.cache_data(show_spinner="Comparing vocabulary…", max_entries=8)
def terms_for(key: str, outlets: tuple[str, ...], _articles: pd.DataFrame) -> pd.DataFrame:
    sel = _articles[_articles["outlet"].astype(str).isin(outlets)]
    if sel["outlet"].nunique() < 2:
        return pd.DataFrame()
    return distinctive_terms(sel)


@st.cache_data(show_spinner="Finding similar articles…", max_entries=4)
def pairs_for(key: str, _articles: pd.DataFrame) -> pd.DataFrame:
    return similar_articles(_articles, threshold=0.3)


# --- a store: corpora of any size ----------------------------------------------------
#
# A store (``slantscope score CORPUS --store S.duckdb``, then
# ``slantscope dashboard S.duckdb``) is read once per lexicon set; large
# tables stay in DuckDB.  The per-article scores, the hit counts, every
# sentence's numbers (no text) and the per-voice aggregates are kept in
# memory (``st.cache_resource``: shared, never copied); texts, sentences
# and hits with text are fetched for the few articles a view shows.

_STORE_LOCK = threading.Lock()
#: Text analyses (quotes, vocabulary, similarity, actor evidence) of a store
#: run on a seeded random sample of the selected articles of at most this size.
STORE_SAMPLE = 1500
#: Articles offered by the reader's picker at once.
MAX_PICKER = 1000


@st.cache_resource(show_spinner=False)
def open_store_for(path: str) -> Store:
    try:
        return Store(path)
    except StoreError:
        return Store(path, read_only=True)  # another process writes: read, do not edit


def from_store(path: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call ``fn(store, ...)`` with the store, one caller at a time (one connection)."""
    with _STORE_LOCK:
        return fn(open_store_for(path), *args, **kwargs)


@st.cache_resource(show_spinner="Reading the store…", max_entries=4)
def store_scored(path: str, lexicon_hashes: tuple[str, ...], _lexicons: list[Lexicon]
                 ) -> tuple[pd.DataFrame, dict[str, Any], str]:
    """Scores of every article of the store for these lexicons (lexicon
    columns re-counted from the stored hits after an edit), the provenance
    and a note when the lexicons could not be applied."""
    def read(store: Store) -> tuple[pd.DataFrame, dict[str, Any], str]:
        core = core_key()
        note = ""
        if not store.read_only:
            store.ensure_lexicons(_lexicons, core=core)
        elif store.missing_lexicon(store.scores(core=core, lexicons=_lexicons)
                                   ["article_id"].astype(str).tolist()[:1], _lexicons):
            note = ("This store is open read-only (another program is writing it): "
                    "edited lexicons cannot be applied, their rates are empty.")
        scores = store.scores(core=core, lexicons=_lexicons)
        return scores, provenance(_lexicons), note
    return cast(tuple[pd.DataFrame, dict[str, Any], str], from_store(path, read))


@st.cache_resource(show_spinner="Counting hits by voice…", max_entries=4)
def store_hit_counts(path: str, lexicon_hashes: tuple[str, ...], _lexicons: list[Lexicon]
                     ) -> pd.DataFrame:
    return cast(pd.DataFrame, from_store(path, lambda s: s.hit_counts(lexicons=_lexicons)))


@st.cache_resource(show_spinner="Reading sentence scores…", max_entries=1)
def store_sentences(path: str) -> pd.DataFrame:
    return cast(pd.DataFrame, from_store(path, lambda s: s.sentence_numbers(core=core_key())))


@st.cache_resource(show_spinner="Counting by voice…", max_entries=6)
def store_voice_frame(path: str, lexicon_hashes: tuple[str, ...], voice: str,
                      _scores: pd.DataFrame, _lexicons: list[Lexicon]) -> pd.DataFrame:
    """``voice_scores`` of every article of the store (done once per voice;
    the whole-text voice is the scores themselves)."""
    if voice == "all":
        return _scores
    return compare.voice_scores(_scores, store_hit_counts(path, lexicon_hashes, _lexicons),
                                cast(compare.Voice, voice), sentences=store_sentences(path))


@st.cache_resource(show_spinner="Summarising sentences…", max_entries=8)
def store_sentence_summary(path: str, voice: str, grouping: str,
                           _scores: pd.DataFrame) -> pd.DataFrame:
    """Per-group sentence sentiment summary over the whole store (in DuckDB)."""
    return cast(pd.DataFrame, from_store(path, lambda s: s.sentence_stats(
        _scores[["article_id", "outlet"]], core=core_key(), voice=voice)))


def store_texts(path: str, ids: list[str]) -> pd.DataFrame:
    return cast(pd.DataFrame, from_store(path, lambda s: s.articles(ids)))


def store_table(path: str, table: str, ids: list[str], lexicons: list[Lexicon]) -> pd.DataFrame:
    df = from_store(path, lambda s: s.table(table, core=core_key(), lexicons=lexicons,
                                            article_ids=ids))
    return cast(pd.DataFrame, df)


@st.cache_resource(show_spinner="Reading a sample of the texts…", max_entries=4)
def store_sample(path: str, key: str, _ids: tuple[str, ...]) -> pd.DataFrame:
    """Texts of at most :data:`STORE_SAMPLE` of ``_ids`` (seeded, so stable)."""
    ids = list(_ids)
    if len(ids) > STORE_SAMPLE:
        ids = list(pd.Series(ids).sample(STORE_SAMPLE, random_state=0))
    return store_texts(path, ids)


# --- lexicons -------------------------------------------------------------------


def _base_lexicons() -> dict[str, Lexicon]:
    """The lexicon per family that the editors start from (session state)."""
    framing_set = st.session_state.get("framing") or next(iter(FRAMING_SETS))
    builtin = builtin_lexicons()
    base: dict[str, Lexicon] = st.session_state.setdefault(
        "lex_base", {"hedge": builtin["hedges"], "booster": builtin["boosters"]}
    )
    if st.session_state.get("lex_framing_set") != framing_set:
        base["framing"] = builtin[FRAMING_SETS[framing_set]]
        st.session_state["lex_framing_set"] = framing_set
        _bump("framing")
    return base


def _bump(family: str) -> None:
    versions = st.session_state.setdefault("lex_version", {})
    versions[family] = versions.get(family, 0) + 1


def _editor_key(family: str) -> str:
    return f"lex_editor_{family}_{st.session_state.setdefault('lex_version', {}).get(family, 0)}"


def _set_base(family: str, lexicon: Lexicon) -> None:
    st.session_state["lex_base"][family] = lexicon
    _bump(family)


def _quick_add(family: str) -> None:
    current: Lexicon = st.session_state["lex_effective"][family]
    terms = [t.strip() for t in st.session_state.get(f"add_terms_{family}", "").split(",")]
    category = st.session_state.get(f"add_category_{family}")
    terms = [t for t in terms if t]
    if not terms or not category:
        return
    table = lexicon_table(current)
    new = pd.DataFrame([{"category": category, "term": t, "forms": "",
                         "note": "added in the dashboard"} for t in terms])
    try:
        merged = pd.concat([table, new], ignore_index=True)
        _set_base(family, lexicon_from_table(merged, like=current))
        st.session_state[f"add_terms_{family}"] = ""
    except LexiconError as exc:
        st.session_state["lex_error"] = str(exc)


def _add_category(family: str) -> None:
    current: Lexicon = st.session_state["lex_effective"][family]
    name = st.session_state.get(f"new_category_{family}", "").strip().lower().replace(" ", "_")
    if not name or name in current.categories:
        return
    categories = {**current.categories, name: "added in the dashboard"}
    _set_base(family, replace(current, categories=categories))
    st.session_state[f"new_category_{family}"] = ""


def _upload_lexicon() -> None:
    f = st.session_state.get("lex_upload")
    if f is None:
        return
    try:
        lx = lexicon_from_toml(f.getvalue().decode("utf-8"), source=f.name)
    except (LexiconError, UnicodeDecodeError) as exc:
        st.session_state["lex_error"] = f"{f.name}: {exc}"
        return
    _set_base(lx.family, lx)


@st.cache_resource(show_spinner=False, max_entries=32)
def _lexicon_table(lexicon_hash: str, _lexicon: Lexicon) -> pd.DataFrame:
    """``lexicon_table`` of a lexicon, by its hash (shared: copy before changing it)."""
    return lexicon_table(_lexicon)


@st.cache_resource(show_spinner=False, max_entries=32)
def _unedited(lexicon_hash: str, _lexicon: Lexicon) -> Lexicon:
    """What the editor of a lexicon gives before any edit: its table read back."""
    return lexicon_from_table(_lexicon_table(lexicon_hash, _lexicon), like=_lexicon)


def _edited(key: str) -> bool:
    """Whether the data editor ``key`` holds any edit."""
    state = st.session_state.get(key)
    return not isinstance(state, Mapping) or any(
        state.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


def lexicon_editors(container: Any) -> dict[str, Lexicon]:
    """The Lexicons tab: editable tables; returns the effective lexicon per family."""
    base = _base_lexicons()
    effective: dict[str, Lexicon] = {}
    with container:
        st.markdown(
            "Edit the terms behind the hedge, booster and framing figures. Changes apply at "
            "once: the figures re-score and the lexicon hash shown under each chart changes. "
            "`forms` lists extra surface forms separated by `;` (inflections, multi-word "
            "variants)."
        )
        if err := st.session_state.pop("lex_error", None):
            st.error(md(err))
        st.file_uploader(
            "Upload a lexicon (.toml)", type=["toml"], key="lex_upload", on_change=_upload_lexicon
        )
        for family in ("hedge", "booster", "framing"):
            lx = base[family]
            with st.expander(f"{md(lx.name)} · {len(lx.terms)} terms · version {md(lx.version)}",
                             expanded=family == "framing"):
                editor_key = _editor_key(family)
                edited = st.data_editor(
                    _lexicon_table(lx.hash, lx).copy(), num_rows="dynamic", key=editor_key,
                    width="stretch", height=320,
                    column_config={
                        "category": st.column_config.SelectboxColumn(
                            options=list(lx.categories), required=True
                        ),
                    },
                )
                try:
                    effective[family] = (lexicon_from_table(edited, like=lx)
                                         if _edited(editor_key) else _unedited(lx.hash, lx))
                except LexiconError as exc:
                    st.error(md(exc))
                    effective[family] = lx
                c1, c2, c3 = st.columns([3, 2, 1])
                c1.text_input("Add terms (comma-separated)", key=f"add_terms_{family}")
                c2.selectbox("to category", list(lx.categories), key=f"add_category_{family}")
                c3.button("Add", key=f"add_btn_{family}", on_click=_quick_add, args=(family,))
                d1, d2 = st.columns([3, 3])
                d1.text_input("New category name", key=f"new_category_{family}")
                d2.button("Add category", key=f"add_cat_btn_{family}", on_click=_add_category,
                          args=(family,))
                st.download_button(
                    "Download as TOML", partial(lexicon_to_toml, effective[family]),
                    file_name=export.safe_filename(f"{lx.name}.toml"), mime="application/toml",
                    key=f"lex_dl_{family}", on_click="ignore",
                )
                with st.popover("About this lexicon"):
                    st.text(lx.description)
                    st.markdown("**Sources**")
                    for s in lx.sources:
                        st.text(s)
                    st.text(f"Licence: {lx.licence}")
    st.session_state["lex_effective"] = effective
    return effective


# --- small pieces -----------------------------------------------------------------


#: The section of docs/validity.md behind each chart.
VALIDITY_SECTIONS = {
    "overview": "Sentiment (VADER)", "sentiment_distribution": "Sentiment (VADER)",
    "sentiment_voices": "Sentiment (VADER)", "sentiment_arc": "Sentiment (VADER)",
    "intervals": "Sentiment (VADER)", "time_series": "Sentiment (VADER)",
    "readability": "Readability", "lexicon_rates": "Hedging",
    "framing_heatmap": "Framing and lexicon rates", "actor_sentiment": "Sentiment toward a target",
}


@st.cache_data(show_spinner=False)
def validity_sections() -> dict[str, str]:
    """``docs/validity.md`` split by its ``## `` headings."""
    path = ROOT / "docs" / "validity.md"
    if not path.exists():
        return {}
    sections: dict[str, str] = {}
    head = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            head = line[3:].strip()
            sections[head] = ""
        elif head is not None:
            sections[head] += line + "\n"
    return sections


#: Whether the server can draw PNGs, looked up once per run (this file runs afresh each run).
chrome_available = cache(export.chrome_available)


def show_chart(name: str, fig: Any, note: str, *, place: str = "") -> None:
    """A chart with its camera (PNG, scale 2), a server-side PNG download, provenance
    and how far its measure agrees with human judgement (docs/validity.md)."""
    key = f"{name}_{place}" if place else name
    st.plotly_chart(fig, width="stretch", config=charts.chart_config(name), key=f"chart_{key}")
    section = VALIDITY_SECTIONS.get(name)
    if section and section in validity_sections():
        with st.popover(f"How far to trust this: {section}", icon=":material/fact_check:"):
            st.markdown(validity_sections()[section])
            st.caption("From docs/validity.md, written by benchmarks/validity.py.")
    left, right = st.columns([1, 3])
    if chrome_available():
        left.download_button(
            "Download PNG", data=lambda: export.figure_to_image(fig, fmt="png", scale=2),
            file_name=f"slantscope_{name}.png", mime="image/png", key=f"png_{key}",
            on_click="ignore",
        )
    else:
        left.caption("Server PNG needs Chromium; the camera icon on the chart works anyway.")
    right.caption(note)


def overview_top(summary: pd.DataFrame, figs: dict[str, Any], note: str) -> None:
    """The overview's note on single-article outlets and its three charts."""
    single = [o for o, n in zip(summary["outlet"], summary["n_articles"], strict=True)
              if n == 1]
    if single:
        st.info(
            f"{len(single)} outlet(s) stand on a single article "
            f"({', '.join(md(o) for o in single[:8])}"
            f"{'…' if len(single) > 8 else ''}): their figures describe one text, not the "
            "outlet's coverage."
        )
    show_chart("overview", figs["overview"], note)
    left, right = st.columns(2)
    with left:
        show_chart("framing_heatmap", figs["framing_heatmap"], note, place="overview")
    with right:
        show_chart("sentiment_distribution", figs["sentiment_distribution"], note,
                   place="overview")


@st.cache_data(show_spinner="Bootstrapping intervals…", max_entries=16)
def intervals_for(key: str, metric: str, _voiced: pd.DataFrame) -> pd.DataFrame:
    """Intervals of every group at once: each group's resampling is seeded by
    its own name, so a group's interval does not depend on what else is
    selected, and a filter change only picks rows."""
    return outlet_intervals(_voiced, metrics=[metric])


@st.cache_resource(show_spinner=False, max_entries=16)
def _summary_of_all(key: str, _voiced: pd.DataFrame) -> pd.DataFrame:
    return compare.outlet_summary(_voiced)


def summary_of(key: str | None, voiced: pd.DataFrame, selected: pd.DataFrame) -> pd.DataFrame:
    """``compare.outlet_summary(selected)``, where ``selected`` are the rows of
    ``voiced`` of the outlets chosen and ``key`` names what ``voiced`` holds
    (``None``: computed directly).

    A row of the summary depends on its outlet's articles only, so the summary
    of every outlet is made once per ``key`` and a selection picks its rows
    (in the same order: most articles first, then by name).
    """
    if key is None or selected.empty:
        return compare.outlet_summary(selected)
    every = _summary_of_all(key, voiced)
    names = {compare.UNKNOWN_OUTLET if pd.isna(o) else str(o)
             for o in selected["outlet"].unique()}
    return every[every["outlet"].isin(names).to_numpy()].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=16)
def _top_outlets_of(key: str, grouping: str | None, _scores: pd.DataFrame) -> list[str]:
    return compare.top_outlets(_scores, n=12)


def top_outlets_of(key: str | None, grouping: str | None, scores: pd.DataFrame) -> list[str]:
    """The default selection (``compare.top_outlets``), once per ``key`` and grouping
    (``key=None``: computed directly)."""
    if key is None:
        return compare.top_outlets(scores, n=12)
    return _top_outlets_of(key, grouping, scores)


def overview_intervals(kept_voiced: pd.DataFrame, selection: compare.Selection, metric: str,
                       note: str, key: str, colors: dict[str, str]) -> None:
    """Bootstrap intervals per outlet for the chosen metric, with a plain-language note.

    ``kept_voiced`` is already for the selection's voice (``compare.voice_scores``);
    ``colors`` are the outlets' (``charts.frame_colors`` of it)."""
    interval_metric = metric if metric in kept_voiced.columns else "sentiment_mean"
    try:
        every = intervals_for(f"{key}|{interval_metric}", interval_metric, kept_voiced)
        ivals = every[every["outlet"].isin(selection.outlets or ())].reset_index(drop=True)
        show_chart("intervals", charts.fig_outlet_intervals(ivals, interval_metric, colors,
                                                            voice=selection.voice), note)
        st.caption(md(comparison_note(ivals, metric=interval_metric)))
    except ValueError as exc:
        st.caption(md(f"No interval chart for this metric: {exc}"))


def share_link(state: dict[str, Any]) -> str:
    base = st.context.url or "http://localhost:8501/"
    params = {k: v for k, v in state.items() if v not in (None, "", [], ())}
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


# --- page ---------------------------------------------------------------------------


def main() -> None:
    st.set_page_config(page_title="slantscope", layout="wide")
    st.title("slantscope")
    st.caption("How outlets cover the same story: sentiment, readability, hedging and framing, "
               "with the sentences behind every figure.")

    cli_path = cli_corpus_path()
    labels = [k for k, v in SOURCES.items() if v != "path" or cli_path]
    with st.sidebar:
        st.header("Corpus")
        source = SOURCES[st.radio(
            "Corpus", labels, key="corpus", bind="query-params", label_visibility="collapsed",
            index=len(labels) - 1 if cli_path else 0,
            captions=["five articles on the NATO-Russia Council talks, 12 January 2022",
                      "your own files, several at once"]
            + ([f"{Path(cli_path).name}, given when the dashboard was started"]
               if cli_path else []),
        )]
        problems: list[str] = []
        warnings: list[str] = []
        big: str | None = None
        if source == "upload":
            uploads = st.file_uploader(
                "Files (.txt, .md, .html, .csv, .tsv, .jsonl, .jsonl.gz, .json, .parquet; a "
                "manifest.csv names outlets for text files)",
                type=["txt", "md", "html", "htm", "csv", "tsv", "jsonl", "json", "parquet", "gz"],
                accept_multiple_files=True, key="uploads",
            )
            with st.expander("Column mapping", expanded=bool(st.session_state.get("need_mapping"))):
                st.caption("For tables whose columns are not recognised automatically.")
                mapping = tuple(
                    (st.text_input(label, key=f"map_{k}") or None)
                    for k, label in (("text", "Text column"), ("outlet", "Outlet column"),
                                     ("title", "Title column"), ("date", "Date column"))
                )
            if not uploads:
                st.info("Choose files to analyse; until then the seed articles are shown.")
                articles, problems, warnings = load_path(str(SEEDS))
            elif len(uploads) > MAX_UPLOAD_FILES:
                st.error(f"At most {MAX_UPLOAD_FILES} files at once; you chose {len(uploads)}.")
                articles, problems, warnings = load_path(str(SEEDS))
            else:
                files = tuple((f.name, f.getvalue()) for f in uploads)
                articles, problems, warnings = load_uploads(files, mapping)
                st.session_state["need_mapping"] = any("--text-col" in p for p in problems)
                if articles.empty and "last_upload" in st.session_state:
                    # Nothing usable in this upload: keep showing the previous corpus.
                    st.warning("None of these files could be used; the previous upload is "
                               "still shown.")
                    articles = st.session_state["last_upload"]
                elif not articles.empty:
                    st.session_state["last_upload"] = articles
        elif source == "path" and cli_path and is_store_path(cli_path):
            big = cli_path  # a store: read below, once the lexicons are known
            articles = pd.DataFrame()
            if not Path(cli_path).exists():
                problems = [f"{cli_path}: no such store"]
        elif source == "path" and cli_path:
            articles, problems, warnings = load_path(cli_path)
        else:
            articles, problems, warnings = load_path(str(SEEDS))
        for p in problems:
            st.error(md(p).replace(md("--text-col"), "the Text column mapping above"))
        for w in warnings:
            st.warning(md(w))

    if (articles.empty and big is None) or (big is not None and problems):
        st.warning("No articles could be read from this corpus. The problems are listed in the "
                   "sidebar.")
        return

    tabs = st.tabs(VIEWS, key="view", bind="query-params")
    tab = dict(zip(VIEWS, tabs, strict=True))

    with st.sidebar:
        st.header("Selection")
        st.selectbox("Framing vocabulary", list(FRAMING_SETS), key="framing",
                     bind="query-params")
    lexicons = lexicon_editors(tab["Lexicons"])
    lexicon_list = [lexicons["hedge"], lexicons["booster"], lexicons["framing"]]
    lexicon_hashes = tuple(lx.hash for lx in lexicon_list)
    if big is not None:
        actors = default_actors()  # a store holds the actor columns it was scored with
        all_scores, meta, store_note = store_scored(big, lexicon_hashes, lexicon_list)
        if store_note:
            st.warning(store_note)
        if all_scores.empty:
            st.warning("This store holds no articles scored by this version of slantscope: "
                       "run slantscope score CORPUS --store on it first.")
            return
        empty = Scored(all_scores, pd.DataFrame(), pd.DataFrame()).sentences
        scored = Scored(all_scores, empty, empty, meta)
        articles = all_scores[[c for c in all_scores.columns if not c.startswith(
            ("text_", "sentiment_", "readability_", "hedge_", "booster_", "framing_", "actor_"))]]
    else:
        actors = st.session_state.get("actors") or default_actors()
        scored = score(corpus_key(articles), lexicon_hashes, actors.hash, articles,
                       lexicon_list, actors)
    scores = scored.scores
    group_options = ["outlet"] + [
        c for c in articles.columns
        if c not in NOT_GROUPS and c != "outlet" and 2 <= scores[c].nunique() <= 100]
    with st.sidebar:
        grouping = st.selectbox(
            "Compare by", group_options, key="by", bind="query-params",
            help="Outlet, or any metadata column of the corpus with 2 to 100 values "
            "(e.g. bias_text, topic): every chart then compares those groups.")
    if grouping != "outlet":
        scores = scores.assign(outlet=scores[grouping].astype("string").fillna("(none)")
                               .astype(str))

    all_outlets = sorted(scores["outlet"].astype(str).unique())
    key = corpus_key(articles) if big is None else f"store:{big}"
    # A store's scores are read once per lexicon set (store_scored), so what is
    # derived from them can be kept under the same key; other corpora compute.
    stored_key = key if big is not None else None
    default_outlets = top_outlets_of(stored_key, grouping, scores)
    with st.sidebar:
        what = "Outlets" if grouping == "outlet" else f"Values of {md(grouping)}"
        outlets = st.multiselect(
            f"{what} ({len(all_outlets)} in this corpus; type to search)", all_outlets,
            default=default_outlets, key="outlets", bind="query-params",
        )
        others = [o for o in all_outlets if o not in set(outlets)]
        rest = st.toggle(f"Show the other {len(others)} as one group", key="rest",
                         bind="query-params", disabled=not others or not outlets,
                         help="Adds one group, 'Other', made of every article not in the "
                         "selection, so the selection can be compared with the rest.")
        if rest and others and outlets:
            other_label = f"Other ({len(others)})"
            scores = scores.assign(outlet=scores["outlet"].where(
                scores["outlet"].astype(str).isin(set(outlets)), other_label))
            outlets = [*outlets, other_label]
        voice_label = st.radio("Voice", list(VOICES), key="voice", bind="query-params",
                               help="Authorial: text outside quotation marks. Quoted: inside.")
        voice = VOICES[voice_label]
        prov = provenance(lexicon_list)
        st.caption(
            f"slantscope {prov['slantscope']} · vaderSentiment {prov['vaderSentiment']} · "
            f"textstat {prov['textstat']} ({prov['textstat_lang']})"
        )
        st.caption("Lexicons: " + " · ".join(
            f"{md(lx.name)} {md(lx.version)} \\#{lx.hash}" for lx in lexicon_list))

        dedupe = st.toggle("Count republished copies once", key="dedupe", bind="query-params",
                           disabled=big is not None,
                           help="Leave out near-duplicates (TF-IDF cosine >= 0.8 and >= 60% of "
                           "the shorter article in shared passages) from the outlet figures."
                           + (" Not available for a store yet: run slantscope similar on it."
                              if big is not None else ""))
        dedupe = dedupe and big is None
    # Pairs are computed only when needed (the switch or the Similarity tab).
    excluded = near_duplicates(pairs_for(key, articles)) if dedupe else set()
    outlet_col = scores["outlet"]
    if outlet_col.isna().any():  # the picker lists null outlets as text
        outlet_col = outlet_col.astype(str)
    in_selection = outlet_col.isin(outlets).to_numpy()
    if excluded:
        in_selection &= ~scores["article_id"].astype(str).isin(excluded).to_numpy()
    selected = scores[in_selection]
    article_ids = selected["article_id"].astype(str).tolist()
    picker = selected if len(selected) <= MAX_PICKER else selected.head(MAX_PICKER)
    article_labels = {
        (f"{r.outlet} — {r.title} ({r.source_ref})" if isinstance(r.title, str) and r.title
         else f"{r.outlet} — {r.source_ref}"): str(r.article_id)
        for r in picker[["outlet", "title", "source_ref", "article_id"]].itertuples()
    }
    @cache
    def texts() -> tuple[pd.DataFrame, str, str]:
        """Texts for the analyses that read them (the corpus, or a sample of a
        store, labelled as the charts group them), a note and a cache key."""
        if big is None:
            frame, note_, key_ = articles, "", key
        else:
            frame = store_sample(big, corpus_key(selected), tuple(article_ids))
            note_ = (f"Computed on a random sample of {len(frame):,} of the "
                     f"{len(selected):,} selected articles (seed 0)."
                     if len(frame) < len(selected) else "")
            key_ = corpus_key(frame)
        if big is not None or grouping != "outlet" or rest:
            label_of = scores.set_index("article_id")["outlet"]
            frame = frame.assign(outlet=label_of.reindex(frame["article_id"]).to_numpy())
            key_ = f"{key_}|{grouping}|{len(outlets)}|{rest}"
        return frame, note_, key_
    framing_categories = list(lexicons["framing"].categories)
    note = (f"{len(selected)} article(s) from {len(outlets)} outlet(s) · voice: "
            f"{voice_label} · lexicons "
            + ", ".join(f"{md(lx.name)} \\#{lx.hash}" for lx in lexicon_list))

    if not outlets or selected.empty:
        st.info("No outlet selected: choose at least one in the sidebar.")

    # Widgets whose values shape the figures come first, inside their tabs.
    with tab["Article reader"]:
        chosen = st.selectbox("Article", list(article_labels), key="article",
                              bind="query-params") if article_labels else None
        article = article_labels.get(chosen) if chosen else None
        if len(selected) > MAX_PICKER:
            st.caption(f"The picker lists the first {MAX_PICKER:,} of the {len(selected):,} "
                       "selected articles; choose fewer outlets to reach the others.")
    with tab["Hedging & framing"]:
        framing_charts = st.container()
        category = st.selectbox("Framing category for the evidence list", framing_categories,
                                key="category", bind="query-params")
    selection = compare.Selection(outlets=tuple(outlets), voice=voice, article_id=article,
                                  framing_category=category)
    kept = scores[~scores["article_id"].astype(str).isin(excluded)] if excluded else scores
    if big is not None:
        voiced_all = store_voice_frame(big, lexicon_hashes, voice, scored.scores, lexicon_list)
        voiced_all = voiced_all.assign(outlet=scores["outlet"].to_numpy())
        group_key = f"{grouping}|{'|'.join(outlets) if rest else ''}"
        sentence_summary = store_sentence_summary(big, voice, group_key, scores)
        kept_voiced = voiced_all
        arc_id = article or (article_ids[0] if article_ids else None)
        arc_sentences = pd.DataFrame(columns=["article_id", "sentence_index"])  # read below
    else:
        kept_voiced = compare.voice_scores(kept, scored.hits, voice, sentences=scored.sentences)
        sentence_summary = None
        arc_sentences, arc_id = scored.sentences, None
    # What every figure of this run shares: one colour per outlet of the corpus
    # and a key for what kept_voiced holds.
    colors = charts.frame_colors(kept)
    frame_key = (f"{key}|{dedupe}|{lexicon_hashes}|{voice}|{grouping}|"
                 f"{rest and '|'.join(outlets)}")
    # Only the open tab's charts are built (tabs bound to the URL report which is open;
    # ``open`` is None where that is unknown, and then everything is built).
    opened = {view: tab[view].open for view in VIEWS}

    def showing(view: str) -> bool:
        return opened[view] is not False

    built: dict[str, Any] = {}

    def figs(*names: str) -> dict[str, Any]:
        """The named dashboard figures, each built once per run."""
        missing = [n for n in names if n not in built]
        if missing:
            arc = arc_sentences
            if big is not None and "sentiment_arc" in missing and arc_id:
                arc = store_table(big, "sentences", [arc_id], lexicon_list)
            built.update(charts.dashboard_figures(
                kept, arc, scored.hits, articles, selection,
                framing_categories=framing_categories,
                voice_frame=kept_voiced if big is not None else None,
                sentence_summary=sentence_summary, names=missing,
                selected=(selected, vscores, summary), colors=colors))
        return built

    @cache
    def quotes() -> pd.DataFrame:
        q = quotes_for(texts()[2], texts()[0])
        return q[~q["article_id"].astype(str).isin(excluded)]

    @cache
    def terms() -> pd.DataFrame:
        return terms_for(texts()[2], tuple(outlets), texts()[0])

    @cache
    def more() -> dict[str, Any]:
        analysed = kept[kept["article_id"].isin(texts()[0]["article_id"])] if big else kept
        return charts.analysis_figures(analysed, texts()[0], selection, quotes=quotes(),
                                       terms=terms())

    # kept_voiced has kept's rows: the selection is its rows of the chosen outlets.
    vscores = (selected if voice == "all" and not excluded
               else kept_voiced[kept_voiced["outlet"].isin(outlets).to_numpy()])
    summary = summary_of(frame_key if stored_key else None, kept_voiced, vscores)

    with tab["Overview"]:
        overview_box = st.container()
        metric_options = [m for m in KEY_METRICS + [c for c in scores.columns
                          if c.startswith(("framing_", "readability_")) and c.endswith(
                              ("_per_1k", "_ease", "_grade", "_fog", "_index", "_score"))]
                          if m in summary.columns]
        by_label = {compare.metric_label(m): m for m in metric_options}
        metric = by_label[st.selectbox("Metric for the intervals and the table order",
                                       list(by_label), key="metric", bind="query-params")]
        if showing("Overview"):
            with overview_box:
                overview_top(summary, figs("overview", "framing_heatmap",
                                           "sentiment_distribution"), note)
            overview_intervals(kept_voiced, selection, metric, note, key=frame_key,
                               colors=colors)
            table_cols = ["outlet", "n_articles", "words"] + [
                m for m in KEY_METRICS if m in summary.columns]
            if metric not in table_cols:
                table_cols.append(metric)
            st.dataframe(summary[table_cols].sort_values(metric, ascending=False),
                         hide_index=True, width="stretch",
                         column_config={m: st.column_config.NumberColumn(
                             compare.metric_label(m), format="%.2f") for m in table_cols[3:]})

    with tab["Sentiment"]:
        if showing("Sentiment"):
            show_chart("sentiment_distribution",
                       figs("sentiment_distribution")["sentiment_distribution"], note)
            show_chart("sentiment_voices", figs("sentiment_voices")["sentiment_voices"], note)
            st.caption("The article for the sentence-by-sentence arc is chosen in the "
                       "Article reader.")
            show_chart("sentiment_arc", figs("sentiment_arc")["sentiment_arc"], note)

    with tab["Readability"]:
        if showing("Readability"):
            show_chart("readability", figs("readability")["readability"], note)
            st.markdown(
                "- **Flesch reading ease**: 0-100, higher is easier (60-70 plain English).\n"
                "- **Flesch-Kincaid, Gunning fog, SMOG, Coleman-Liau, ARI**: US school grade; "
                "higher is harder.\n"
                "- **Dale-Chall**: 4.9 or lower easy, 9-10 college level.\n\n"
                "Readability is computed on the whole text, whatever the voice switch says. "
                "Formulas and caveats: docs/metrics.md."
            )

    with framing_charts:
        if showing("Hedging & framing"):
            show_chart("lexicon_rates", figs("lexicon_rates")["lexicon_rates"], note)
            show_chart("framing_heatmap", figs("framing_heatmap")["framing_heatmap"], note)

    with tab["Hedging & framing"]:
        if showing("Hedging & framing"):
            kwic_outlet = st.selectbox("Outlet for the evidence list", ["(all selected)", *outlets],
                                       key="kwic_outlet")
            family = st.radio("Evidence", ["framing", "hedge", "booster"], horizontal=True,
                              key="kwic_family")
            if big is not None:
                ids = (article_ids if kwic_outlet == "(all selected)" else
                       list(selected.loc[selected["outlet"].astype(str) == kwic_outlet,
                                         "article_id"].astype(str)))
                hits = from_store(big, lambda s: s.hits_where(
                    lexicons=lexicon_list, article_ids=ids, family=family,
                    category=category if family == "framing" else None,
                    in_quote=None if voice == "all" else voice == "quoted", limit=500))
                context = store_texts(big, sorted(set(hits["article_id"].astype(str))))
                context = context.assign(outlet=scores.set_index("article_id")["outlet"]
                                         .reindex(context["article_id"]).to_numpy())
                st.caption("At most 500 matches are listed, in corpus order.")
            else:
                hits = scored.hits[scored.hits["article_id"].astype(str).isin(article_ids)]
                context = texts()[0]
            table = compare.kwic(
                hits, context,
                outlet=None if kwic_outlet == "(all selected)" else kwic_outlet,
                family=family, category=category if family == "framing" else None, voice=voice,
            )
            st.caption(f"{len(table)} match(es) in context")
            st.dataframe(
                table[["outlet", "title", "left", "match", "right", "term", "in_quote",
                       "sentence_index"]],
                hide_index=True, width="stretch",
            )

    with tab["Over time"]:
        period = PERIODS[st.radio("Period", list(PERIODS), key="period", bind="query-params",
                                  horizontal=True)]
        if showing("Over time"):
            t_metric = by_label[st.selectbox("Metric over time", list(by_label),
                                             key="ts_metric")]
            colors = charts.outlet_colors(compare.outlet_names(scores))
            show_chart("time_series", charts.fig_time_series(vscores, t_metric, colors,
                                                             period=period, voice=voice), note)

    with tab["Sourcing"]:
        if showing("Sourcing"):
            if texts()[1]:
                st.info(texts()[1])
            show_chart("sourcing", more()["sourcing"], note)
            show_chart("verb_mix", more()["verb_mix"], note)
            sel_quotes = quotes()[quotes()["outlet"].astype(str).isin(outlets)]
            st.caption(f"{len(sel_quotes)} quote(s); speakers are left empty when the text does "
                       "not say who is speaking.")
            st.dataframe(sel_quotes[["outlet", "title", "speaker", "role", "verb", "side",
                                     "words", "attribution", "quote_text"]],
                         hide_index=True, width="stretch")
            summary_q = sourcing_summary(sel_quotes) if not sel_quotes.empty else pd.DataFrame()
            if not summary_q.empty:
                st.dataframe(summary_q, hide_index=True, width="stretch")

    with tab["Actors"]:
        if showing("Actors"):
            show_chart("actor_sentiment", more()["actor_sentiment"], note)
            groups = [c.removeprefix("actor_").removesuffix("_sentiment_mean")
                      for c in scores.columns if c.endswith("_sentiment_mean")
                      and c.startswith("actor_")]
            c1, c2 = st.columns(2)
            a_outlet = c1.selectbox("Outlet", outlets, key="actor_outlet") if outlets else None
            a_group = c2.selectbox("Actor", groups, key="actor_group") if groups else None
            if a_outlet and a_group:
                if big is not None:
                    ids = list(texts()[0].loc[texts()[0]["outlet"].astype(str) == a_outlet,
                                                 "article_id"].astype(str))
                    mentions = store_table(big, "mentions", ids, lexicon_list)
                    sentences_a = store_table(big, "sentences", ids, lexicon_list)
                    if texts()[1]:
                        st.caption(texts()[1])
                else:
                    mentions, sentences_a = scored.mentions, scored.sentences
                evidence = compare.actor_evidence(mentions, sentences_a, kept,
                                                  outlet=a_outlet, group=a_group)
                st.caption(f"{len(evidence)} authorial sentence(s) mentioning {md(a_group)} in "
                           f"{md(a_outlet)}, each with the target model's verdict toward "
                           f"{md(a_group)}: the cell's value is the mean of p_positive - "
                           "p_negative per article, then over articles (sentiment_authorial "
                           "is the sentence's VADER tone, for comparison).")
                st.dataframe(evidence, hide_index=True, width="stretch")
            with st.expander("Actor groups: propose and add"):
                if err := st.session_state.pop("actor_error", None):
                    st.error(md(err))
                st.caption("Groups in use: " + "; ".join(
                    f"{md(g.id)} ({len(g.names)} names)" for g in actors.groups)
                    + f" · actor file {md(actors.name)} \\#{actors.hash}")
                st.markdown("The corpus's most frequent capitalised names not covered yet:")
                st.dataframe(proposals_for(texts()[2], actors.hash, texts()[0], actors),
                             hide_index=True, width="stretch")
                if big is not None:
                    st.caption("A store keeps the actor columns it was scored with; to add "
                               "groups, score the corpus again with an edited actor file.")
                else:
                    c1, c2, c3 = st.columns([2, 4, 1])
                    c1.text_input("New group id", key="new_actor_id")
                    c2.text_input("Names (comma-separated, as written)", key="new_actor_names")
                    c3.button("Add group", key="add_actor_btn", on_click=_add_actor_group)

    with tab["Vocabulary"]:
        if showing("Vocabulary"):
            if texts()[1]:
                st.info(texts()[1])
            show_chart("distinctive_terms", more()["distinctive_terms"], note)
            if not terms().empty:
                c1, c2 = st.columns(2)
                t_outlet = c1.selectbox("Outlet", sorted(terms()["outlet"].astype(str).unique()),
                                        key="terms_outlet")
                t_terms = list(terms().loc[terms()["outlet"].astype(str) == t_outlet, "term"])
                t_term = c2.selectbox("Term in context", t_terms, key="terms_term")
                if t_term:
                    st.dataframe(term_contexts(texts()[0], t_term, by_value=t_outlet,
                                               limit=200),
                                 hide_index=True, width="stretch")
                st.dataframe(terms(), hide_index=True, width="stretch")

    with tab["Similarity"]:
        if showing("Similarity"):
            if texts()[1]:
                st.info(texts()[1])
            show_chart("outlet_similarity", more()["outlet_similarity"], note)
            sel_ids = set(scores.loc[scores["outlet"].astype(str).isin(outlets), "article_id"]
                          .astype(str))
            pairs = pairs_for(texts()[2], texts()[0])
            sel_pairs = pairs[pairs["article_id_a"].astype(str).isin(sel_ids)
                              & pairs["article_id_b"].astype(str).isin(sel_ids)]
            st.caption(f"{len(sel_pairs)} pair(s) of articles with TF-IDF cosine >= 0.3; "
                       f"{len(excluded)} article(s) left out as republished copies"
                       if dedupe else f"{len(sel_pairs)} pair(s) of articles with TF-IDF cosine "
                       ">= 0.3 (turn on 'Count republished copies once' to leave copies out)")
            st.dataframe(sel_pairs, hide_index=True, width="stretch")
            if not sel_pairs.empty:
                st.markdown("**Shared passages** (runs of 8+ words found in both articles)")
                st.dataframe(passages_table(texts()[0], sel_pairs.head(50)), hide_index=True,
                             width="stretch")

    with tab["Article reader"]:
        if showing("Article reader"):
            if article is not None:
                if big is not None:
                    row = store_texts(big, [article]).iloc[0]
                    a_sent = store_table(big, "sentences", [article], lexicon_list)
                    a_hits = store_table(big, "hits", [article], lexicon_list)
                else:
                    row = articles[articles["article_id"].astype(str) == article].iloc[0]
                    a_sent = scored.sentences[scored.sentences["article_id"].astype(str)
                                              == article]
                    a_hits = scored.hits[scored.hits["article_id"].astype(str) == article]
                text = str(row["text"])
                colors = hit_colors(a_hits, framing_categories)
                st.subheader(md(row.get("title") or row.get("source_ref")), anchor=False)
                st.caption(f"{md(row['outlet'])} · {md(row.get('published') or 'date unknown')} · "
                           f"{md(row.get('source_ref'))} · {len(a_sent)} sentences · "
                           f"{len(a_hits)} hits")
                st.html(legend_html(colors))
                spans = [(q.start, q.end) for q in quote_spans(text)]
                st.html(highlight_html(text, a_sent, a_hits, spans, colors))
                with st.expander("What cleaning removed"):
                    removed = row.get("removed")
                    st.code(removed if isinstance(removed, str) and removed else "(nothing)",
                            language=None)
            else:
                st.info("No article in the current selection.")

    with st.sidebar:
        st.header("Download")
        def table_of(name: str) -> pd.DataFrame:
            if name == "scores":
                return selected
            if big is not None:  # read from the store when the button is pressed
                return store_table(big, name, article_ids, lexicon_list)
            df = scored.sentences if name == "sentences" else scored.hits
            return df[df["article_id"].astype(str).isin(article_ids)]

        for name in ("scores", "sentences", "hits"):
            c1, c2 = st.columns(2)
            c1.download_button(f"{name}.csv",
                               data=partial(lambda n: export.to_csv_bytes(table_of(n)), name),
                               file_name=f"slantscope_{name}.csv", mime="text/csv",
                               key=f"dl_csv_{name}", on_click="ignore")
            c2.download_button(f"{name}.parquet",
                               data=partial(lambda n: export.to_parquet_bytes(table_of(n),
                                                                              scored.meta), name),
                               file_name=f"slantscope_{name}.parquet",
                               mime="application/octet-stream", key=f"dl_pq_{name}",
                               on_click="ignore")
        st.header("Share this view")
        state = {key: st.session_state.get(key) for key in
                 ("view", "corpus", "outlets", "voice", "framing", "metric", "article",
                  "category", "by", "rest", "period")}
        if source != "seeds":
            state["corpus"] = None
        st.code(share_link(state), language=None, wrap_lines=True)
        if source != "seeds":
            st.caption("Links restore the view of the bundled corpus; uploaded files stay in "
                       "your browser session and are not part of the link.")


if __name__ == "__main__":  # streamlit runs this file as __main__
    main()
