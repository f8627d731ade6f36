"""The dashboard on a store (``slantscope dashboard S.duckdb``), headless:
every view, grouping by a metadata column, the rest as one group, the time
view, and the same outlet figures as the corpus gives in memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, shared_corpus_head

APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> str:
    """A store of the first 150 shared-corpus articles."""
    tmp = tmp_path_factory.mktemp("dash_store")
    corpus = tmp / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in shared_corpus_head(150)),
                      encoding="utf-8")
    db = tmp / "s.duckdb"
    r = subprocess.run([sys.executable, "-m", "analytics.cli", "score", str(corpus),
                        "--store", str(db)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return str(db)


def run_on(store_path: str, monkeypatch, **params: str) -> AppTest:
    # The dashboard reads its INPUT as `streamlit run dashboard.py -- PATH` passes it.
    monkeypatch.setattr(sys, "argv", ["dashboard.py", store_path])
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["corpus"] = "Command-line corpus"
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_every_view_renders_from_a_store(store_path, monkeypatch) -> None:
    import dashboard

    for view in dashboard.VIEWS:
        at = run_on(store_path, monkeypatch, view=view)
        if view not in ("Article reader", "Lexicons"):
            assert specs(at), view


def test_store_overview_counts_every_selected_article(store_path, monkeypatch) -> None:
    import pandas as pd

    at = run_on(store_path, monkeypatch)
    table = at.dataframe[0].value
    top = table.set_index("outlet")["n_articles"]
    rows = shared_corpus_head(150)
    counts = pd.Series([r["source"] for r in rows]).value_counts()
    for outlet, n in top.items():
        assert counts[outlet] == n
    assert len(top) == min(12, len(counts))


def test_group_by_a_metadata_column_and_the_rest(store_path, monkeypatch) -> None:
    at = run_on(store_path, monkeypatch, by="bias_text")
    blob = json.dumps(specs(at))
    assert "left" in blob or "right" in blob or "center" in blob
    at = run_on(store_path, monkeypatch, outlets="CNN (Web News)", rest="true")
    assert "Other (" in json.dumps(specs(at))


def test_time_view_by_week(store_path, monkeypatch) -> None:
    at = run_on(store_path, monkeypatch, view="Over time", period="Week")
    fig = specs(at)[0]
    assert fig["data"] and all(t["type"] == "scatter" for t in fig["data"])


def test_store_figures_are_small(store_path, monkeypatch) -> None:
    """Boxes come from summaries: the figure does not carry every sentence."""
    at = run_on(store_path, monkeypatch, view="Sentiment")
    dist = next(s for s in specs(at) if "Sentence sentiment" in json.dumps(s["layout"]))
    for trace in dist["data"]:
        if trace["type"] == "box":
            assert "q1" in trace and "x" not in trace


def test_lexicon_edit_on_a_store_recounts_the_rates(store_path, monkeypatch) -> None:
    """Adding terms in the dashboard re-counts the framing rates from the store
    (no re-scoring) and the figures follow; the added term's hits are stored."""
    from analytics.store import Store

    at = run_on(store_path, monkeypatch, view="Hedging & framing")

    def heatmap() -> str:
        return next(json.dumps(s["data"]) for s in specs(at)
                    if any(t.get("type") == "heatmap" for t in s.get("data", [])))

    before = heatmap()
    at.text_input(key="add_terms_framing").set_value("president, officials")
    at.selectbox(key="add_category_framing").set_value("diplomacy")
    at.button(key="add_btn_framing").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert heatmap() != before
    with Store(store_path) as store:  # the app's connection is open: same settings
        n = store.con.execute("SELECT count(*) FROM hits WHERE term IN "
                              "('president', 'officials')").fetchall()[0][0]
    assert n > 0


def test_filter_changes_show_what_a_fresh_view_of_the_selection_shows(store_path,
                                                                      monkeypatch) -> None:
    """What is kept between runs (the summary of every outlet, the default
    selection, the lexicons) gives the page a fresh run of the same view, with
    nothing cached, gives."""
    import streamlit as st

    at = run_on(store_path, monkeypatch)
    outlets = list(at.session_state["outlets"])
    for voice, chosen, rest in (("Authorial only", outlets[:-1], False),
                                ("All text", outlets[1:3], False),
                                ("Quoted only", outlets[:2], True)):
        at.radio(key="voice").set_value(voice)
        at.toggle(key="rest").set_value(rest)
        at.multiselect(key="outlets").set_value(chosen).run()
        assert not at.exception, [e.value for e in at.exception]
        st.cache_data.clear()
        st.cache_resource.clear()
        fresh = run_on(store_path, monkeypatch, voice=voice, outlets=chosen,  # type: ignore[arg-type]
                       **({"rest": "true"} if rest else {}))
        assert at.dataframe[0].value.equals(fresh.dataframe[0].value), voice
        assert specs(at) == specs(fresh), voice
        assert ([c.value for c in at.caption] == [c.value for c in fresh.caption]), voice
