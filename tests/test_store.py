"""The DuckDB store: same numbers as in-memory scoring, nothing scored twice,
resumable after SIGKILL, lexicon edits re-counted from stored hits, and the
dask engine identical to the process pool."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from analytics import schema
from analytics.corpus import iter_corpus_chunks, load_corpus
from analytics.lexicons import Term, default_lexicons
from analytics.pipeline import core_key, score_corpus, score_to_store
from analytics.store import Store, StoreError, text_hash

from .conftest import SEEDS, shared_corpus_head


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal values (nulls as nulls, whatever their pandas type)."""
    a = a.reset_index(drop=True).astype(object).where(a.notna().to_numpy(), None)
    b = b.reset_index(drop=True).astype(object).where(b.notna().to_numpy(), None)
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def from_store(store: Store, ids, lexicons=None, labels=None):
    lexicons = lexicons or default_lexicons()
    core = core_key()
    scores = store.scores(core=core, lexicons=lexicons, article_ids=ids, label_columns=labels)
    if labels:
        scores = scores[[c for c in labels if c in scores] +
                        [c for c in scores if c not in labels]]
    return (scores,
            store.table("sentences", core=core, lexicons=lexicons, article_ids=ids),
            store.table("hits", core=core, lexicons=lexicons, article_ids=ids))


@pytest.fixture()
def corpus_file(tmp_path) -> Path:
    """The five seeds plus 60 shared-corpus articles, as one JSONL file."""
    rows = shared_corpus_head(60)
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return path


def run_into(store: Store, path, *, chunk_size=25, lexicons=None, engine="serial"):
    return score_to_store(iter_corpus_chunks(path, chunk_size=chunk_size), store,
                          engine=engine, lexicons=lexicons)


def test_store_gives_the_in_memory_numbers(tmp_path, corpus_file) -> None:
    ref = score_corpus(load_corpus(corpus_file).articles, engine="serial")
    with Store(tmp_path / "s.duckdb") as store:
        run = run_into(store, corpus_file)
        assert run.scored == len(ref.scores) and run.reused == 0
        scores, sents, hits = from_store(store, run.article_ids, labels=run.label_columns)
    same(scores, ref.scores)
    same(sents, ref.sentences)
    same(hits, ref.hits)


def test_rerun_scores_nothing_and_new_articles_only_are_scored(tmp_path, corpus_file) -> None:
    lines = corpus_file.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:40]), encoding="utf-8")
    with Store(tmp_path / "s.duckdb") as store:
        assert run_into(store, first).scored == 40
        again = run_into(store, first)
        assert (again.scored, again.reused) == (0, 40)
        more = run_into(store, corpus_file)
        assert (more.scored, more.reused) == (len(lines) - 40, 40)


def test_the_same_text_under_two_ids_is_scored_once(tmp_path) -> None:
    text = "NATO and Russia met in Brussels. The talks were difficult."
    path = tmp_path / "two.csv"
    pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "Y"], "text": [text, text]}).to_csv(
        path, index=False)
    from analytics.corpus import ColumnMapping

    with Store(tmp_path / "s.duckdb") as store:
        run = score_to_store(iter_corpus_chunks(path, mapping=ColumnMapping(id="id")), store,
                             engine="serial")
        assert run.scored == 1 and run.article_ids == ["a", "b"]
        scores, sents, _ = from_store(store, run.article_ids)
    assert list(scores[schema.ARTICLE_ID]) == ["a", "b"]
    assert list(sents[schema.ARTICLE_ID]) == ["a", "a", "b", "b"]


