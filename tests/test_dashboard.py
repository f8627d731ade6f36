"""The dashboard headless (streamlit AppTest) on the bundled seeds."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")
TIMEOUT = 120


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _charts(at: AppTest) -> dict[str, dict]:
    """Plotly figures on the page by chart key (``chart_<name>``)."""
    out = {}
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        out[el.proto.id or str(len(out))] = spec
    return out


def _chart_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


@pytest.fixture(scope="module")
def seed_outlets() -> list[str]:
    import pandas as pd

    return list(pd.read_csv(ROOT / "seeds" / "manifest.csv")["outlet"])


@pytest.fixture(scope="module")
def default_run() -> AppTest:
    at = _app()
    at.run()
    return at


def test_opens_on_the_seeds_without_exception(default_run: AppTest, seed_outlets) -> None:
    at = default_run
    assert not at.exception, [e.value for e in at.exception]
    specs = _chart_specs(at)
    assert len(specs) >= 3  # the open tab's charts only (the others are built when opened)
    blob = json.dumps(specs)
    for outlet in seed_outlets:
        assert json.dumps(outlet)[1:-1] in blob, outlet


def test_every_view_renders(seed_outlets) -> None:
    for view in _dashboard_module().VIEWS:
        at = _app()
        at.query_params["view"] = view
        at.run()
        assert not at.exception, (view, [e.value for e in at.exception])
        assert at.session_state["view"] == view
        if view not in ("Article reader", "Lexicons"):
            blob = json.dumps(_chart_specs(at))
            assert any(json.dumps(o)[1:-1] in blob for o in seed_outlets), view


def test_query_parameters_restore_the_view(seed_outlets) -> None:
    chosen = seed_outlets[:2]
    at = _app()
    at.query_params["view"] = "Sentiment"
    at.query_params["outlets"] = chosen
    at.query_params["voice"] = "Quoted only"
    at.run()
    assert not at.exception
    assert list(at.session_state["outlets"]) == chosen
    assert at.session_state["voice"] == "Quoted only"
    # The charts only show the chosen outlets.
    spec = next(s for s in _chart_specs(at) if "sentiment" in json.dumps(s.get("layout", {}).get(
        "title", {})).lower())
    blob = json.dumps(spec)
    for outlet in seed_outlets[2:]:
        assert json.dumps(outlet)[1:-1] not in blob
    # The share box holds a link with the same state.
    link = " ".join(c.value for c in at.code)
    assert "voice=Quoted+only" in link and "view=Sentiment" in link


def test_changing_widgets_updates_the_url_state(seed_outlets) -> None:
    at = _app()
    at.run()
    at.radio(key="voice").set_value("Authorial only").run()
    at.multiselect(key="outlets").set_value(seed_outlets[:3]).run()
    assert not at.exception
    link = " ".join(c.value for c in at.code)
    assert "voice=Authorial+only" in link
    assert link.count("outlets=") == 3


def _framing_heatmap(at: AppTest) -> str:
    for spec in _chart_specs(at):
        if any(t.get("type") == "heatmap" for t in spec.get("data", [])):
            return json.dumps(spec["data"])
    raise AssertionError("no framing heatmap")


def test_lexicon_edit_changes_a_figure_and_the_hash() -> None:
    at = _app()
    at.query_params["view"] = "Hedging & framing"  # the lexicon editors are always drawn
    at.run()
    before = _framing_heatmap(at)
    hash_before = " ".join(c.value for c in at.caption if "Lexicons:" in c.value)
    at.text_input(key="add_terms_framing").set_value("meeting, council")
    at.selectbox(key="add_category_framing").set_value("diplomacy")
    at.button(key="add_btn_framing").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _framing_heatmap(at) != before
    hash_after = " ".join(c.value for c in at.caption if "Lexicons:" in c.value)
    assert hash_after != hash_before


def test_framing_set_switch(seed_outlets) -> None:
    at = _app()
    at.query_params["framing"] = "Policy frames"
    at.run()
    assert not at.exception
    assert "economic" in _framing_heatmap(at)


def test_reader_escapes_and_shows_removed() -> None:
    at = _app()
    at.query_params["view"] = "Article reader"
    at.run()
    assert not at.exception
    html_blocks = [h.proto.body for h in at.get("html")]
    reader = next(b for b in html_blocks if "slantscope-reader" in b)
    assert "<script" not in reader
    assert "title=" in reader


def _dashboard_module():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("slantscope_dashboard", APP)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # main() only runs under ``streamlit run``
    return module


def test_upload_errors_are_per_file_and_good_files_are_used() -> None:
    dash = _dashboard_module()
    good = (ROOT / "seeds" / "002_66c77f65f70d1ee2.txt").read_bytes()
    csv = b"headline,body,paper\nTalks end,NATO and Russia ended talks without agreement.,X\n"
    files = (
        ("good.txt", good),
        ("table.csv", csv),
        ("broken.txt", bytes(range(256)) * 10),
        ("../../escape.txt", b"An article that tries to climb out of its folder."),
    )
    articles, problems, _ = dash.load_uploads.__wrapped__(files, (None, None, None, None))
    assert len(articles) == 3
    assert len(problems) == 1 and problems[0].startswith("broken.txt")
    assert "/tmp" not in problems[0] and "slantscope-" not in problems[0]
    assert set(articles["source_ref"]) >= {"good.txt", "escape.txt"}


def test_upload_without_text_column_asks_for_mapping() -> None:
    dash = _dashboard_module()
    files = (("odd.csv", b"a,b\nx,y\n"),)
    articles, problems, _ = dash.load_uploads.__wrapped__(files, (None, None, None, None))
    assert articles.empty and "--text-col" in problems[0] and "odd.csv" in problems[0]
    articles, problems, _ = dash.load_uploads.__wrapped__(files, ("b", "a", None, None))
    assert len(articles) == 1 and list(articles["outlet"]) == ["x"]


def test_adding_an_actor_group_adds_its_columns() -> None:
    at = _app()
    at.query_params["view"] = "Actors"
    at.run()
    assert not at.exception
    at.text_input(key="new_actor_id").set_value("osce")
    at.text_input(key="new_actor_names").set_value("OSCE, Organization for Security and "
                                                   "Cooperation in Europe")
    at.button(key="add_actor_btn").click().run()
    assert not at.exception, [e.value for e in at.exception]
    heat = next(s for s in _chart_specs(at) if "actors" in json.dumps(s.get("layout", {})
                                                                       .get("title", {})))
    assert "Osce" in json.dumps(heat["data"]) or "osce" in json.dumps(heat["data"]).lower()


def _bad_upload_files() -> dict[str, bytes]:
    import gzip
    import io

    import pandas as pd

    jsonl = b'{"text": "NATO and Russia met in Brussels for talks."}\n{broken\n'
    parquet = io.BytesIO()
    pd.DataFrame({"text": ["Talks ended without a deal."]}).to_parquet(parquet)
    return {
        "empty.txt": b"",
        "blank.txt": b"   \n\t\n",
        "binary.txt": bytes(range(256)) * 8,
        "utf16.txt": "Les pourparlers ont échoué à Bruxelles.".encode("utf-16"),
        "latin1.txt": "The café talks in Brussels ended.".encode("latin-1"),
        "crlf.txt": b"Talks ended.\r\nNobody agreed.\rThe end.\n",
        "malformed.jsonl": jsonl,
        "notgzip.jsonl.gz": b"this is not gzip",
        "realgzip.jsonl.gz": gzip.compress(b'{"text": "Gzip talks ended."}\n'),
        "notparquet.parquet": b"PAR1 not really",
        "parquet.parquet": parquet.getvalue(),
        "notext.csv": b"a,b\n1,2\n",
        "unterminated.csv": b'text\n"An unterminated quote\nNext row\n',
        "script.html": b"<html><body><script>alert(1)</script><p>Russia and NATO talked "
        b"for four hours in Brussels on Wednesday, officials said.</p>"
        b"<img src=x onerror=alert(1)></body></html>",
    }


def test_every_bad_upload_is_reported_and_the_good_file_still_used() -> None:
    dash = _dashboard_module()
    good = ("good.txt", (ROOT / "seeds" / "002_66c77f65f70d1ee2.txt").read_bytes())
    for name, data in _bad_upload_files().items():
        articles, problems, warnings = dash.load_uploads.__wrapped__(
            (good, (name, data)), (None, None, None, None))
        assert "good.txt" in set(articles["source_ref"]), name
        for message in problems + warnings:
            assert "\n" not in message and "Traceback" not in message, (name, message)
            assert "slantscope-" not in message, (name, message)  # no temp paths shown
        texts = " ".join(articles["text"])
        assert "alert(1)" not in texts and "onerror" not in texts, name


def test_charts_link_to_their_validity_section(default_run: AppTest) -> None:
    labels = [p.proto.popover.label for p in default_run.get("popover")]
    assert any(lbl.startswith("How far to trust this: Sentiment (VADER)") for lbl in labels)
    assert any("Framing and lexicon rates" in lbl for lbl in labels)


def test_unedited_lexicon_editors_give_the_shipped_lexicons(default_run: AppTest) -> None:
    from analytics.lexicons import builtin_lexicons

    shipped = builtin_lexicons()
    effective = default_run.session_state["lex_effective"]
    assert {f: lx.hash for f, lx in effective.items()} == {
        "hedge": shipped["hedges"].hash, "booster": shipped["boosters"].hash,
        "framing": shipped["framing_conflict"].hash}


def test_an_editor_counts_as_edited_once_it_holds_an_edit(monkeypatch) -> None:
    """Only an editor without edits is read from the cache; any edit is read back."""
    import streamlit as st

    dash = _dashboard_module()
    empty = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    state = {
        "none": empty,
        "cell": {**empty, "edited_rows": {0: {"term": "maybe"}}},
        "added": {**empty, "added_rows": [{"term": "perhaps"}]},
        "deleted": {**empty, "deleted_rows": [3]},
    }
    monkeypatch.setattr(st, "session_state", state)
    assert not dash._edited("none")
    assert dash._edited("cell") and dash._edited("added") and dash._edited("deleted")
    assert dash._edited("never drawn")
