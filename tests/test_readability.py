"""Golden tests: our one-pass readability equals textstat's own functions."""

from __future__ import annotations

import pytest
import textstat

from analytics.features import readability
from analytics.schema import READABILITY_INDICES
from tests.conftest import shared_corpus_head


def _textstat_values(text: str) -> dict[str, float]:
    textstat.set_lang("en_US")
    return {name: getattr(textstat, name)(text) for name in READABILITY_INDICES.values()}


def _assert_equal(text: str) -> None:
    ours = readability.indices(readability.counts(text))
    theirs = _textstat_values(text)
    for name, value in theirs.items():
        assert ours[name] == pytest.approx(value, abs=1e-6), name


def test_textstat_is_the_pinned_offline_version() -> None:
    assert tuple(textstat.__version__) == (0, 7, 8)


def test_golden_on_seeds(seed_texts: dict[str, str], seed_articles) -> None:
    for text in list(seed_texts.values()) + list(seed_articles["text"]):
        _assert_equal(text)


@pytest.mark.slow
def test_golden_on_200_articles_of_the_shared_corpus() -> None:
    for rec in shared_corpus_head(200):
        _assert_equal(rec["content"])


@pytest.mark.parametrize(
    "text",
    ["", "word", "One two three.", "ALL CAPS SHOUTING HERE. REALLY LOUD!", "It's the U.S.'s turn.",
     "Numbers 1 2 3 4.5 and 6,000.", "Émile’s café — naïve façade.", "Привет мир. Как дела?",
     "emoji 🎉 party 🎉!", "no punctuation at all " * 30],
)
def test_golden_edge_cases(text: str) -> None:
    _assert_equal(text)


def test_counts_are_textstats() -> None:
    text = "The cat sat on the mat. It was a remarkably comfortable mat, wasn't it?"
    c = readability.counts(text)
    assert c.words == textstat.lexicon_count(text)
    assert c.sentences == textstat.sentence_count(text)
    assert c.syllables == textstat.syllable_count(text)


def test_no_sentence_punctuation_is_flagged_not_reported() -> None:
    text = " ".join(["the negotiators met again in brussels and talked for hours"] * 60)
    assert textstat.flesch_reading_ease(text) < -500  # what textstat would report
    row = readability.readability_scores(text)
    assert row["readability_flag"] == "no_sentence_punctuation"
    assert all(row[c] is None for c in READABILITY_INDICES)


def test_short_text_flagged_but_kept() -> None:
    row = readability.readability_scores("The talks ended. Nobody agreed on anything.")
    assert row["readability_flag"] == "short_text"
    assert row["readability_flesch_reading_ease"] is not None


def test_empty_text() -> None:
    row = readability.readability_scores("")
    assert row["readability_flag"] == "no_words"
    assert row["readability_smog_index"] is None