def test_the_same_text_in_two_chunks_in_flight_is_scored_once(tmp_path) -> None:
    """Chunks are handed to the workers before the previous one is written:
    a text of an earlier chunk still being scored is not scored again, and
    both articles get its scores."""
    rows = shared_corpus_head(12)
    rows.append({**rows[1], "id": "again"})  # same text, third chunk
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    from analytics.corpus import ColumnMapping

    ref = score_corpus(load_corpus(path, mapping=ColumnMapping(id="id")).articles,
                       engine="serial")
    for engine in ("processes", "serial"):
        with Store(tmp_path / f"{engine}.duckdb") as store:
            run = score_to_store(
                iter_corpus_chunks(path, mapping=ColumnMapping(id="id"), chunk_size=5,
                                   first_chunk_size=2),
                store, engine=engine, workers=2, batch_size=2)
            assert (run.scored, run.reused) == (12, 1)
            scores, sents, hits = from_store(store, run.article_ids, labels=run.label_columns)
            n = store.con.execute("SELECT count(*) FROM scores").fetchall()[0][0]
        assert n == 12
        same(scores, ref.scores)
        same(sents, ref.sentences)
        same(hits, ref.hits)


def test_first_chunk_size_makes_only_the_first_chunk_smaller(tmp_path) -> None:
    rows = shared_corpus_head(12)
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    sizes = [len(c.articles) for c in iter_corpus_chunks(path, chunk_size=5, first_chunk_size=2)]
    assert sizes == [2, 5, 5]


def test_read_ahead_gives_items_in_order_and_raises_the_readers_error() -> None:
    from analytics.pipeline import _read_ahead

    assert list(_read_ahead(iter(range(5)))) == [0, 1, 2, 3, 4]

    def failing():
        yield 1
        raise ValueError("bad input.jsonl:3: not JSON")

    got = []
    with pytest.raises(ValueError, match="bad input"):
        for x in _read_ahead(failing()):
            got.append(x)
    assert got == [1]
    # stopping early leaves no thread behind
    import threading

    it = _read_ahead(iter(range(1000)))
    assert next(it) == 0
    it.close()
    assert not any(t.name == "slantscope-read-ahead" and t.is_alive()
                   for t in threading.enumerate())


def _edited_framing():
    """The conflict framing lexicon without "talks", with "brussels" added."""
    lexicons = default_lexicons()
    i = next(k for k, lx in enumerate(lexicons) if lx.family == "framing")
    fr = lexicons[i]
    removed = next(t for t in fr.terms if "talks" in t.forms)
    terms = (*(t for t in fr.terms if t is not removed),
             Term(term="brussels", category="diplomacy", forms=("brussels",), note="test"))
    lexicons[i] = replace(fr, version=fr.version + "-edit", terms=terms)
    return lexicons, removed


def test_lexicon_edit_recounts_only_from_stored_hits(tmp_path, corpus_file) -> None:
    edited, removed = _edited_framing()
    ref = score_corpus(load_corpus(corpus_file).articles, engine="serial", lexicons=edited)
    with Store(tmp_path / "s.duckdb") as store:
        run = run_into(store, corpus_file)
        report = store.ensure_lexicons(edited, core=core_key())
        # Only framing changed; only texts with "brussels" or a hit of the
        # removed term were matched again.
        assert set(report) == {"framing"}
        texts = load_corpus(corpus_file).articles[schema.TEXT]
        candidates = sum(("brussels" in t.lower()) or any(f in t.lower() for f in removed.forms)
                         for t in texts)
        assert 0 < report["framing"] <= candidates < len(texts)
        scores, _, hits = from_store(store, run.article_ids, lexicons=edited,
                                         labels=run.label_columns)
    same(scores, ref.scores)
    same(hits, ref.hits)


def test_a_new_lexicon_run_rematches_without_rescoring(tmp_path, corpus_file) -> None:
    edited, _ = _edited_framing()
    with Store(tmp_path / "s.duckdb") as store:
        run_into(store, corpus_file)
        second = run_into(store, corpus_file, lexicons=edited)
    assert second.scored == 0 and second.relexed == second.reused > 0


