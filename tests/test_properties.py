"""Properties that hold for any text: offsets slice exactly, numbers are finite
or an explicit None, nothing raises, cleaning is idempotent, scoring is
deterministic and readability is textstat's own wherever it is not flagged.

Texts come from three strategies: arbitrary Unicode (every code point except
surrogates); news-like text assembled from words, abbreviations, straight
and curly quotes, line breaks of every kind, lexicon terms, furniture lines
and non-Latin scripts; and dense runs of quotes, terminal punctuation and
line breaks.  The last two reach the sentence splitter's and quote finder's
corner cases far more often than random characters do.  Readability is
compared with textstat on English-like sentences long enough not to be
flagged.

150 examples per property (the file runs in well under a minute); set
``SLANTSCOPE_PROPERTY_EXAMPLES`` for a longer search.
"""

from __future__ import annotations

import math
import os
from typing import Any

import pytest
import textstat
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analytics.cleaning import clean_text
from analytics.lexicons import default_lexicons
from analytics.pipeline import ArticleScorer
from analytics.schema import HIT_COLUMNS, READABILITY_INDICES, SENTENCE_COLUMNS
from analytics.text import quote_spans, sentences, word_tokens

SCORER = ArticleScorer(default_lexicons())

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("SLANTSCOPE_PROPERTY_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)

# fmt: off
_PIECES = [
    # words, including lexicon terms (hedges, boosters, framing) and their inflections
    "NATO", "Russia", "talks", "the", "a", "of", "and", "said", "may", "might",
    "reportedly", "allegedly", "clearly", "certainly", "illegal", "aggression",
    "annexed", "annexation", "invasion’s", "invasion's", "is said to", "of course",
    "de-escalation", "sovereignty", "threat", "diplomacy", "revisionist", "don't",
    # abbreviations, initials, acronyms, numbers
    "Dr.", "Mr.", "U.S.", "U.K.", "Jan.", "No.", "vs.", "e.g.", "i.e.", "Inc.", "J.",
    "12", "3.5", "2022", "1,000",
    # sentence punctuation and brackets
    ".", ". ", "! ", "? ", "…", "...", ",", ";", ":", "(", ")", "[", "]", "—", "-",
    # quotation marks of every kind
    '"', "“", "”", "‘", "’", "'", "«", "»", "„",
    # whitespace and line breaks of every kind
    " ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\t", "\u00a0", "\u2028",
    # other scripts, emoji, combining marks, soft hyphen, zero-width joiner
    "Москва", "北约", "مرحبا", "🙂", "🇺🇦", "é", "e\u0301", "\u00ad", "\u200d",
    # site furniture lines
    "Follow Us:", "Leave a Reply", "Advertisement", "date 2022-01-12",
]
# fmt: on
NEWSY_TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=120).map(
    "".join
)
# Dense punctuation: quotes, terminal marks and line breaks next to each other.
DENSE_TEXT = st.text(st.sampled_from(list("\"“”„«»‘’' .!?…\n\r\tAaZz1_-()")), max_size=200)
TEXTS = st.one_of(ANY_TEXT, NEWSY_TEXT, DENSE_TEXT)

_WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at "
    "which but have an they you were her she there been one all we their would has more "
    "talks nato russia ministers security guarantees alliance expansion ukraine border "
    "troops diplomats negotiations officials europe washington moscow brussels meeting "
    "agreement demands proposal council statement ambassador government military exercise "
    "considerable unprecedented extraordinarily responsibility international cooperation"
).split()
ENGLISH_SENTENCE = (
    st.lists(st.sampled_from(_WORDS), min_size=6, max_size=30)
    .map(lambda ws: " ".join(ws).capitalize())
    .flatmap(lambda s: st.sampled_from([". ", "! ", "? ", ".\n", ".\n\n"]).map(lambda e: s + e))
)
# Mostly over 100 words (so not flagged short_text), some under.
ENGLISH_TEXT = st.lists(ENGLISH_SENTENCE, min_size=4, max_size=25).map("".join)


def _is_number_or_none(value: Any) -> bool:
    if value is None:
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _bad_score_values(row: dict[str, Any]) -> dict[str, Any]:
    """Score columns that are neither a finite number nor None (nor the flag/bool)."""
    bad = {}
    for key, value in row.items():
        if key == "readability_flag":
            ok = value is None or isinstance(value, str)
        elif key == "text_non_english":
            ok = isinstance(value, bool)
        else:
            ok = _is_number_or_none(value)
        if not ok:
            bad[key] = value
    return bad


