"""Golden tests: sentence sentiment is vaderSentiment's own, per sentence."""

from __future__ import annotations

import statistics

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analytics.features import sentiment
from analytics.text import quote_spans, sentences


@pytest.fixture(scope="module")
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def test_sentence_compounds_equal_vader(seed_articles, scored_seeds, vader) -> None:
    sents = scored_seeds.sentences
    assert len(sents) > 100
    for row in sents.itertuples():
        assert row.sentiment_compound == vader.polarity_scores(row.text)["compound"]


def test_article_aggregates_follow_sentences(scored_seeds) -> None:
    s = scored_seeds.sentences
    for row in scored_seeds.scores.itertuples():
        comp = list(s.loc[s.article_id == row.article_id, "sentiment_compound"])
        assert row.sentiment_mean == pytest.approx(statistics.fmean(comp))
        assert row.sentiment_min == min(comp)
        assert row.sentiment_max == max(comp)
        assert row.sentiment_pos_share == pytest.approx(sum(c >= 0.05 for c in comp) / len(comp))
        assert row.sentiment_neg_share == pytest.approx(sum(c <= -0.05 for c in comp) / len(comp))


def test_voices_are_scored_apart(vader) -> None:
    text = 'The minister called the move "a disgraceful, terrible, illegal act" on Monday.'
    sents = sentences(text)
    out = sentiment.score_sentences(text, sents, quote_spans(text))[0]
    assert out.quoted == vader.polarity_scores('"a disgraceful, terrible, illegal act"')["compound"]
    assert out.quoted < -0.5
    assert out.authorial == vader.polarity_scores("The minister called the move on Monday.")[
        "compound"
    ]


def test_no_quotes_means_no_quoted_mean() -> None:
    text = "The talks went well. Everyone was pleased."
    agg = sentiment.aggregate(sentiment.score_sentences(text, sentences(text), quote_spans(text)))
    assert agg["sentiment_quoted_mean"] is None
    assert agg["sentiment_authorial_mean"] == agg["sentiment_mean"]


def test_empty_text_gives_nulls() -> None:
    agg = sentiment.aggregate([])
    assert all(v is None for v in agg.values())


def test_run_on_text_is_scored_in_chunks(vader) -> None:
    words = ("the talks were a great success and everyone was happy " * 60).split()
    text = " ".join(words)
    chunks = [" ".join(words[i : i + 200]) for i in range(0, len(words), 200)]
    expected = statistics.fmean(vader.polarity_scores(c)["compound"] for c in chunks)
    assert sentiment.compound(text) == pytest.approx(expected)
    short = "The talks were a great success."
    assert sentiment.compound(short) == vader.polarity_scores(short)["compound"]