def test_sigkill_loses_nothing_committed_and_the_next_run_resumes(tmp_path) -> None:
    rows = shared_corpus_head(1000)
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "s.duckdb"
    # A run that prints how many articles it has scored; the first 512 are
    # committed once scoring of the next part has begun.
    child = (
        "import sys\n"
        "from analytics.corpus import iter_corpus_chunks\n"
        "from analytics.pipeline import score_to_store\n"
        "from analytics.store import Store\n"
        "done = 0\n"
        "def tick(n):\n"
        "    global done\n"
        "    done += n\n"
        "    print(done, flush=True)\n"
        f"score_to_store(iter_corpus_chunks({str(path)!r}, chunk_size=1000), "
        f"Store({str(db)!r}), engine='serial', progress=tick)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if int(line) >= 640:
            break
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be killed")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        n_scored = len(store.scored_hashes(
            [text_hash(t) for t in load_corpus(path).articles[schema.TEXT]], core_key()))
        # No half-written article: every scored text has all its sentences.
        bad = store.con.execute(
            "SELECT count(*) FROM scores s LEFT JOIN (SELECT text_hash, count(*) AS n "
            "FROM sentences GROUP BY 1) c USING (text_hash) "
            "WHERE coalesce(c.n, 0) <> s.text_sentences").fetchall()[0][0]
        assert bad == 0
        done = store.missing_lexicon(
            [r[0] for r in store.con.execute("SELECT text_hash FROM scores").fetchall()],
            default_lexicons())
        assert not done
    assert 0 < n_scored < 1000
    with Store(db) as store:
        run = run_into(store, path, chunk_size=500, engine="processes")
    assert run.reused == n_scored and run.scored == 1000 - n_scored


def test_dask_engine_matches_processes_on_300_articles(tmp_path) -> None:
    pytest.importorskip("distributed")
    rows = shared_corpus_head(300)
    articles = load_corpus_from(rows, tmp_path)
    procs = score_corpus(articles, engine="processes", workers=2)
    dask = score_corpus(articles, engine="dask", workers=2)
    pd.testing.assert_frame_equal(procs.scores, dask.scores)
    pd.testing.assert_frame_equal(procs.sentences, dask.sentences)
    pd.testing.assert_frame_equal(procs.hits, dask.hits)
    pd.testing.assert_frame_equal(procs.mentions, dask.mentions)