def _check_offsets(
    text: str, sent_rows: list[tuple[Any, ...]], hit_rows: list[tuple[Any, ...]]
) -> None:
    s_col = {name: i for i, name in enumerate(SENTENCE_COLUMNS)}
    h_col = {name: i for i, name in enumerate(HIT_COLUMNS)}
    prev_end = 0
    spans = []
    for i, row in enumerate(sent_rows):
        start, end = row[s_col["start"]], row[s_col["end"]]
        assert row[s_col["sentence_index"]] == i
        assert 0 <= start < end <= len(text)
        assert start >= prev_end, "sentences overlap or are out of order"
        assert text[start:end] == row[s_col["text"]]
        assert text[start:end] == text[start:end].strip()
        assert 0.0 <= row[s_col["quoted"]] <= 1.0
        compound = row[s_col["sentiment_compound"]]
        assert math.isfinite(compound) and -1.0 <= compound <= 1.0
        for voice in ("sentiment_authorial", "sentiment_quoted"):
            assert _is_number_or_none(row[s_col[voice]])
        prev_end = end
        spans.append((start, end))
    for row in hit_rows:
        start, end = row[h_col["start"]], row[h_col["end"]]
        assert 0 <= start < end <= len(text)
        assert text[start:end] == row[h_col["matched_text"]]
        index = row[h_col["sentence_index"]]
        assert spans, "a hit in a text without sentences"
        assert 0 <= index < len(spans)
        assert spans[index][0] <= start < spans[index][1], "hit outside its sentence"
        assert isinstance(row[h_col["in_quote"]], bool)


@PROPERTY_SETTINGS
@given(TEXTS)
def test_scoring_never_raises_and_gives_finite_numbers_or_none(text: str) -> None:
    row, sent_rows, hit_rows = SCORER.score("a", text)
    assert not _bad_score_values(row)
    assert row["text_sentences"] == len(sent_rows)
    _check_offsets(text, sent_rows, hit_rows)
    if row["readability_flag"] in (None, "short_text"):
        _assert_textstat(text, row)


@PROPERTY_SETTINGS
@given(TEXTS)
def test_units_slice_the_text_exactly(text: str) -> None:
    prev = 0
    for t in word_tokens(text):
        assert prev <= t.start < t.end <= len(text)
        assert text[t.start : t.end] == t.surface
        prev = t.end
    prev = 0
    for i, s in enumerate(sentences(text)):
        assert s.index == i
        assert prev <= s.start < s.end <= len(text)
        prev = s.end
    prev = 0
    for q in quote_spans(text):
        assert prev <= q.start < q.end <= len(text), "quotes overlap or are out of order"
        assert text[q.start] in '"“”„«»‘’'
        prev = q.end


@PROPERTY_SETTINGS
@given(TEXTS)
def test_cleaning_is_idempotent(text: str) -> None:
    once = clean_text(text)
    twice = clean_text(once.text)
    assert twice.text == once.text
    assert twice.removed == []
    assert "\r" not in once.text
    assert once.text == once.text.strip()
    lines = {line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")}
    for removed in once.removed:  # what went came from one line of the input
        assert any(removed in line for line in lines)


@PROPERTY_SETTINGS
@given(TEXTS)
def test_scoring_is_deterministic(text: str) -> None:
    assert SCORER.score("a", text) == SCORER.score("a", text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ENGLISH_TEXT)
def test_readability_is_textstats_own_where_not_flagged(text: str) -> None:
    row, _, _ = SCORER.score("a", text)
    assume(row["readability_flag"] is None)  # about half the examples; the rest are short
    _assert_textstat(text, row)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ENGLISH_TEXT)
def test_short_texts_are_flagged_but_still_textstats_own(text: str) -> None:
    row, _, _ = SCORER.score("a", text)
    assume(row["readability_flag"] == "short_text")
    _assert_textstat(text, row)


def _assert_textstat(text: str, row: dict[str, Any]) -> None:
    textstat.set_lang("en_US")
    for column, name in READABILITY_INDICES.items():
        assert row[column] == pytest.approx(getattr(textstat, name)(text), abs=1e-6), name
