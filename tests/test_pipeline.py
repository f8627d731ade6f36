"""The pipeline on the seeds: the contract's columns, engines agree, offline."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from analytics import schema
from analytics.lexicons import default_lexicons
from analytics.pipeline import ArticleScorer, score_corpus
from tests.conftest import ROOT, shared_corpus_head

CONTRACT_SCORE_COLUMNS = [
    "article_id", "outlet", "title", "published", "url", "source_ref",
    *schema.SENTIMENT_COLUMNS, *schema.READABILITY_INDICES, "readability_flag",
    "text_words", "text_sentences", "hedge_per_1k", "booster_per_1k",
    "hedge_authorial_per_1k", "hedge_quoted_per_1k",
]


def test_scores_have_contract_columns(scored_seeds) -> None:
    scores = scored_seeds.scores
    assert len(scores) == 5
    for c in CONTRACT_SCORE_COLUMNS:
        assert c in scores.columns, c
    framing = [c for c in scores.columns if c.startswith("framing_") and c.endswith("_per_1k")]
    assert len(framing) >= 6
    assert scores["outlet"].nunique() == 5
    assert list(scored_seeds.sentences.columns) == list(schema.SENTENCE_COLUMNS)
    assert list(scored_seeds.hits.columns) == list(schema.HIT_COLUMNS)


def test_rates_are_per_1000_words_and_traceable_to_hits(scored_seeds) -> None:
    hits = scored_seeds.hits
    for row in scored_seeds.scores.itertuples():
        mine = hits[hits.article_id == row.article_id]
        for family in ("hedge", "booster"):
            n = int((mine.family == family).sum())
            assert getattr(row, f"{family}_per_1k") == pytest.approx(1000 * n / row.text_words)
        for cat in mine.loc[mine.family == "framing", "category"].unique():
            n = int(((mine.family == "framing") & (mine.category == cat)).sum())
            assert row._asdict()[schema.framing_column(cat)] == pytest.approx(
                1000 * n / row.text_words
            )


def test_hits_slice_the_article_text(seed_articles, scored_seeds) -> None:
    texts = dict(zip(seed_articles.article_id, seed_articles.text, strict=True))
    sents = scored_seeds.sentences.set_index(["article_id", "sentence_index"])
    for h in scored_seeds.hits.itertuples():
        t = texts[h.article_id]
        assert t[h.start : h.end] == h.matched_text
        s = sents.loc[(h.article_id, h.sentence_index)]
        assert s.start <= h.start < s.end


def test_revisionist_is_a_quoted_hit(scored_seeds) -> None:
    hits = scored_seeds.hits
    rev = hits[hits.matched_text.str.lower() == "revisionist"]
    assert len(rev) >= 1 and rev.in_quote.all()


def test_engines_give_identical_output(seed_articles) -> None:
    more = pd.concat([seed_articles] * 1, ignore_index=True)
    serial = score_corpus(more, engine="serial")
    procs = score_corpus(more, engine="processes", workers=2, batch_size=2)
    pd.testing.assert_frame_equal(serial.scores, procs.scores)
    pd.testing.assert_frame_equal(serial.sentences, procs.sentences)
    pd.testing.assert_frame_equal(serial.hits, procs.hits)


def test_unknown_engine_lists_valid_ones(seed_articles) -> None:
    with pytest.raises(ValueError, match="serial, processes"):
        score_corpus(seed_articles, engine="gpu")  # type: ignore[arg-type]


def test_scoring_is_deterministic(seed_articles) -> None:
    scorer = ArticleScorer(default_lexicons())
    text = seed_articles.text.iloc[0]
    assert scorer.score("x", text) == scorer.score("x", text)


@pytest.mark.parametrize(
    "text",
    ["", "word", "no punctuation at all " * 50,
     "ALL CAPS: NATO REJECTS RUSSIAN DEMANDS. TALKS FAIL.",
     "北约与俄罗斯在布鲁塞尔举行会谈。双方未能达成协议。", "🎉🎉🎉 👍", "1 2 3 4 5 6 7 8 9 10",
     "Por primera vez en dos años, la OTAN y Rusia se reunieron para abordar las crecientes "
     "tensiones en torno a la seguridad en el continente europeo, especialmente a raíz del "
     "conflicto entre Rusia y Ucrania."],
)
def test_edge_cases_give_finite_numbers_or_nulls(text: str) -> None:
    row, _, _ = ArticleScorer(default_lexicons()).score("x", text)
    for k, v in row.items():
        if isinstance(v, float):
            assert v == v and abs(v) != float("inf"), k


def test_non_english_is_flagged_not_scored() -> None:
    text = "北约与俄罗斯在布鲁塞尔举行会谈。双方未能达成协议。" * 5
    row, _, _ = ArticleScorer(default_lexicons()).score("x", text)
    assert row["text_non_english"] is True
    assert row["readability_flag"] == "non_english"
    assert row["sentiment_mean"] is None and row["hedge_per_1k"] is None


def test_seeds_score_with_sockets_blocked(tmp_path) -> None:
    """Every extractor works with no network (cold caches, fresh process)."""
    out = tmp_path / "scores.csv"
    code = textwrap.dedent(f"""
        import socket, sys
        def refuse(*a, **k):
            raise OSError("network blocked by test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from analytics.cli import main
        sys.exit(main(["score", {str(ROOT / 'seeds')!r}, "--engine", "serial", "-o", {str(out)!r}]))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(out)
    assert len(df) == 5
    assert df["readability_flesch_reading_ease"].notna().all()
    assert df["sentiment_mean"].notna().all()


@pytest.mark.slow
def test_shared_corpus_sample_scores_cleanly() -> None:
    recs = shared_corpus_head(150)
    arts = pd.DataFrame(
        {"article_id": [r["id"] for r in recs], "text": [r["content"] for r in recs]}
    )
    scored = score_corpus(arts, engine="processes", workers=2)
    assert len(scored.scores) == 150
    assert scored.scores["sentiment_mean"].notna().mean() > 0.95