def load_corpus_from(rows, tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return load_corpus(path).articles


def test_bad_store_files_give_one_line_errors(tmp_path) -> None:
    not_db = tmp_path / "notes.duckdb"
    not_db.write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError, match=r"notes\.duckdb"):
        Store(not_db)
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.duckdb", read_only=True)
    r = subprocess.run([sys.executable, "-m", "analytics.cli", "score", str(SEEDS),
                        "--store", str(not_db)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "notes.duckdb" in r.stderr
    assert "Traceback" not in r.stderr


def test_store_as_input_for_compare_and_score_output(tmp_path) -> None:
    db = tmp_path / "s.duckdb"
    cli = [sys.executable, "-m", "analytics.cli"]
    r = subprocess.run([*cli, "score", str(SEEDS), "--store", str(db), "-o",
                        str(tmp_path / "a.csv")], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*cli, "compare", str(db), "-o", str(tmp_path / "c.csv")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(tmp_path / "c.csv")
    assert table["n_articles"].sum() == 5
    r = subprocess.run([*cli, "score", str(SEEDS), "--store", str(db), "-o",
                        str(tmp_path / "b.csv")], capture_output=True, text=True, timeout=300)
    assert "5 from the store" in r.stderr
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    sentences = [(tmp_path / f"{x}.sentences.csv").read_bytes() for x in "ab"]
    assert sentences[0] == sentences[1]


@pytest.mark.parametrize("voice", ["all", "quoted"])
def test_sentence_stats_in_duckdb_equal_the_pandas_ones(tmp_path, corpus_file, voice) -> None:
    from analytics import compare

    with Store(tmp_path / "s.duckdb") as store:
        run = run_into(store, corpus_file)
        scores, sents, _ = from_store(store, run.article_ids, labels=run.label_columns)
        sql = store.sentence_stats(scores[["article_id", "outlet"]], core=core_key(),
                                   voice=voice)
    ref = compare.sentence_stats(compare.sentence_frame(sents, scores, voice))
    pd.testing.assert_frame_equal(sql, ref, check_dtype=False, rtol=1e-12)


def test_text_commands_read_a_store_and_id_col_keeps_ids(tmp_path) -> None:
    """terms/quotes/similar take a store as INPUT; score --id-col on a CSV of
    single sentences keeps the ids and gives hedged_share per row."""
    cli = [sys.executable, "-m", "analytics.cli"]
    db = tmp_path / "s.duckdb"
    r = subprocess.run([*cli, "score", str(SEEDS), "--store", str(db)], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for command in ("terms", "quotes", "similar"):
        out = tmp_path / f"{command}.csv"
        r = subprocess.run([*cli, command, str(db), "-o", str(out)], capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, (command, r.stderr)
        assert out.exists()
    sentences = pd.DataFrame({
        "id": ["s1", "s2", "s3"], "outlet": ["x", "x", "y"],
        "text": ["Russia may be preparing an invasion, some analysts believe.",
                 "The meeting took place in May 2022.",
                 "NATO rejected the demands."]})
    src = tmp_path / "sentences.csv"
    sentences.to_csv(src, index=False)
    out = tmp_path / "hedged.csv"
    r = subprocess.run([*cli, "score", str(src), "--id-col", "id", "-o", str(out),
                        "--store", str(db)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = pd.read_csv(out).set_index("article_id")["hedged_share"]
    assert list(got.index) == ["s1", "s2", "s3"]
    assert got["s1"] == 1.0 and got["s2"] == 0.0


def _framing_edit(kind: str):
    from analytics.lexicons import default_lexicons

    lexicons = default_lexicons()
    i = next(k for k, lx in enumerate(lexicons) if lx.family == "framing")
    fr = lexicons[i]
    cats = list(fr.categories)
    if kind == "recategorise":  # every form kept, the category changed
        target = next(t for t in fr.terms if "talks" in t.forms)
        other = next(c for c in cats if c != target.category)
        terms = tuple(replace(t, category=other) if t is target else t for t in fr.terms)
    elif kind == "remove_one_word":  # a common one-word term ("sanctions", "war"...)
        target = next(t for t in fr.terms if all(" " not in f for f in t.forms)
                      and {"sanctions", "war", "threat", "attack"} & set(t.forms))
        terms = tuple(t for t in fr.terms if t is not target)
    else:  # a multi-word form added over an existing one-word form
        terms = (*fr.terms, Term(term="peace talks", category=cats[0],
                                 forms=("peace talks",), note="test"))
    lexicons[i] = replace(fr, version=f"{fr.version}-{kind}", terms=terms)
    return lexicons


@pytest.mark.parametrize("kind", ["recategorise", "remove_one_word", "add_multi_word"])
def test_every_kind_of_lexicon_edit_equals_scoring_from_scratch(tmp_path, corpus_file,
                                                                kind) -> None:
    edited = _framing_edit(kind)
    ref = score_corpus(load_corpus(corpus_file).articles, engine="serial", lexicons=edited)
    with Store(tmp_path / "s.duckdb") as store:
        run = run_into(store, corpus_file)
        report = store.ensure_lexicons(edited, core=core_key())
        scores, _, hits = from_store(store, run.article_ids, lexicons=edited,
                                     labels=run.label_columns)
    same(scores, ref.scores)
    same(hits, ref.hits)
    if kind != "add_multi_word":  # relabelled or dropped: nothing matched again
        assert report["framing"] == 0


def test_scores_read_again_follow_every_write(tmp_path, corpus_file) -> None:
    """A store keeps the core columns and each family's hit counts of its
    last read of every article's scores: reading again after a lexicon edit,
    new articles, articles written again, or a write through another
    connection gives what a store opened afresh reads."""
    lines = corpus_file.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:40]), encoding="utf-8")
    edited, _ = _edited_framing()
    path = tmp_path / "s.duckdb"
    core = core_key()

    def check(store: Store, lexicons) -> int:
        got = store.scores(core=core, lexicons=lexicons)
        with Store(path) as fresh:
            pd.testing.assert_frame_equal(got, fresh.scores(core=core, lexicons=lexicons))
        return len(got)

    with Store(path) as store:
        run_into(store, first)
        assert check(store, default_lexicons()) == 40
        assert check(store, edited) == 40  # not matched yet: null framing rates
        store.ensure_lexicons(edited, core=core)
        assert check(store, edited) == 40
        assert check(store, default_lexicons()) == 40
        run_into(store, corpus_file)  # new articles
        assert check(store, default_lexicons()) == len(lines)
        run_into(store, first)  # the first articles written again, at the end
        assert check(store, default_lexicons()) == len(lines)
        with Store(path) as other:  # written through another connection
            run_into(other, corpus_file, lexicons=edited)
        assert check(store, edited) == len(lines)


def test_writing_articles_again_keeps_one_copy_of_each_text(tmp_path) -> None:
    # A re-run writes the articles' labels again but not their texts (one
    # copy each, not rewritten), unless what cleaning removed has changed.
    from analytics import schema

    articles = load_corpus(SEEDS).articles
    with Store(tmp_path / "s.duckdb") as store:
        store.write_articles(articles)
        before = store.con.execute("SELECT text_hash, rowid FROM texts ORDER BY 1").fetchall()
        store.write_articles(articles)
        assert store.con.execute("SELECT text_hash, rowid FROM texts ORDER BY 1").fetchall() \
            == before
        changed = articles.copy()
        changed.loc[changed.index[0], schema.REMOVED] = "Subscribe now"
        store.write_articles(changed)
        rows = store.con.execute("SELECT text_hash, removed FROM texts").fetchall()
        assert len(rows) == len(before)
        h = text_hash(str(changed[schema.TEXT].iloc[0]))
        assert dict(rows)[h] == "Subscribe now"
        assert store.con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == len(articles)


def test_columns_written_from_python_values_get_the_types_pandas_gave_them(tmp_path) -> None:
    """Results are written as Arrow tables built from Python values; every
    column must get the type (and values) the pandas frame and ``_normalise``
    gave it, so a store's tables look the same whichever path wrote them."""
    import duckdb

    from analytics.store import _normalise, _typed_columns

    nan = float("nan")
    cases = {
        "ints": [1, 2, 3],
        "ints_with_null": [1, None, 3],
        "floats_with_nan_and_null": [1.5, nan, None],
        "ints_and_floats": [1, 2.5, 3],
        "bools": [True, False, True],
        "bools_with_null": [True, None, False],
        "text_with_null": ["a", None, "c"],
        "all_null": [None, None, None],
        schema.READABILITY_FLAG: [None, None, None],
        "mixed": ["a", 1, None],
        "huge": [2**70, 1, 2],
    }
    con = duckdb.connect()
    for name, values in cases.items():
        columns = {"text_hash": ["x", "y", "z"], name: values}
        typed = _typed_columns(columns)  # a DataFrame where Arrow would differ
        con.register("_arrow", _normalise(typed) if isinstance(typed, pd.DataFrame) else typed)
        con.register("_pandas", _normalise(pd.DataFrame(columns)))
        expected = con.execute("DESCRIBE SELECT * FROM _pandas").fetchall()
        assert con.execute("DESCRIBE SELECT * FROM _arrow").fetchall() == expected, name
        assert (con.execute("SELECT * FROM _arrow").fetchall()
                == con.execute("SELECT * FROM _pandas").fetchall()), name
        con.unregister("_arrow")
        con.unregister("_pandas")
