"""Golden tests: our one-pass readability equals textstat's own functions."""

from __future__ import annotations

import random
import re

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


# Strings that probe the chunk-wise counting: apostrophes next to whitespace
# of every kind, contractions split by it, combining marks, characters that
# are word characters only in Unicode, and text made only of punctuation.
_TRICKY = [
    "", " ", "'", "''", "' '", "'t", "x't", "x' t", "x'\u00a0t", "x'\u2003ve", "x'\u3000s",
    "x'v e", "x'l\u2028l", "x're", "x'ree", "rock 'n' roll", "'tis 'twas 'em 're 'd 'll 've",
    "end'", "U.S.'s turn", "it’s ‘quoted’ ’s", "a\u00a0b\u2003c\u3000d\u2028e\u2029f\x1c\x1fg\x85h",
    "a\u200bb c\u200dd", "e\u0301tude cafe\u0301 \u0301 \u0300\u0301", "_ __ a_b", "Ⅻ ﬁ ² ½ ١٢٣",
    "İstanbul ǅ ẞ ς", "— … • “ ” !!! ... ?", "x.y.z a,b;c d—e", "1 2,000 3.5 4'5 6'''s",
    "\t\v\f\r\n", "👍🏽 🎉x y🎉",
]


def _textstat_words(text: str) -> list[str]:
    """textstat 0.7.8's words: its two substitutions over the whole text."""
    kept = re.sub(r"\'(?![tsd]|ve|ll|re)", "", text)
    return re.sub(r"[^\w\s\']", "", kept).split()


def _reference_counts(text: str) -> readability.Counts:
    """The counts from their definitions, word by word over the whole text."""
    words = _textstat_words(text)
    syllables = [readability._syllables(w.lower()) for w in words]
    easy = readability._resources()[1]
    hard = [w.lower() not in easy for w in words]
    parts = re.findall(r"\b[^.!?]+[.!?]*", text)
    short = sum(1 for p in parts if len(_textstat_words(p)) <= 2)
    return readability.Counts(
        words=len(words),
        sentences=max(1, len(parts) - short) if text else 0,
        syllables=sum(syllables),
        polysyllables=sum(n >= 3 for n in syllables),
        hard_words_fog=sum(h and n >= 3 for h, n in zip(hard, syllables, strict=True)),
        hard_words_dale_chall=sum(hard),
        letters=sum(len(w) - w.count("'") for w in words),
        chars=len(re.sub(r"\s", "", text)),
        raw_words=len(text.split()),
    )


def _tricky_texts(seed_texts: dict[str, str]) -> list[str]:
    rng = random.Random(7)
    pool = "ab'tsdvelr .,;:!?-—“”’‘ \t\n\u00a0\u2003\u0301é_1Ⅻ🎉İ" + "etaoin" * 3
    noise = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    return [*_TRICKY, *noise, *seed_texts.values()]


def test_words_are_the_words_of_the_chunks(seed_texts: dict[str, str]) -> None:
    # counts() cleans each whitespace-separated chunk alone: textstat's
    # substitutions never cross whitespace.
    for text in _tricky_texts(seed_texts):
        by_chunk = [w for chunk in text.split() for w in _textstat_words(chunk)]
        assert by_chunk == _textstat_words(text) == readability._words(text), repr(text)


def test_counts_equal_their_definitions(seed_texts: dict[str, str]) -> None:
    readability._CHUNKS.clear()
    for text in _tricky_texts(seed_texts):
        want = _reference_counts(text)
        assert readability.counts(text) == want, repr(text)
        assert readability.counts(text) == want, repr(text)  # from the caches


@pytest.mark.parametrize("text", _TRICKY)
def test_golden_tricky(text: str) -> None:
    _assert_equal(text)


def _pyphen_count(word: str) -> int:
    from textstat.backend.utils import get_pyphen

    return len(get_pyphen("en_US").positions(word)) + 1


def test_hyphenation_limits_are_textstats() -> None:
    from textstat.backend.utils import get_pyphen

    pyphen = get_pyphen("en_US")
    assert readability._hyphenation()[1:] == (pyphen.left, pyphen.right)


@pytest.mark.parametrize("word", [
    "", "a", "ab", "abc", "'", "'s", "don't", "1", "2024", "1990s", "_", "é", "naïve", "straße",
    "İstanbul", "ǅ", "ΣΑΣ", "x\u0301y", "ﬁne", "Ⅻ", "日本語", "🎉", ".", "..", "a.b", "a-b", "a b",
    "hyphenation", "overthetop", "ATOMIC", "MiXeD", "a" * 100,
    "pneumonoultramicroscopicsilicovolcanoconiosis",
])
def test_pyphen_syllables_of_odd_words(word: str) -> None:
    assert readability._pyphen_syllables(word) == _pyphen_count(word)


def test_pyphen_syllables_of_many_words(seed_texts: dict[str, str]) -> None:
    cmu = sorted(readability._cmu_syllables())
    words = cmu[::25] + [w.lower() for t in seed_texts.values() for w in readability._words(t)]
    rng = random.Random(3)
    letters = "abcdefghijklmnopqrstuvwxyz'.é1"
    words += ["".join(rng.choice(letters) for _ in range(rng.randint(0, 20))) for _ in range(3000)]
    assert [w for w in words if readability._pyphen_syllables(w) != _pyphen_count(w)] == []


def test_packed_counts_cannot_carry() -> None:
    # counts() sums 64-bit fields; the bound in readability's comment rests
    # on the dictionary's largest syllable count.
    assert max(readability._cmu_syllables().values()) <= 12
    assert readability._FIELD_BITS == 64


def _cmu_counts() -> dict[str, int]:
    return {w: readability._phone_syllables(p) for w, p in readability._cmu_phones().items()}


def _word_data() -> tuple[object, ...]:
    pyphen, easy = readability._resources()
    return (readability._pattern_trie(pyphen.hd.patterns), pyphen.left, pyphen.right, easy)


@pytest.mark.parametrize(("loader", "name", "expected"), [
    (readability._cmu_syllables, "cmu-syllables-*.bin", _cmu_counts),
    (readability._word_data, "hyphenation-*.bin", _word_data),
])
def test_cache_files_round_trip(tmp_path, monkeypatch, loader, name, expected) -> None:
    # The CMU syllable counts, and the hyphenation trie, its limits and the
    # easy words, are kept in the cache directory; what is read back equals
    # what the libraries give, and a damaged or unwritable cache only costs
    # building it again.
    want = expected()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    loader.cache_clear()
    try:
        assert loader() == want  # built, then written
        (cached,) = (tmp_path / "slantscope").glob(name)
        loader.cache_clear()
        assert loader() == want  # read back
        cached.write_bytes(cached.read_bytes()[:-7])  # truncated
        loader.cache_clear()
        assert loader() == want
        blocked = tmp_path / "file"
        blocked.write_text("not a directory")
        monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
        loader.cache_clear()
        assert loader() == want
    finally:
        loader.cache_clear()
        readability._hyphenation.cache_clear()
